/**
 * The staff side of the formal review (R-REV-4, R-REV-5, R-MAT-2): each application's experts and
 * scores, the computed result, reopening one expert's review, and confirming results, which freezes
 * them and tells each provider once. And the provider's view of its confirmed results, which never
 * names an expert.
 */
import { type ApplicationEvent, type ApplicationStatus, transition } from "~/domain/application-status.ts";
import { clearanceReasonError, copyFlagBlocks, copyFlagMessage, type CopyFlagState } from "~/domain/copy-gate.ts";
import type { ResultFilter } from "~/domain/labels.ts";
import { payoutFen } from "~/domain/money.ts";
import {
  decideApplication,
  type Decision,
  expertTotal,
  fromStoredReview,
  isVetoed,
  providerReasons,
  type Review as DomainReview,
  type StoredReview,
  validateReview,
} from "~/domain/scoring.ts";
import { formatHundredths, SPREAD_LIMIT } from "~/domain/scoring.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { resultMailLine, reviewReopenedMail, reviewResultMail } from "~/emails/review.ts";
import { applicationMatching } from "~/models/application-search.server.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";

/** A stored, submitted review as the domain's complete review (null when the stored row is not complete). */
export function submittedReview(stored: StoredReview): DomainReview | null {
  const checked = validateReview(fromStoredReview(stored), { allowHalfPoints: true, mode: "submit" });
  return checked.ok ? checked.review : null;
}

const reviewSelect = {
  id: true,
  status: true,
  version: true,
  submittedAt: true,
  reopenedAt: true,
  reopenReason: true,
  materialsComplete: true,
  materialsNote: true,
  basicsHalfPoints: true,
  basicsComment: true,
  recommendationsHalfPoints: true,
  recommendationsComment: true,
  estimatesHalfPoints: true,
  estimatesComment: true,
  deduction: true,
  deductionReason: true,
  veto: true,
  vetoEvidence: true,
} as const;

const resultApplicationSelect = {
  id: true,
  number: true,
  status: true,
  version: true,
  reportTitle: true,
  organisationId: true,
  finalScoreHundredths: true,
  resultPassed: true,
  resultReasons: true,
  resultConfirmedAt: true,
  contractAmountFen: true,
  payoutAmountFen: true,
  copyFlagClearance: true,
  organisation: { select: { name: true, contactEmail: true } },
  enterprise: { select: { name: true } },
  round: {
    select: {
      id: true,
      name: true,
      passMark: true,
      perEnterpriseCapFen: true,
      similarityThreshold: true,
      scoreAggregation: true,
      reviewDeadline: true,
    },
  },
  assignments: {
    where: { withdrawnAt: null },
    orderBy: { assignedAt: "asc" },
    select: { id: true, expert: { select: { id: true, name: true } }, review: { select: reviewSelect } },
  },
} as const;

type ResultApplication = {
  id: string;
  status: ApplicationStatus;
  round: { passMark: number; scoreAggregation: "mean" | "median" };
  assignments: { review: (StoredReview & { status: "draft" | "submitted" }) | null }[];
};

export type ComputedResult = {
  assigned: number;
  submitted: number;
  /** Every assigned expert has submitted (and at least one is assigned). */
  complete: boolean;
  /** From the submitted reviews so far; null when none is in. */
  decision: Decision | null;
  reasons: string[];
};

/** R-REV-4: the result computed from the submitted reviews of the non-withdrawn assignments. */
export function computeResult(application: ResultApplication): ComputedResult {
  const reviews = application.assignments.flatMap((a) => {
    if (a.review?.status !== "submitted") return [];
    const review = submittedReview(a.review);
    return review ? [review] : [];
  });
  const assigned = application.assignments.length;
  const decision = reviews.length
    ? decideApplication({
        reviews,
        aggregation: application.round.scoreAggregation,
        passMark: application.round.passMark,
        spreadLimit: SPREAD_LIMIT,
      })
    : null;
  return {
    assigned,
    submitted: reviews.length,
    complete: assigned > 0 && reviews.length === assigned,
    decision,
    reasons: decision ? providerReasons(reviews, decision, application.round.passMark) : [],
  };
}

