/**
 * R-REV-5: which experts review which applications of a round. The plan comes from the domain
 * (`assignExperts`: conflicts honoured, loads balanced within one); this module feeds it the round's
 * data and writes the result: the new assignments, accepted → under_review, the audit entries and ONE
 * e-mail per expert listing all its new assignments, in one transaction.
 *
 * Double submission: the plan is recomputed inside the transaction, after locking the round row, so a
 * second "assign all" sees the first one's assignments and adds nothing; a unique violation (the same
 * expert on the same application) becomes a clear message.
 * A withdrawn assignment stays for history and blocks that expert from that application in the
 * automatic plan (staff may re-add it by hand).
 */
import crypto from "node:crypto";

import { transition } from "~/domain/application-status.ts";
import {
  ASSIGNABLE_STATUSES,
  assignExperts,
  type AssignmentApplication,
  type AssignmentExpert,
  type AssignmentPlan,
  checkManualAssignment,
  isAssignable,
} from "~/domain/assignment.ts";
import { assignmentNotice, withdrawalNotice } from "~/emails/assignment.ts";
import { applicationMatching } from "~/models/application-search.server.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { conflictIdsForRound } from "~/models/expert.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Prisma, type Tx } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";

class AssignmentConflictError extends Error {}

/** An assignment refused because of a concurrent change: the conflict's message, or `onDuplicate`. */
function refusal(error: unknown, onDuplicate: string): { ok: false; message: string } {
  if (error instanceof AssignmentConflictError) return { ok: false, message: error.message };
  if (isUniqueViolation(error)) return { ok: false, message: onDuplicate };
  throw error;
}

/** The experts who can be assigned: every enabled account with the expert role. */
const ACTIVE_EXPERT = { roles: { has: "expert" }, status: { not: "disabled" } } satisfies Prisma.UserWhereInput;

/** What assigning needs of an application: its state, and the parties an expert may be conflicted with. */
const ASSIGNABLE_APPLICATION = {
  id: true,
  number: true,
  status: true,
  version: true,
  organisationId: true,
  enterpriseId: true,
  organisation: { select: { name: true } },
  enterprise: { select: { name: true } },
} satisfies Prisma.ApplicationSelect;

type AssignableApplication = Prisma.ApplicationGetPayload<{ select: typeof ASSIGNABLE_APPLICATION }>;

function toDomainApplication(app: AssignableApplication): AssignmentApplication {
  return {
    id: app.id,
    providerOrgId: app.organisationId,
    enterpriseId: app.enterpriseId,
    providerName: app.organisation.name,
    enterpriseName: app.enterprise.name,
  };
}

type RoundData = Awaited<ReturnType<typeof loadRound>>;

async function loadRound(tx: Tx, roundId: string) {
  const round = await tx.round.findUnique({
    where: { id: roundId },
    select: { id: true, name: true, reviewsPerApplication: true, reviewDeadline: true },
  });
  if (!round) return null;
  // One query after another: inside a transaction they share one connection.
  const applications = await tx.application.findMany({
    where: { roundId, status: { in: [...ASSIGNABLE_STATUSES] } },
    orderBy: { number: "asc" },
    select: ASSIGNABLE_APPLICATION,
  });
  const experts = await tx.user.findMany({
    where: ACTIVE_EXPERT,
    orderBy: { id: "asc" },
    select: { id: true, name: true, email: true },
  });
  const active = await tx.expertAssignment.findMany({
    where: { withdrawnAt: null, application: { roundId } },
    select: { applicationId: true, expertId: true },
  });
  const withdrawn = await tx.expertAssignment.findMany({
    where: { withdrawnAt: { not: null }, application: { roundId, status: { in: [...ASSIGNABLE_STATUSES] } } },
    select: { applicationId: true, expertId: true, application: { select: { enterpriseId: true } } },
  });
  const conflicts = await conflictIdsForRound(
    tx,
    roundId,
    experts.map((e) => e.id),
  );
  return { round, applications, experts, active, withdrawn, conflicts };
}

