import { describe, expect, it } from "vitest";

import {
  groupAccountNumber,
  maskAccountNumber,
  normaliseAccountNumber,
  payeeAccountOf,
  payeeState,
  samePayee,
} from "./payee.ts";

describe("normaliseAccountNumber", () => {
  it("R-PAY-3 keeps the digits of an account written in groups", () => {
    expect(normaliseAccountNumber("1603 0012 0920 0123 456")).toEqual({
      ok: true,
      accountNumber: "1603001209200123456",
    });
    expect(normaliseAccountNumber("3700-1234-5678")).toEqual({ ok: true, accountNumber: "370012345678" });
  });

  it("R-PAY-3 refuses letters, too short and too long, in Chinese", () => {
    expect(normaliseAccountNumber("")).toEqual({ ok: false, message: "请输入银行账号" });
    expect(normaliseAccountNumber("6222O21234567")).toEqual({ ok: false, message: "银行账号只能由数字组成" });
    expect(normaliseAccountNumber("1234567")).toEqual({ ok: false, message: "银行账号应为 8 至 30 位数字" });
    expect(normaliseAccountNumber("12345678")).toMatchObject({ ok: true });
    expect(normaliseAccountNumber("1".repeat(30))).toMatchObject({ ok: true });
    expect(normaliseAccountNumber("1".repeat(31))).toEqual({ ok: false, message: "银行账号应为 8 至 30 位数字" });
  });
});

describe("maskAccountNumber / groupAccountNumber", () => {
  it("shows only the last four digits", () => {
    expect(maskAccountNumber("1603001209200123456")).toBe("***************3456");
    expect(maskAccountNumber("12345678")).toBe("****5678");
  });
  it("groups by four", () => {
    expect(groupAccountNumber("1603001209200123456")).toBe("1603 0012 0920 0123 456");
  });
});

describe("payeeState", () => {
  it("R-PAY-3 an entered account is payable only once staff verified it", () => {
    expect(payeeState({ payeeAccountNumber: null, payeeVerifiedAt: null })).toBe("missing");
    expect(payeeState({ payeeAccountNumber: "12345678", payeeVerifiedAt: null })).toBe("pending");
    expect(payeeState({ payeeAccountNumber: "12345678", payeeVerifiedAt: new Date() })).toBe("verified");
  });
  it("compares two accounts", () => {
    const a = { accountName: "甲公司", bankName: "工行张店支行", accountNumber: "12345678" };
    expect(samePayee(a, { ...a, accountName: " 甲公司 " })).toBe(true);
    expect(samePayee(a, { ...a, accountNumber: "12345679" })).toBe(false);
    expect(samePayee(null, null)).toBe(true);
    expect(samePayee(a, null)).toBe(false);
  });
});

describe("payeeAccountOf", () => {
  const org = {
    payeeAccountName: "淄博某咨询有限公司",
    payeeBankName: "中国工商银行淄博张店支行",
    payeeAccountNumber: "1603001209200123456",
  };

  it("R-PAY-3 is the account when name, bank and number are all entered", () => {
    expect(payeeAccountOf(org)).toEqual({
      accountName: "淄博某咨询有限公司",
      bankName: "中国工商银行淄博张店支行",
      accountNumber: "1603001209200123456",
    });
  });

  it("R-PAY-3 is no account when any of the three is missing", () => {
    expect(payeeAccountOf({ ...org, payeeAccountName: null })).toBeNull();
    expect(payeeAccountOf({ ...org, payeeBankName: "" })).toBeNull();
    expect(payeeAccountOf({ ...org, payeeAccountNumber: null })).toBeNull();
  });
});