export type CopyState = CopyFlagState & { blocks: boolean };

/**
 * R-REV-3: whether the copy check flagged each application's report (at or above its round's
 * threshold) or a photo (every stored photo pair is a match), whether an expert vetoed it, and the
 * clearance staff recorded.
 */
export async function copyStates(
  applications: readonly {
    id: string;
    copyFlagClearance: string | null;
    round: { similarityThreshold: number };
    assignments: readonly { review: { status: string; veto: boolean } | null }[];
  }[],
): Promise<Map<string, CopyState>> {
  const ids = applications.map((a) => a.id);
  const prisma = await db();
  const matches = ids.length
    ? await prisma.similarityMatch.findMany({
        where: { OR: [{ applicationAId: { in: ids } }, { applicationBId: { in: ids } }] },
        select: { kind: true, score: true, applicationAId: true, applicationBId: true },
      })
    : [];
  return new Map(
    applications.map((a) => {
      const flagged = matches.some(
        (m) =>
          (m.applicationAId === a.id || m.applicationBId === a.id) &&
          (m.kind === "photo" || m.score >= a.round.similarityThreshold),
      );
      const vetoed = a.assignments.some((x) => x.review?.status === "submitted" && x.review.veto);
      const state = { flagged, vetoed, clearance: a.copyFlagClearance };
      return [a.id, { ...state, blocks: copyFlagBlocks(state) }];
    }),
  );
}

/** Statuses from which an application is in (or past) the expert review. */
const REVIEW_STATUSES: ApplicationStatus[] = [
  "accepted",
  "under_review",
  "reviewed",
  "passed",
  "failed",
  "in_batch",
  "paid",
];

/** R-REV-4: a round's applications with experts assigned, each with its computed (or confirmed) result. */
export async function listRoundResults(
  roundId: string,
  options: { filter: ResultFilter; q: string; page: number; pageSize: number },
) {
  const prisma = await db();
  const q = options.q.trim();
  const applications = await prisma.application.findMany({
    where: {
      roundId,
      status: { in: REVIEW_STATUSES },
      assignments: { some: {} },
      ...(q ? applicationMatching(q) : {}),
    },
    orderBy: { number: "asc" },
    select: resultApplicationSelect,
  });
  const copy = await copyStates(applications);
  const noCopyFlag: CopyState = { flagged: false, vetoed: false, clearance: null, blocks: false };
  // R-REV-3: applications the copy check flagged come first, those still blocking confirmation first of all.
  const rank = (state: CopyState) => (state.blocks ? 0 : state.flagged ? 1 : 2);
  const rows = applications
    .map((application) => ({
      application,
      result: computeResult(application),
      copy: copy.get(application.id) ?? noCopyFlag,
    }))
    .sort((a, b) => rank(a.copy) - rank(b.copy) || a.application.number.localeCompare(b.application.number));
  const matching = rows.filter(({ application, result, copy: state }) => {
    switch (options.filter) {
      case "copy":
        return state.flagged;
      case "pending":
        return !application.resultConfirmedAt && !result.complete;
      case "ready":
        return !application.resultConfirmedAt && result.complete;
      case "spread":
        return result.decision?.spreadFlag ?? false;
      case "confirmed":
        return application.resultConfirmedAt !== null;
      default:
        return true;
    }
  });
  const counts = {
    total: rows.length,
    // R-REV-3: a flagged application without veto or clearance is not ready to confirm.
    ready: rows.filter((r) => !r.application.resultConfirmedAt && r.result.complete && !r.copy.blocks).length,
    copyBlocked: rows.filter((r) => !r.application.resultConfirmedAt && r.result.complete && r.copy.blocks).length,
    confirmed: rows.filter((r) => r.application.resultConfirmedAt).length,
  };
  const start = (options.page - 1) * options.pageSize;
  return { rows: matching.slice(start, start + options.pageSize), matching: matching.length, counts };
}