function domainInput(data: NonNullable<RoundData>) {
  const applications = data.applications.map(toDomainApplication);
  const experts: AssignmentExpert[] = data.experts.map((e) => ({
    id: e.id,
    name: e.name,
    conflicts: new Set([
      ...(data.conflicts.get(e.id) ?? []),
      // A withdrawn pair is not planned again: an application's enterprise is unique in its round.
      ...data.withdrawn.filter((w) => w.expertId === e.id).map((w) => w.application.enterpriseId),
    ]),
  }));
  return { applications, experts, existing: data.active };
}

export type PlanView = {
  roundId: string;
  k: number;
  applications: number;
  experts: number;
  added: { applicationId: string; number: string; enterprise: string; provider: string; experts: string[] }[];
  addedCount: number;
  shortages: { number: string; message: string }[];
  conflicting: { number: string; expert: string; message: string }[];
  loads: { expertId: string; name: string; load: number; added: number }[];
  /** Identifies the new assignments shown: "confirm" applies exactly the plan that was previewed. */
  fingerprint: string;
};

function fingerprintOf(plan: AssignmentPlan, k: number): string {
  const pairs = plan.added.map((a) => `${a.applicationId}:${a.expertId}`).join(",");
  return crypto.createHash("sha256").update(`${k}|${pairs}`).digest("base64url").slice(0, 22);
}

function describePlan(data: NonNullable<RoundData>, plan: AssignmentPlan, k: number): PlanView {
  const appById = new Map(data.applications.map((a) => [a.id, a]));
  const expertById = new Map(data.experts.map((e) => [e.id, e]));
  const addedPerExpert = new Map<string, number>();
  for (const a of plan.added) addedPerExpert.set(a.expertId, (addedPerExpert.get(a.expertId) ?? 0) + 1);
  const added = data.applications.flatMap((app) => {
    const names = plan.added
      .filter((a) => a.applicationId === app.id)
      .map((a) => expertById.get(a.expertId)?.name ?? a.expertId);
    return names.length
      ? [
          {
            applicationId: app.id,
            number: app.number,
            enterprise: app.enterprise.name,
            provider: app.organisation.name,
            experts: names,
          },
        ]
      : [];
  });
  return {
    roundId: data.round.id,
    k,
    applications: data.applications.length,
    experts: data.experts.length,
    added,
    addedCount: plan.added.length,
    shortages: plan.shortages.map((s) => ({
      number: appById.get(s.applicationId)?.number ?? s.applicationId,
      message: s.message,
    })),
    conflicting: plan.conflicting.map((c) => ({
      number: appById.get(c.applicationId)?.number ?? c.applicationId,
      expert: expertById.get(c.expertId)?.name ?? c.expertId,
      message: c.message,
    })),
    loads: plan.loads
      .map((l) => ({
        expertId: l.expertId,
        name: expertById.get(l.expertId)?.name ?? l.expertId,
        load: l.load,
        added: addedPerExpert.get(l.expertId) ?? 0,
      }))
      .sort((a, b) => b.load - a.load || a.name.localeCompare(b.name, "zh-CN")),
    fingerprint: fingerprintOf(plan, k),
  };
}

/** The preview: what "assign all" would do now, written nowhere. */
export async function planAutoAssignment(roundId: string, k: number): Promise<PlanView | null> {
  const prisma = await db();
  const data = await loadRound(prisma, roundId);
  if (!data) return null;
  const plan = assignExperts({ ...domainInput(data), k });
  return describePlan(data, plan, k);
}

export type ApplyOutcome = { ok: true; view: PlanView; mailed: number } | { ok: false; message: string };

export const STALE_PLAN_MESSAGE =
  "预览之后情况已有变化（例如有申报刚被受理、专家声明了回避或其他人已分配），本次未作任何更改。请查看新的预览后再确认。";

/**
 * "Assign all": recompute the plan under a lock on the round and write it. With `previewed` (the
 * preview's fingerprint), a plan that differs from what staff saw is not applied; a plan with nothing
 * to add is always a no-op success (the second of two clicks).
 */
