/**
 * An application's life as one explicit transition table (STYLE.md "State machines, not flags"):
 *
 *   draft ─submit→ submitted ─accept→ accepted ─assign_experts→ under_review ─complete_reviews→ reviewed
 *   submitted ─return_for_supplement→ returned ─resubmit→ submitted      submitted ─refuse→ refused
 *   reviewed ─confirm_pass→ passed ─add_to_batch→ in_batch ─mark_paid→ paid     in_batch ─remove_from_batch→ passed
 *   reviewed ─confirm_fail→ failed   (also from accepted and under_review: R-MAT-2, a material found missing)
 *   paid ─reverse_payment→ passed   (冲正: the payment came back, e.g. a wrong account; re-issued in a correction batch)
 *
 * Callers write the audit entry of each transition in the same transaction (R-LOG-1).
 */

export const APPLICATION_STATUSES = {
  draft: "草稿",
  submitted: "已提交",
  returned: "退回补正",
  accepted: "已受理",
  refused: "不予受理",
  under_review: "评审中",
  reviewed: "评审完成",
  passed: "合格",
  failed: "不合格",
  in_batch: "拨付中",
  paid: "已拨付",
} as const satisfies Record<string, string>;
export type ApplicationStatus = keyof typeof APPLICATION_STATUSES;

/** Who may trigger an event: the provider filing the application, or bureau staff. */
export type Actor = "provider" | "staff";

export const APPLICATION_EVENTS = {
  submit: { label: "提交", actor: "provider" },
  return_for_supplement: { label: "退回补正", actor: "staff" },
  resubmit: { label: "重新提交", actor: "provider" },
  accept: { label: "受理", actor: "staff" },
  refuse: { label: "不予受理", actor: "staff" },
  assign_experts: { label: "分配评审专家", actor: "staff" },
  complete_reviews: { label: "完成评审", actor: "staff" },
  confirm_pass: { label: "确认合格", actor: "staff" },
  confirm_fail: { label: "确认不合格", actor: "staff" },
  add_to_batch: { label: "加入拨付批次", actor: "staff" },
  remove_from_batch: { label: "移出拨付批次", actor: "staff" },
  mark_paid: { label: "确认已拨付", actor: "staff" },
  reverse_payment: { label: "冲正", actor: "staff" },
} as const satisfies Record<string, { label: string; actor: Actor }>;
export type ApplicationEvent = keyof typeof APPLICATION_EVENTS;

/** The whole life of an application: for each status, the events allowed and where they lead. */
const TRANSITIONS: Readonly<Record<ApplicationStatus, Partial<Record<ApplicationEvent, ApplicationStatus>>>> = {
  // R-DATE-1: submission is allowed before the deadline only (checked by the caller with the server clock).
  draft: { submit: "submitted" },
  // R-MAT-1 / R-MAT-2: staff check completeness, then accept, return for supplement, or refuse (不予受理).
  submitted: { accept: "accepted", return_for_supplement: "returned", refuse: "refused" },
  returned: { resubmit: "submitted" },
  // R-MAT-2: a material later found missing or invalid fails the application without a review.
  accepted: { assign_experts: "under_review", confirm_fail: "failed" },
  // R-REV-5: reviews are final when every assigned expert has submitted.
  under_review: { complete_reviews: "reviewed", confirm_fail: "failed" },
  // R-REV-4: staff confirm the outcome computed from the experts' scores.
  reviewed: { confirm_pass: "passed", confirm_fail: "failed" },
  // R-PAY-3: passed applications go into a payout batch, and can be taken out while it is prepared.
  passed: { add_to_batch: "in_batch" },
  in_batch: { remove_from_batch: "passed", mark_paid: "paid" },
  refused: {},
  failed: {},
  // R-PAY-3: a payment that came back (冲正) makes the application payable again, in a correction batch.
  paid: { reverse_payment: "passed" },
};

export type TransitionResult = { ok: true; to: ApplicationStatus } | { ok: false; message: string };

/** The one way an application's status changes. */
export function transition(status: ApplicationStatus, event: ApplicationEvent): TransitionResult {
  const to = TRANSITIONS[status][event];
  if (to === undefined) {
    const label = APPLICATION_EVENTS[event].label;
    return { ok: false, message: `申报当前状态为“${APPLICATION_STATUSES[status]}”，不能执行“${label}”操作` };
  }
  return { ok: true, to };
}

/** The events allowed from a status (for showing the right buttons). */
export function allowedEvents(status: ApplicationStatus): ApplicationEvent[] {
  return Object.keys(APPLICATION_EVENTS).filter(
    (event): event is ApplicationEvent => isApplicationEvent(event) && TRANSITIONS[status][event] !== undefined,
  );
}

/** Statuses no event leaves. */
export function isFinal(status: ApplicationStatus): boolean {
  return allowedEvents(status).length === 0;
}

/** R-DATE-1 / R-MAT-2: the provider edits its application only as a draft or when it was returned. */
export function providerCanEdit(status: ApplicationStatus): boolean {
  return status === "draft" || status === "returned";
}

export function isApplicationStatus(value: string): value is ApplicationStatus {
  return Object.keys(APPLICATION_STATUSES).includes(value);
}

export function isApplicationEvent(value: string): value is ApplicationEvent {
  return Object.keys(APPLICATION_EVENTS).includes(value);
}
