import { describe, expect, it } from "vitest";

import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";
import {
  payeeChangedMail,
  payeeVerifiedMail,
  registrationRefusedMail,
  registrationVerifiedMail,
  suspensionLiftedMail,
  suspensionMail,
} from "./provider.ts";

const organisationName = "淄博智诊咨询有限公司";
/** 2022-12-21 10:30 in Beijing (UTC+8). */
const at = new Date("2022-12-21T02:30:00Z");
const account = {
  accountName: organisationName,
  bankName: "中国工商银行淄博张店支行",
  accountNumber: "1603001209200123456",
};

describe("provider mails", () => {
  it("R-ELIG-1 a verified registration links to the sign-in page", () => {
    const mail = registrationVerifiedMail({ organisationName, loginLink: "https://sb.example/login" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}服务商注册审核通过`);
    expect(mail.text).toBe(
      `${organisationName}：\n\n贵单位的注册信息已经区工信局审核通过，现在可以登录平台填报申报材料：\nhttps://sb.example/login\n\n${SIGNATURE}`,
    );
  });

  it("R-ELIG-1 a refused registration gives the reason", () => {
    const mail = registrationRefusedMail({
      organisationName,
      reason: "注册地址不在张店区",
      loginLink: "https://sb.example/login",
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}服务商注册审核未通过`);
    expect(mail.text).toContain(
      "贵单位的注册信息未通过审核，原因：注册地址不在张店区\n登录平台查看：https://sb.example/login\n",
    );
    expect(mail.text.endsWith(`\n${SIGNATURE}`)).toBe(true);
  });

  it("R-ELIG-2 a suspension gives the Beijing time it starts and the reason", () => {
    const mail = suspensionMail({ organisationName, at, reason: "经营异常名录" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}服务商申报资格暂停通知`);
    expect(mail.text).toContain(
      "区工信局自 2022-12-21 10:30（北京时间）起暂停贵单位的申报资格。\n\n原因：经营异常名录\n\n",
    );
    expect(mail.text).toContain("暂停期间不能新建或提交申报");
  });

  it("R-ELIG-2 a lifted suspension carries the note only when there is one", () => {
    const withNote = suspensionLiftedMail({ organisationName, at, note: "已移出经营异常名录" });
    expect(withNote.subject).toBe(`${SUBJECT_PREFIX}服务商申报资格恢复通知`);
    expect(withNote.text).toBe(
      `${organisationName}：\n\n区工信局已于 2022-12-21 10:30（北京时间）恢复贵单位的申报资格。\n说明：已移出经营异常名录\n${SIGNATURE}`,
    );
    expect(suspensionLiftedMail({ organisationName, at, note: "" }).text).not.toContain("说明");
  });

  it("R-PAY-3 a changed payee account is mailed with the numbers masked, before and after", () => {
    const mail = payeeChangedMail({
      organisationName,
      at,
      changedBy: "赵服务",
      account: { ...account, accountNumber: "6222020200112233" },
      before: account,
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}收款账户已变更，待区工信局核验`);
    expect(mail.text).toContain("已于 2022-12-21 10:30（北京时间）由 赵服务 变更为：");
    expect(mail.text).toContain("  银行账号：************2233");
    expect(mail.text).toContain("变更前账号：***************3456（中国工商银行淄博张店支行）");
    expect(mail.text).not.toContain("6222020200112233");
    expect(mail.text).not.toContain("1603001209200123456");
    expect(payeeChangedMail({ organisationName, at, changedBy: "赵服务", account, before: null }).text).not.toContain(
      "变更前账号",
    );
  });

  it("R-PAY-3 a verified payee account is named by bank and masked number", () => {
    const mail = payeeVerifiedMail({ organisationName, account });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}收款账户已核验`);
    expect(mail.text).toBe(
      `${organisationName}：\n\n贵单位登记的收款账户（中国工商银行淄博张店支行，账号 ***************3456）已经区工信局核验，补助资金将拨付至该账户。\n\n${SIGNATURE}`,
    );
  });
});
