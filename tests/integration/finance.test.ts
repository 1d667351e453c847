/**
 * What finance needs before paying, against both real databases (R-PAY-1, R-PAY-2, R-PAY-3, R-LOG-1):
 * the public notice (审核通过后公示) closes before a batch is approved; objections (异议) hold an
 * application out of payment until decided; the payee account (收款账户) is entered at registration,
 * checked by staff, re-checked after every change (mailed, masked, on the record), fixed in the batch
 * and covered by its digest; the payment date is not before the approval; amounts in .xlsx exports are
 * numbers Excel can sum. Each test makes its own round (tests/utils/application-results.ts), so each one
 * runs alone.
 */
import crypto from "node:crypto";
import path from "node:path";

import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseApplicationListQuery } from "~/domain/application-list.ts";
import { shanghaiDate } from "~/domain/shanghai-time.ts";
import { applicationListWorkbook } from "~/models/application-list.server.ts";
import { recordObjection, resolveObjection } from "~/models/objection.server.ts";
import type { Officer } from "~/models/officer.server.ts";
import { decideOrganisation, registerProvider } from "~/models/organisation.server.ts";
import { changePayeeAccount, payeeOf, verifyPayeeAccount } from "~/models/payee.server.ts";
import {
  approveBatch,
  markBatchPaid,
  prepareBatch,
  returnBatch,
  reversePayment,
} from "~/models/payout-batch.server.ts";
import { getBatch, payoutBlockers, payoutOverview } from "~/models/payout-batch-queries.server.ts";
import { MONEY_FORMAT, writeXlsx } from "~/services/spreadsheet.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { closedNotice, createApplicationWithResult, createPayoutRound } from "../utils/application-results.ts";
import { approvedBatch, createOfficer, paidBatch, preparedBatch } from "../utils/payout-scenario.ts";
import { createProvider, fakeUscc } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const DAY = 86_400_000;

