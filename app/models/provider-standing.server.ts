/**
 * R-ELIG-2: the bureau suspends a verified provider whose operation is irregular or whose credit record
 * is bad (运行不规范或信用记录不良), with a reason, and lifts the suspension. Each is mailed to the
 * provider's users and recorded (R-LOG-1) in the same transaction. While suspended the provider cannot
 * file or submit (app/domain/eligibility.ts) and its pending applications are flagged on the desk.
 */
import { suspensionReasonError } from "~/domain/eligibility.ts";
import { PENDING_STATUSES } from "~/domain/eligibility.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { suspensionLiftedMail, suspensionMail } from "~/emails/provider.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, type Tx } from "~/utils/db.server.ts";

/** The organisation and its users' addresses, who are told of a change of standing. */
function organisationWithUsers(tx: Tx, organisationId: string) {
  return tx.organisation.findUnique({ where: { id: organisationId }, include: { users: { select: { email: true } } } });
}

/** A refusal of the reason names the staff form's field for it; any other is about the provider's state. */
export type StandingOutcome = { ok: true } | { ok: false; field?: "suspendReason"; message: string };

export async function suspendProvider(
  actor: NonNullable<Actor>,
  organisationId: string,
  reason: string,
): Promise<StandingOutcome> {
  const error = suspensionReasonError(reason);
  if (error) return { ok: false, field: "suspendReason", message: error };
  const prisma = await db();
  const at = now();
  return prisma.$transaction(async (tx) => {
    const organisation = await organisationWithUsers(tx, organisationId);
    if (!organisation) return { ok: false as const, message: "服务商不存在。" };
    if (organisation.status !== "verified") return { ok: false as const, message: "只能暂停已审核通过的服务商。" };
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, suspendedAt: null },
      data: { suspendedAt: at, suspendedReason: reason.trim(), suspendedById: actor.id },
    });
    if (updated.count !== 1) return { ok: false as const, message: "该服务商已被暂停，请刷新页面。" };
    const pending = await tx.application.findMany({
      where: { organisationId, status: { in: [...PENDING_STATUSES] } },
      select: { number: true },
    });
    await recordAudit(tx, {
      actor,
      action: "organisation.suspend",
      entityType: "organisation",
      entityId: organisationId,
      before: { suspended: false },
      after: { suspended: true, suspendedAt: at.toISOString(), pendingApplications: pending.map((a) => a.number) },
      reason: reason.trim(),
    });
    for (const user of organisation.users) {
      await enqueueMail(tx, {
        to: user.email,
        ...suspensionMail({ organisationName: organisation.name, at, reason: reason.trim() }),
      });
    }
    return { ok: true as const };
  });
}

export async function liftSuspension(
  actor: NonNullable<Actor>,
  organisationId: string,
  note: string,
): Promise<StandingOutcome> {
  const prisma = await db();
  const at = now();
  return prisma.$transaction(async (tx) => {
    const organisation = await organisationWithUsers(tx, organisationId);
    if (!organisation) return { ok: false as const, message: "服务商不存在。" };
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, suspendedAt: { not: null } },
      data: { suspendedAt: null, suspendedReason: null, suspendedById: null },
    });
    if (updated.count !== 1) return { ok: false as const, message: "该服务商未被暂停，请刷新页面。" };
    await recordAudit(tx, {
      actor,
      action: "organisation.lift_suspension",
      entityType: "organisation",
      entityId: organisationId,
      before: {
        suspended: true,
        suspendedAt: organisation.suspendedAt?.toISOString() ?? null,
        reason: organisation.suspendedReason,
      },
      after: { suspended: false, liftedAt: at.toISOString() },
      reason: note.trim() || undefined,
    });
    for (const user of organisation.users) {
      await enqueueMail(tx, {
        to: user.email,
        ...suspensionLiftedMail({ organisationName: organisation.name, at, note: note.trim() }),
      });
    }
    return { ok: true as const };
  });
}

/** R-ELIG-2: the provider's own suspension, for its dashboard (null when not suspended). */
export async function ownSuspension(organisationId: string) {
  const prisma = await db();
  const organisation = await prisma.organisation.findUnique({
    where: { id: organisationId },
    select: { suspendedAt: true, suspendedReason: true },
  });
  return organisation?.suspendedAt
    ? { at: formatShanghai(organisation.suspendedAt), reason: organisation.suspendedReason ?? "" }
    : null;
}
