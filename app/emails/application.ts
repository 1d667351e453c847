/**
 * Mails about a provider's application (申报): its submission receipt, a resubmission after a
 * supplement notice, and a draft released by the bureau (R-ELIG-4).
 */
import { formatShanghai } from "~/domain/shanghai-time.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

type ApplicationFacts = { organisationName: string; enterpriseName: string; number: string };

/** R-MAT-1: the submission receipt (提交回执), sent with the receipt PDF attached. */
export function submissionReceiptMail(facts: ApplicationFacts & { submittedAt: Date }): MailText {
  return {
    subject: subject(`提交回执 ${facts.number}（${facts.enterpriseName}）`),
    text:
      `${facts.organisationName}：\n\n贵单位为“${facts.enterpriseName}”填报的申报（编号 ${facts.number}）已于 ` +
      `${formatShanghai(facts.submittedAt, true)}（北京时间）提交成功，提交回执见附件。\n请将纸质材料一式两份报送区工信局。\n${SIGNATURE}`,
  };
}

/** 补正: the provider's confirmation that the supplemented materials went in. */
export function resubmissionMail(facts: ApplicationFacts & { resubmittedAt: Date; link: string }): MailText {
  return {
    subject: subject(`补正材料已提交 ${facts.number}（${facts.enterpriseName}）`),
    text:
      `${facts.organisationName}：\n\n贵单位为“${facts.enterpriseName}”填报的申报（编号 ${facts.number}）的补正材料已于 ` +
      `${formatShanghai(facts.resubmittedAt, true)}（北京时间）重新提交，区工信局将重新进行形式审查。\n` +
      `查看申报：${facts.link}\n\n${SIGNATURE}`,
  };
}

/** R-ELIG-4: staff released the enterprise a provider's draft held; the draft is gone. */
export function draftReleasedMail(facts: ApplicationFacts & { reason: string; link: string }): MailText {
  return {
    subject: subject(`申报草稿已由区工信局释放 ${facts.number}（${facts.enterpriseName}）`),
    text:
      `${facts.organisationName}：\n\n贵单位为“${facts.enterpriseName}”建立的申报草稿（编号 ${facts.number}）未提交，` +
      `已由区工信局撤销，该企业可由其他服务商申报。\n原因：${facts.reason}\n如有疑问请联系区工信局两化融合科。\n` +
      `${facts.link}\n\n${SIGNATURE}`,
  };
}
