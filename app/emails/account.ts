/**
 * Mails about a person's account: the invitation to set a password, a password reset link, a lockout
 * after repeated wrong passwords, and the notice of a role grant every approver receives (R-PAY-3).
 */
import { formatShanghai } from "~/domain/shanghai-time.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

type Person = { name: string; email: string };

/** An account made by the bureau: a single-use link (7 days) to set the password. */
export function invitationMail(facts: Person & { roleLabels: readonly string[]; link: string }): MailText {
  return {
    subject: subject("账号邀请"),
    text:
      `${facts.name}，您好：\n\n区工信局已为您创建${facts.roleLabels.join("、")}账号（登录邮箱 ${facts.email}）。` +
      `\n请在 7 天内打开以下链接设置登录密码：\n${facts.link}\n\n如非本人操作，请忽略本邮件。\n${SIGNATURE}`,
  };
}

/** "忘记密码": a single-use link (1 hour) that sets a new password and lifts a lockout. */
export function passwordResetMail(facts: Person & { link: string }): MailText {
  return {
    subject: subject("重设密码"),
    text:
      `${facts.name}，您好：\n\n有人（希望是您本人）申请重设账号 ${facts.email} 的登录密码。` +
      `\n请在 1 小时内打开以下链接设置新密码（仅可使用一次；重设后，因密码错误而暂停的登录也随即恢复）：\n${facts.link}` +
      `\n\n如非本人操作，请忽略本邮件，您的密码不会改变。\n${SIGNATURE}`,
  };
}

/** A bureau account locked after too many wrong passwords, with a reset link that unlocks it. */
export function accountLockedMail(facts: Person & { at: Date; failures: number; link: string }): MailText {
  return {
    subject: subject("账号因多次密码错误暂停登录"),
    text:
      `${facts.name}，您好：\n\n您的账号（${facts.email}）于 ${formatShanghai(facts.at)} 连续 ${facts.failures} 次密码错误，已暂停登录 15 分钟。` +
      `\n如非本人操作，说明有人正在尝试登录您的账号，请及时修改密码。` +
      `\n如需立即登录，请在 1 小时内打开以下链接重设密码（仅可使用一次），重设后即可登录：\n${facts.link}` +
      `\n\n${SIGNATURE}`,
  };
}

/** R-PAY-3: an approver is told of every role grant, so a grant nobody expected is seen. */
export function roleGrantMail(facts: {
  approverName: string;
  grantedBy: string;
  at: Date;
  user: Person;
  roleLabels: readonly string[];
}): MailText {
  return {
    subject: subject("角色授予通知"),
    text:
      `${facts.approverName}，您好：\n\n${facts.grantedBy} 于 ${formatShanghai(facts.at)} 为 ${facts.user.name}（${facts.user.email}）授予了以下角色：${facts.roleLabels.join("、")}。` +
      `\n如该授权不符合工作安排，请立即联系系统管理员核实。\n\n${SIGNATURE}`,
  };
}
