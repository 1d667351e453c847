/**
 * Mails of the formal review (形式审查, R-MAT-1..3): staff accept an application, return it for
 * supplement with every item listed at once, or refuse it. Each goes to the provider's contact.
 */
import { type NoticeItem, noticeText } from "~/domain/formal-review.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

/** Which application a formal-review mail is about, and where the provider opens it. */
export type FormalReviewFacts = {
  providerName: string;
  enterpriseName: string;
  applicationNumber: string;
  /** The provider's page of the application. */
  link: string;
};

function title(what: string, facts: FormalReviewFacts): string {
  return subject(`${what} ${facts.applicationNumber}（${facts.enterpriseName}）`);
}

function opening(facts: FormalReviewFacts): string {
  return `${facts.providerName}：\n\n贵单位为“${facts.enterpriseName}”填报的申报（编号 ${facts.applicationNumber}）`;
}

/** The application passed the formal review at `acceptedAt` and goes on to the experts. */
export function applicationAcceptedMail(facts: FormalReviewFacts & { acceptedAt: Date }): MailText {
  return {
    subject: title("申报已受理", facts),
    text: `${opening(facts)}已通过形式审查，于 ${formatShanghai(facts.acceptedAt)}（北京时间）予以受理，将进入专家评审。\n\n查看申报：${facts.link}\n${SIGNATURE}`,
  };
}

/** R-MAT-2: materials to supplement, all told at once (一次性告知), by `dueAt` or the application is not accepted. */
export function supplementRequestedMail(
  facts: FormalReviewFacts & { items: readonly NoticeItem[]; dueAt: Date },
): MailText {
  return {
    subject: title("请补正材料", facts),
    text:
      `${opening(facts)}经形式审查，以下材料需要补正（一次性告知）：\n\n${noticeText(facts.items)}\n\n` +
      `请于 ${formatShanghai(facts.dueAt)}（北京时间）前登录平台更换上述材料并重新提交，逾期不予受理。\n\n补正材料：${facts.link}\n${SIGNATURE}`,
  };
}

/** The application is refused (不予受理), with the officer's reason. */
export function applicationRefusedMail(facts: FormalReviewFacts & { reason: string }): MailText {
  return {
    subject: title("申报不予受理", facts),
    text: `${opening(facts)}经形式审查，不予受理。\n\n原因：${facts.reason}\n\n查看申报：${facts.link}\n${SIGNATURE}`,
  };
}
