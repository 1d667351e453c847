/**
 * Mails to a provider organisation about its standing with the bureau: the registration decision
 * (R-ELIG-1), a suspension and its lifting (R-ELIG-2), and its payee account (R-PAY-3), changed and
 * verified.
 */
import { maskAccountNumber } from "~/domain/payee.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

/** R-ELIG-1: the registration was verified. */
export function registrationVerifiedMail(facts: { organisationName: string; loginLink: string }): MailText {
  return {
    subject: subject("服务商注册审核通过"),
    text: `${facts.organisationName}：\n\n贵单位的注册信息已经区工信局审核通过，现在可以登录平台填报申报材料：\n${facts.loginLink}\n\n${SIGNATURE}`,
  };
}

/** R-ELIG-1: the registration was refused, with the reason. */
export function registrationRefusedMail(facts: {
  organisationName: string;
  reason: string;
  loginLink: string;
}): MailText {
  return {
    subject: subject("服务商注册审核未通过"),
    text: `${facts.organisationName}：\n\n贵单位的注册信息未通过审核，原因：${facts.reason}\n登录平台查看：${facts.loginLink}\n如有疑问请联系区工信局两化融合科。\n${SIGNATURE}`,
  };
}

/** R-ELIG-2: the provider may not file or submit from `at` on. */
export function suspensionMail(facts: { organisationName: string; at: Date; reason: string }): MailText {
  return {
    subject: subject("服务商申报资格暂停通知"),
    text:
      `${facts.organisationName}：\n\n根据实施方案“申报服务商运行管理规范、经营状态正常、财务制度健全、信用记录良好”的要求，` +
      `区工信局自 ${formatShanghai(facts.at)}（北京时间）起暂停贵单位的申报资格。\n\n原因：${facts.reason}\n\n` +
      `暂停期间不能新建或提交申报，已提交的申报将由区工信局复核。如有异议，请联系区工信局两化融合科（电话 2869847）。\n${SIGNATURE}`,
  };
}

/** R-ELIG-2: the suspension is lifted; the note is said only when staff wrote one. */
export function suspensionLiftedMail(facts: { organisationName: string; at: Date; note: string }): MailText {
  return {
    subject: subject("服务商申报资格恢复通知"),
    text: `${facts.organisationName}：\n\n区工信局已于 ${formatShanghai(facts.at)}（北京时间）恢复贵单位的申报资格。${facts.note ? `\n说明：${facts.note}` : ""}\n${SIGNATURE}`,
  };
}

type Account = { accountName: string; bankName: string; accountNumber: string };

/** R-PAY-3: the payee account changed (numbers masked); it waits for the bureau's check. */
export function payeeChangedMail(facts: {
  organisationName: string;
  at: Date;
  changedBy: string;
  account: Account;
  before: Account | null;
}): MailText {
  return {
    subject: subject("收款账户已变更，待区工信局核验"),
    text: [
      `${facts.organisationName}：`,
      "",
      `贵单位在申报平台登记的补助资金收款账户已于 ${formatShanghai(facts.at)}（北京时间）由 ${facts.changedBy} 变更为：`,
      `  开户名称：${facts.account.accountName}`,
      `  开户银行：${facts.account.bankName}`,
      `  银行账号：${maskAccountNumber(facts.account.accountNumber)}`,
      ...(facts.before
        ? ["", `变更前账号：${maskAccountNumber(facts.before.accountNumber)}（${facts.before.bankName}）`]
        : []),
      "",
      "新账户经区工信局核验后方可用于拨付补助资金；核验前，贵单位的申报暂不编入拨付批次。",
      "如非贵单位本人操作，请立即联系区工信局两化融合科（电话 2869847）。",
      "",
      SIGNATURE,
    ].join("\n"),
  };
}

/** R-PAY-3: the bureau checked the payee account against its proof; payouts go to it. */
export function payeeVerifiedMail(facts: { organisationName: string; account: Account }): MailText {
  return {
    subject: subject("收款账户已核验"),
    text: `${facts.organisationName}：\n\n贵单位登记的收款账户（${facts.account.bankName}，账号 ${maskAccountNumber(facts.account.accountNumber)}）已经区工信局核验，补助资金将拨付至该账户。\n\n${SIGNATURE}`,
  };
}
