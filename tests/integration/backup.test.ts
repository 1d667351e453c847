/**
 * Backup and restore (issue 17): a round with every kind of record and file is backed up from one
 * database and store and restored into a fresh one of the other kind (PostgreSQL + S3 → PGlite + folder,
 * and back); every row of every table and every file's bytes are compared.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { verifyAuditChain } from "~/models/audit.server.ts";
import { createBackup, readManifest, restoreBackup } from "~/services/backup.server.ts";
import { FolderStore, type ObjectStore, S3Store } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { startS3 } from "../utils/s3-server.ts";
import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { TMP, useFreshDatabase, type Variant } from "../utils/test-database.ts";

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await closeDatabase();
  for (const stop of stops) await stop();
});

async function storeFor(kind: "folder" | "s3", dataDir: string): Promise<ObjectStore> {
  if (kind === "folder") return new FolderStore(path.join(dataDir, "files"));
  const s3 = await startS3();
  const store = new S3Store({
    endpoint: s3.endpoint,
    bucket: "portal",
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  });
  await store.ensureBucket();
  stops.push(async () => {
    store.destroy();
    await s3.stop();
  });
  return store;
}

/** Every kind of record: the scenario's round, accounts, application with files, and the rest by hand. */
async function makeRound(prisma: Db, store: ObjectStore) {
  const round = await createRound(prisma);
  const staff = await createUser(prisma, ["staff"]);
  const expert = await createUser(prisma, ["expert"]);
  const provider = await createProvider(prisma);
  const [first, second] = round.enterprises;
  const application = await createApplication(prisma, {
    roundId: round.id,
    enterpriseId: first?.id ?? "",
    organisationId: provider.organisation.id,
    createdById: provider.user.id,
    store,
    status: "under_review",
  });
  const other = await createApplication(prisma, {
    roundId: round.id,
    enterpriseId: second?.id ?? "",
    organisationId: provider.organisation.id,
    createdById: provider.user.id,
    store,
  });
  const assignment = await assignExpert(prisma, {
    applicationId: application.id,
    expertId: expert.user.id,
    assignedById: staff.user.id,
  });
  await prisma.review.create({
    data: {
      assignmentId: assignment.id,
      applicationId: application.id,
      expertId: expert.user.id,
      status: "submitted",
      basicsHalfPoints: 50,
      submittedAt: new Date(),
    },
  });
  await prisma.expertConflict.create({
    data: { expertId: expert.user.id, kind: "provider", partyName: "某服务商", declaredBy: "staff" },
  });
  await prisma.materialReview.create({
    data: {
      applicationId: other.id,
      cycle: 1,
      material: "M1",
      verdict: "rejected",
      reason: "盖章不清",
      reviewedById: staff.user.id,
    },
  });
  await prisma.supplementNotice.create({
    data: {
      applicationId: other.id,
      cycle: 1,
      items: [{ material: "M1", reason: "盖章不清" }],
      dueAt: new Date(),
      issuedById: staff.user.id,
    },
  });
  const batch = await prisma.payoutBatch.create({
    data: {
      roundId: round.id,
      number: `PB-${crypto.randomBytes(3).toString("hex")}`,
      preparedById: staff.user.id,
      totalFen: 600_000,
    },
  });
  await prisma.payoutBatch.create({
    data: {
      roundId: round.id,
      number: `PB-${crypto.randomBytes(3).toString("hex")}`,
      preparedById: staff.user.id,
      correctsBatchId: batch.id,
    },
  });
  await prisma.payoutLine.create({
    data: {
      batchId: batch.id,
      applicationId: application.id,
      applicationNo: application.number,
      providerName: "服务商",
      enterpriseName: "企业",
      contractFen: 1_200_000,
      amountFen: 600_000,
    },
  });
  const files = await prisma.applicationMaterial.findMany({
    where: { applicationId: application.id },
    include: { file: true },
  });
  const report = files.find((m) => m.material === "M8");
  const photo = files.find((m) => m.material === "M5");
  if (report) {
    const text = await prisma.reportText.create({
      data: {
        fileId: report.fileId,
        applicationId: application.id,
        status: "done",
        text: "诊断报告正文……",
        contentLength: 7,
        pages: 1,
        claimedAt: new Date(),
      },
    });
    await prisma.reportFingerprint.createMany({
      data: [
        { hash: 12345, report: text.seq },
        { hash: -678, report: text.seq },
      ],
    });
    const sha256 = crypto.createHash("sha256").update("scan").digest("hex");
    await prisma.reportTextCache.create({
      data: {
        sha256,
        text: "诊断报告正文……",
        layout: { pages: [] },
        method: "ocr",
        pages: 1,
        ocrPages: 1,
        ocrConfidence: 0.98,
      },
    });
    await prisma.ocrPage.create({
      data: {
        sha256,
        fileId: report.fileId,
        page: 1,
        pages: 1,
        status: "done",
        lines: [{ text: "诊断报告正文", box: { x: 1, y: 2, w: 3, h: 4 }, confidence: 0.98 }],
        confidence: 0.98,
        seconds: 4.2,
        doneAt: new Date(),
      },
    });
  }
  if (photo) {
    await prisma.photoFingerprint.create({
      data: {
        fileId: photo.fileId,
        applicationId: application.id,
        status: "done",
        hash: "0123456789abcdef",
        claimedAt: new Date(),
      },
    });
    await prisma.similarityMatch.create({
      data: {
        kind: "photo",
        applicationAId: application.id,
        fileAId: photo.fileId,
        applicationBId: other.id,
        fileBId: photo.fileId,
        score: 0.97,
        passages: [{ a: { start: 0, end: 3 } }],
      },
    });
  }
  await prisma.enterpriseClaimAttempt.create({
    data: { roundId: round.id, enterpriseId: first?.id ?? "", organisationId: provider.organisation.id },
  });
  await prisma.session.create({
    data: {
      id: crypto.randomBytes(16).toString("hex"),
      userId: staff.user.id,
      expiresAt: new Date(Date.now() + 3600_000),
      ip: "127.0.0.1",
    },
  });
  await prisma.userToken.create({
    data: {
      userId: expert.user.id,
      purpose: "invite",
      tokenHash: crypto.randomBytes(16).toString("hex"),
      expiresAt: new Date(),
    },
  });
  await prisma.loginAttempt.create({ data: { key: "email:x@example.test", success: false } });
  await prisma.loginAttempt.create({ data: { key: "email:x@example.test", success: true } });
  await prisma.loginThrottle.create({
    data: { key: "email:x@example.test", failures: 2, windowStartedAt: new Date() },
  });
  await prisma.noticeObjection.create({
    data: {
      applicationId: application.id,
      receivedOn: "2022-12-05",
      objector: "某企业",
      content: "对公示结果有异议",
      recordedById: staff.user.id,
      outcome: "dismissed",
      resolution: "经核实不成立",
      resolvedById: staff.user.id,
      resolvedAt: new Date(),
    },
  });
  await prisma.expertProfile.upsert({
    where: { userId: expert.user.id },
    update: {},
    create: { userId: expert.user.id },
  });
  await prisma.outboxMessage.create({
    data: {
      to: "p@example.test",
      subject: "提交回执",
      text: "已收到",
      attachments: [{ filename: "回执.pdf", storageKey: "x", contentType: "application/pdf" }],
    },
  });
  await prisma.auditEntry.create({
    data: {
      actorId: staff.user.id,
      actorName: "工作人员",
      action: "application.accept",
      entityType: "Application",
      entityId: application.id,
      before: { status: "submitted" },
      after: { status: "accepted" },
    },
  });
}

