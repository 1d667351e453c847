/**
 * An expert's side of the formal review (R-REV-1..5): its own assignments, the conflict check before
 * opening one, and its review saved as a draft and submitted. Every query is scoped to the expert
 * (`where: { id, expertId }`): another expert's assignment does not exist for it.
 */
import {
  fromStoredReview,
  type ReviewErrors,
  type ReviewInput,
  toStoredReview,
  validateReview,
} from "~/domain/scoring.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { conflictHandedBackMail } from "~/emails/review.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation } from "~/utils/db.server.ts";

export type ExpertActor = { id: string; name: string };

/** The expert's own, non-withdrawn assignments, newest round first. */
export async function listOwnAssignments(expertId: string) {
  const prisma = await db();
  const assignments = await prisma.expertAssignment.findMany({
    where: { expertId, withdrawnAt: null },
    orderBy: [{ application: { number: "asc" } }],
    select: {
      id: true,
      assignedAt: true,
      noConflictConfirmedAt: true,
      review: { select: { status: true, updatedAt: true, submittedAt: true, reopenedAt: true } },
      application: {
        select: {
          number: true,
          reportTitle: true,
          resultConfirmedAt: true,
          organisation: { select: { name: true } },
          enterprise: { select: { name: true } },
          round: { select: { id: true, name: true, reviewDeadline: true } },
        },
      },
    },
  });
  return assignments;
}

/** One of the expert's own assignments (null when it is not the expert's or was withdrawn). */
export async function getOwnAssignment(expertId: string, assignmentId: string) {
  const prisma = await db();
  return prisma.expertAssignment.findFirst({
    where: { id: assignmentId, expertId, withdrawnAt: null },
    select: {
      id: true,
      applicationId: true,
      noConflictConfirmedAt: true,
      review: true,
      application: {
        select: {
          id: true,
          number: true,
          reportTitle: true,
          contractSignedOn: true,
          diagnosisCompletedOn: true,
          diagnosisDueOn: true,
          completionLate: true,
          resultConfirmedAt: true,
          organisation: { select: { name: true } },
          enterprise: { select: { name: true } },
          round: { select: { id: true, name: true, reviewDeadline: true, allowHalfPoints: true } },
          materials: {
            where: { removedAt: null },
            orderBy: [{ material: "asc" }, { id: "asc" }],
            select: {
              id: true,
              material: true,
              photoTag: true,
              file: { select: { id: true, fileName: true, contentType: true } },
            },
          },
        },
      },
    },
  });
}
export type OwnAssignment = NonNullable<Awaited<ReturnType<typeof getOwnAssignment>>>;

export type ConflictOutcome = { ok: true } | { ok: false; status: 404 | 409; message: string };

/** R-REV-5: the expert confirms it has no conflict with the provider or the enterprise before opening. */
export async function confirmNoConflict(actor: ExpertActor, assignmentId: string): Promise<ConflictOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const at = now();
    const updated = await tx.expertAssignment.updateMany({
      where: { id: assignmentId, expertId: actor.id, withdrawnAt: null, noConflictConfirmedAt: null },
      data: { noConflictConfirmedAt: at },
    });
    if (updated.count === 0) {
      const exists = await tx.expertAssignment.count({
        where: { id: assignmentId, expertId: actor.id, withdrawnAt: null },
      });
      return exists ? { ok: true } : { ok: false, status: 404, message: "评审任务不存在或已撤回。" };
    }
    await recordAudit(tx, {
      actor,
      action: "assignment.confirm_no_conflict",
      entityType: "expertAssignment",
      entityId: assignmentId,
      after: { noConflictConfirmedAt: at.toISOString() },
    });
    return { ok: true };
  });
}

/**
 * R-REV-5: the expert declares a conflict with the provider or the enterprise. The assignment is
 * withdrawn (handed back to staff for reassignment) and the conflict recorded for future assignments.
 */
export async function declareConflict(
  actor: ExpertActor,
  assignmentId: string,
  declaration: { kind: "provider" | "enterprise"; reason: string },
): Promise<ConflictOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const assignment = await tx.expertAssignment.findFirst({
      where: { id: assignmentId, expertId: actor.id, withdrawnAt: null },
      select: {
        id: true,
        applicationId: true,
        assignedById: true,
        review: { select: { status: true } },
        application: {
          select: { number: true, organisation: { select: { name: true } }, enterprise: { select: { name: true } } },
        },
      },
    });
    if (!assignment) return { ok: false, status: 404, message: "评审任务不存在或已撤回。" };
    if (assignment.review?.status === "submitted") {
      return { ok: false, status: 409, message: "评分已提交，不能再申报回避；如有利益冲突请联系区工信局。" };
    }
    const partyName =
      declaration.kind === "provider"
        ? assignment.application.organisation.name
        : assignment.application.enterprise.name;
    const at = now();
    const reason = `专家申报利益冲突（${declaration.kind === "provider" ? "服务商" : "被诊断企业"}：${partyName}）：${declaration.reason}`;
    await tx.expertAssignment.update({
      where: { id: assignment.id },
      data: { withdrawnAt: at, withdrawnReason: reason },
    });
    const existing = await tx.expertConflict.findUnique({
      where: { expertId_kind_partyName: { expertId: actor.id, kind: declaration.kind, partyName } },
    });
    if (!existing) {
      await tx.expertConflict.create({
        data: {
          expertId: actor.id,
          kind: declaration.kind,
          partyName,
          note: declaration.reason,
          declaredBy: "expert",
          recordedById: actor.id,
          createdAt: at,
        },
      });
    }
    await recordAudit(tx, {
      actor,
      action: "assignment.declare_conflict",
      entityType: "expertAssignment",
      entityId: assignment.id,
      before: { withdrawnAt: null },
      after: {
        withdrawnAt: at.toISOString(),
        kind: declaration.kind,
        partyName,
        applicationNumber: assignment.application.number,
      },
      reason,
    });
    // Hand it back: the officer who assigned it is told to reassign.
    const officer = await tx.user.findUnique({
      where: { id: assignment.assignedById },
      select: { email: true, name: true, status: true },
    });
    if (officer && officer.status === "active") {
      await enqueueMail(tx, {
        to: officer.email,
        ...conflictHandedBackMail({
          officerName: officer.name,
          expertName: actor.name,
          applicationNumber: assignment.application.number,
          reason,
        }),
      });
    }
    return { ok: true };
  });
}

