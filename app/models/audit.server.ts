/**
 * R-LOG-1: every change of state, score, decision and payout is on an append-only record (who, when,
 * what, before and after). Call recordAudit with the transaction that makes the change. The database
 * chains each entry to the previous one by a hash (trigger `AuditEntry_chain`, in the inserting
 * transaction); verifyAuditChain finds the first broken link.
 */
import { now } from "~/utils/clock.server.ts";
import type { Prisma, Tx } from "~/utils/db.server.ts";

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
export async function auditNames(
  prisma: Pick<
    Tx,
    "application" | "user" | "organisation" | "round" | "roundEnterprise" | "payoutBatch" | "storedFile"
  >,
  ids: string[],
) {
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

export type ChainReport =
  | { ok: true; entries: number; head: string | null }
  | { ok: false; entries: number; brokenAt: bigint; message: string };

/**
 * R-LOG-1: walks the record in id order, recomputing each entry's hash with the database's own
 * function, and reports the first entry whose content no longer matches its hash or that does not
 * follow the entry before it (an entry removed or inserted). `head` is the last hash: kept elsewhere
 * (printed, mailed), it also shows whether entries were cut off the end.
 */
export async function verifyAuditChain(prisma: { $queryRaw: Tx["$queryRaw"] }, batchSize = 5000): Promise<ChainReport> {
  let after = -1n;
  let previous: { id: bigint; hash: string | null } | null = null;
  let entries = 0;
  for (;;) {
    const rows = await prisma.$queryRaw<
      { id: bigint; prevHash: string | null; hash: string | null; expected: string }[]
    >`
      SELECT e.id, e."prevHash", e.hash, audit_entry_hash(e) AS expected
      FROM "AuditEntry" e WHERE e.id > ${after} ORDER BY e.id LIMIT ${batchSize}`;
    for (const row of rows) {
      entries++;
      if (row.hash !== row.expected) {
        return {
          ok: false,
          entries,
          brokenAt: row.id,
          message: `第 ${row.id} 条记录的内容与其哈希不符（写入后被修改） / entry ${row.id}: content does not match its hash (changed after it was written)`,
        };
      }
      if (row.prevHash !== (previous?.hash ?? null)) {
        return {
          ok: false,
          entries,
          brokenAt: row.id,
          message: previous
            ? `第 ${row.id} 条记录没有接续第 ${previous.id} 条（其间有记录被删除或插入） / entry ${row.id} does not follow entry ${previous.id} (an entry was removed or inserted)`
            : `第 ${row.id} 条记录是现存的第一条，但它接续的是一条已不存在的记录 / entry ${row.id} is the first but follows an entry that no longer exists`,
        };
      }
      previous = { id: row.id, hash: row.hash };
      after = row.id;
    }
    if (rows.length < batchSize) return { ok: true, entries, head: previous?.hash ?? null };
  }
}