describe.each(VARIANTS)("finance on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let staff: Officer;
  let approver: Officer;

  /** A passed application of `provider`, confirmed before the round's notice opened unless `confirmedAt`. */
  const passed = (
    round: { id: string },
    provider: Awaited<ReturnType<typeof createProvider>>,
    options: { contractFen?: number; confirmedAt?: Date } = {},
  ) => createApplicationWithResult(prisma, { store, round, provider, ...options });

  async function proofFile(uploadedById: string | null) {
    return prisma.storedFile.create({
      data: {
        key: `licences/test/${crypto.randomUUID()}`,
        fileName: "开户许可证.pdf",
        contentType: "application/pdf",
        size: 1,
        sha256: "0".repeat(64),
        uploadedById,
      },
    });
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    staff = await createOfficer(prisma, ["staff"], "经办人甲");
    approver = await createOfficer(prisma, ["approver"], "分管领导乙");
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
  });

  it("R-PAY-3 a batch is approved only once the notice of each of its applications has closed (审核通过后公示)", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    const early = await passed(round, provider);
    // The notice is open: a batch may be prepared, not approved.
    await prisma.round.update({
      where: { id: round.id },
      data: { noticeOpensAt: new Date(Date.now() - 1 * DAY), noticeClosesAt: new Date(Date.now() + 5 * DAY) },
    });
    const batch = await preparedBatch(prisma, staff, round.id, [early.id]);
    expect((await payoutBlockers(round.id)).find((b) => b.number === early.number)?.blockers).toEqual([
      "notice_pending",
      "not_approved",
    ]);
    const refused = await approveBatch(approver, { batchId: batch.id, version: batch.version });
    expect(refused).toMatchObject({
      ok: false,
      problems: [{ applicationNo: early.number, message: expect.stringContaining("公示期尚未结束") }],
    });
    expect((await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("prepared");
    // Once it has closed, the same batch is approved.
    await prisma.round.update({ where: { id: round.id }, data: closedNotice() });
    expect(await approveBatch(approver, { batchId: batch.id, version: batch.version })).toMatchObject({ ok: true });

    // A result confirmed after the notice opened was not on it for the whole period.
    const late = await passed(round, provider, { confirmedAt: new Date(Date.now() - 2 * DAY) });
    expect((await payoutBlockers(round.id)).find((b) => b.number === late.number)?.blockers).toEqual([
      "notice_missed",
      "batch_not_prepared",
    ]);
    const lateBatch = await preparedBatch(prisma, staff, round.id, [late.id]);
    const version = lateBatch.version;
    expect(await approveBatch(approver, { batchId: lateBatch.id, version })).toMatchObject({
      ok: false,
      problems: [{ applicationNo: late.number, message: expect.stringContaining("须重新公示") }],
    });
    expect(await returnBatch(approver, { batchId: lateBatch.id, version, reason: "须重新公示" })).toEqual({
      ok: true,
    });
  });

  it("R-PAY-3 an open objection holds an application out of batches; dismissed it pays, upheld it never does (R-LOG-1)", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    const objected = await passed(round, provider);
    const upheld = await passed(round, provider);
    expect(
      await recordObjection(staff, {
        roundId: round.id,
        applicationNumber: "NOPE-0001",
        receivedOn: "2022-12-22",
        objector: "某企业",
        content: "合同金额存疑",
      }),
    ).toMatchObject({
      ok: false,
      field: "applicationNumber",
    });
    const recorded = await recordObjection(staff, {
      roundId: round.id,
      applicationNumber: objected.number,
      receivedOn: "2022-12-22",
      objector: "张三 13800000000",
      content: "诊断报告与实际不符",
    });
    if (!recorded.ok) throw new Error(recorded.message);
    const entry = await prisma.auditEntry.findFirstOrThrow({
      where: { entityId: objected.id, action: "application.objection_record" },
    });
    expect(entry).toMatchObject({
      actorName: "经办人甲",
      after: expect.objectContaining({ objector: "张三 13800000000", held: true }),
    });

    expect(
      await prepareBatch(staff, { roundId: round.id, selection: { all: false, applicationIds: [objected.id] } }),
    ).toMatchObject({
      ok: false,
      problems: [{ applicationNo: objected.number, message: "该申报有公示异议尚未处理，暂不能拨付" }],
    });
    const overview = await payoutOverview(round.id);
    expect(overview?.rows.find((r) => r.id === objected.id)).toMatchObject({
      eligible: false,
      ineligibleReason: "该申报有公示异议尚未处理，暂不能拨付",
    });
    expect((await payoutBlockers(round.id)).find((b) => b.number === objected.number)?.blockers).toEqual([
      "objection_open",
      "batch_not_prepared",
    ]);

    expect(
      await resolveObjection(staff, {
        objectionId: recorded.objectionId,
        outcome: "dismissed",
        resolution: "经核实，诊断报告与现场一致，异议不成立",
      }),
    ).toEqual({ ok: true });
    expect(
      await resolveObjection(staff, { objectionId: recorded.objectionId, outcome: "upheld", resolution: "再次处理" }),
    ).toMatchObject({ ok: false, message: expect.stringContaining("已处理") });
    const resolvedEntry = await prisma.auditEntry.findFirstOrThrow({
      where: { entityId: objected.id, action: "application.objection_resolve" },
    });
    expect(resolvedEntry).toMatchObject({
      reason: "经核实，诊断报告与现场一致，异议不成立",
      before: expect.objectContaining({ outcome: null }),
      after: expect.objectContaining({ outcome: "dismissed" }),
    });

    const second = await recordObjection(staff, {
      roundId: round.id,
      applicationNumber: upheld.number,
      receivedOn: "2022-12-23",
      objector: "李四",
      content: "报告抄袭他人报告",
    });
    if (!second.ok) throw new Error(second.message);
    expect(
      await resolveObjection(staff, {
        objectionId: second.objectionId,
        outcome: "upheld",
        resolution: "经核实报告雷同，异议成立",
      }),
    ).toEqual({ ok: true });
    const outcome = await prepareBatch(staff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [objected.id, upheld.id] },
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ applicationNo: upheld.number, message: "该申报公示异议成立，不予拨付" }],
    });
    expect((await payoutBlockers(round.id)).find((b) => b.number === upheld.number)?.blockers).toContain(
      "objection_upheld",
    );
    // "All eligible" leaves the held application out rather than refusing the batch.
    const all = await prepareBatch(staff, { roundId: round.id, selection: { all: true } });
    if (!all.ok) throw new Error(all.message);
    const lines = await prisma.payoutLine.findMany({ where: { batchId: all.batchId } });
    expect(lines.map((l) => l.applicationId)).toContain(objected.id);
    expect(lines.map((l) => l.applicationId)).not.toContain(upheld.id);

    // An objection received while the application is already in a prepared batch stops its approval.
    const inBatch = await passed(round, provider);
    const batch = await preparedBatch(prisma, staff, round.id, [inBatch.id]);
    expect(
      await recordObjection(staff, {
        roundId: round.id,
        applicationNumber: inBatch.number,
        receivedOn: "2022-12-24",
        objector: "王五",
        content: "服务商推销自有产品",
      }),
    ).toMatchObject({ ok: true });
    expect(await approveBatch(approver, { batchId: batch.id, version: batch.version })).toMatchObject({
      ok: false,
      problems: [{ applicationNo: inBatch.number, message: "该申报有公示异议尚未处理，暂不能拨付" }],
    });
  });

  it("R-PAY-3 payee account: entered at registration with its proof and checked at verification", async () => {
    const round = await createPayoutRound(prisma);
    const name = (
      await prisma.roundProvider.findFirstOrThrow({ where: { roundId: round.id }, orderBy: { seq: "asc" } })
    ).name;
    const licence = await proofFile(null);
    const proof = await proofFile(null);
    const registered = await registerProvider({
      organisationName: name,
      uscc: fakeUscc(),
      contactName: "赵六",
      contactPhone: "13800000001",
      email: `reg${crypto.randomInt(1e9)}@example.test`,
      password: "Passw0rd-x",
      licenseFileId: licence.id,
      payee: {
        accountName: name,
        bankName: "中国建设银行淄博张店支行",
        accountNumber: "37050163650100000123",
        proofFileId: proof.id,
      },
    });
    if (!registered.ok) throw new Error(registered.message);
    expect(await payeeOf(registered.organisationId)).toMatchObject({
      account: { accountName: name, bankName: "中国建设银行淄博张店支行", accountNumber: "37050163650100000123" },
      state: "pending",
      proof: { id: proof.id },
    });
    expect(
      await decideOrganisation({ id: staff.id, name: staff.name }, registered.organisationId, { verdict: "verify" }),
    ).toEqual({ ok: true });
    expect((await payeeOf(registered.organisationId))?.state).toBe("verified");
  });

  it("R-PAY-3 a missing or changed payee account holds payment; a change is mailed masked and recorded before and after (R-LOG-1)", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma, { payee: false });
    const app = await passed(round, provider);
    expect(
      await prepareBatch(staff, { roundId: round.id, selection: { all: false, applicationIds: [app.id] } }),
    ).toMatchObject({
      ok: false,
      problems: [{ applicationNo: app.number, message: "服务商未登记收款账户，暂不能拨付" }],
    });
    const actor = { id: provider.user.id, name: provider.user.name };
    const proof = await proofFile(provider.user.id);
    expect(
      await changePayeeAccount(actor, provider.organisation.id, {
        accountName: provider.organisation.name,
        bankName: "中国银行淄博分行",
        accountNumber: "1603001209200123456",
        proofFileId: proof.id,
      }),
    ).toEqual({ ok: true });
    // Someone else's upload is not a proof.
    const foreign = await proofFile(staff.id);
    expect(
      await changePayeeAccount(actor, provider.organisation.id, {
        accountName: provider.organisation.name,
        bankName: "X银行",
        accountNumber: "99999999",
        proofFileId: foreign.id,
      }),
    ).toMatchObject({ ok: false, field: "payeeProofFileId" });

    expect(
      await prepareBatch(staff, { roundId: round.id, selection: { all: false, applicationIds: [app.id] } }),
    ).toMatchObject({
      ok: false,
      problems: [{ applicationNo: app.number, message: "服务商收款账户尚待工信局核验，暂不能拨付" }],
    });
    expect((await payoutBlockers(round.id)).find((b) => b.number === app.number)?.blockers).toEqual([
      "payee_pending",
      "batch_not_prepared",
    ]);
    const mail = await prisma.outboxMessage.findFirstOrThrow({
      where: { to: provider.organisation.contactEmail, subject: { contains: "收款账户已变更" } },
    });
    expect(mail.text).toContain("***************3456");
    expect(mail.text).not.toContain("1603001209200123456");
    const change = await prisma.auditEntry.findFirstOrThrow({
      where: { entityId: provider.organisation.id, action: "organisation.payee_change" },
    });
    expect(change).toMatchObject({
      before: { accountNumber: null },
      after: expect.objectContaining({ accountNumber: "1603001209200123456", verified: false }),
    });

    // Staff verify what they saw; a number changed meanwhile is not verified.
    expect(
      await verifyPayeeAccount({ id: staff.id, name: staff.name }, provider.organisation.id, {
        accountNumber: "0000000000",
      }),
    ).toMatchObject({ ok: false });
    expect(
      await verifyPayeeAccount({ id: staff.id, name: staff.name }, provider.organisation.id, {
        accountNumber: "1603001209200123456",
      }),
    ).toEqual({ ok: true });
    expect(
      await prisma.auditEntry.count({
        where: { entityId: provider.organisation.id, action: "organisation.payee_verify" },
      }),
    ).toBe(1);
    const prepared = await preparedBatch(prisma, staff, round.id, [app.id]);
    expect(await prisma.payoutLine.findFirstOrThrow({ where: { batchId: prepared.id } })).toMatchObject({
      payeeAccountName: provider.organisation.name,
      payeeBankName: "中国银行淄博分行",
      payeeAccountNumber: "1603001209200123456",
    });
  });

  it("R-PAY-3 the digest covers the payee account: a change after approval shows on the batch and payment is refused; the date is not before the approval", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    const app = await passed(round, provider, { contractFen: 876_540 });
    const approved = await approvedBatch(prisma, { preparer: staff, approver }, round.id, [app.id]);
    expect((await getBatch(approved.id))?.payeeChanges).toEqual([]);

    // The payment date: not before the approval day (Beijing), not in the future.
    const approvedOn = shanghaiDate(approved.approvedAt ?? new Date());
    const dayBefore = shanghaiDate(new Date((approved.approvedAt ?? new Date()).getTime() - DAY));
    expect(
      await markBatchPaid(staff, {
        batchId: approved.id,
        version: approved.version,
        paidOn: dayBefore,
        voucherRef: "张财拨1号",
      }),
    ).toEqual({
      ok: false,
      field: "paidOn",
      message: `拨付日期不能早于审批日期（${approvedOn}）`,
    });

    // The provider changes its account after approval: detectable, and not paid to either account.
    const proof = await proofFile(provider.user.id);
    await changePayeeAccount({ id: provider.user.id, name: provider.user.name }, provider.organisation.id, {
      accountName: provider.organisation.name,
      bankName: "某某银行",
      accountNumber: "6222000011112222",
      proofFileId: proof.id,
    });
    const detail = await getBatch(approved.id);
    expect(detail?.payeeChanges).toEqual([
      expect.objectContaining({
        providerName: provider.organisation.name,
        current: expect.objectContaining({ accountNumber: "6222000011112222" }),
        verified: false,
      }),
    ]);
    expect(
      await markBatchPaid(staff, {
        batchId: approved.id,
        version: approved.version,
        paidOn: approvedOn,
        voucherRef: "张财拨2号",
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("收款账户在审批后已变更"),
    });
    // Tampering with the account fixed in the batch breaks the digest.
    const line = await prisma.payoutLine.findFirstOrThrow({ where: { batchId: approved.id } });
    await prisma.payoutLine.update({ where: { id: line.id }, data: { payeeAccountNumber: "6222000011112222" } });
    await verifyPayeeAccount({ id: staff.id, name: staff.name }, provider.organisation.id, {
      accountNumber: "6222000011112222",
    });
    expect(
      await markBatchPaid(staff, {
        batchId: approved.id,
        version: approved.version,
        paidOn: approvedOn,
        voucherRef: "张财拨3号",
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("与审批时的摘要不一致"),
    });
    await prisma.payoutLine.update({ where: { id: line.id }, data: { payeeAccountNumber: line.payeeAccountNumber } });
    expect((await prisma.payoutBatch.findUniqueOrThrow({ where: { id: approved.id } })).status).toBe("approved");
  });

  it("R-PAY-3 冲正: a payment that came back is reversed on the record and re-issued in a correction batch to the corrected account", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    const app = await passed(round, provider);
    const batch = await paidBatch(prisma, { preparer: staff, approver }, round.id, [app.id], "张财拨5号");
    const today = shanghaiDate(new Date());
    // The bank returns the money: a wrong account. Reversed, with the reason, the provider told.
    expect(
      await reversePayment(approver, { batchId: batch.id, applicationIds: [app.id], reason: "账户有误，资金被退回" }),
    ).toMatchObject({ ok: false });
    expect(
      await reversePayment(staff, { batchId: batch.id, applicationIds: [app.id], reason: "账户有误，资金被退回" }),
    ).toEqual({ ok: true, count: 1 });
    expect(await reversePayment(staff, { batchId: batch.id, applicationIds: [app.id], reason: "再次" })).toMatchObject({
      ok: false,
    });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "passed",
      payoutBatchId: null,
    });
    expect(await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({
      status: "paid",
      digest: batch.digest,
    });
    expect(
      await prisma.auditEntry.findFirstOrThrow({ where: { entityId: app.id, action: "application.reverse_payment" } }),
    ).toMatchObject({ reason: "账户有误，资金被退回", before: { status: "paid", payoutBatchId: batch.id } });
    expect(
      await prisma.outboxMessage.count({
        where: { to: provider.organisation.contactEmail, subject: { contains: "冲正" } },
      }),
    ).toBe(1);
    // The provider corrects its account; until staff verify it, no re-issue.
    const proof = await proofFile(provider.user.id);
    await changePayeeAccount({ id: provider.user.id, name: provider.user.name }, provider.organisation.id, {
      accountName: provider.organisation.name,
      bankName: "中国农业银行张店支行",
      accountNumber: "15350101040012345",
      proofFileId: proof.id,
    });
    expect(
      await prepareBatch(staff, {
        roundId: round.id,
        selection: { all: false, applicationIds: [app.id] },
        correctsBatchId: batch.id,
      }),
    ).toMatchObject({ ok: false });
    await verifyPayeeAccount({ id: staff.id, name: staff.name }, provider.organisation.id, {
      accountNumber: "15350101040012345",
    });
    const reissue = await prepareBatch(staff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [app.id] },
      correctsBatchId: batch.id,
    });
    if (!reissue.ok) throw new Error(reissue.message);
    const correction = await prisma.payoutBatch.findUniqueOrThrow({
      where: { id: reissue.batchId },
      include: { lines: true },
    });
    expect(correction).toMatchObject({
      correctsBatchId: batch.id,
      lines: [expect.objectContaining({ payeeAccountNumber: "15350101040012345" })],
    });
    expect(await approveBatch(approver, { batchId: correction.id, version: correction.version })).toMatchObject({
      ok: true,
    });
    const approvedCorrection = await prisma.payoutBatch.findUniqueOrThrow({ where: { id: correction.id } });
    expect(
      await markBatchPaid(staff, {
        batchId: correction.id,
        version: approvedCorrection.version,
        paidOn: today,
        voucherRef: "张财拨6号",
      }),
    ).toEqual({ ok: true });
    expect(await prisma.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "paid",
      payoutBatchId: correction.id,
    });
  });

  it("R-PAY-1 every amount in an .xlsx export is a number with the 0.00 format, so Excel sums it", async () => {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    for (const contractFen of [876_540, 1_000_000, 1]) await passed(round, provider, { contractFen });
    const workbook = await applicationListWorkbook(round.id, parseApplicationListQuery(new URLSearchParams("")));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(workbook.bytes).buffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error("no sheet");
    const header = (sheet.getRow(1).values as unknown[]).indexOf("合同金额（元）");
    expect(header).toBeGreaterThan(0);
    const amounts: number[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const cell = row.getCell(header);
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.numFmt).toBe(MONEY_FORMAT);
      amounts.push(Number(cell.value));
    });
    const fen = await prisma.application.findMany({
      where: { roundId: round.id },
      select: { contractAmountFen: true },
    });
    expect(amounts.length).toBe(fen.length);
    expect(amounts.map((a) => Math.round(a * 100)).sort()).toEqual(fen.map((f) => f.contractAmountFen).sort());
    expect(amounts).toContain(8765.4);
    await expect(writeXlsx("x", [{ header: "金额", fen: (v: number) => v }], [1.5])).rejects.toThrow(RangeError);
  });
});