/** One application with every assigned expert's review (drafts show as not submitted) and the audit of its reviews. */
export async function getApplicationResult(applicationId: string) {
  const prisma = await db();
  const application = await prisma.application.findUnique({
    where: { id: applicationId },
    select: {
      ...resultApplicationSelect,
      resultConfirmedById: true,
      assignments: {
        orderBy: { assignedAt: "asc" },
        select: {
          id: true,
          withdrawnAt: true,
          withdrawnReason: true,
          noConflictConfirmedAt: true,
          expert: { select: { id: true, name: true } },
          review: { select: reviewSelect },
        },
      },
    },
  });
  if (!application) return null;
  const active = application.assignments.filter((a) => a.withdrawnAt === null);
  const copy = (await copyStates([{ ...application, assignments: active }])).get(application.id);
  return { application, active, result: computeResult({ ...application, assignments: active }), copy };
}

export type ReopenOutcome = { ok: true } | { ok: false; message: string };

/** R-REV-5: staff reopen one expert's submitted review, with a reason, on the record; never after the result is confirmed. */
export async function reopenReview(
  actor: NonNullable<Actor>,
  reviewId: string,
  reason: string,
): Promise<ReopenOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const review = await tx.review.findUnique({
      where: { id: reviewId },
      select: {
        ...reviewSelect,
        expertId: true,
        assignmentId: true,
        assignment: { select: { expert: { select: { email: true, name: true } } } },
        application: { select: { number: true, reportTitle: true, resultConfirmedAt: true } },
      },
    });
    if (!review) return { ok: false, message: "评分不存在。" };
    if (review.application.resultConfirmedAt)
      return { ok: false, message: "该申报的评审结果已确认并冻结，不能退回评分。" };
    if (review.status !== "submitted") return { ok: false, message: "该专家尚未提交评分，无需退回。" };
    const at = now();
    const updated = await tx.review.updateMany({
      where: { id: reviewId, version: review.version, status: "submitted" },
      data: { status: "draft", submittedAt: null, reopenedAt: at, reopenReason: reason, version: { increment: 1 } },
    });
    if (updated.count === 0) return { ok: false, message: "该评分刚被他人修改，请刷新页面后再试。" };
    const { id: _id, version: _version, application, expertId, assignmentId, assignment, ...scores } = review;
    await recordAudit(tx, {
      actor,
      action: "review.reopen",
      entityType: "review",
      entityId: reviewId,
      before: {
        ...scores,
        submittedAt: review.submittedAt?.toISOString() ?? null,
        reopenedAt: review.reopenedAt?.toISOString() ?? null,
      },
      after: { status: "draft", reopenedAt: at.toISOString(), expertId, applicationNumber: application.number },
      reason,
    });
    await enqueueMail(tx, {
      to: assignment.expert.email,
      ...reviewReopenedMail({
        expertName: assignment.expert.name,
        applicationNumber: application.number,
        reportTitle: application.reportTitle,
        reason,
        link: `${env().publicUrl}/expert/reviews/${assignmentId}`,
      }),
    });
    return { ok: true };
  });
}

/** The events that take an application from where it is to a confirmed result (R-REV-4, R-MAT-2). */
function pathToResult(status: ApplicationStatus, passed: boolean): ApplicationEvent[] | null {
  const confirm: ApplicationEvent = passed ? "confirm_pass" : "confirm_fail";
  const events: ApplicationEvent[] =
    status === "accepted"
      ? ["assign_experts", "complete_reviews", confirm]
      : status === "under_review"
        ? ["complete_reviews", confirm]
        : status === "reviewed"
          ? [confirm]
          : [];
  if (events.length === 0) return null;
  let current = status;
  for (const event of events) {
    const moved = transition(current, event);
    if (!moved.ok) return null;
    current = moved.to;
  }
  return events;
}

