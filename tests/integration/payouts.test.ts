/**
 * Payout batches against both real databases (R-PAY-1, R-PAY-3, R-LOG-1): preparing from eligible
 * applications only, maker-checker approval, two approvals at once with exactly one effect and one
 * e-mail per provider (delivered through a real SMTP server), payment, return, and the public notice.
 * Each test makes its own round (tests/utils/application-results.ts), so each one runs alone.
 */
import path from "node:path";

import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { shanghaiDate } from "~/domain/shanghai-time.ts";
import type { Officer } from "~/models/officer.server.ts";
import { approveBatch, markBatchPaid, prepareBatch, returnBatch } from "~/models/payout-batch.server.ts";
import { payoutBlockers } from "~/models/payout-batch-queries.server.ts";
import { publicNotice, saveNoticeSettings } from "~/models/public-notice.server.ts";
import { deliverDueMail } from "~/services/mail.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplicationWithResult, createPayoutRound } from "../utils/application-results.ts";
import { approvedBatch, createOfficer, paidBatch, preparedBatch } from "../utils/payout-scenario.ts";
import { createProvider } from "../utils/scenario.ts";
import { startSmtp } from "../utils/smtp-server.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("payouts on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let preparer: Officer;
  let plainStaff: Officer;
  let approverC: Officer;
  let approverD: Officer;

  /** A round of its own whose notice is over, with two providers; `application` adds one with its result. */
  async function roundWithProviders() {
    const round = await createPayoutRound(prisma);
    const providers = [await createProvider(prisma), await createProvider(prisma)] as const;
    const application = (
      provider: (typeof providers)[number],
      options: { contractFen: number; passed?: boolean; confirmedAt?: null },
    ) => createApplicationWithResult(prisma, { store, round, provider, ...options });
    return { round, providers, application };
  }

  /**
   * Such a round with passed, confirmed applications ready for a batch: p1a and p1b of provider 1 (one
   * over the cap), p2a of provider 2 (1 fen).
   */
  async function payoutRound() {
    const scenario = await roundWithProviders();
    const [p1, p2] = scenario.providers;
    const apps = {
      p1a: await scenario.application(p1, { contractFen: 999_999 }),
      p1b: await scenario.application(p1, { contractFen: 1_000_001 }),
      p2a: await scenario.application(p2, { contractFen: 1 }),
    };
    return { ...scenario, apps, payable: [apps.p1a.id, apps.p1b.id, apps.p2a.id] };
  }

  /** Two more of provider 2 that may not be paid: p2failed (failed) and p2unconfirmed (passed, not confirmed). */
  async function unpayable(scenario: Awaited<ReturnType<typeof roundWithProviders>>) {
    const [, p2] = scenario.providers;
    return {
      p2failed: await scenario.application(p2, { contractFen: 1_000_000, passed: false }),
      p2unconfirmed: await scenario.application(p2, { contractFen: 1_000_000, confirmedAt: null }),
    };
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    // The preparer also holds the approver role: maker-checker must still refuse it its own batch.
    preparer = await createOfficer(prisma, ["staff", "approver"], "经办人甲");
    plainStaff = await createOfficer(prisma, ["staff"], "经办人乙");
    approverC = await createOfficer(prisma, ["approver"], "分管领导丙");
    approverD = await createOfficer(prisma, ["approver"], "分管领导丁");
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
  });

  it("R-PAY-3 refuses a failed or unconfirmed application with the reason, and prepares nothing", async () => {
    const scenario = await payoutRound();
    const { round } = scenario;
    const apps = { ...scenario.apps, ...(await unpayable(scenario)) };
    const outcome = await prepareBatch(preparer, {
      roundId: round.id,
      selection: { all: false, applicationIds: [apps.p1a.id, apps.p2failed.id, apps.p2unconfirmed.id] },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual([
      { applicationNo: apps.p2failed.number, message: "该申报评审不合格，不予拨付" },
      { applicationNo: apps.p2unconfirmed.number, message: "该申报评审结果尚未确认，暂不能拨付" },
    ]);
    expect(await prisma.payoutBatch.count({ where: { roundId: round.id } })).toBe(0);
    expect((await prisma.application.findUniqueOrThrow({ where: { id: apps.p1a.id } })).status).toBe("passed");
  });

  it("R-PAY-1 prepares a batch of every eligible application at min(cap, contract) in fen, on the record", async () => {
    // The failed and the unconfirmed application are left out.
    const scenario = await payoutRound();
    const { round, apps } = scenario;
    await unpayable(scenario);
    const outcome = await prepareBatch(preparer, { roundId: round.id, selection: { all: true } });
    expect(outcome).toMatchObject({ ok: true, number: `${round.code}-BF001` });
    if (!outcome.ok) return;
    const batch = await prisma.payoutBatch.findUniqueOrThrow({
      where: { id: outcome.batchId },
      include: { lines: { orderBy: { applicationNo: "asc" } } },
    });
    expect(batch.lines.map((l) => [l.applicationNo, l.contractFen, l.amountFen])).toEqual([
      [apps.p1a.number, 999_999, 999_999],
      [apps.p1b.number, 1_000_001, 1_000_000],
      [apps.p2a.number, 1, 1],
    ]);
    expect(batch.totalFen).toBe(2_000_000);
    expect(batch.status).toBe("prepared");
    const inBatch = await prisma.application.findMany({ where: { payoutBatchId: batch.id } });
    expect(inBatch.map((a) => a.status)).toEqual(["in_batch", "in_batch", "in_batch"]);
    const audit = await prisma.auditEntry.findMany({
      where: { OR: [{ entityId: batch.id }, { entityId: { in: inBatch.map((a) => a.id) } }] },
    });
    expect(audit.map((e) => e.action).sort()).toEqual([
      "application.add_to_batch",
      "application.add_to_batch",
      "application.add_to_batch",
      "payout_batch.prepare",
    ]);
  });

  it("R-PAY-3 refuses an application already in another batch", async () => {
    const { round, apps, payable } = await payoutRound();
    await preparedBatch(prisma, preparer, round.id, payable);
    const outcome = await prepareBatch(preparer, {
      roundId: round.id,
      selection: { all: false, applicationIds: [apps.p1a.id] },
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ applicationNo: apps.p1a.number, message: "该申报已在其他拨付批次中，不能重复拨付" }],
    });
    expect(await prisma.payoutBatch.count({ where: { roundId: round.id } })).toBe(1);
  });

  it("R-PAY-3 the preparer cannot approve its own batch, nor can staff without the approver role", async () => {
    const { round, payable } = await payoutRound();
    const batch = await preparedBatch(prisma, preparer, round.id, payable);
    expect(await approveBatch(preparer, { batchId: batch.id, version: batch.version })).toEqual({
      ok: false,
      message: "不能审批自己编制的拨付批次，须由其他人员审批",
    });
    expect(await approveBatch(plainStaff, { batchId: batch.id, version: batch.version })).toMatchObject({
      ok: false,
      message: expect.stringContaining("没有审批"),
    });
    expect((await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("prepared");
  });

  it("R-PAY-3 two approvers at once: exactly one approval, one e-mail per provider, a clear message for the other", async () => {
    const { round, providers, payable } = await payoutRound();
    const batch = await preparedBatch(prisma, preparer, round.id, payable);
    const mailBefore = await prisma.outboxMessage.count();
    const results = await Promise.all([
      approveBatch(approverC, { batchId: batch.id, version: batch.version }),
      approveBatch(approverD, { batchId: batch.id, version: batch.version }),
      approveBatch(approverC, { batchId: batch.id, version: batch.version }), // a second click
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok))
      expect(refused).toMatchObject({ message: expect.stringMatching(/已由 分管领导[丙丁] 于 .* 审批，不能再审批/) });
    const approved = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(approved.status).toBe("approved");
    expect(approved.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(approved.version).toBe(batch.version + 1);
    expect(await prisma.auditEntry.count({ where: { entityId: batch.id, action: "payout_batch.approve" } })).toBe(1);
    const mail = await prisma.outboxMessage.findMany({ where: { subject: { contains: `已审批（${batch.number}）` } } });
    expect(mail.map((m) => m.to).sort()).toEqual(providers.map((p) => p.organisation.contactEmail).sort());
    expect(await prisma.outboxMessage.count()).toBe(mailBefore + 2);

    const smtp = await startSmtp();
    try {
      const transport = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
      expect(await deliverDueMail(prisma, transport, { limit: 50 })).toMatchObject({ failed: 0 });
      // Mail of other tests in this database may go out too: count this batch's.
      const ofBatch = smtp.messages.filter((m) => m.subject?.includes(batch.number));
      expect(ofBatch).toHaveLength(2);
      const toP1 = ofBatch.find((m) => JSON.stringify(m.to).includes(providers[0].organisation.contactEmail));
      expect(toP1?.text).toContain("9,999.99 元（玖仟玖佰玖拾玖元玖角玖分）");
      expect(toP1?.text).toContain("合计：19,999.99 元（壹万玖仟玖佰玖拾玖元玖角玖分）");
    } finally {
      await smtp.stop();
    }
    // And again after the fact: refused, nothing changes.
    expect(await approveBatch(approverD, { batchId: batch.id, version: approved.version })).toMatchObject({
      ok: false,
    });
    expect(
      await returnBatch(approverD, { batchId: batch.id, version: approved.version, reason: "晚了" }),
    ).toMatchObject({ ok: false });
  });

  it("R-PAY-3 marks the approved batch paid once; the applications are paid and each provider gets one e-mail", async () => {
    const { round, payable } = await payoutRound();
    const batch = await approvedBatch(prisma, { preparer, approver: approverC }, round.id, payable);
    const input = {
      batchId: batch.id,
      version: batch.version,
      paidOn: shanghaiDate(new Date()),
      voucherRef: "张财拨〔2022〕88号",
    };
    const [a, b] = await Promise.all([markBatchPaid(preparer, input), markBatchPaid(plainStaff, input)]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const paid = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(paid).toMatchObject({ status: "paid", paidOn: shanghaiDate(new Date()), voucherRef: "张财拨〔2022〕88号" });
    expect((await prisma.application.findMany({ where: { payoutBatchId: batch.id } })).map((x) => x.status)).toEqual([
      "paid",
      "paid",
      "paid",
    ]);
    expect(await prisma.outboxMessage.count({ where: { subject: { contains: `已拨付（${batch.number}）` } } })).toBe(2);
  });

  it("R-PAY-3 a returned batch releases its applications for a new batch; the reason is on the record", async () => {
    const { round, providers, application } = await roundWithProviders();
    const late = await application(providers[1], { contractFen: 500_000 });
    const batch = await preparedBatch(prisma, plainStaff, round.id, [late.id]);
    expect(await returnBatch(approverC, { batchId: batch.id, version: batch.version, reason: "金额需复核" })).toEqual({
      ok: true,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({
      status: "passed",
      payoutBatchId: null,
    });
    const entry = await prisma.auditEntry.findFirstOrThrow({
      where: { entityId: batch.id, action: "payout_batch.return" },
    });
    expect(entry).toMatchObject({ actorName: "分管领导丙", reason: "金额需复核" });
    const again = await prepareBatch(plainStaff, { roundId: round.id, selection: { all: true } });
    expect(again).toMatchObject({ ok: true, number: `${round.code}-BF002` });
    if (!again.ok) return;
    expect(await prisma.application.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({
      status: "in_batch",
      payoutBatchId: again.batchId,
    });
  });

  it("R-PAY-3 lists what still blocks payment of each application", async () => {
    const scenario = await payoutRound();
    const { round, providers, payable, application } = scenario;
    const apps = { ...scenario.apps, ...(await unpayable(scenario)) };
    await paidBatch(prisma, { preparer, approver: approverC }, round.id, payable);
    const late = await application(providers[1], { contractFen: 500_000 });
    await preparedBatch(prisma, plainStaff, round.id, [late.id]);
    const blockers = new Map((await payoutBlockers(round.id)).map((b) => [b.number, b.blockers]));
    expect(blockers.has(apps.p1a.number)).toBe(false); // paid: nothing blocks it, not listed
    expect(blockers.get(late.number)).toEqual(["not_approved"]);
    expect(blockers.get(apps.p2unconfirmed.number)).toEqual(["result_unconfirmed", "batch_not_prepared"]);
    expect(blockers.has(apps.p2failed.number)).toBe(false);
  });

  it("R-PAY-3 公示 shows the passed enterprises only while open, and nothing else", async () => {
    const scenario = await payoutRound();
    const { round } = scenario;
    const apps = { ...scenario.apps, ...(await unpayable(scenario)) };
    expect((await publicNotice(round.code)).state).toBe("closed");
    const opensAt = new Date(Date.now() - 60_000);
    const closesAt = new Date(Date.now() + 86_400_000);
    expect(
      await saveNoticeSettings(preparer, round.id, { opensAt: closesAt, closesAt: opensAt, objectionText: "电话" }),
    ).toMatchObject({ ok: false, field: "noticeClosesAt" });
    expect(await saveNoticeSettings(preparer, round.id, { opensAt, closesAt, objectionText: null })).toMatchObject({
      ok: false,
      field: "noticeObjectionText",
    });
    expect(
      await saveNoticeSettings(preparer, round.id, { opensAt, closesAt, objectionText: "异议请致电 0533-0000000" }),
    ).toEqual({ ok: true });
    const notice = await publicNotice(round.code);
    if (notice.state !== "open") throw new Error(notice.state);
    const enterpriseOf = async (app: { id: string }) =>
      (await prisma.application.findUniqueOrThrow({ where: { id: app.id }, include: { enterprise: true } })).enterprise
        .name;
    const names = notice.entries.map((e) => e.enterpriseName);
    expect(names).toContain(await enterpriseOf(apps.p1a));
    expect(names).not.toContain(await enterpriseOf(apps.p2failed));
    expect(names).not.toContain(await enterpriseOf(apps.p2unconfirmed));
    expect(Object.keys(notice.entries[0] ?? {}).sort()).toEqual([
      "amountCapital",
      "amountText",
      "enterpriseName",
      "providerName",
      "seq",
    ]);
  });

  it("R-PAY-3 an approved batch stays as approved; a correction is a new batch that references and replaces it", async () => {
    const { round, providers, application } = await roundWithProviders();
    const late = await application(providers[1], { contractFen: 500_000 });
    const original = await prisma.payoutBatch.findUniqueOrThrow({
      where: { id: (await preparedBatch(prisma, plainStaff, round.id, [late.id])).id },
      include: { lines: true },
    });
    expect(await approveBatch(approverD, { batchId: original.id, version: original.version })).toMatchObject({
      ok: true,
    });
    const approved = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: original.id } });
    const extra = await application(providers[0], { contractFen: 700_000 });
    const correction = await prepareBatch(plainStaff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [late.id, extra.id] },
      correctsBatchId: original.id,
    });
    expect(correction).toMatchObject({ ok: true, number: `${round.code}-BF002` });
    if (!correction.ok) return;
    const corrected = await prisma.payoutBatch.findUniqueOrThrow({
      where: { id: correction.batchId },
      include: { lines: true },
    });
    expect(corrected).toMatchObject({ correctsBatchId: original.id, status: "prepared", totalFen: 1_200_000 });
    // The original is untouched: same status, lines, total and digest.
    expect(
      await prisma.payoutBatch.findUniqueOrThrow({ where: { id: original.id }, include: { lines: true } }),
    ).toMatchObject({
      status: "approved",
      digest: approved.digest,
      totalFen: original.totalFen,
      lines: original.lines,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({
      status: "in_batch",
      payoutBatchId: corrected.id,
    });
    // It is never paid itself, and is corrected once.
    expect(
      await markBatchPaid(plainStaff, {
        batchId: original.id,
        version: approved.version,
        paidOn: shanghaiDate(new Date()),
        voucherRef: "X",
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining(`被更正批次 ${round.code}-BF002 取代`),
    });
    expect(
      await prepareBatch(plainStaff, {
        roundId: round.id,
        selection: { all: false, applicationIds: [late.id] },
        correctsBatchId: original.id,
      }),
    ).toMatchObject({ ok: false });
    expect(
      await prisma.auditEntry.count({ where: { entityId: corrected.id, action: "payout_batch.prepare_correction" } }),
    ).toBe(1);
  });

  it("R-PAY-3 two officers preparing the same application at once: one batch, a clear refusal for the other", async () => {
    const { round, providers, application } = await roundWithProviders();
    const race = await application(providers[0], { contractFen: 1_000_000 });
    const before = await prisma.payoutBatch.count({ where: { roundId: round.id } });
    const results = await Promise.all([
      prepareBatch(preparer, { roundId: round.id, selection: { all: false, applicationIds: [race.id] } }),
      prepareBatch(plainStaff, { roundId: round.id, selection: { all: false, applicationIds: [race.id] } }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok ? `${refused.message} ${JSON.stringify(refused.problems ?? [])}` : "").toMatch(
      /其他拨付批次|刚被其他人员/,
    );
    expect(await prisma.payoutBatch.count({ where: { roundId: round.id } })).toBe(before + 1);
    expect(await prisma.payoutLine.count({ where: { applicationId: race.id } })).toBe(1);
  });
});
