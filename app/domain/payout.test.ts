import { describe, expect, it } from "vitest";

import {
  type BatchCandidate,
  type BatchLine,
  batchTotals,
  budgetWarning,
  canonicalBatchContent,
  checkMakerChecker,
  checkNoticeCleared,
  checkNoticeWindow,
  checkPaidOn,
  eligibleForBatch,
  noticeClearance,
  noticeState,
  paymentHold,
  payoutBlockersOf,
} from "./payout.ts";

const LINES: BatchLine[] = [
  {
    applicationId: "a3",
    applicationNo: "ZD2022-003",
    providerName: "浪潮工业互联网股份有限公司",
    enterpriseName: "山东元星电子有限公司",
    amountFen: 1_000_000,
  },
  {
    applicationId: "a1",
    applicationNo: "ZD2022-001",
    providerName: "山东万群信息技术有限公司",
    enterpriseName: "淄博美林电子有限公司",
    amountFen: 800_050,
  },
  {
    applicationId: "a4",
    applicationNo: "ZD2022-004",
    providerName: "山东万群信息技术有限公司",
    enterpriseName: "山东汇能电气有限公司",
    amountFen: 1_000_000,
  },
  {
    applicationId: "a2",
    applicationNo: "ZD2022-002",
    providerName: "浪潮工业互联网股份有限公司",
    enterpriseName: "山东俊风家具有限公司",
    amountFen: 999_999,
  },
];

const BATCH = { batchNo: "PB2023-01", roundId: "round-2022", references: { approvalNo: "张工信〔2023〕5号" } };

describe("batchTotals", () => {
  it("R-PAY-1 totals the batch and each provider in integer fen", () => {
    const totals = batchTotals(LINES);
    expect(totals.count).toBe(4);
    expect(totals.totalFen).toBe(3_800_049);
    expect(totals.providers.map((p) => [p.providerName, p.count, p.totalFen])).toEqual([
      // Pinyin order: 浪 (làng) before 山 (shān).
      ["浪潮工业互联网股份有限公司", 2, 1_999_999],
      ["山东万群信息技术有限公司", 2, 1_800_050],
    ]);
  });

  it("R-PAY-3 sorts each provider's lines by application number", () => {
    const [first, second] = batchTotals(LINES).providers;
    expect(first?.lines.map((l) => l.applicationNo)).toEqual(["ZD2022-002", "ZD2022-003"]);
    expect(second?.lines.map((l) => l.applicationNo)).toEqual(["ZD2022-001", "ZD2022-004"]);
  });

  it("R-PAY-1 an empty batch totals 0", () => {
    expect(batchTotals([])).toEqual({ count: 0, totalFen: 0, providers: [] });
  });

  it("R-PAY-1 refuses amounts that are not integer fen", () => {
    const line = LINES[0];
    if (!line) throw new Error("fixture");
    for (const amountFen of [100.5, -1, Number.NaN]) {
      expect(() => batchTotals([{ ...line, amountFen }]), String(amountFen)).toThrow(RangeError);
    }
  });

  it("R-PAY-3 refuses an application twice in one batch", () => {
    const line = LINES[0];
    if (!line) throw new Error("fixture");
    expect(() => batchTotals([line, { ...line }])).toThrow(RangeError);
  });
});

describe("canonicalBatchContent", () => {
  it("R-PAY-3 is the same whatever the order of lines and references", () => {
    const a = canonicalBatchContent({ ...BATCH, lines: LINES });
    const b = canonicalBatchContent({
      ...BATCH,
      lines: [...LINES].reverse().map((l) => ({
        amountFen: l.amountFen,
        enterpriseName: l.enterpriseName,
        providerName: l.providerName,
        applicationNo: l.applicationNo,
        applicationId: l.applicationId,
      })),
    });
    expect(b).toBe(a);
    const refs = { z: "1", a: "2" };
    expect(canonicalBatchContent({ ...BATCH, lines: LINES, references: refs })).toBe(
      canonicalBatchContent({ ...BATCH, lines: LINES, references: { a: "2", z: "1" } }),
    );
  });

  it("R-PAY-3 changes when an amount, a line, or the batch changes", () => {
    const base = canonicalBatchContent({ ...BATCH, lines: LINES });
    const changed = LINES.map((l) => (l.applicationId === "a1" ? { ...l, amountFen: l.amountFen + 1 } : l));
    expect(canonicalBatchContent({ ...BATCH, lines: changed })).not.toBe(base);
    expect(canonicalBatchContent({ ...BATCH, lines: LINES.slice(1) })).not.toBe(base);
    expect(canonicalBatchContent({ ...BATCH, batchNo: "PB2023-02", lines: LINES })).not.toBe(base);
    expect(canonicalBatchContent({ ...BATCH, references: {}, lines: LINES })).not.toBe(base);
  });

  it("R-PAY-1 holds integers only, with the total", () => {
    const content = canonicalBatchContent({ ...BATCH, lines: LINES });
    expect(content).not.toMatch(/\d\.\d/);
    const parsed: unknown = JSON.parse(content);
    expect(parsed).toMatchObject({ format: "payout-batch/v2", count: 4, totalFen: 3_800_049 });
    expect(content.indexOf("ZD2022-001")).toBeLessThan(content.indexOf("ZD2022-002"));
  });

  it("R-PAY-1 refuses a fractional amount", () => {
    const lines = LINES.map((l) => ({ ...l, amountFen: l.amountFen + 0.5 }));
    expect(() => canonicalBatchContent({ ...BATCH, lines })).toThrow(RangeError);
  });
});

