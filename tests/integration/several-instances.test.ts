/**
 * Several instances, proven (issue 17): two portal processes (the production build, scripts/server.ts)
 * with the same configuration on one PostgreSQL database, one S3 server and one SMTP server. Both
 * start at once on an empty database and migrate it once; a session made on one is valid on the other; a
 * file uploaded through one is served by the other; each mail, each similarity job and each page read
 * by OCR is done exactly once across both.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { S3Store } from "~/services/storage.server.ts";
import { type Handle, openDatabase } from "~/utils/db.server.ts";
import { shippedMigrations } from "~/utils/migrations.server.ts";

import { makePdf } from "../utils/files.ts";
import { killPortals, type Portal, startPortal, waitForHealth } from "../utils/portal-process.ts";
import { startS3 } from "../utils/s3-server.ts";
import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { reportTexts, sealedScanPdf } from "../utils/similarity-fixtures.ts";
import { startSmtp } from "../utils/smtp-server.ts";
import { adminQuery, PG_PREFIX, postgresUrlFor, TMP } from "../utils/test-database.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
let a: Portal;
let b: Portal;
let database: Handle;
let store: S3Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let s3: Awaited<ReturnType<typeof startS3>>;

beforeAll(async () => {
  const name = `${PG_PREFIX}multi${crypto.randomBytes(3).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`); // empty: the instances migrate it
  const url = postgresUrlFor(name);
  s3 = await startS3();
  smtp = await startSmtp();
  const config = {
    DATABASE_URL: url,
    SESSION_SECRET: "several-instances-session-secret-0123456789",
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: "portal",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    SMTP_URL: smtp.url,
    MAIL_WORKER_INTERVAL_MS: "200",
    DEMO: "0",
  };
  // Each its own DATA_DIR: nothing may depend on a shared folder.
  const dirs = [1, 2].map((i) => fs.mkdtempSync(path.join(TMP, `data-instance${i}-`)));
  const [first, second] = dirs;
  [a, b] = await Promise.all([
    startPortal({ ...config, DATA_DIR: first ?? "" }),
    startPortal({ ...config, DATA_DIR: second ?? "" }),
  ]);
  await Promise.all([waitForHealth(a), waitForHealth(b)]);
  database = await openDatabase({ url, dataDir: TMP });
  store = new S3Store({
    endpoint: s3.endpoint,
    bucket: "portal",
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  });
});

afterAll(async () => {
  killPortals();
  store?.destroy();
  await database?.close();
  await smtp?.stop();
  await s3?.stop();
});

async function login(portal: Portal, email: string, password: string): Promise<string> {
  const response = await fetch(`${portal.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: portal.url },
    body: new URLSearchParams({ email, password }),
  });
  expect(response.status).toBe(302);
  return response.headers.get("set-cookie")?.split(";")[0] ?? "";
}

describe("two instances on one PostgreSQL, one S3, one SMTP", () => {
  it("started at once, they applied each migration once and seeded once", async () => {
    const prisma = database.client;
    const rows = await prisma.$queryRaw<{ name: string; n: number }[]>`
      SELECT migration_name::text AS name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`;
    expect(rows).toEqual(shippedMigrations(root).map((name) => ({ name, n: 1 })));
    expect(await prisma.round.count()).toBe(1);
    // One of them migrated; the other waited on the lock and found nothing to do.
    expect([a, b].filter((p) => p.output().includes("正在应用数据库迁移"))).toHaveLength(1);
    for (const portal of [a, b]) expect((await fetch(`${portal.url}/readyz`)).status).toBe(200);
  });

  it("a session made on one is valid on the other; a file uploaded through one is served by the other", async () => {
    const prisma = database.client;
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    const draft = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: round.enterprises[0]?.id ?? "",
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "draft",
      without: ["M1"],
    });
    const cookie = await login(a, provider.email, provider.password);
    const onB = await fetch(`${b.url}/provider`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(provider.organisation.name);

    const pdf = Buffer.from(await makePdf("instance A upload"));
    const upload = await fetch(`${a.url}/resources/applications/${draft.id}/materials?material=M1`, {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: a.url,
        "Content-Type": "application/pdf",
        "X-File-Name": encodeURIComponent("承诺书.pdf"),
      },
      body: pdf,
    });
    expect(upload.status).toBe(200);
    const uploaded: { material: { fileId: string } } = await upload.json();
    const served = await fetch(`${b.url}/resources/files/${uploaded.material.fileId}`, { headers: { Cookie: cookie } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it("each mail is sent exactly once across both instances", async () => {
    const prisma = database.client;
    const subjects = Array.from({ length: 30 }, (_, i) => `多实例邮件 ${i}`);
    await prisma.outboxMessage.createMany({
      data: subjects.map((subject, i) => ({ to: `m${i}@example.test`, subject, text: "x" })),
    });
    await expect
      .poll(() => prisma.outboxMessage.count({ where: { subject: { in: subjects }, status: "sent" } }), {
        timeout: 30_000,
        interval: 300,
      })
      .toBe(30);
    // Each row was claimed exactly once (a claim adds an attempt; a sent row is never claimed again), so no
    // second delivery of any of them can still be on its way: what the SMTP server holds is final.
    const rows = await prisma.outboxMessage.findMany({
      where: { subject: { in: subjects } },
      select: { attempts: true },
    });
    expect(rows.map((row) => row.attempts)).toEqual(subjects.map(() => 1));
    const received = smtp.messages.map((m) => m.subject ?? "").filter((s) => s.startsWith("多实例邮件"));
    expect(received.sort()).toEqual([...subjects].sort());
    const sentLines = [...a.logLines(), ...b.logLines()].filter((l) => l.job === "mail" && l.outcome === "sent");
    expect(sentLines.length).toBeGreaterThanOrEqual(30);
    expect(new Set(sentLines.map((l) => l.messageId)).size).toBe(sentLines.length);
  });

  it("each similarity job (report text, photo hash) is done exactly once across both instances", async () => {
    const prisma = database.client;
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    for (const enterprise of round.enterprises.slice(0, 3)) {
      await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: enterprise.id,
        organisationId: provider.organisation.id,
        createdById: provider.user.id,
        store,
      });
    }
    const expected = { reports: 3, photos: 6 };
    await expect
      .poll(
        async () => ({
          reports: await prisma.reportText.count({
            where: { application: { roundId: round.id }, status: { not: "pending" } },
          }),
          photos: await prisma.photoFingerprint.count({
            where: { application: { roundId: round.id }, status: { not: "pending" } },
          }),
        }),
        { timeout: 60_000, interval: 500 },
      )
      .toEqual(expected);
    const jobs = [...a.logLines(), ...b.logLines()].filter((l) => l.job === "similarity");
    const done = { reports: 0, photos: 0 };
    for (const line of jobs) {
      done.reports += Number(line.reports);
      done.photos += Number(line.photos);
    }
    expect(done).toEqual(expected);
  });

  it("R-REV-3 each page of a scanned report is read by OCR exactly once across both instances", async () => {
    const prisma = database.client;
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    // Two applications with the same two-page sealed scan: its pages are queued once (by the file's
    // SHA-256) and each is read by one instance.
    const text = reportTexts(4242, 2400).original;
    const scan = await sealedScanPdf(text, { seed: 4242, seal: "淄博恒泰陶瓷有限公司" });
    for (const enterprise of round.enterprises.slice(0, 2)) {
      await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: enterprise.id,
        organisationId: provider.organisation.id,
        createdById: provider.user.id,
        store,
        reportPdf: scan,
      });
    }
    await expect
      .poll(
        async () =>
          prisma.reportText.count({ where: { application: { roundId: round.id }, status: "done", method: "ocr" } }),
        { timeout: 170_000, interval: 1000 },
      )
      .toBe(2);
    // The only scan in this database: one OcrPage row a page of it, each read by exactly one instance.
    const pages = await prisma.ocrPage.findMany({ select: { id: true, status: true } });
    expect(pages).toHaveLength((await PDFDocument.load(scan)).getPageCount());
    expect(pages.every((p) => p.status === "done")).toBe(true);
    const read = [...a.logLines(), ...b.logLines()].filter((l) => l.job === "ocr" && l.outcome === "done");
    expect(read.map((l) => String(l.pageId)).sort()).toEqual(pages.map((p) => p.id).sort());
  }, 180_000);
});