export type ConfirmOutcome =
  | { ok: true; confirmed: number; skipped: number; copyBlocked: string[]; mails: number }
  | { ok: false; message: string };

class ConfirmConflict extends Error {}

/**
 * R-REV-4 / R-LOG-1: confirm the results of the chosen applications (or every one ready) in one
 * transaction: each is frozen with its final score, pass/fail and reasons, moves to 合格/不合格 through
 * the state machine, gets its audit entry, and each provider gets ONE e-mail listing its applications
 * — with no expert's name. An application whose reviews are not all in is not confirmed (a chosen one
 * refuses the whole confirmation).
 */
export async function confirmResults(
  actor: NonNullable<Actor>,
  roundId: string,
  selection: { all: true } | { all: false; applicationIds: string[] },
): Promise<ConfirmOutcome> {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: {
      roundId,
      resultConfirmedAt: null,
      status: { in: REVIEW_STATUSES },
      assignments: { some: {} },
      ...(selection.all ? {} : { id: { in: selection.applicationIds } }),
    },
    orderBy: { number: "asc" },
    select: resultApplicationSelect,
  });
  if (!selection.all) {
    const found = new Set(applications.map((a) => a.id));
    if (selection.applicationIds.length === 0) return { ok: false, message: "请先勾选要确认的申报。" };
    if (selection.applicationIds.some((id) => !found.has(id)))
      return { ok: false, message: "所选申报中有的已确认或不在本批次评审中，请刷新页面后重试。" };
  }
  const copy = await copyStates(applications);
  const computed = applications.map((application) => ({
    application,
    result: computeResult(application),
    copy: copy.get(application.id),
  }));
  const notReady = computed.filter((c) => !c.result.complete || !c.result.decision);
  if (!selection.all && notReady.length > 0) {
    return {
      ok: false,
      message: `以下申报尚有专家未提交评分，不能确认：${notReady.map((c) => c.application.number).join("、")}`,
    };
  }
  // R-REV-3: never pass copying silently: a flagged application needs a veto or a recorded clearance.
  const blocked = computed.filter((c) => c.result.complete && c.result.decision && c.copy?.blocks);
  if (!selection.all && blocked.length > 0)
    return { ok: false, message: copyFlagMessage(blocked.map((c) => c.application.number)) };
  const ready = computed.filter((c) => c.result.complete && c.result.decision && !c.copy?.blocks);
  if (ready.length === 0) {
    return {
      ok: false,
      message:
        blocked.length > 0
          ? copyFlagMessage(blocked.map((c) => c.application.number))
          : "没有可确认的申报：需全部指派专家提交评分后才能确认结果。",
    };
  }

  const at = now();
  try {
    const mails = await prisma.$transaction(async (tx) => {
      const byProvider = new Map<string, { email: string; name: string; lines: string[] }>();
      for (const { application, result } of ready) {
        const decision = result.decision;
        if (!decision) continue;
        const events = pathToResult(application.status, decision.passed);
        if (!events) throw new ConfirmConflict(`申报 ${application.number} 当前状态不能确认评审结果。`);
        const finalScoreHundredths = Math.round(decision.finalScore * 100);
        // R-PAY-1: the payout is fixed now, with the round's cap as it stands (locked since the first submission).
        const payoutAmountFen = decision.passed
          ? payoutFen(application.contractAmountFen, application.round.perEnterpriseCapFen)
          : null;
        const to = transitionsTo(application.status, events);
        const updated = await tx.application.updateMany({
          where: { id: application.id, version: application.version, resultConfirmedAt: null },
          data: {
            status: to,
            version: { increment: 1 },
            finalScoreHundredths,
            resultPassed: decision.passed,
            resultReasons: result.reasons,
            resultConfirmedAt: at,
            resultConfirmedById: actor.id,
            payoutAmountFen,
          },
        });
        if (updated.count === 0)
          throw new ConfirmConflict(`申报 ${application.number} 刚被他人修改或确认，请刷新页面后重试。`);
        await recordAudit(tx, {
          actor,
          action: "application.confirm_result",
          entityType: "application",
          entityId: application.id,
          before: { status: application.status },
          after: {
            status: to,
            events,
            finalScore: decision.finalScore,
            passed: decision.passed,
            reasons: result.reasons,
            totals: decision.totals,
            spread: decision.spread,
            aggregation: application.round.scoreAggregation,
            passMark: application.round.passMark,
            payoutAmountFen,
            ...(application.copyFlagClearance ? { copyFlagClearance: application.copyFlagClearance } : {}),
          },
        });
        const entry = byProvider.get(application.organisationId) ?? {
          email: application.organisation.contactEmail,
          name: application.organisation.name,
          lines: [],
        };
        entry.lines.push(
          resultMailLine(
            {
              number: application.number,
              enterpriseName: application.enterprise.name,
              reportTitle: application.reportTitle,
            },
            decision,
            result.reasons,
          ),
        );
        byProvider.set(application.organisationId, entry);
      }
      const round = ready[0]?.application.round ?? { name: "", scoreAggregation: "mean", passMark: 60 };
      for (const provider of byProvider.values()) {
        await enqueueMail(tx, {
          to: provider.email,
          ...reviewResultMail({
            providerName: provider.name,
            roundName: round.name,
            lines: provider.lines,
            scoreAggregation: round.scoreAggregation,
            passMark: round.passMark,
          }),
        });
      }
      return byProvider.size;
    });
    return {
      ok: true,
      confirmed: ready.length,
      skipped: computed.length - ready.length,
      copyBlocked: blocked.map((c) => c.application.number),
      mails,
    };
  } catch (error) {
    if (error instanceof ConfirmConflict) return { ok: false, message: error.message };
    throw error;
  }
}

