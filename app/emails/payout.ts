/**
 * The mails of payout batches (R-PAY-3): to each provider in a batch when it is approved and when it is
 * paid, and when payments of a paid batch are reversed (冲正). Amounts in yuan and in capitals (R-PAY-1).
 */
import { capitalYuan, formatFen } from "~/domain/money.ts";

import { type MailText, SIGNATURE, subject } from "./mail-text.ts";

/** One of the provider's applications in the batch. */
export type PayoutMailLine = { applicationNo: string; enterpriseName: string; amountFen: number };

type BatchMailFacts = {
  providerName: string;
  roundName: string;
  batchNumber: string;
  /** The provider's own lines of the batch only. */
  lines: readonly PayoutMailLine[];
};

function amountText(fen: number): string {
  return `${formatFen(fen)} 元（${capitalYuan(fen)}）`;
}

/** The provider's lines with their amounts, then their total. */
function linesAndTotal(lines: readonly PayoutMailLine[]): string[] {
  const total = lines.reduce((sum, l) => sum + l.amountFen, 0);
  return [
    ...lines.map((l) => `  ${l.applicationNo}　${l.enterpriseName}　${amountText(l.amountFen)}`),
    `合计：${amountText(total)}`,
  ];
}

/** R-PAY-3: the batch holding the provider's applications was approved; payment follows. */
export function payoutApprovedMail(facts: BatchMailFacts): MailText {
  return {
    subject: subject(`补助资金拨付已审批（${facts.batchNumber}）`),
    text: [
      `${facts.providerName}：`,
      "",
      `${facts.roundName}的补助资金拨付批次 ${facts.batchNumber} 已审批，以下申报将予拨付：`,
      ...linesAndTotal(facts.lines),
      "",
      "资金拨付后将另行通知。可登录平台“补助拨付”页面查看。",
    ].join("\n"),
  };
}

/** R-PAY-3: the batch was paid on `paidOn` (a Beijing calendar date). */
export function payoutPaidMail(facts: BatchMailFacts & { paidOn: string }): MailText {
  return {
    subject: subject(`补助资金已拨付（${facts.batchNumber}）`),
    text: [
      `${facts.providerName}：`,
      "",
      `${facts.roundName}的补助资金已于 ${facts.paidOn} 拨付（批次 ${facts.batchNumber}）：`,
      ...linesAndTotal(facts.lines),
      "",
      "请注意查收。",
    ].join("\n"),
  };
}

/** R-PAY-3 冲正: payments of the provider's applications came back and are reversed; they will be paid again. */
export function paymentReversedMail(facts: {
  providerName: string;
  roundName: string;
  batchNumber: string;
  reason: string;
  applicationNumbers: readonly string[];
}): MailText {
  return {
    subject: subject(`补助资金拨付冲正（${facts.batchNumber}）`),
    text: [
      `${facts.providerName}：`,
      "",
      `${facts.roundName}拨付批次 ${facts.batchNumber} 中以下申报的补助资金已冲正（原因：${facts.reason}），将重新拨付：`,
      ...facts.applicationNumbers.map((n) => `  ${n}`),
      "",
      "如收款账户有误，请登录平台变更收款账户，经区工信局核验后重新拨付。",
      SIGNATURE,
    ].join("\n"),
  };
}
