/**
 * The mails of expert assignment (R-REV-5): an expert is told of the applications assigned to it (one
 * mail listing all of them) and of an assignment withdrawn, with the reason.
 */
import { formatShanghai } from "~/domain/shanghai-time.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

export type AssignedApplication = { number: string; enterprise: string; provider: string };

/** ONE mail per expert listing all its new assignments, in the order given. */
export function assignmentNotice(facts: {
  expertName: string;
  roundName: string;
  applications: readonly AssignedApplication[];
  reviewDeadline: Date | null;
  /** The portal's address; the expert's task list is at `${portalUrl}/expert`. */
  portalUrl: string;
}): MailText {
  const count = facts.applications.length;
  const lines = facts.applications.map(
    (a, i) => `${i + 1}. 申报编号 ${a.number}　被诊断企业：${a.enterprise}　服务商：${a.provider}`,
  );
  const deadline = facts.reviewDeadline
    ? `请于 ${formatShanghai(facts.reviewDeadline)}（北京时间）前提交评审意见。`
    : "评审截止时间另行通知。";
  return {
    subject: subject(`评审任务分配通知（${count} 份）`),
    text:
      `${facts.expertName}，您好：\n\n区工信局已将“${facts.roundName}”的以下 ${count} 份申报分配给您评审：\n\n` +
      `${lines.join("\n")}\n\n` +
      `${deadline}\n开始评审前请确认与上述服务商和企业不存在利益关系；如有，请在平台上声明回避。\n` +
      `登录平台查看评审任务：${facts.portalUrl}/expert\n\n${SIGNATURE}`,
  };
}

/** The expert is told that staff withdrew one of its assignments, and why. */
export function withdrawalNotice(facts: {
  expertName: string;
  applicationNumber: string;
  enterprise: string;
  reason: string;
}): MailText {
  return {
    subject: subject(`评审任务撤回通知（${facts.applicationNumber}）`),
    text:
      `${facts.expertName}，您好：\n\n区工信局已撤回申报 ${facts.applicationNumber}（被诊断企业：${facts.enterprise}）的评审任务。` +
      `\n原因：${facts.reason}\n\n${SIGNATURE}`,
  };
}