export async function applyAutoAssignment(
  actor: NonNullable<Actor>,
  roundId: string,
  k: number,
  previewed?: string,
): Promise<ApplyOutcome> {
  const prisma = await db();
  try {
    return await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Round" WHERE id = ${roundId} FOR UPDATE`;
        const data = await loadRound(tx, roundId);
        if (!data) return { ok: false, message: "批次不存在。" };
        const plan = assignExperts({ ...domainInput(data), k });
        const view = describePlan(data, plan, k);
        if (plan.added.length === 0) return { ok: true, view, mailed: 0 };
        if (previewed !== undefined && previewed !== view.fingerprint)
          return { ok: false, message: STALE_PLAN_MESSAGE };
        if (data.round.reviewsPerApplication !== k) {
          await tx.round.update({ where: { id: roundId }, data: { reviewsPerApplication: k } });
          await recordAudit(tx, {
            actor,
            action: "round.update",
            entityType: "round",
            entityId: roundId,
            before: { reviewsPerApplication: data.round.reviewsPerApplication },
            after: { reviewsPerApplication: k },
          });
        }
        const at = now();
        await tx.expertAssignment.createMany({
          data: plan.added.map((a) => ({
            applicationId: a.applicationId,
            expertId: a.expertId,
            assignedById: actor.id,
            assignedAt: at,
          })),
        });
        const appById = new Map(data.applications.map((a) => [a.id, a]));
        for (const { applicationId, experts } of view.added) {
          const app = appById.get(applicationId);
          if (app) await moveToReview(tx, actor, app, { action: "assignment.auto", after: { experts, k } });
        }
        await recordAudit(tx, {
          actor,
          action: "assignment.auto",
          entityType: "round",
          entityId: roundId,
          after: { k, added: plan.added.length, shortages: view.shortages.map((s) => s.number) },
        });
        const mailed = await mailAssignments(tx, data, plan.added);
        return { ok: true, view, mailed };
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    return refusal(error, "其他人刚刚修改了分配，本次未作任何更改。请刷新页面后重新预览。");
  }
}

/** accepted → under_review (the one state machine), with version check and the audit entry of the change. */
async function moveToReview(
  tx: Tx,
  actor: Actor,
  app: { id: string; number: string; status: string; version: number },
  entry: { action: string; after: Prisma.InputJsonObject },
) {
  let status = app.status;
  if (app.status === "accepted") {
    const next = transition("accepted", "assign_experts");
    if (!next.ok) throw new AssignmentConflictError(next.message);
    const updated = await tx.application.updateMany({
      where: { id: app.id, version: app.version, status: "accepted" },
      data: { status: next.to, version: { increment: 1 } },
    });
    if (updated.count !== 1)
      throw new AssignmentConflictError(`申报 ${app.number} 刚被其他人修改，本次未作任何更改。请刷新页面后重试。`);
    status = next.to;
  }
  await recordAudit(tx, {
    actor,
    action: entry.action,
    entityType: "application",
    entityId: app.id,
    before: { status: app.status },
    after: { status, ...entry.after },
  });
}

/** ONE e-mail per expert listing all its new assignments. */
async function mailAssignments(
  tx: Tx,
  data: {
    round: { name: string; reviewDeadline: Date | null };
    applications: { id: string; number: string; organisation: { name: string }; enterprise: { name: string } }[];
    experts: { id: string; name: string; email: string }[];
  },
  added: readonly { applicationId: string; expertId: string }[],
): Promise<number> {
  const appById = new Map(data.applications.map((a) => [a.id, a]));
  let mailed = 0;
  for (const expert of data.experts) {
    const apps = added
      .filter((a) => a.expertId === expert.id)
      .flatMap((a) => {
        const app = appById.get(a.applicationId);
        return app ? [app] : [];
      })
      .sort((a, b) => (a.number < b.number ? -1 : 1));
    if (apps.length === 0) continue;
    await enqueueMail(tx, {
      to: expert.email,
      ...assignmentNotice({
        expertName: expert.name,
        roundName: data.round.name,
        applications: apps.map((a) => ({
          number: a.number,
          enterprise: a.enterprise.name,
          provider: a.organisation.name,
        })),
        reviewDeadline: data.round.reviewDeadline,
        portalUrl: env().publicUrl,
      }),
    });
    mailed += 1;
  }
  return mailed;
}

