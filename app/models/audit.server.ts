/**
 * R-LOG-1: every change of state, score, decision and payout is on an append-only record (who, when,
 * what, before and after). Call recordAudit with the transaction that makes the change.
 */
import type { Prisma, Tx } from "~/utils/db.server.ts";
import { now } from "~/utils/clock.server.ts";

export type Actor = { id: string; name: string } | null;

export async function recordAudit(
  tx: Tx,
  entry: {
    actor: Actor;
    action: string;
    entityType: string;
    entityId: string;
    before?: Prisma.InputJsonValue;
    after?: Prisma.InputJsonValue;
    reason?: string;
  },
) {
  await tx.auditEntry.create({
    data: {
      at: now(),
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.name ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
      reason: entry.reason,
    },
  });
}

export async function listAudit(
  prisma: { auditEntry: Tx["auditEntry"] },
  filter: { entityType?: string; entityId?: string; page: number; pageSize: number },
) {
  const where = {
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
  };
  const [entries, total] = await Promise.all([
    prisma.auditEntry.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    }),
    prisma.auditEntry.count({ where }),
  ]);
  return { entries, total };
}
