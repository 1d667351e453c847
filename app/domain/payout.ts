/**
 * Payout batches (R-PAY-1, R-PAY-3): totals per provider, the canonical content a batch digest is
 * computed from, the maker-checker rule and which applications may go into a batch.
 *
 * Amounts are integer fen (R-PAY-1). Each line's amount is computed beforehand (money.ts payoutFen);
 * this module only adds integers and refuses anything else.
 */
import type { PayeeAccount, PayeeState } from "./payee.ts";

export type BatchLine = {
  applicationId: string;
  applicationNo: string;
  providerName: string;
  enterpriseName: string;
  /** Integer fen. */
  amountFen: number;
  /** The provider's payee account fixed at preparation (payout-batch/v2); null if it had none. */
  payee?: PayeeAccount | null;
};

export type ProviderTotal = {
  providerName: string;
  count: number;
  totalFen: number;
  /** Sorted by application number. */
  lines: BatchLine[];
};

export type BatchTotals = {
  count: number;
  totalFen: number;
  /** Sorted by provider name (pinyin order for display). */
  providers: ProviderTotal[];
};

export type Check = { ok: true } | { ok: false; message: string };

/** Code-unit order: the same on every machine, whatever its locale data. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const byPinyin = new Intl.Collator("zh-Hans-CN");

function byApplicationNo(a: BatchLine, b: BatchLine): number {
  return byCodeUnits(a.applicationNo, b.applicationNo) || byCodeUnits(a.applicationId, b.applicationId);
}

/** R-PAY-1: amounts are non-negative integers of fen, and an application appears once. */
function checkLines(lines: readonly BatchLine[]): void {
  const seen = new Set<string>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amountFen) || line.amountFen < 0) {
      throw new RangeError(`amount of ${line.applicationNo} is not a non-negative integer of fen: ${line.amountFen}`);
    }
    if (seen.has(line.applicationId)) throw new RangeError(`application ${line.applicationNo} is twice in the batch`);
    seen.add(line.applicationId);
  }
}