export type ClearanceOutcome = { ok: true } | { ok: false; field: "reason" | "form"; message: string };

/**
 * R-REV-3, R-LOG-1: staff record why the copy check's flag on an application is not copying. The reason
 * is kept on the application (and with its result when confirmed) and in the audit log.
 */
export async function clearCopyFlag(
  actor: NonNullable<Actor>,
  applicationId: string,
  reason: string,
): Promise<ClearanceOutcome> {
  const error = clearanceReasonError(reason);
  if (error) return { ok: false, field: "reason", message: error };
  const found = await getApplicationResult(applicationId);
  if (!found) return { ok: false, field: "form", message: "申报不存在。" };
  if (found.application.resultConfirmedAt)
    return { ok: false, field: "form", message: "评审结果已确认并冻结，不能再记录。" };
  if (!found.copy?.flagged) return { ok: false, field: "form", message: "该申报未被雷同检查标记，无需记录。" };
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.application.updateMany({
      where: { id: applicationId, resultConfirmedAt: null },
      data: { copyFlagClearance: reason.trim() },
    });
    if (updated.count !== 1)
      return { ok: false as const, field: "form" as const, message: "评审结果刚被确认，请刷新页面。" };
    await recordAudit(tx, {
      actor,
      action: "application.copy_flag_cleared",
      entityType: "application",
      entityId: applicationId,
      before: { copyFlagClearance: found.application.copyFlagClearance },
      after: { copyFlagClearance: reason.trim() },
      reason: reason.trim(),
    });
    return { ok: true as const };
  });
}

function transitionsTo(status: ApplicationStatus, events: ApplicationEvent[]): ApplicationStatus {
  let current = status;
  for (const event of events) {
    const moved = transition(current, event);
    if (!moved.ok) throw new ConfirmConflict(moved.message);
    current = moved.to;
  }
  return current;
}

export { formatHundredths };

