import { describe, expect, it } from "vitest";

import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";
import { paymentReversedMail, payoutApprovedMail, payoutPaidMail } from "./payout.ts";

const facts = {
  providerName: "淄博某某科技有限公司",
  roundName: "2022年智能化改造诊断",
  batchNumber: "ZD2022-BF001",
  lines: [
    { applicationNo: "ZD2022-0001", enterpriseName: "甲制造有限公司", amountFen: 999_999 },
    { applicationNo: "ZD2022-0002", enterpriseName: "乙机械有限公司", amountFen: 1_000_000 },
  ],
};

describe("payout mails", () => {
  it("R-PAY-3 R-PAY-1 the approval mail lists the provider's lines in yuan and capitals, with their total", () => {
    const mail = payoutApprovedMail(facts);
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}补助资金拨付已审批（ZD2022-BF001）`);
    expect(mail.text).toBe(
      [
        "淄博某某科技有限公司：",
        "",
        "2022年智能化改造诊断的补助资金拨付批次 ZD2022-BF001 已审批，以下申报将予拨付：",
        "  ZD2022-0001　甲制造有限公司　9,999.99 元（玖仟玖佰玖拾玖元玖角玖分）",
        "  ZD2022-0002　乙机械有限公司　10,000.00 元（壹万元整）",
        "合计：19,999.99 元（壹万玖仟玖佰玖拾玖元玖角玖分）",
        "",
        "资金拨付后将另行通知。可登录平台“补助拨付”页面查看。",
      ].join("\n"),
    );
  });

  it("R-PAY-3 the payment mail gives the payment date and the provider's lines with their total", () => {
    const mail = payoutPaidMail({ ...facts, lines: facts.lines.slice(0, 1), paidOn: "2022-12-30" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}补助资金已拨付（ZD2022-BF001）`);
    expect(mail.text).toContain("2022年智能化改造诊断的补助资金已于 2022-12-30 拨付（批次 ZD2022-BF001）：");
    expect(mail.text).toContain("  ZD2022-0001　甲制造有限公司　9,999.99 元（玖仟玖佰玖拾玖元玖角玖分）");
    expect(mail.text).not.toContain("ZD2022-0002");
    expect(mail.text).toContain("合计：9,999.99 元（玖仟玖佰玖拾玖元玖角玖分）");
    expect(mail.text.endsWith("请注意查收。")).toBe(true);
  });

  it("R-PAY-3 the reversal (冲正) mail names the reason and each reversed application, and how to correct the account", () => {
    const mail = paymentReversedMail({
      providerName: facts.providerName,
      roundName: facts.roundName,
      batchNumber: facts.batchNumber,
      reason: "账户有误，资金被退回",
      applicationNumbers: ["ZD2022-0001", "ZD2022-0002"],
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}补助资金拨付冲正（ZD2022-BF001）`);
    expect(mail.text).toBe(
      [
        "淄博某某科技有限公司：",
        "",
        "2022年智能化改造诊断拨付批次 ZD2022-BF001 中以下申报的补助资金已冲正（原因：账户有误，资金被退回），将重新拨付：",
        "  ZD2022-0001",
        "  ZD2022-0002",
        "",
        "如收款账户有误，请登录平台变更收款账户，经区工信局核验后重新拨付。",
        SIGNATURE,
      ].join("\n"),
    );
  });
});