describe("checkMakerChecker", () => {
  it("R-PAY-3 the preparer can never approve its own batch, even as an approver", () => {
    expect(checkMakerChecker({ preparedBy: "u1", approver: "u1", approverRoles: ["staff", "approver"] })).toEqual({
      ok: false,
      message: "不能审批自己编制的拨付批次，须由其他人员审批",
    });
  });

  it("R-PAY-3 the approver must hold the approver role", () => {
    expect(checkMakerChecker({ preparedBy: "u1", approver: "u2", approverRoles: ["staff"] })).toEqual({
      ok: false,
      message: "您没有审批拨付批次的权限（需分管领导审批角色）",
    });
  });

  it("R-PAY-3 nobody approves a batch prepared by an account they created or invited", () => {
    expect(
      checkMakerChecker({ preparedBy: "u1", approver: "u2", approverRoles: ["approver"], preparerCreatedBy: "u2" }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("您创建或邀请"),
    });
  });

  it("R-PAY-3 nobody approves a batch prepared by the account that created or invited them", () => {
    expect(
      checkMakerChecker({ preparedBy: "u1", approver: "u2", approverRoles: ["approver"], approverCreatedBy: "u1" }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("编制人创建或邀请"),
    });
  });

  it("R-PAY-3 another officer with the approver role may approve", () => {
    expect(
      checkMakerChecker({
        preparedBy: "u1",
        approver: "u2",
        approverRoles: ["approver"],
        preparerCreatedBy: "u3",
        approverCreatedBy: "u3",
      }),
    ).toEqual({ ok: true });
    expect(checkMakerChecker({ preparedBy: "u1", approver: "u2", approverRoles: ["approver"] })).toEqual({ ok: true });
  });
});

describe("eligibleForBatch", () => {
  const ready: BatchCandidate = { status: "passed", resultConfirmed: true, passed: true, batchId: null };

  it("R-PAY-3 a passed, confirmed application in no batch is eligible", () => {
    expect(eligibleForBatch(ready)).toEqual({ ok: true });
    expect(eligibleForBatch(ready, "b1")).toEqual({ ok: true });
  });

  it("R-PAY-1 a failed application is not paid", () => {
    expect(eligibleForBatch({ ...ready, status: "failed", passed: false })).toEqual({
      ok: false,
      message: "该申报评审不合格，不予拨付",
    });
  });

  it("R-PAY-3 an unconfirmed result waits", () => {
    expect(eligibleForBatch({ ...ready, status: "reviewed", resultConfirmed: false })).toEqual({
      ok: false,
      message: "该申报评审结果尚未确认，暂不能拨付",
    });
  });

  it("R-PAY-3 an application in another batch cannot be added again", () => {
    const inBatch: BatchCandidate = { ...ready, status: "in_batch", batchId: "b1" };
    expect(eligibleForBatch(inBatch, "b2")).toEqual({ ok: false, message: "该申报已在其他拨付批次中，不能重复拨付" });
    expect(eligibleForBatch(inBatch)).toEqual({ ok: false, message: "该申报已在其他拨付批次中，不能重复拨付" });
    expect(eligibleForBatch(inBatch, "b1")).toEqual({ ok: false, message: "该申报已在本拨付批次中" });
  });

  it("R-PAY-3 a paid application or one in another status is refused", () => {
    expect(eligibleForBatch({ ...ready, status: "paid" })).toEqual({ ok: false, message: "该申报已拨付" });
    expect(eligibleForBatch({ ...ready, status: "under_review" })).toEqual({
      ok: false,
      message: "该申报当前状态不能加入拨付批次",
    });
  });
});

