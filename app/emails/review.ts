/**
 * Mails of the expert review (R-REV-1..5): an expert hands an assignment back, staff reopen a submitted
 * score, and the confirmed results reach each provider (R-REV-4). The models decide when and to whom.
 */
import { type Decision, formatHundredths, isVetoed } from "~/domain/scoring.ts";

import { type MailText, subject } from "./mail-text.ts";

/** The closing line of the review mails (they predate SIGNATURE and keep their wording). */
const NO_REPLY = "本邮件由系统自动发送，请勿直接回复。";

/** R-REV-5: an expert declared a conflict; the officer who assigned the review is asked to reassign it. */
export function conflictHandedBackMail(facts: {
  officerName: string;
  expertName: string;
  applicationNumber: string;
  /** The withdrawal reason as recorded (who the conflict is with, and the expert's words). */
  reason: string;
}): MailText {
  return {
    subject: subject(`专家申报回避，请重新分配 ${facts.applicationNumber}`),
    text: [
      `${facts.officerName}：`,
      "",
      `评审专家 ${facts.expertName} 对申报 ${facts.applicationNumber} 申报回避，该评审任务已退回，请重新分配评审专家。`,
      facts.reason,
      "",
      NO_REPLY,
    ].join("\n"),
  };
}

/** R-REV-5: staff reopened an expert's submitted score, with a reason; the expert corrects and resubmits. */
export function reviewReopenedMail(facts: {
  expertName: string;
  applicationNumber: string;
  reportTitle: string;
  reason: string;
  /** The expert's review page. */
  link: string;
}): MailText {
  return {
    subject: subject(`评分退回修改 ${facts.applicationNumber}`),
    text: [
      `${facts.expertName}专家：`,
      "",
      `您对申报 ${facts.applicationNumber}《${facts.reportTitle}》提交的评分已被区工信局退回修改。`,
      `退回原因：${facts.reason}`,
      "",
      `请登录平台修改后重新提交：${facts.link}`,
      "",
      NO_REPLY,
    ].join("\n"),
  };
}

/** R-REV-4 / R-REV-3: one application's line in the results mail: the verdict, the score unless vetoed, the reasons. */
export function resultMailLine(
  application: { number: string; enterpriseName: string; reportTitle: string },
  decision: Pick<Decision, "passed" | "finalScore">,
  reasons: readonly string[],
): string {
  const score = `最终得分：${formatHundredths(Math.round(decision.finalScore * 100))} 分`;
  const verdict = decision.passed ? `合格　${score}` : isVetoed(reasons) ? "不合格（一票否决）" : `不合格　${score}`;
  const head = `${application.number}　${application.enterpriseName}《${application.reportTitle}》\n  评审结果：${verdict}`;
  return reasons.length ? `${head}\n  原因：${reasons.join("；")}` : head;
}

/**
 * R-REV-4: the confirmed results of one provider's applications in a round, one line each
 * (resultMailLine), with how the final score is made. Names no expert.
 */
export function reviewResultMail(facts: {
  providerName: string;
  roundName: string;
  lines: readonly string[];
  scoreAggregation: "mean" | "median";
  passMark: number;
}): MailText {
  return {
    subject: subject(`评审结果通知（${facts.roundName}）`),
    text: [
      `${facts.providerName}：`,
      "",
      `贵单位在“${facts.roundName}”中申报的智能化改造咨询诊断项目，专家评审结果已经区工信局确认，结果如下：`,
      "",
      ...facts.lines,
      "",
      `最终得分为各评审专家评分的${facts.scoreAggregation === "median" ? "中位数" : "平均分"}（各专家得分 = 各项得分之和 − 扣分，最低 0 分）。材料齐全、无一票否决且最终得分不低于 ${facts.passMark} 分的评定为合格。`,
      "如有疑问，请联系张店区工业和信息化局两化融合科（电话 2869847）。",
      "",
      NO_REPLY,
    ].join("\n"),
  };
}