/** Every row of every table (as JSON, sorted) and every stored file's SHA-256, read back from the store. */
async function snapshot(prisma: Db, store: ObjectStore) {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`;
  const rows: Record<string, string[]> = {};
  for (const { name } of tables) {
    const found = await prisma.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`);
    rows[name] = found.map((r) => r.j).sort();
  }
  const files: Record<string, string> = {};
  for (const file of await prisma.storedFile.findMany({ select: { key: true } })) {
    const hash = crypto.createHash("sha256");
    for await (const chunk of await store.get(file.key)) hash.update(chunk);
    files[file.key] = hash.digest("hex");
  }
  return { rows, files };
}

const ROUNDS: [Variant, "folder" | "s3", Variant, "folder" | "s3"][] = [
  ["postgres", "s3", "pglite", "folder"],
  ["pglite", "folder", "postgres", "s3"],
];

describe.each(ROUNDS)("backup from %s + %s, restore into %s + %s", (fromDb, fromStore, toDb, toStore) => {
  it("restores every row of every table and every file", async () => {
    const source = await useFreshDatabase(fromDb);
    const sourceStore = await storeFor(fromStore, source.dataDir);
    await makeRound(source.prisma, sourceStore);
    const before = await snapshot(source.prisma, sourceStore);
    const empty = Object.entries(before.rows)
      .filter(([, r]) => r.length === 0)
      .map(([t]) => t);
    expect(empty, "every kind of record is in the round").toEqual([]);

    const archive = path.join(TMP, `backup-${crypto.randomBytes(4).toString("hex")}.tar.gz`);
    const manifest = await createBackup({ prisma: source.prisma, store: sourceStore, file: archive });
    expect(manifest.files.length).toBe(Object.keys(before.files).length);
    expect((await readManifest(archive)).tables).toEqual(manifest.tables);

    const target = await useFreshDatabase(toDb);
    const targetStore = await storeFor(toStore, target.dataDir);
    await restoreBackup({ prisma: target.prisma, store: targetStore, file: archive });
    const after = await snapshot(target.prisma, targetStore);
    expect(after.rows).toEqual(before.rows);
    expect(after.files).toEqual(before.files);

    // Sequences go on after the restored rows: a new audit entry does not collide, and it chains onto the
    // restored record, which verifies whole (R-LOG-1).
    await target.prisma.auditEntry.create({ data: { action: "seed.load", entityType: "Round", entityId: "x" } });
    expect(await verifyAuditChain(target.prisma)).toMatchObject({ ok: true });
    // A second restore into the now non-empty database is refused.
    await expect(restoreBackup({ prisma: target.prisma, store: targetStore, file: archive })).rejects.toThrow(
      /not empty/,
    );
    // A damaged archive is refused before anything is written.
    const damaged = `${archive}.damaged`;
    const bytes = fs.readFileSync(archive);
    bytes.writeUInt8((bytes.readUInt8(bytes.length - 100) ^ 0xff) & 0xff, bytes.length - 100);
    fs.writeFileSync(damaged, bytes);
    const fresh = await useFreshDatabase(toDb);
    await expect(
      restoreBackup({ prisma: fresh.prisma, store: new FolderStore(path.join(fresh.dataDir, "files")), file: damaged }),
    ).rejects.toThrow();
    expect(await fresh.prisma.user.count()).toBe(0);
  });
});
