/**
 * The plan to the letter, against both real databases: the pass mark and the cap cannot move under a
 * running round and the payout is fixed when the result is confirmed (R-REV-4, R-PAY-1); filing and
 * submitting need THIS round's provider list (R-ELIG-1) and no suspension (R-ELIG-2); a photo tag change
 * is on the record (R-LOG-1); the summary table (M7) is one per provider per round, refused when stale
 * (R-MAT-2); copying is never passed silently (R-REV-3); a round can require the paper copies before
 * 受理 (R-MAT-3).
 */
import crypto from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseApplicationListQuery } from "~/domain/application-list.ts";
import type { Verdict } from "~/domain/formal-review.ts";
import { MATERIAL_IDS } from "~/domain/materials.ts";
import {
  createApplication as fileApplication,
  type ProviderScope,
  submitApplication,
  tagPhoto,
} from "~/models/application.server.ts";
import { listApplications } from "~/models/application-list.server.ts";
import { decideFormalReview, recordPaperCopies, staffApplicationView } from "~/models/formal-review.server.ts";
import { prepareBatch } from "~/models/payout-batch.server.ts";
import { liftSuspension, suspendProvider } from "~/models/provider-standing.server.ts";
import { clearCopyFlag, confirmResults, listRoundResults } from "~/models/review-result.server.ts";
import { LockedParameterError, type RoundInput, saveRound } from "~/models/round.server.ts";
import { saveUpload } from "~/models/stored-file.server.ts";
import { recordSummaryGeneration, summaryTableState, uploadSummaryTable } from "~/models/summary-table.server.ts";
import { FolderStore, objectStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { makePdf } from "../utils/files.ts";
import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const allAccepted: Verdict[] = MATERIAL_IDS.map((material) => ({ material, verdict: "accepted", reason: null }));

describe.each(VARIANTS)("the plan's rules on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let staff: { id: string; name: string; roles: ("staff" | "approver")[] };
  let expert: { id: string; name: string };

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    const s = await createUser(prisma, ["staff"], { name: "经办人" });
    staff = { id: s.user.id, name: s.user.name, roles: ["staff"] };
    const e = await createUser(prisma, ["expert"], { name: "专家甲" });
    expert = { id: e.user.id, name: e.user.name };
  });
  afterAll(async () => {
    await closeDatabase();
  });

  /** A provider registered under a name on the round's list (R-ELIG-1). */
  async function listedProvider(round: Awaited<ReturnType<typeof createRound>>, index = 0) {
    const name = round.providers[index]?.name;
    if (!name) throw new Error("no provider on the list");
    const provider = await createProvider(prisma, { name });
    const scope: ProviderScope = {
      userId: provider.user.id,
      userName: provider.user.name,
      organisationId: provider.organisation.id,
    };
    return { ...provider, scope };
  }

  const draftData = (enterpriseId: string, roundId: string) => ({
    roundId,
    enterpriseId,
    enterpriseUscc: `91370303${crypto.randomBytes(5).toString("hex").toUpperCase()}`,
    reportTitle: "智能化改造诊断报告",
    contractAmountFen: 800_000,
    contractSignedOn: "2022-09-01",
    diagnosisCompletedOn: "2022-09-20",
  });

  const submit = (scope: ProviderScope, id: string) => submitApplication(scope, id, { attested: true });

  /** A submitted review of the given total (sections only), written as the expert form would store it. */
  async function reviewed(applicationId: string, total: number, extra: { veto?: boolean } = {}) {
    const assignment = await assignExpert(prisma, { applicationId, expertId: expert.id, assignedById: staff.id });
    const basics = Math.min(30, total);
    const recommendations = Math.min(40, total - basics);
    const estimates = total - basics - recommendations;
    await prisma.review.create({
      data: {
        assignmentId: assignment.id,
        applicationId,
        expertId: expert.id,
        status: "submitted",
        submittedAt: new Date(),
        materialsComplete: true,
        basicsHalfPoints: basics * 2,
        basicsComment: "基本情况介绍完整",
        recommendationsHalfPoints: recommendations * 2,
        recommendationsComment: "建议具体可行",
        estimatesHalfPoints: estimates * 2,
        estimatesComment: "测算合理",
        veto: extra.veto ?? false,
        vetoEvidence: extra.veto ? "与 T-0001 第三章雷同" : null,
      },
    });
    await prisma.application.update({ where: { id: applicationId }, data: { status: "reviewed" } });
  }

  it("R-REV-4 R-PAY-1 the pass mark and the cap are locked once the round has a submitted application", async () => {
    const round = await createRound(prisma);
    const input: RoundInput = {
      name: round.name,
      code: round.code,
      year: round.year,
      deadline: round.deadline,
      disbursementDeadline: null,
      perEnterpriseCapFen: 1_000_000,
      passMark: 60,
      budgetFen: round.budgetFen,
      status: "open",
    };
    // Before any submission: staff may still set them.
    await saveRound(staff, round.id, { ...input, passMark: 65 });
    await saveRound(staff, round.id, { ...input, passMark: 60 });
    const provider = await listedProvider(round);
    await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: round.enterprises[0]!.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
    });

    const refused = saveRound(staff, round.id, { ...input, passMark: 55, perEnterpriseCapFen: 2_000_000 });
    await expect(refused).rejects.toBeInstanceOf(LockedParameterError);
    const error = await refused.catch((e: unknown) => e);
    expect(error instanceof LockedParameterError ? error.problems : []).toEqual([
      { field: "passMark", message: expect.stringContaining("合格分数线不能修改") },
      { field: "perEnterpriseCap", message: expect.stringContaining("每家企业补助上限不能修改") },
    ]);
    expect(await prisma.round.findUniqueOrThrow({ where: { id: round.id } })).toMatchObject({
      passMark: 60,
      perEnterpriseCapFen: 1_000_000,
    });
    // Other settings still change, with the locked ones as they are.
    await saveRound(staff, round.id, { ...input, budgetFen: 123_400 });
    expect(await prisma.round.findUniqueOrThrow({ where: { id: round.id } })).toMatchObject({ budgetFen: 123_400 });
  });

  it("R-PAY-1 the payout is computed and stored when the result is confirmed, and a batch uses the stored amount", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const base = { roundId: round.id, organisationId: provider.organisation.id, createdById: provider.user.id, store };
    const big = await createApplication(prisma, {
      ...base,
      enterpriseId: round.enterprises[0]!.id,
      contractAmountFen: 1_500_000,
      status: "under_review",
    });
    const small = await createApplication(prisma, {
      ...base,
      enterpriseId: round.enterprises[1]!.id,
      contractAmountFen: 654_321,
      status: "under_review",
    });
    await reviewed(big.id, 80);
    await reviewed(small.id, 75);
    expect(await confirmResults(staff, round.id, { all: true })).toMatchObject({ ok: true, confirmed: 2 });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: big.id } })).toMatchObject({
      payoutAmountFen: 1_000_000,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: small.id } })).toMatchObject({
      payoutAmountFen: 654_321,
    });
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "application.confirm_result", entityId: big.id },
    });
    expect(audit.after).toMatchObject({ payoutAmountFen: 1_000_000, passMark: 60 });

    // Whatever the round's row says later (the form refuses it; a direct write stands in here), the batch pays what was confirmed.
    await prisma.round.update({ where: { id: round.id }, data: { perEnterpriseCapFen: 1 } });
    const batch = await prepareBatch(staff, { roundId: round.id, selection: { all: true } });
    expect(batch).toMatchObject({ ok: true });
    const lines = await prisma.payoutLine.findMany({
      where: { batch: { roundId: round.id } },
      orderBy: { applicationNo: "asc" },
    });
    expect(lines.map((l) => l.amountFen)).toEqual([1_000_000, 654_321]);
  });

  it("R-ELIG-1 filing and submitting need the provider on THIS round's list; the message names the round", async () => {
    const listed = await createRound(prisma);
    const other = await createRound(prisma);
    // On the list of another round only.
    const provider = await listedProvider(listed);
    const refused = await fileApplication(provider.scope, draftData(other.enterprises[0]!.id, other.id));
    expect(refused).toEqual({
      ok: false,
      field: "enterpriseId",
      message: `“${provider.organisation.name}”不在“${other.name}”的服务商名单中，不能在本批次新建或提交申报。`,
    });
    expect(await prisma.application.count({ where: { roundId: other.id } })).toBe(0);

    // A draft made while it was listed cannot be submitted once the round's list no longer names it.
    const draft = await createApplication(prisma, {
      roundId: listed.id,
      enterpriseId: listed.enterprises[0]!.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "draft",
    });
    await prisma.roundProvider.deleteMany({ where: { roundId: listed.id, name: provider.organisation.name } });
    const outcome = await submit(provider.scope, draft.id);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining(`不在“${listed.name}”的服务商名单中`) });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ status: "draft" });
  });

  it("R-ELIG-2 staff suspend a provider with a reason (mailed, recorded): it cannot file or submit, its pending applications are flagged; lifting restores it", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const base = { roundId: round.id, organisationId: provider.organisation.id, createdById: provider.user.id, store };
    const draft = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[0]!.id, status: "draft" });
    const pending = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[1]!.id });

    expect(await suspendProvider(staff, provider.organisation.id, " ")).toMatchObject({
      ok: false,
      field: "suspendReason",
    });
    expect(await suspendProvider(staff, provider.organisation.id, "经查被列入经营异常名录")).toEqual({ ok: true });
    const mail = await prisma.outboxMessage.findFirstOrThrow({
      where: { to: provider.email, subject: { contains: "暂停" } },
    });
    expect(mail.text).toContain("经查被列入经营异常名录");
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "organisation.suspend", entityId: provider.organisation.id },
    });
    expect(audit).toMatchObject({ actorId: staff.id, reason: "经查被列入经营异常名录" });
    expect(audit.after).toMatchObject({ pendingApplications: expect.arrayContaining([draft.number, pending.number]) });

    const filed = await fileApplication(provider.scope, draftData(round.enterprises[2]!.id, round.id));
    expect(filed).toMatchObject({ ok: false, message: expect.stringContaining("暂停申报资格") });
    expect(await submit(provider.scope, draft.id)).toMatchObject({
      ok: false,
      message: expect.stringContaining("经查被列入经营异常名录"),
    });

    // Flagged on the desk: the list (badge and filter) and the application page.
    const list = await listApplications(
      round.id,
      parseApplicationListQuery(new URLSearchParams("flag=provider_suspended")),
    );
    expect(list.rows.map((r) => r.number).sort()).toEqual([draft.number, pending.number].sort());
    expect(list.rows.every((r) => r.providerSuspended)).toBe(true);
    expect((await staffApplicationView(pending.id))?.providerSuspension).toMatchObject({
      reason: "经查被列入经营异常名录",
    });

    expect(await liftSuspension(staff, provider.organisation.id, "已移出经营异常名录")).toEqual({ ok: true });
    expect(
      await prisma.auditEntry.count({
        where: { action: "organisation.lift_suspension", entityId: provider.organisation.id },
      }),
    ).toBe(1);
    expect((await staffApplicationView(pending.id))?.providerSuspension).toBeNull();
    expect(await submit(provider.scope, draft.id)).toMatchObject({ ok: true });
  });

  it("R-MAT-1 a submission makes its receipt (提交回执): stored, recorded and mailed attached; a refused one leaves none", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const enterprise = round.enterprises[0]!;
    const draft = await createApplication(prisma, {
      roundId: round.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      enterpriseId: enterprise.id,
      status: "draft",
    });
    const fileName = `提交回执-${draft.number}.pdf`;

    expect(await submitApplication(provider.scope, draft.id, { attested: false })).toEqual({
      ok: false,
      field: "attestation",
      message: "请确认所有复印件材料均已加盖企业公章。",
    });
    expect(await prisma.storedFile.count({ where: { fileName } })).toBe(0);

    expect(await submit(provider.scope, draft.id)).toMatchObject({ ok: true });
    const submitted = await prisma.application.findUniqueOrThrow({
      where: { id: draft.id },
      include: { receiptFile: true },
    });
    const receipt = submitted.receiptFile;
    expect(receipt).toMatchObject({ fileName, contentType: "application/pdf", uploadedById: provider.user.id });
    if (!receipt) throw new Error("no receipt");
    // Read back from the store the model wrote to (the process's configured one).
    const chunks: Buffer[] = [];
    for await (const chunk of await objectStore().get(receipt.key)) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(crypto.createHash("sha256").update(bytes).digest("hex")).toBe(receipt.sha256);
    const mail = await prisma.outboxMessage.findFirstOrThrow({
      where: { to: provider.email, subject: { contains: `提交回执 ${draft.number}` } },
    });
    expect(mail.subject).toBe(`【申报平台】提交回执 ${draft.number}（${enterprise.name}）`);
    expect(mail.attachments).toEqual([{ filename: fileName, storageKey: receipt.key, contentType: "application/pdf" }]);
  });

  it("R-LOG-1 changing an M5 photo tag is recorded with before and after", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const draft = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: round.enterprises[0]!.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "draft",
    });
    const photo = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: draft.id, material: "M5", photoTag: "workshop" },
    });
    await tagPhoto(provider.scope, draft.id, photo.id, "team");
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "material.tag_photo", entityId: draft.id },
    });
    expect(audit).toMatchObject({ actorId: provider.user.id });
    expect(audit.before).toMatchObject({ material: "M5", fileId: photo.fileId, photoTag: "workshop" });
    expect(audit.after).toMatchObject({ material: "M5", fileId: photo.fileId, photoTag: "team" });
    // The same tag again changes nothing and records nothing.
    await tagPhoto(provider.scope, draft.id, photo.id, "team");
    expect(await prisma.auditEntry.count({ where: { action: "material.tag_photo", entityId: draft.id } })).toBe(1);
  });

  it("R-MAT-2 M7 is one table per provider per round: generated from all its applications, uploaded once, counted for each, refused when stale", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const withoutM7 = {
      roundId: round.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "draft" as const,
      without: ["M7" as const],
    };
    const one = await createApplication(prisma, { ...withoutM7, enterpriseId: round.enterprises[0]!.id });
    const two = await createApplication(prisma, { ...withoutM7, enterpriseId: round.enterprises[1]!.id });
    const signed = async () =>
      (
        await saveUpload({
          body: Readable.from([await makePdf("汇总表")]),
          fileName: "汇总表.pdf",
          purpose: "materials",
          uploadedById: provider.user.id,
        })
      ).id;

    // Nothing generated yet: the upload is refused; so is a submission without the table.
    expect(await uploadSummaryTable(provider.scope, round.id, await signed())).toMatchObject({
      ok: false,
      message: expect.stringContaining("请先下载"),
    });
    expect(await submit(provider.scope, one.id)).toMatchObject({ ok: false });

    const generated = await recordSummaryGeneration(provider.scope, round.id);
    const row = await prisma.providerSummaryTable.findUniqueOrThrow({ where: { id: generated.id } });
    expect(row.applicationIds).toEqual([one.id, two.id].sort());
    expect(row.digest).toBe(crypto.createHash("sha256").update([one.id, two.id].sort().join("\n")).digest("hex"));
    // Downloading again with the same applications records no new generation.
    expect((await recordSummaryGeneration(provider.scope, round.id)).id).toBe(generated.id);

    // A third application after generation: the table is stale, and its upload is refused, naming it.
    const three = await createApplication(prisma, { ...withoutM7, enterpriseId: round.enterprises[2]!.id });
    const stale = await uploadSummaryTable(provider.scope, round.id, await signed());
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining(three.number) });
    expect(stale.ok ? "" : stale.message).toContain("已过期");

    // Generated again and uploaded once: filed as M7 of all three, so each is complete and submits.
    await recordSummaryGeneration(provider.scope, round.id);
    const fileId = await signed();
    expect(await uploadSummaryTable(provider.scope, round.id, fileId)).toEqual({
      ok: true,
      filedOn: [one.number, two.number, three.number],
    });
    for (const application of [one, two, three]) {
      expect(
        await prisma.applicationMaterial.count({
          where: { applicationId: application.id, material: "M7", removedAt: null, fileId },
        }),
      ).toBe(1);
    }
    expect(
      await prisma.auditEntry.count({
        where: { action: "organisation.summary_table_upload", entityId: provider.organisation.id },
      }),
    ).toBe(1);
    expect(await submit(provider.scope, one.id)).toMatchObject({ ok: true });
    expect((await summaryTableState(provider.organisation.id, round.id)).uploaded).toMatchObject({
      count: 3,
      stale: false,
    });

    // A fourth application makes the uploaded table stale: the others cannot be submitted on it any more.
    await createApplication(prisma, { ...withoutM7, enterpriseId: round.enterprises[3]!.id });
    expect(await submit(provider.scope, two.id)).toMatchObject({
      ok: false,
      message: expect.stringContaining("已过期"),
    });
    expect((await summaryTableState(provider.organisation.id, round.id)).uploaded).toMatchObject({ stale: true });
  });

  it("R-REV-3 a result flagged by the copy check is not confirmed until an expert vetoes it or staff record why it is not copying", async () => {
    const round = await createRound(prisma);
    const provider = await listedProvider(round);
    const base = {
      roundId: round.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "under_review" as const,
    };
    const flagged = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[0]!.id });
    const vetoed = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[1]!.id });
    const clean = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[2]!.id });
    await reviewed(flagged.id, 85);
    await reviewed(vetoed.id, 85, { veto: true });
    await reviewed(clean.id, 85);
    const photoOf = (applicationId: string) =>
      prisma.applicationMaterial.findFirstOrThrow({ where: { applicationId, material: "M5" } });
    // The same site photo in the flagged and the vetoed application (a stored photo pair is always flagged).
    const [a, b] = [await photoOf(flagged.id), await photoOf(vetoed.id)];
    await prisma.similarityMatch.create({
      data: {
        kind: "photo",
        applicationAId: flagged.id,
        fileAId: a.fileId,
        applicationBId: vetoed.id,
        fileBId: b.fileId,
        score: 1,
      },
    });

    // The results page shows the flagged application first, then the vetoed one.
    const listed = await listRoundResults(round.id, { filter: "all", q: "", page: 1, pageSize: 50 });
    expect(listed.rows.map((r) => r.application.number)).toEqual([flagged.number, vetoed.number, clean.number]);
    expect(listed.rows[0]?.copy).toMatchObject({ flagged: true, blocks: true });

    // Chosen: refused by name. All: the others are confirmed, the flagged one is left.
    const chosen = await confirmResults(staff, round.id, { all: false, applicationIds: [flagged.id, clean.id] });
    expect(chosen).toMatchObject({ ok: false, message: expect.stringContaining(flagged.number) });
    expect(await confirmResults(staff, round.id, { all: true })).toMatchObject({
      ok: true,
      confirmed: 2,
      copyBlocked: [flagged.number],
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: flagged.id } })).toMatchObject({
      resultConfirmedAt: null,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: vetoed.id } })).toMatchObject({
      resultPassed: false,
    });

    // A clearance needs a real reason; then it is kept, recorded and carried into the confirmed result.
    expect(await clearCopyFlag(staff, flagged.id, "不是抄袭")).toMatchObject({ ok: false, field: "reason" });
    const reason = "两份申报为同一服务商同日在同一园区拍摄的公共区域照片，报告正文无雷同";
    expect(await clearCopyFlag(staff, flagged.id, reason)).toEqual({ ok: true });
    const clearanceAudit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "application.copy_flag_cleared", entityId: flagged.id },
    });
    expect(clearanceAudit).toMatchObject({ actorId: staff.id, reason });
    expect(await confirmResults(staff, round.id, { all: false, applicationIds: [flagged.id] })).toMatchObject({
      ok: true,
      confirmed: 1,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: flagged.id } })).toMatchObject({
      copyFlagClearance: reason,
      resultPassed: true,
    });
    const confirmAudit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "application.confirm_result", entityId: flagged.id },
    });
    expect(confirmAudit.after).toMatchObject({ copyFlagClearance: reason });
  });

  it("R-MAT-3 a round that requires the paper copies refuses 受理 until they are recorded; a late receipt is flagged", async () => {
    const round = await createRound(prisma, { deadline: new Date("2022-12-20T15:59:59Z") });
    await prisma.round.update({ where: { id: round.id }, data: { paperCopiesRequired: true } });
    const provider = await listedProvider(round);
    const application = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: round.enterprises[0]!.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
    });
    const refused = await decideFormalReview(staff, application.id, {
      decision: "accept",
      version: 0,
      verdicts: allAccepted,
    });
    expect(refused).toEqual({
      ok: false,
      field: "paper",
      message: expect.stringContaining("本批次要求先收到纸质材料"),
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({
      status: "submitted",
    });

    expect(
      await recordPaperCopies(staff, {
        applicationIds: [application.id],
        receivedOn: "2022-12-22",
        receivedBy: "经办人",
      }),
    ).toEqual({ ok: true, count: 1 });
    const view = await staffApplicationView(application.id);
    expect(view?.application).toMatchObject({ paperCopiesRequired: true, paperCopiesLate: true });
    expect(
      await decideFormalReview(staff, application.id, { decision: "accept", version: 0, verdicts: allAccepted }),
    ).toEqual({ ok: true, status: "accepted" });
  });
});
