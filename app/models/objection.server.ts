/**
 * Objections (异议) received during the public notice (公示) of a round's passed applications. Staff
 * record each one against an application and later its outcome; while an objection is open, or once
 * it is upheld, the application is held out of payment (R-PAY-3, app/domain/payout.ts paymentHold).
 * Each change is on the record (R-LOG-1) in the same transaction.
 */
import { noticeState, OBJECTION_OUTCOMES, type ObjectionCounts } from "~/domain/payout.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import type { ObjectionOutcome, Role } from "~/generated/prisma/enums.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, type Tx } from "~/utils/db.server.ts";

type Officer = { id: string; name: string; roles: readonly Role[] | readonly string[] };
type Outcome<T = object> = ({ ok: true } & T) | { ok: false; field?: string; message: string };

/** Open and upheld objections per application (absent: none). */
export async function objectionCounts(client: Tx, applicationIds: string[]): Promise<Map<string, ObjectionCounts>> {
  const counts = new Map<string, ObjectionCounts>();
  if (applicationIds.length === 0) return counts;
  const rows = await client.noticeObjection.findMany({
    where: { applicationId: { in: applicationIds }, OR: [{ outcome: null }, { outcome: "upheld" }] },
    select: { applicationId: true, outcome: true },
  });
  for (const row of rows) {
    const entry = counts.get(row.applicationId) ?? { open: 0, upheld: 0 };
    if (row.outcome === null) entry.open += 1;
    else entry.upheld += 1;
    counts.set(row.applicationId, entry);
  }
  return counts;
}

export const NO_OBJECTIONS: ObjectionCounts = { open: 0, upheld: 0 };

/** Staff record an objection received during the notice against a passed application of the round. */
export async function recordObjection(
  officer: Officer,
  input: { roundId: string; applicationNumber: string; receivedOn: string; objector: string; content: string },
): Promise<Outcome<{ objectionId: string }>> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以登记公示异议" };
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const application = await tx.application.findFirst({
      where: { roundId: input.roundId, number: input.applicationNumber },
      select: { id: true, number: true, status: true, resultPassed: true },
    });
    if (!application) return { ok: false as const, field: "applicationNumber", message: "本批次没有这个申报编号" };
    if (application.resultPassed !== true)
      return {
        ok: false as const,
        field: "applicationNumber",
        message: "该申报不在公示名单中（评审未通过或结果未确认）",
      };
    if (application.status === "paid")
      return { ok: false as const, field: "applicationNumber", message: "该申报已拨付，异议请按更正程序处理" };
    const objection = await tx.noticeObjection.create({
      data: {
        applicationId: application.id,
        receivedOn: input.receivedOn,
        objector: input.objector,
        content: input.content,
        recordedById: officer.id,
        recordedAt: now(),
      },
    });
    await recordAudit(tx, {
      actor: { id: officer.id, name: officer.name },
      action: "application.objection_record",
      entityType: "application",
      entityId: application.id,
      after: {
        objectionId: objection.id,
        receivedOn: input.receivedOn,
        objector: input.objector,
        content: input.content,
        held: true,
      },
    });
    return { ok: true as const, objectionId: objection.id };
  });
}

/** Staff decide an open objection: upheld (the application is not paid) or dismissed (payment proceeds). */
export async function resolveObjection(
  officer: Officer,
  input: { objectionId: string; outcome: ObjectionOutcome; resolution: string },
): Promise<Outcome> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以处理公示异议" };
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const objection = await tx.noticeObjection.findUnique({ where: { id: input.objectionId } });
    if (!objection) return { ok: false as const, message: "该异议不存在" };
    const at = now();
    const updated = await tx.noticeObjection.updateMany({
      where: { id: objection.id, outcome: null },
      data: { outcome: input.outcome, resolution: input.resolution, resolvedById: officer.id, resolvedAt: at },
    });
    if (updated.count !== 1) return { ok: false as const, message: "该异议已处理，请刷新页面查看结果" };
    await recordAudit(tx, {
      actor: { id: officer.id, name: officer.name },
      action: "application.objection_resolve",
      entityType: "application",
      entityId: objection.applicationId,
      before: { objectionId: objection.id, outcome: null },
      after: { objectionId: objection.id, outcome: input.outcome, resolution: input.resolution },
      reason: input.resolution,
    });
    return { ok: true as const };
  });
}

/** The objections of a round, open first, then newest first, for the payouts page. */
export async function listObjections(roundId: string) {
  const prisma = await db();
  const rows = await prisma.noticeObjection.findMany({
    where: { application: { roundId } },
    include: {
      application: {
        select: { number: true, enterprise: { select: { name: true } }, organisation: { select: { name: true } } },
      },
    },
    orderBy: [{ recordedAt: "desc" }],
  });
  const ids = [
    ...new Set(rows.flatMap((r) => [r.recordedById, r.resolvedById]).filter((id): id is string => id !== null)),
  ];
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows
    .map((r) => ({
      id: r.id,
      applicationNumber: r.application.number,
      enterpriseName: r.application.enterprise.name,
      providerName: r.application.organisation.name,
      receivedOn: r.receivedOn,
      objector: r.objector,
      content: r.content,
      recordedBy: names.get(r.recordedById) ?? "",
      recordedAt: formatShanghai(r.recordedAt),
      outcome: r.outcome,
      outcomeLabel: r.outcome ? OBJECTION_OUTCOMES[r.outcome] : "待处理",
      resolution: r.resolution,
      resolvedBy: r.resolvedById ? (names.get(r.resolvedById) ?? "") : null,
      resolvedAt: r.resolvedAt ? formatShanghai(r.resolvedAt) : null,
    }))
    .sort((a, b) => Number(a.outcome !== null) - Number(b.outcome !== null));
}

/** The round's notice (公示) for the objections page: its period and state, and the passed applications that can be objected to. */
export async function roundNotice(roundId: string) {
  const prisma = await db();
  const round = await prisma.round.findUnique({
    where: { id: roundId },
    select: { id: true, name: true, code: true, noticeOpensAt: true, noticeClosesAt: true },
  });
  if (!round) return null;
  const applications = await prisma.application.findMany({
    where: { roundId, resultPassed: true, resultConfirmedAt: { not: null }, status: { not: "paid" } },
    select: { number: true, enterprise: { select: { name: true } } },
    orderBy: { number: "asc" },
  });
  return {
    id: round.id,
    name: round.name,
    code: round.code,
    state: noticeState({ opensAt: round.noticeOpensAt, closesAt: round.noticeClosesAt }, now()),
    opens: round.noticeOpensAt ? formatShanghai(round.noticeOpensAt) : null,
    closes: round.noticeClosesAt ? formatShanghai(round.noticeClosesAt) : null,
    applications: applications.map((a) => ({ number: a.number, enterpriseName: a.enterprise.name })),
  };
}
