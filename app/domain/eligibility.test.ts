import { describe, expect, it } from "vitest";

import { filingRefusal, suspensionReasonError } from "./eligibility.ts";

const base = {
  roundName: "2022年智能化改造咨询诊断",
  organisationName: "淄博某科技有限公司",
  onRoundList: true,
  suspendedReason: null,
};

describe("filingRefusal", () => {
  it("R-ELIG-1 a provider on this round's list may file", () => {
    expect(filingRefusal(base)).toBeNull();
  });

  it("R-ELIG-1 a provider not on this round's list is refused, naming the round", () => {
    expect(filingRefusal({ ...base, onRoundList: false })).toBe(
      "“淄博某科技有限公司”不在“2022年智能化改造咨询诊断”的服务商名单中，不能在本批次新建或提交申报。",
    );
  });

  it("R-ELIG-2 a suspended provider is refused with the reason, even when listed", () => {
    expect(filingRefusal({ ...base, suspendedReason: "税务失信" })).toContain("原因：税务失信");
  });
});

describe("suspensionReasonError", () => {
  it("R-ELIG-2 a suspension needs a reason of at least 4 characters", () => {
    expect(suspensionReasonError("  ")).toContain("请填写暂停原因");
    expect(suspensionReasonError("信用记录不良")).toBeNull();
    expect(suspensionReasonError("长".repeat(501))).toContain("500");
  });
});