describe("payoutBlockersOf", () => {
  it("R-PAY-3 lists every blocker in order until the batch is paid", () => {
    expect(payoutBlockersOf({ reviewsMissing: 2, resultConfirmed: false, batchStatus: null })).toEqual([
      "reviews_missing",
      "result_unconfirmed",
      "batch_not_prepared",
    ]);
    expect(payoutBlockersOf({ reviewsMissing: 0, resultConfirmed: true, batchStatus: null })).toEqual([
      "batch_not_prepared",
    ]);
    expect(payoutBlockersOf({ reviewsMissing: 0, resultConfirmed: true, batchStatus: "returned" })).toEqual([
      "batch_not_prepared",
    ]);
    expect(payoutBlockersOf({ reviewsMissing: 0, resultConfirmed: true, batchStatus: "prepared" })).toEqual([
      "not_approved",
    ]);
    expect(payoutBlockersOf({ reviewsMissing: 0, resultConfirmed: true, batchStatus: "approved" })).toEqual([
      "not_paid",
    ]);
    expect(payoutBlockersOf({ reviewsMissing: 0, resultConfirmed: true, batchStatus: "paid" })).toEqual([]);
  });
});

describe("public notice window", () => {
  const opensAt = new Date("2022-12-21T00:00:00+08:00");
  const closesAt = new Date("2022-12-27T23:59:59.999+08:00");

  it("is open from its opening instant up to and including its closing instant", () => {
    expect(noticeState({ opensAt: null, closesAt: null }, opensAt)).toBe("unset");
    expect(noticeState({ opensAt, closesAt }, new Date(opensAt.getTime() - 1))).toBe("not_yet");
    expect(noticeState({ opensAt, closesAt }, opensAt)).toBe("open");
    expect(noticeState({ opensAt, closesAt }, closesAt)).toBe("open");
    expect(noticeState({ opensAt, closesAt }, new Date(closesAt.getTime() + 1))).toBe("closed");
  });

  it("needs both ends, the close after the opening", () => {
    expect(checkNoticeWindow({ opensAt: null, closesAt: null })).toEqual({ ok: true });
    expect(checkNoticeWindow({ opensAt, closesAt })).toEqual({ ok: true });
    expect(checkNoticeWindow({ opensAt, closesAt: null }).ok).toBe(false);
    expect(checkNoticeWindow({ opensAt: closesAt, closesAt: opensAt }).ok).toBe(false);
  });
});

describe("budgetWarning", () => {
  it("R-PAY-1 warns only when the payouts exceed the budget", () => {
    expect(budgetWarning(5_000_000, null)).toBeNull();
    expect(budgetWarning(5_000_000, 5_000_000)).toBeNull();
    expect(budgetWarning(5_000_001, 5_000_000)).toEqual({ overByFen: 1 });
  });
});

describe("batch digest stability", () => {
  it("R-PAY-3 the canonical content of a fixed batch never changes (digest input pinned)", () => {
    const content = canonicalBatchContent({
      batchNo: "2022-BF001",
      roundId: "r1",
      lines: LINES.slice(0, 2),
      format: "payout-batch/v1",
    });
    expect(content).toBe(
      '{"format":"payout-batch/v1","batchNo":"2022-BF001","roundId":"r1","count":2,"totalFen":1800050,"lines":[' +
        '{"applicationNo":"ZD2022-001","applicationId":"a1","providerName":"山东万群信息技术有限公司","enterpriseName":"淄博美林电子有限公司","amountFen":800050},' +
        '{"applicationNo":"ZD2022-003","applicationId":"a3","providerName":"浪潮工业互联网股份有限公司","enterpriseName":"山东元星电子有限公司","amountFen":1000000}' +
        '],"references":[]}',
    );
  });
});

describe("payout-batch/v2: the payee account is in the digest", () => {
  const payee = {
    accountName: "山东万群信息技术有限公司",
    bankName: "中国工商银行淄博张店支行",
    accountNumber: "1603001209200123456",
  };
  const withPayee = LINES.map((l) => ({ ...l, payee }));

  it("R-PAY-3 a change of bank details changes the canonical content", () => {
    const base = canonicalBatchContent({ ...BATCH, lines: withPayee });
    expect(base).toContain(
      '"payee":{"accountName":"山东万群信息技术有限公司","bankName":"中国工商银行淄博张店支行","accountNumber":"1603001209200123456"}',
    );
    const changed = withPayee.map((l, i) =>
      i === 0 ? { ...l, payee: { ...payee, accountNumber: "1603001209200999999" } } : l,
    );
    expect(canonicalBatchContent({ ...BATCH, lines: changed })).not.toBe(base);
    expect(canonicalBatchContent({ ...BATCH, lines: LINES })).toContain('"payee":null');
  });

  it("v1 leaves the payee out, so batches approved before v2 still check", () => {
    expect(canonicalBatchContent({ ...BATCH, lines: withPayee, format: "payout-batch/v1" })).toBe(
      canonicalBatchContent({ ...BATCH, lines: LINES, format: "payout-batch/v1" }),
    );
  });
});