export type ManualOutcome = { ok: true } | { ok: false; message: string };

/** R-REV-5: staff add one expert by hand; refused with the domain's reason on a declared conflict. */
export async function addAssignment(
  actor: NonNullable<Actor>,
  applicationId: string,
  expertId: string,
): Promise<ManualOutcome> {
  const prisma = await db();
  try {
    return await prisma.$transaction(async (tx) => {
      const app = await tx.application.findUnique({
        where: { id: applicationId },
        select: { ...ASSIGNABLE_APPLICATION, roundId: true, round: { select: { name: true, reviewDeadline: true } } },
      });
      if (!app) return { ok: false, message: "申报不存在。" };
      if (!isAssignable(app.status)) {
        return { ok: false, message: "只有已受理或评审中的申报可以分配评审专家。" };
      }
      const expert = await tx.user.findFirst({
        where: { id: expertId, ...ACTIVE_EXPERT },
        select: { id: true, name: true, email: true },
      });
      if (!expert) return { ok: false, message: "请选择一位在册的评审专家。" };
      const conflicts = (await conflictIdsForRound(tx, app.roundId, [expert.id])).get(expert.id) ?? [];
      const rows = await tx.expertAssignment.findMany({
        where: { applicationId },
        select: { id: true, expertId: true, withdrawnAt: true },
      });
      const check = checkManualAssignment(
        { id: expert.id, name: expert.name, conflicts },
        toDomainApplication(app),
        rows.filter((r) => r.withdrawnAt === null).map((r) => ({ applicationId, expertId: r.expertId })),
      );
      if (!check.ok) return { ok: false, message: check.message };
      const withdrawn = rows.find((r) => r.expertId === expert.id);
      if (withdrawn) {
        // Re-adding an expert withdrawn earlier: the same row is active again.
        await tx.expertAssignment.update({
          where: { id: withdrawn.id },
          data: {
            withdrawnAt: null,
            withdrawnReason: null,
            assignedById: actor.id,
            assignedAt: now(),
            noConflictConfirmedAt: null,
          },
        });
      } else {
        await tx.expertAssignment.create({
          data: { applicationId, expertId: expert.id, assignedById: actor.id, assignedAt: now() },
        });
      }
      await moveToReview(tx, actor, app, {
        action: "assignment.add",
        after: { expert: expert.name, expertId: expert.id },
      });
      await mailAssignments(tx, { round: app.round, applications: [app], experts: [expert] }, [
        { applicationId, expertId: expert.id },
      ]);
      return { ok: true };
    });
  } catch (error) {
    return refusal(error, "该专家已分配评审此申报（可能刚被其他人添加），请刷新页面。");
  }
}

/** Staff withdraw an assignment, with a reason; the expert is told by e-mail. */
export async function withdrawAssignment(
  actor: NonNullable<Actor>,
  assignmentId: string,
  reason: string,
): Promise<ManualOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const assignment = await tx.expertAssignment.findUnique({
      where: { id: assignmentId },
      select: {
        id: true,
        withdrawnAt: true,
        expertId: true,
        expert: { select: { name: true, email: true } },
        application: { select: { id: true, number: true, status: true, enterprise: { select: { name: true } } } },
      },
    });
    if (!assignment) return { ok: false, message: "该分配不存在。" };
    if (!isAssignable(assignment.application.status)) {
      return { ok: false, message: "评审已结束的申报不能撤回评审任务。" };
    }
    const updated = await tx.expertAssignment.updateMany({
      where: { id: assignmentId, withdrawnAt: null },
      data: { withdrawnAt: now(), withdrawnReason: reason },
    });
    if (updated.count !== 1) return { ok: false, message: "该分配已被撤回（可能刚被其他人撤回），请刷新页面。" };
    await recordAudit(tx, {
      actor,
      action: "assignment.withdraw",
      entityType: "application",
      entityId: assignment.application.id,
      before: { expert: assignment.expert.name, expertId: assignment.expertId, assignmentId },
      reason,
    });
    await enqueueMail(tx, {
      to: assignment.expert.email,
      ...withdrawalNotice({
        expertName: assignment.expert.name,
        applicationNumber: assignment.application.number,
        enterprise: assignment.application.enterprise.name,
        reason,
      }),
    });
    return { ok: true };
  });
}