/** The expert's own review as the form shows it. */
export function reviewForForm(assignment: OwnAssignment): {
  input: ReviewInput;
  version: number;
  status: "none" | "draft" | "submitted";
} {
  const review = assignment.review;
  if (!review) return { input: {}, version: 0, status: "none" };
  return { input: fromStoredReview(review), version: review.version, status: review.status };
}

export type SaveOutcome =
  | { ok: true; version: number; status: "draft" | "submitted"; savedAt: string }
  /** `conflict`: another tab saved first; the form must not keep saving over it. */
  | { ok: false; status: 400 | 404 | 409; errors?: ReviewErrors; message?: string; conflict?: boolean };

/**
 * R-REV-1..5: save the expert's review as a draft, or submit it (then it is final and read-only).
 * Refused, with the stored draft left as it was: another expert's or a withdrawn assignment (404),
 * no conflict check yet, after the review deadline, after submitting, a frozen result, invalid scores
 * or a missing reason, and a stale `version` (another tab saved first).
 */
export async function saveReview(
  actor: ExpertActor,
  assignmentId: string,
  options: { input: ReviewInput; version: number; mode: "draft" | "submit" },
): Promise<SaveOutcome> {
  const prisma = await db();
  const assignment = await getOwnAssignment(actor.id, assignmentId);
  if (!assignment) return { ok: false, status: 404, message: "评审任务不存在或未分配给您。" };
  if (!assignment.noConflictConfirmedAt)
    return { ok: false, status: 409, message: "请先确认与服务商、被诊断企业不存在利益冲突。" };
  const { round } = assignment.application;
  const at = now();
  if (round.reviewDeadline && at.getTime() > round.reviewDeadline.getTime()) {
    return {
      ok: false,
      status: 409,
      message: `评审已于 ${formatShanghai(round.reviewDeadline)} 截止，不能再保存或提交评分；已保存的草稿保留不变。如需延期请联系区工信局。`,
    };
  }
  if (assignment.application.resultConfirmedAt)
    return { ok: false, status: 409, message: "该申报的评审结果已确认，评分不能再修改。" };
  if (assignment.review?.status === "submitted")
    return { ok: false, status: 409, message: "评分已提交，不能再修改。如需更正请联系区工信局退回。" };

  const checked = validateReview(options.input, { allowHalfPoints: round.allowHalfPoints, mode: options.mode });
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  const stored = toStoredReview(options.input);
  const submitting = options.mode === "submit";
  const data = {
    ...stored,
    status: submitting ? ("submitted" as const) : ("draft" as const),
    submittedAt: submitting ? at : null,
  };
  const stale = (): SaveOutcome => ({
    ok: false,
    status: 409,
    conflict: true,
    message:
      "该评分已在另一个窗口或标签页中修改并保存，为避免相互覆盖，本次内容未保存。请复制您的修改后刷新页面再继续。",
  });

  try {
    return await prisma.$transaction(async (tx) => {
      let version: number;
      let reviewId: string;
      if (!assignment.review) {
        if (options.version !== 0) return stale();
        const created = await tx.review.create({
          data: {
            ...data,
            assignmentId,
            applicationId: assignment.applicationId,
            expertId: actor.id,
            version: 1,
            createdAt: at,
          },
        });
        version = created.version;
        reviewId = created.id;
      } else {
        const updated = await tx.review.updateMany({
          where: { id: assignment.review.id, expertId: actor.id, version: options.version, status: "draft" },
          data: { ...data, version: { increment: 1 } },
        });
        if (updated.count === 0) return stale();
        version = options.version + 1;
        reviewId = assignment.review.id;
      }
      if (submitting) {
        await recordAudit(tx, {
          actor,
          action: assignment.review?.reopenedAt ? "review.resubmit" : "review.submit",
          entityType: "review",
          entityId: reviewId,
          before: assignment.review
            ? { ...pickStored(assignment.review), status: assignment.review.status }
            : undefined,
          after: { ...stored, status: "submitted", applicationNumber: assignment.application.number },
        });
      }
      return { ok: true, version, status: data.status, savedAt: formatShanghai(at, true) };
    });
  } catch (error) {
    // Another tab created the review first (unique assignmentId).
    if (isUniqueViolation(error)) return stale();
    throw error;
  }
}

function pickStored(review: NonNullable<OwnAssignment["review"]>) {
  return toStoredReview(fromStoredReview(review));
}
