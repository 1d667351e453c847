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

/**
 * R-LOG-1: what people call the records audit entries refer to: an application's number, a person's,
 * organisation's, round's or enterprise's name, a batch's number, a file's name (app/domain/audit-view.ts).
 */
export async function auditNames(prisma: Pick<Tx, "application" | "user" | "organisation" | "round" | "roundEnterprise" | "payoutBatch" | "storedFile">, ids: string[]) {
  const wanted = [...new Set(ids)].filter((id) => id.length > 0);
  const names = new Map<string, string>();
  if (wanted.length === 0) return names;
  const where = { id: { in: wanted } };
  const [applications, users, organisations, rounds, enterprises, batches, files] = await Promise.all([
    prisma.application.findMany({ where, select: { id: true, number: true } }),
    prisma.user.findMany({ where, select: { id: true, name: true } }),
    prisma.organisation.findMany({ where, select: { id: true, name: true } }),
    prisma.round.findMany({ where, select: { id: true, name: true } }),
    prisma.roundEnterprise.findMany({ where, select: { id: true, name: true } }),
    prisma.payoutBatch.findMany({ where, select: { id: true, number: true } }),
    prisma.storedFile.findMany({ where, select: { id: true, fileName: true } }),
  ]);
  for (const a of applications) names.set(a.id, a.number);
  for (const r of [...users, ...organisations, ...rounds, ...enterprises]) names.set(r.id, r.name);
  for (const b of batches) names.set(b.id, b.number);
  for (const f of files) names.set(f.id, f.fileName);
  return names;
}