function sumFen(lines: readonly BatchLine[]): number {
  const total = lines.reduce((sum, line) => sum + line.amountFen, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError(`batch total is too large: ${total}`);
  return total;
}

/** R-PAY-1 / R-PAY-3: the batch total and the total per provider, for the batch page and the disbursement list. */
export function batchTotals(lines: readonly BatchLine[]): BatchTotals {
  checkLines(lines);
  const byProvider = new Map<string, BatchLine[]>();
  for (const line of lines) {
    const group = byProvider.get(line.providerName) ?? [];
    group.push(line);
    byProvider.set(line.providerName, group);
  }
  const providers = [...byProvider.entries()]
    .sort(([a], [b]) => byPinyin.compare(a, b) || byCodeUnits(a, b))
    .map(([providerName, group]) => ({
      providerName,
      count: group.length,
      totalFen: sumFen(group),
      lines: [...group].sort(byApplicationNo),
    }));
  return { count: lines.length, totalFen: sumFen(lines), providers };
}

/**
 * Version of the canonical form; change it (never the form of a version) if the content changes.
 * v1: the lines and amounts. v2 (release 2): also each line's payee account, so a change of bank
 * details after approval no longer matches the digest.
 */
export const BATCH_CONTENT_FORMAT = "payout-batch/v2";
export type BatchContentFormat = "payout-batch/v1" | "payout-batch/v2";

/**
 * R-PAY-3: the content of a batch as one canonical string, hashed (SHA-256 of its UTF-8 bytes) by the
 * service into the batch digest that the approval and the export carry. Canonical: JSON with keys in
 * a fixed order, lines sorted by application number, references sorted by key, amounts as integers —
 * so the same batch always gives the same string, whatever order its lines were read in.
 */
export function canonicalBatchContent({
  batchNo,
  roundId,
  lines,
  references = {},
  format = BATCH_CONTENT_FORMAT,
}: {
  batchNo: string;
  roundId: string;
  lines: readonly BatchLine[];
  /** Further identifiers the approval covers, such as the approval document number (文号). */
  references?: Readonly<Record<string, string>>;
  /** The form to write: the current one, or v1 to check a batch approved before v2. */
  format?: BatchContentFormat;
}): string {
  checkLines(lines);
  const sortedLines = [...lines].sort(byApplicationNo).map((line) => ({
    applicationNo: line.applicationNo,
    applicationId: line.applicationId,
    providerName: line.providerName,
    enterpriseName: line.enterpriseName,
    amountFen: line.amountFen,
    ...(format === "payout-batch/v2"
      ? {
          payee: line.payee
            ? {
                accountName: line.payee.accountName,
                bankName: line.payee.bankName,
                accountNumber: line.payee.accountNumber,
              }
            : null,
        }
      : {}),
  }));
  const sortedReferences = Object.keys(references)
    .sort(byCodeUnits)
    .map((key) => [key, references[key] ?? ""]);
  return JSON.stringify({
    format,
    batchNo,
    roundId,
    count: lines.length,
    totalFen: sumFen(lines),
    lines: sortedLines,
    references: sortedReferences,
  });
}

/** The role a user needs to approve a batch (prisma enum Role). */
export const APPROVER_ROLE = "approver";

/**
 * R-PAY-3: maker-checker — another officer, holding the approver role, approves a batch. "Another"
 * means independent: not the preparer, not an account the approver created or invited, and not the
 * account that created or invited the approver (a detour through a second account of one's own).
 */
export function checkMakerChecker({
  preparedBy,
  approver,
  approverRoles,
  preparerCreatedBy = null,
  approverCreatedBy = null,
}: {
  preparedBy: string;
  approver: string;
  approverRoles: readonly string[];
  /** Who created or invited the preparer's account (null: registered or seeded). */
  preparerCreatedBy?: string | null;
  /** Who created or invited the approver's account. */
  approverCreatedBy?: string | null;
}): Check {
  if (preparedBy === approver) return { ok: false, message: "不能审批自己编制的拨付批次，须由其他人员审批" };
  if (!approverRoles.includes(APPROVER_ROLE))
    return { ok: false, message: "您没有审批拨付批次的权限（需分管领导审批角色）" };
  if (preparerCreatedBy === approver) {
    return { ok: false, message: "编制该批次的账号是您创建或邀请的，不能由您审批，须由其他审批人员审批" };
  }
  if (approverCreatedBy === preparedBy) {
    return { ok: false, message: "您的账号由该批次的编制人创建或邀请，不能审批其编制的批次，须由其他审批人员审批" };
  }
  return { ok: true };
}

export type BatchCandidate = {
  status: string;
  /** Staff confirmed the review outcome (R-REV-4). */
  resultConfirmed: boolean;
  passed: boolean;
  /** The batch the application is in, if any. */
  batchId: string | null;
};

/**
 * R-PAY-1 / R-PAY-3: only a passed application, its result confirmed, in no other batch, can be
 * added to a batch. `batchId` is the batch being prepared, if it exists yet.
 */
export function eligibleForBatch(app: BatchCandidate, batchId?: string): Check {
  if (app.batchId !== null) {
    return app.batchId === batchId
      ? { ok: false, message: "该申报已在本拨付批次中" }
      : { ok: false, message: "该申报已在其他拨付批次中，不能重复拨付" };
  }
  if (app.status === "paid") return { ok: false, message: "该申报已拨付" };
  if (!app.passed) return { ok: false, message: "该申报评审不合格，不予拨付" };
  if (!app.resultConfirmed) return { ok: false, message: "该申报评审结果尚未确认，暂不能拨付" };
  if (app.status !== "passed") return { ok: false, message: "该申报当前状态不能加入拨付批次" };
  return { ok: true };
}

/** R-PAY-3: a payout batch's life (prisma enum PayoutBatchStatus). */
export const PAYOUT_BATCH_STATUSES = {
  prepared: "待审批",
  returned: "已退回",
  approved: "已审批",
  paid: "已拨付",
} as const satisfies Record<string, string>;
export type PayoutBatchStatus = keyof typeof PAYOUT_BATCH_STATUSES;

/** What still stands between a passed application and its payment, in the order they are cleared. */
export const PAYOUT_BLOCKERS = {
  reviews_missing: "专家评审未完成",
  result_unconfirmed: "评审结果未确认",
  batch_not_prepared: "未编入拨付批次",
  not_approved: "拨付批次待审批",
  not_paid: "已审批，待拨付",
  notice_pending: "公示期未结束",
  notice_missed: "结果确认晚于公示开始，须重新公示",
  objection_open: "公示异议未处理",
  objection_upheld: "公示异议成立，不予拨付",
  payee_missing: "服务商未登记收款账户",
  payee_pending: "服务商收款账户待核验",
} as const satisfies Record<string, string>;
export type PayoutBlocker = keyof typeof PAYOUT_BLOCKERS;

export type BlockerInput = {
  /** Assigned (not withdrawn) experts whose review is not submitted. */
  reviewsMissing: number;
  resultConfirmed: boolean;
  batchStatus: PayoutBatchStatus | null;
  /** Whether the application's public notice (公示) is over (noticeClearance); not checked when absent. */
  notice?: NoticeClearance;
  /** Objections received during the notice; not checked when absent. */
  objections?: ObjectionCounts;
  /** The provider's payee account; not checked when absent. */
  payee?: PayeeState;
};

/**
 * R-PAY-3: what still blocks payment of an application on its way to being paid, first blocker first;
 * an empty list means paid.
 */
export function payoutBlockersOf(input: BlockerInput): PayoutBlocker[] {
  const blockers: PayoutBlocker[] = [];
  if (input.reviewsMissing > 0) blockers.push("reviews_missing");
  if (!input.resultConfirmed) blockers.push("result_unconfirmed");
  if (input.batchStatus === "paid") return blockers;
  if (input.resultConfirmed && input.notice === "pending") blockers.push("notice_pending");
  if (input.resultConfirmed && input.notice === "missed") blockers.push("notice_missed");
  if (input.objections && input.objections.open > 0) blockers.push("objection_open");
  if (input.objections && input.objections.upheld > 0) blockers.push("objection_upheld");
  if (input.payee === "missing") blockers.push("payee_missing");
  if (input.payee === "pending") blockers.push("payee_pending");
  if (input.batchStatus === null || input.batchStatus === "returned") blockers.push("batch_not_prepared");
  else if (input.batchStatus === "prepared") blockers.push("not_approved");
  else blockers.push("not_paid");
  return blockers;
}

export type NoticeWindow = { opensAt: Date | null; closesAt: Date | null };
export type NoticeState = "unset" | "not_yet" | "open" | "closed";

/** Public notice (公示): open from its opening instant up to and including its closing instant. */
export function noticeState(window: NoticeWindow, now: Date): NoticeState {
  if (!window.opensAt || !window.closesAt) return "unset";
  if (now.getTime() < window.opensAt.getTime()) return "not_yet";
  if (now.getTime() > window.closesAt.getTime()) return "closed";
  return "open";
}

/**
 * Whether an application's public notice is over: its result was confirmed before the notice opened
 * (so it was on the notice for the whole period) and the notice has closed. 审核通过后公示, then pay.
 */
export type NoticeClearance = "cleared" | "pending" | "missed";

export function noticeClearance(window: NoticeWindow, resultConfirmedAt: Date | null, now: Date): NoticeClearance {
  if (noticeState(window, now) !== "closed" || !window.opensAt) return "pending";
  if (!resultConfirmedAt || resultConfirmedAt.getTime() > window.opensAt.getTime()) return "missed";
  return "cleared";
}

/** R-PAY-3: a batch is approved only for applications whose notice is over (审核通过后公示). */
export function checkNoticeCleared(clearance: NoticeClearance): Check {
  if (clearance === "pending") return { ok: false, message: "公示期尚未结束（或尚未公示），公示期满后方可审批拨付" };
  if (clearance === "missed")
    return { ok: false, message: "该申报的评审结果在公示开始后才确认，未经完整公示，须重新公示后方可拨付" };
  return { ok: true };
}

export type ObjectionCounts = { open: number; upheld: number };

/** The outcome of an objection (prisma enum ObjectionOutcome). */
export const OBJECTION_OUTCOMES = {
  upheld: "异议成立，不予拨付",
  dismissed: "异议不成立，继续拨付",
} as const satisfies Record<string, string>;

/**
 * R-PAY-3: what holds an application out of payment whatever its notice: an objection not yet
 * decided, or upheld; a provider with no payee account, or one changed and not yet checked by staff.
 */
export function paymentHold(input: { objections: ObjectionCounts; payee: PayeeState }): Check {
  if (input.objections.open > 0) return { ok: false, message: "该申报有公示异议尚未处理，暂不能拨付" };
  if (input.objections.upheld > 0) return { ok: false, message: "该申报公示异议成立，不予拨付" };
  if (input.payee === "missing") return { ok: false, message: "服务商未登记收款账户，暂不能拨付" };
  if (input.payee === "pending") return { ok: false, message: "服务商收款账户尚待工信局核验，暂不能拨付" };
  return { ok: true };
}

/** A notice window must close after it opens. */
export function checkNoticeWindow(window: NoticeWindow): Check {
  if (!window.opensAt && !window.closesAt) return { ok: true };
  if (!window.opensAt || !window.closesAt) return { ok: false, message: "公示开始和结束时间须同时填写" };
  if (window.closesAt.getTime() <= window.opensAt.getTime())
    return { ok: false, message: "公示结束时间须晚于开始时间" };
  return { ok: true };
}

/** R-PAY-1: a warning when the payouts of a round exceed its budget (null when within or no budget). */
export function budgetWarning(totalFen: number, budgetFen: number | null): { overByFen: number } | null {
  if (budgetFen === null || totalFen <= budgetFen) return null;
  return { overByFen: totalFen - budgetFen };
}

/**
 * R-PAY-3: the date a batch was paid (Beijing calendar dates, YYYY-MM-DD): not before the batch was
 * approved, not in the future.
 */
export function checkPaidOn(paidOn: string, approvedOn: string | null, today: string): Check {
  if (paidOn > today) return { ok: false, message: "拨付日期不能晚于今天" };
  if (approvedOn && paidOn < approvedOn) return { ok: false, message: `拨付日期不能早于审批日期（${approvedOn}）` };
  return { ok: true };
}
