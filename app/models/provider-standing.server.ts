/**
 * R-ELIG-2: the bureau suspends a verified provider whose operation is irregular or whose credit record
 * is bad (运行不规范或信用记录不良), with a reason, and lifts the suspension. Each is mailed to the
 * provider's users and recorded (R-LOG-1) in the same transaction. While suspended the provider cannot
 * file or submit (app/domain/eligibility.ts) and its pending applications are flagged on the desk.
 */
import { suspensionReasonError } from "~/domain/eligibility.ts";
import { PENDING_STATUSES } from "~/domain/eligibility.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

export type StandingOutcome = { ok: true } | { ok: false; field: "reason" | "form"; message: string };

export async function suspendProvider(
  actor: NonNullable<Actor>,
  organisationId: string,
  reason: string,
): Promise<StandingOutcome> {
  const error = suspensionReasonError(reason);
  if (error) return { ok: false, field: "reason", message: error };
  const prisma = await db();
  const at = now();
  return prisma.$transaction(async (tx) => {
    const organisation = await tx.organisation.findUnique({
      where: { id: organisationId },
      include: { users: { select: { email: true } } },
    });
    if (!organisation) return { ok: false as const, field: "form" as const, message: "服务商不存在。" };
    if (organisation.status !== "verified")
      return { ok: false as const, field: "form" as const, message: "只能暂停已审核通过的服务商。" };
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, suspendedAt: null },
      data: { suspendedAt: at, suspendedReason: reason.trim(), suspendedById: actor.id },
    });
    if (updated.count !== 1)
      return { ok: false as const, field: "form" as const, message: "该服务商已被暂停，请刷新页面。" };
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
        subject: "【申报平台】服务商申报资格暂停通知",
        text:
          `${organisation.name}：\n\n根据实施方案“申报服务商运行管理规范、经营状态正常、财务制度健全、信用记录良好”的要求，` +
          `区工信局自 ${formatShanghai(at)}（北京时间）起暂停贵单位的申报资格。\n\n原因：${reason.trim()}\n\n` +
          "暂停期间不能新建或提交申报，已提交的申报将由区工信局复核。如有异议，请联系区工信局两化融合科（电话 2869847）。\n张店区工业和信息化局",
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
    const organisation = await tx.organisation.findUnique({
      where: { id: organisationId },
      include: { users: { select: { email: true } } },
    });
    if (!organisation) return { ok: false as const, field: "form" as const, message: "服务商不存在。" };
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, suspendedAt: { not: null } },
      data: { suspendedAt: null, suspendedReason: null, suspendedById: null },
    });
    if (updated.count !== 1)
      return { ok: false as const, field: "form" as const, message: "该服务商未被暂停，请刷新页面。" };
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
        subject: "【申报平台】服务商申报资格恢复通知",
        text: `${organisation.name}：\n\n区工信局已于 ${formatShanghai(at)}（北京时间）恢复贵单位的申报资格。${note.trim() ? `\n说明：${note.trim()}` : ""}\n张店区工业和信息化局`,
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
