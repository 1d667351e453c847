/**
 * Who may file and submit in a round (R-ELIG-1, R-ELIG-2), as plain rules: the provider must be on
 * THIS round's provider list (attachment 3, matched by the organisation's registered name), and must
 * not be suspended by the bureau for irregular operation or bad credit (运行不规范或信用记录不良).
 */
import type { ApplicationStatus } from "./application-status.ts";

/** R-ELIG-2: applications still on their way to a decision or a payment: the ones a suspension flags. */
export const PENDING_STATUSES: readonly ApplicationStatus[] = [
  "draft",
  "submitted",
  "returned",
  "accepted",
  "under_review",
  "reviewed",
  "passed",
  "in_batch",
];

export type FilingStanding = {
  roundName: string;
  organisationName: string;
  /** The organisation's name is on the round's provider list. */
  onRoundList: boolean;
  /** Set while the bureau has suspended the provider (R-ELIG-2). */
  suspendedReason: string | null;
};

/** R-ELIG-1, R-ELIG-2: the Chinese refusal for filing or submitting, or null when the provider may. */
export function filingRefusal(standing: FilingStanding): string | null {
  if (standing.suspendedReason !== null) {
    return `贵单位已被区工信局暂停申报资格（运行不规范或信用记录不良），原因：${standing.suspendedReason}。暂停期间不能新建或提交申报，请联系区工信局两化融合科。`;
  }
  if (!standing.onRoundList) {
    return `“${standing.organisationName}”不在“${standing.roundName}”的服务商名单中，不能在本批次新建或提交申报。`;
  }
  return null;
}

/** R-ELIG-2: a suspension needs its reason. */
export function suspensionReasonError(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length < 4) return "请填写暂停原因（至少 4 个字），将以邮件告知服务商并记录在案。";
  if (trimmed.length > 500) return "暂停原因不超过 500 字。";
  return null;
}