describe("notice before payment (审核通过后公示)", () => {
  const opensAt = new Date("2022-12-21T00:00:00+08:00");
  const closesAt = new Date("2022-12-27T23:59:59.999+08:00");
  const confirmed = new Date("2022-12-20T10:00:00+08:00");
  const after = new Date("2022-12-28T09:00:00+08:00");

  it("R-PAY-3 clears an application confirmed before the notice opened, once the notice has closed", () => {
    expect(noticeClearance({ opensAt, closesAt }, confirmed, after)).toBe("cleared");
    expect(noticeClearance({ opensAt, closesAt }, confirmed, closesAt)).toBe("pending");
    expect(noticeClearance({ opensAt: null, closesAt: null }, confirmed, after)).toBe("pending");
    expect(noticeClearance({ opensAt, closesAt }, new Date("2022-12-22T10:00:00+08:00"), after)).toBe("missed");
    expect(noticeClearance({ opensAt, closesAt }, null, after)).toBe("missed");
    expect(checkNoticeCleared("cleared")).toEqual({ ok: true });
    expect(checkNoticeCleared("pending")).toMatchObject({ ok: false, message: expect.stringContaining("公示期") });
    expect(checkNoticeCleared("missed")).toMatchObject({ ok: false, message: expect.stringContaining("重新公示") });
  });

  it("R-PAY-3 an open or upheld objection, a missing or unverified payee account hold payment", () => {
    const none = { open: 0, upheld: 0 };
    expect(paymentHold({ objections: none, payee: "verified" })).toEqual({ ok: true });
    expect(paymentHold({ objections: { open: 1, upheld: 0 }, payee: "verified" })).toEqual({
      ok: false,
      message: "该申报有公示异议尚未处理，暂不能拨付",
    });
    expect(paymentHold({ objections: { open: 0, upheld: 1 }, payee: "verified" })).toEqual({
      ok: false,
      message: "该申报公示异议成立，不予拨付",
    });
    expect(paymentHold({ objections: none, payee: "pending" })).toEqual({
      ok: false,
      message: "服务商收款账户尚待工信局核验，暂不能拨付",
    });
    expect(paymentHold({ objections: none, payee: "missing" })).toEqual({
      ok: false,
      message: "服务商未登记收款账户，暂不能拨付",
    });
  });

  it("R-PAY-3 lists the notice, the objections and the account among the blockers", () => {
    expect(
      payoutBlockersOf({
        reviewsMissing: 0,
        resultConfirmed: true,
        batchStatus: null,
        notice: "pending",
        objections: { open: 1, upheld: 0 },
        payee: "pending",
      }),
    ).toEqual(["notice_pending", "objection_open", "payee_pending", "batch_not_prepared"]);
    expect(
      payoutBlockersOf({
        reviewsMissing: 0,
        resultConfirmed: true,
        batchStatus: "prepared",
        notice: "cleared",
        objections: { open: 0, upheld: 0 },
        payee: "verified",
      }),
    ).toEqual(["not_approved"]);
    expect(
      payoutBlockersOf({
        reviewsMissing: 0,
        resultConfirmed: true,
        batchStatus: "paid",
        notice: "cleared",
        payee: "pending",
      }),
    ).toEqual([]);
  });
});

describe("checkPaidOn", () => {
  it("R-PAY-3 a batch is paid on or after the day it was approved, never in the future", () => {
    expect(checkPaidOn("2022-12-28", "2022-12-28", "2022-12-30")).toEqual({ ok: true });
    expect(checkPaidOn("2022-12-27", "2022-12-28", "2022-12-30")).toEqual({
      ok: false,
      message: "拨付日期不能早于审批日期（2022-12-28）",
    });
    expect(checkPaidOn("2022-12-31", "2022-12-28", "2022-12-30")).toEqual({
      ok: false,
      message: "拨付日期不能晚于今天",
    });
  });
});