/** Round settings used by the assignment page: experts per application and the review deadline. */
export async function saveAssignmentSettings(
  actor: NonNullable<Actor>,
  roundId: string,
  input: { reviewsPerApplication: number; reviewDeadline: Date | null },
): Promise<ManualOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const before = await tx.round.findUnique({
      where: { id: roundId },
      select: { reviewsPerApplication: true, reviewDeadline: true },
    });
    if (!before) return { ok: false, message: "批次不存在。" };
    // Only the two settings: the caller's parsed form carries more (its `intent`), which is no column.
    await tx.round.update({
      where: { id: roundId },
      data: { reviewsPerApplication: input.reviewsPerApplication, reviewDeadline: input.reviewDeadline },
    });
    await recordAudit(tx, {
      actor,
      action: "round.update",
      entityType: "round",
      entityId: roundId,
      before: {
        reviewsPerApplication: before.reviewsPerApplication,
        reviewDeadline: before.reviewDeadline?.toISOString() ?? null,
      },
      after: {
        reviewsPerApplication: input.reviewsPerApplication,
        reviewDeadline: input.reviewDeadline?.toISOString() ?? null,
      },
    });
    return { ok: true };
  });
}

export const BOARD_PAGE_SIZE = 50;

/** The board: one page of the round's applications from acceptance on, with their assignments. */
export async function assignmentBoard(roundId: string, filter: { q?: string; status?: string } = {}, page = 1) {
  const prisma = await db();
  const q = filter.q?.trim() ?? "";
  const where: Prisma.ApplicationWhereInput = {
    roundId,
    status:
      filter.status === "accepted" || filter.status === "under_review"
        ? filter.status
        : { in: ["accepted", "under_review", "reviewed", "passed", "failed", "in_batch", "paid"] },
    ...(q ? applicationMatching(q) : {}),
  };
  const total = await prisma.application.count({ where });
  const pages = Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const applications = await prisma.application.findMany({
    where,
    orderBy: { number: "asc" },
    skip: (current - 1) * BOARD_PAGE_SIZE,
    take: BOARD_PAGE_SIZE,
    select: {
      id: true,
      number: true,
      status: true,
      organisation: { select: { name: true } },
      enterprise: { select: { name: true } },
      assignments: {
        orderBy: { assignedAt: "asc" },
        select: {
          id: true,
          withdrawnAt: true,
          withdrawnReason: true,
          expert: { select: { id: true, name: true } },
          review: { select: { status: true } },
        },
      },
    },
  });
  return { total, page: current, pages, applications };
}

export type ApplicationAssignment = {
  id: string;
  expertId: string;
  expertName: string;
  assignedAt: Date;
  /** The expert confirmed it has no conflict with this application. */
  noConflictConfirmedAt: Date | null;
  withdrawn: boolean;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  /** The review's status, null before the expert starts it. */
  reviewStatus: "draft" | "submitted" | null;
};

/**
 * One application's assignments, active ones first then withdrawn, each in the order assigned: for the
 * staff application page.
 */
export async function applicationAssignments(applicationId: string): Promise<ApplicationAssignment[]> {
  const prisma = await db();
  const rows = await prisma.expertAssignment.findMany({
    where: { applicationId },
    orderBy: [{ assignedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      assignedAt: true,
      noConflictConfirmedAt: true,
      withdrawnAt: true,
      withdrawnReason: true,
      expert: { select: { id: true, name: true } },
      review: { select: { status: true } },
    },
  });
  return rows
    .map((r) => ({
      id: r.id,
      expertId: r.expert.id,
      expertName: r.expert.name,
      assignedAt: r.assignedAt,
      noConflictConfirmedAt: r.noConflictConfirmedAt,
      withdrawn: r.withdrawnAt !== null,
      withdrawnAt: r.withdrawnAt,
      withdrawnReason: r.withdrawnReason,
      reviewStatus: r.review?.status ?? null,
    }))
    .sort((a, b) => Number(a.withdrawn) - Number(b.withdrawn));
}