/** Every confirmed result of the provider's applications, all rounds, newest first (R-REV-4); nothing about who reviewed. */
export async function listOwnConfirmedResults(organisationId: string) {
  const prisma = await db();
  const rows = await prisma.application.findMany({
    where: { organisationId, resultConfirmedAt: { not: null } },
    orderBy: [{ resultConfirmedAt: "desc" }, { number: "asc" }],
    select: {
      id: true,
      number: true,
      reportTitle: true,
      enterprise: { select: { name: true } },
      round: { select: { name: true } },
      finalScoreHundredths: true,
      resultPassed: true,
      resultReasons: true,
      resultConfirmedAt: true,
    },
  });
  return rows.flatMap((row) => {
    const result = providerResult(row);
    return result
      ? [
          {
            id: row.id,
            number: row.number,
            reportTitle: row.reportTitle,
            enterpriseName: row.enterprise.name,
            roundName: row.round.name,
            result,
          },
        ]
      : [];
  });
}

/** The provider's confirmed results (R-REV-4), by application; nothing about who reviewed. */
export async function listOwnResults(organisationId: string, applicationIds: string[]) {
  const prisma = await db();
  const rows = await prisma.application.findMany({
    where: { organisationId, id: { in: applicationIds }, resultConfirmedAt: { not: null } },
    select: { id: true, finalScoreHundredths: true, resultPassed: true, resultReasons: true, resultConfirmedAt: true },
  });
  return new Map(rows.map((row) => [row.id, providerResult(row)]));
}

export type ProviderResult = {
  passed: boolean;
  vetoed: boolean;
  finalScore: string;
  reasons: string[];
  confirmedAt: string;
};

export function providerResult(row: {
  finalScoreHundredths: number | null;
  resultPassed: boolean | null;
  resultReasons: unknown;
  resultConfirmedAt: Date | null;
}): ProviderResult | null {
  if (!row.resultConfirmedAt || row.resultPassed === null || row.finalScoreHundredths === null) return null;
  const reasons = Array.isArray(row.resultReasons)
    ? row.resultReasons.filter((r): r is string => typeof r === "string")
    : [];
  return {
    passed: row.resultPassed,
    vetoed: !row.resultPassed && isVetoed(reasons),
    finalScore: formatHundredths(row.finalScoreHundredths),
    reasons,
    confirmedAt: formatShanghai(row.resultConfirmedAt),
  };
}

/** Rows of the score sheet export (R-REV-1..4): one per application and expert, submitted reviews only. */
export async function scoreSheetRows(roundId: string) {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: { roundId, status: { in: REVIEW_STATUSES }, assignments: { some: {} } },
    orderBy: { number: "asc" },
    select: resultApplicationSelect,
  });
  return applications.flatMap((application) => {
    const result = computeResult(application);
    return application.assignments.map((assignment) => {
      const review = assignment.review?.status === "submitted" ? submittedReview(assignment.review) : null;
      return {
        application,
        result,
        expertName: assignment.expert.name,
        review,
        total: review ? expertTotal(review) : null,
      };
    });
  });
}

/** One expert's submitted review with what its score sheet prints. Staff, or the expert itself. */
export async function scoreSheetData(reviewId: string, viewer: { id: string; staff: boolean }) {
  const prisma = await db();
  const row = await prisma.review.findFirst({
    where: {
      id: reviewId,
      status: "submitted",
      ...(viewer.staff ? {} : { expertId: viewer.id, assignment: { withdrawnAt: null } }),
    },
    select: {
      ...reviewSelect,
      assignment: { select: { expert: { select: { name: true } } } },
      application: {
        select: {
          number: true,
          reportTitle: true,
          organisation: { select: { name: true } },
          enterprise: { select: { name: true } },
          round: { select: { name: true } },
        },
      },
    },
  });
  if (!row) return null;
  const review = submittedReview(row);
  if (!review) return null;
  return { row, review, total: expertTotal(review) };
}
