/**
 * Payout batches against both real databases (R-PAY-1, R-PAY-3, R-LOG-1): preparing from eligible
 * applications only, maker-checker approval, two approvals at once with exactly one effect and one
 * e-mail per provider (delivered through a real SMTP server), payment, return, and the public notice.
 */
import path from "node:path";

import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { shanghaiDate } from "~/domain/shanghai-time.ts";
import {
  approveBatch,
  markBatchPaid,
  type Officer,
  payoutBlockers,
  prepareBatch,
  returnBatch,
} from "~/models/payout.server.ts";
import { publicNotice, saveNoticeSettings } from "~/models/public-notice.server.ts";
import { deliverDueMail } from "~/services/mail.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { startSmtp } from "../utils/smtp-server.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("payouts on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let round: Awaited<ReturnType<typeof createRound>>;
  let providers: Awaited<ReturnType<typeof createProvider>>[];
  let preparer: Officer;
  let plainStaff: Officer;
  let approverC: Officer;
  let approverD: Officer;
  const apps: Record<string, { id: string; number: string }> = {};
  let enterpriseIndex = 0;
  const DAY = 86_400_000;
  const CONFIRMED_AT = new Date(Date.now() - 10 * DAY);
  /** R-PAY-3: the notice ran after the results were confirmed and is over, so batches may be approved. */
  const CLOSED_NOTICE = {
    noticeOpensAt: new Date(Date.now() - 9 * DAY),
    noticeClosesAt: new Date(Date.now() - 2 * DAY),
    noticeObjectionText: "异议请致电 0533-0000000",
  };

  async function application(
    key: string,
    provider: (typeof providers)[number],
    options: { contractFen: number; passed: boolean; confirmed: boolean },
  ) {
    const enterprise = round.enterprises[enterpriseIndex++];
    if (!enterprise) throw new Error("no enterprise left");
    const created = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "accepted",
      contractAmountFen: options.contractFen,
    });
    const updated = await prisma.application.update({
      where: { id: created.id },
      data: {
        status: options.confirmed ? (options.passed ? "passed" : "failed") : "reviewed",
        resultPassed: options.passed,
        finalScoreHundredths: options.passed ? 7500 : 4000,
        // Confirmed before the public notice opened (审核通过后公示): see beforeAll.
        resultConfirmedAt: options.confirmed ? CONFIRMED_AT : null,
      },
    });
    apps[key] = { id: updated.id, number: updated.number };
    return updated;
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    round = await createRound(prisma);
    await prisma.round.update({ where: { id: round.id }, data: CLOSED_NOTICE });
    providers = [await createProvider(prisma), await createProvider(prisma)];
    const officer = async (roles: ("staff" | "approver")[], name: string): Promise<Officer> => {
      const { user } = await createUser(prisma, roles, { name });
      return { id: user.id, name: user.name, roles: user.roles };
    };
    // The preparer also holds the approver role: maker-checker must still refuse it its own batch.
    preparer = await officer(["staff", "approver"], "经办人甲");
    plainStaff = await officer(["staff"], "经办人乙");
    approverC = await officer(["approver"], "分管领导丙");
    approverD = await officer(["approver"], "分管领导丁");
    const [p1, p2] = providers;
    if (!p1 || !p2) throw new Error("providers");
    await application("p1a", p1, { contractFen: 999_999, passed: true, confirmed: true });
    await application("p1b", p1, { contractFen: 1_000_001, passed: true, confirmed: true });
    await application("p2a", p2, { contractFen: 1, passed: true, confirmed: true });
    await application("p2failed", p2, { contractFen: 1_000_000, passed: false, confirmed: true });
    await application("p2unconfirmed", p2, { contractFen: 1_000_000, passed: true, confirmed: false });
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
  });

  const id = (key: string) => apps[key]?.id ?? "";

  it("R-PAY-3 refuses a failed or unconfirmed application with the reason, and prepares nothing", async () => {
    const outcome = await prepareBatch(preparer, {
      roundId: round.id,
      selection: { all: false, applicationIds: [id("p1a"), id("p2failed"), id("p2unconfirmed")] },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual([
      { applicationNo: apps.p2failed?.number, message: "该申报评审不合格，不予拨付" },
      { applicationNo: apps.p2unconfirmed?.number, message: "该申报评审结果尚未确认，暂不能拨付" },
    ]);
    expect(await prisma.payoutBatch.count({ where: { roundId: round.id } })).toBe(0);
    expect((await prisma.application.findUniqueOrThrow({ where: { id: id("p1a") } })).status).toBe("passed");
  });

  it("R-PAY-1 prepares a batch of every eligible application at min(cap, contract) in fen, on the record", async () => {
    const outcome = await prepareBatch(preparer, { roundId: round.id, selection: { all: true } });
    expect(outcome).toMatchObject({ ok: true, number: `${round.code}-BF001` });
    if (!outcome.ok) return;
    const batch = await prisma.payoutBatch.findUniqueOrThrow({
      where: { id: outcome.batchId },
      include: { lines: { orderBy: { applicationNo: "asc" } } },
    });
    expect(batch.lines.map((l) => [l.applicationNo, l.contractFen, l.amountFen])).toEqual([
      [apps.p1a?.number, 999_999, 999_999],
      [apps.p1b?.number, 1_000_001, 1_000_000],
      [apps.p2a?.number, 1, 1],
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
    const outcome = await prepareBatch(preparer, {
      roundId: round.id,
      selection: { all: false, applicationIds: [id("p1a")] },
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ applicationNo: apps.p1a?.number, message: "该申报已在其他拨付批次中，不能重复拨付" }],
    });
    expect(await prisma.payoutBatch.count({ where: { roundId: round.id } })).toBe(1);
  });

  it("R-PAY-3 the preparer cannot approve its own batch, nor can staff without the approver role", async () => {
    const batch = await prisma.payoutBatch.findFirstOrThrow({ where: { roundId: round.id } });
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
    const batch = await prisma.payoutBatch.findFirstOrThrow({ where: { roundId: round.id } });
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
      expect(await deliverDueMail(prisma, transport, { limit: 50 })).toMatchObject({ sent: 2, failed: 0 });
      const toP1 = smtp.messages.find(
        (m) =>
          m.subject?.includes(batch.number) &&
          JSON.stringify(m.to).includes(providers[0]?.organisation.contactEmail ?? "-"),
      );
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
    const batch = await prisma.payoutBatch.findFirstOrThrow({ where: { roundId: round.id } });
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
    const [, p2] = providers;
    if (!p2) throw new Error("provider");
    const late = await application("late", p2, { contractFen: 500_000, passed: true, confirmed: true });
    const prepared = await prepareBatch(plainStaff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [late.id] },
    });
    if (!prepared.ok) throw new Error(prepared.message);
    const batch = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: prepared.batchId } });
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
    expect(again).toMatchObject({ ok: true, number: `${round.code}-BF003` });
  });

  it("R-PAY-3 lists what still blocks payment of each application", async () => {
    const blockers = new Map((await payoutBlockers(round.id)).map((b) => [b.number, b.blockers]));
    expect(blockers.has(apps.p1a?.number ?? "")).toBe(false); // paid: nothing blocks it, not listed
    expect(blockers.get(apps.late?.number ?? "")).toEqual(["not_approved"]);
    expect(blockers.get(apps.p2unconfirmed?.number ?? "")).toEqual(["result_unconfirmed", "batch_not_prepared"]);
    expect(blockers.has(apps.p2failed?.number ?? "")).toBe(false);
  });

  it("公示 shows the passed enterprises only while open, and nothing else", async () => {
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
    const enterpriseOf = async (key: string) =>
      (await prisma.application.findUniqueOrThrow({ where: { id: id(key) }, include: { enterprise: true } })).enterprise
        .name;
    const names = notice.entries.map((e) => e.enterpriseName);
    expect(names).toContain(await enterpriseOf("p1a"));
    expect(names).not.toContain(await enterpriseOf("p2failed"));
    expect(names).not.toContain(await enterpriseOf("p2unconfirmed"));
    expect(Object.keys(notice.entries[0] ?? {}).sort()).toEqual([
      "amountCapital",
      "amountText",
      "enterpriseName",
      "providerName",
      "seq",
    ]);
    // Back to the notice that is over, for the tests that follow.
    await prisma.round.update({ where: { id: round.id }, data: CLOSED_NOTICE });
  });

  it("R-PAY-3 an approved batch stays as approved; a correction is a new batch that references and replaces it", async () => {
    const [p1] = providers;
    if (!p1) throw new Error("provider");
    const original = await prisma.payoutBatch.findFirstOrThrow({
      where: { roundId: round.id, status: "prepared" },
      include: { lines: true },
    });
    expect(await approveBatch(approverD, { batchId: original.id, version: original.version })).toMatchObject({
      ok: true,
    });
    const approved = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: original.id } });
    const extra = await application("extra", p1, { contractFen: 700_000, passed: true, confirmed: true });
    const correction = await prepareBatch(plainStaff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [id("late"), extra.id] },
      correctsBatchId: original.id,
    });
    expect(correction).toMatchObject({ ok: true, number: `${round.code}-BF004` });
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
    expect(await prisma.application.findUniqueOrThrow({ where: { id: id("late") } })).toMatchObject({
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
      message: expect.stringContaining(`被更正批次 ${round.code}-BF004 取代`),
    });
    expect(
      await prepareBatch(plainStaff, {
        roundId: round.id,
        selection: { all: false, applicationIds: [id("late")] },
        correctsBatchId: original.id,
      }),
    ).toMatchObject({ ok: false });
    expect(
      await prisma.auditEntry.count({ where: { entityId: corrected.id, action: "payout_batch.prepare_correction" } }),
    ).toBe(1);
  });

  it("R-PAY-3 two officers preparing the same application at once: one batch, a clear refusal for the other", async () => {
    const [p1] = providers;
    if (!p1) throw new Error("provider");
    const race = await application("race", p1, { contractFen: 1_000_000, passed: true, confirmed: true });
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
