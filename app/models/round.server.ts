/**
 * Rounds (批次) and their two lists. Replacing a list is one transaction: all rows or none.
 */
import { newestFirst, pickCurrentRound } from "~/domain/current-round.ts";
import {
  type EnterpriseEntry,
  parseEnterpriseList,
  parseProviderList,
  type ProviderEntry,
  type RowError,
} from "~/domain/round-lists.ts";
import { lockedParameterChanges } from "~/domain/round-parameters.ts";
import type { RoundStatus } from "~/generated/prisma/enums.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { readRows, SpreadsheetError } from "~/services/spreadsheet.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";
import { oncePerRequest } from "~/utils/request-scope.server.ts";

export type RoundInput = {
  name: string;
  code: string;
  year: number;
  deadline: Date;
  disbursementDeadline: Date | null;
  perEnterpriseCapFen: number;
  passMark: number;
  budgetFen: number | null;
  status: RoundStatus;
  /** R-MAT-3 (README decision "Paper copies"): 受理 needs the paper copies recorded. */
  paperCopiesRequired?: boolean;
};

export class DuplicateRoundNameError extends Error {}

/** R-REV-4, R-PAY-1: a save that would move a locked parameter; `field` is the form field to show it at. */
export class LockedParameterError extends Error {
  constructor(readonly problems: { field: "passMark" | "perEnterpriseCap"; message: string }[]) {
    super(problems.map((p) => p.message).join("；"));
  }
}

/** R-REV-4, R-PAY-1: a round's pass mark and cap are locked once it has a submitted application. */
export async function parametersLocked(roundId: string, tx?: Tx): Promise<boolean> {
  const client = tx ?? (await db());
  const submitted = await client.application.count({ where: { roundId, submittedAt: { not: null } } });
  return submitted > 0;
}

/**
 * The rounds not archived (a handful: one a year), read once per page view: the header's countdown, the
 * current round and the desk's round pickers all come from this one query (request-scope.server.ts).
 */
export function liveRounds() {
  return oncePerRequest("live-rounds", async () =>
    (await db()).round.findMany({ where: { status: { not: "archived" } } }),
  );
}

/** The round the header counts down to: the open round whose deadline comes first, else the latest. */
export async function currentRound() {
  return pickCurrentRound(await liveRounds(), now());
}

/** Rounds for the round picker, newest first. */
export async function roundChoices() {
  return newestFirst(await liveRounds()).map((round) => ({ id: round.id, name: round.name, isDemo: round.isDemo }));
}

export async function listRounds() {
  const prisma = await db();
  return prisma.round.findMany({
    orderBy: [{ year: "desc" }, { createdAt: "desc" }],
    include: { _count: { select: { enterprises: true, providers: true } } },
  });
}

export async function getRound(id: string) {
  const prisma = await db();
  return prisma.round.findUnique({
    where: { id },
    include: {
      enterprises: { orderBy: { seq: "asc" } },
      providers: { orderBy: { seq: "asc" } },
    },
  });
}

function snapshot(round: RoundInput) {
  return {
    ...round,
    deadline: round.deadline.toISOString(),
    disbursementDeadline: round.disbursementDeadline?.toISOString() ?? null,
  };
}

/** The round's columns from the input, and nothing else a caller's object may carry. */
function roundData(input: RoundInput): RoundInput {
  return {
    name: input.name,
    code: input.code,
    year: input.year,
    deadline: input.deadline,
    disbursementDeadline: input.disbursementDeadline,
    perEnterpriseCapFen: input.perEnterpriseCapFen,
    passMark: input.passMark,
    budgetFen: input.budgetFen,
    status: input.status,
  };
}

export async function saveRound(actor: Actor, id: string | null, fields: RoundInput): Promise<{ id: string }> {
  const prisma = await db();
  const input = roundData(fields);
  try {
    return await prisma.$transaction(async (tx) => {
      if (!id) {
        const round = await tx.round.create({ data: input });
        await recordAudit(tx, {
          actor,
          action: "round.create",
          entityType: "round",
          entityId: round.id,
          after: snapshot(input),
        });
        return { id: round.id };
      }
      const before = await tx.round.findUniqueOrThrow({ where: { id } });
      const locked = lockedParameterChanges(before, input, await parametersLocked(id, tx));
      if (locked.length > 0) {
        throw new LockedParameterError(
          locked.map((l) => ({
            field: l.parameter === "passMark" ? "passMark" : "perEnterpriseCap",
            message: l.message,
          })),
        );
      }
      await tx.round.update({ where: { id }, data: input });
      await recordAudit(tx, {
        actor,
        action: "round.update",
        entityType: "round",
        entityId: id,
        before: snapshot({ ...before, deadline: before.deadline, disbursementDeadline: before.disbursementDeadline }),
        after: snapshot(input),
      });
      return { id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateRoundNameError("已有同名或同代码的批次，请换一个名称或代码。");
    throw error;
  }
}

/** A new enterprise list would drop enterprises that applications already name (R-ELIG-3, R-ELIG-4). */
export class EnterpriseListInUseError extends Error {
  constructor(readonly names: string[]) {
    const shown = names.slice(0, 5).join("、") + (names.length > 5 ? ` 等 ${names.length} 家` : "");
    super(`新名单缺少已有申报的企业：${shown}。已有申报的企业不能移出名单，请把它们保留在名单中后重新导入。`);
  }
}

/**
 * Brings a round's enterprise list to `entries`, merging by name: enterprises already on the list keep
 * their row (and so their applications), new ones are added, and ones left out are removed unless an
 * application or a claim attempt names them, in which case nothing changes and the import is refused.
 */
export async function replaceEnterpriseList(tx: Tx, actor: Actor, roundId: string, entries: EnterpriseEntry[]) {
  const existing = await tx.roundEnterprise.findMany({
    where: { roundId },
    select: { id: true, name: true, seq: true, _count: { select: { applications: true, claimAttempts: true } } },
  });
  const incoming = new Map(entries.map((e) => [e.name, e]));
  const leftOut = existing.filter((e) => !incoming.has(e.name));
  const inUse = leftOut.filter((e) => e._count.applications + e._count.claimAttempts > 0);
  if (inUse.length > 0) throw new EnterpriseListInUseError(inUse.map((e) => e.name));
  await tx.roundEnterprise.deleteMany({ where: { id: { in: leftOut.map((e) => e.id) } } });
  const kept = new Map(existing.map((e) => [e.name, e]));
  for (const entry of entries) {
    const row = kept.get(entry.name);
    if (row && row.seq !== entry.seq)
      await tx.roundEnterprise.update({ where: { id: row.id }, data: { seq: entry.seq } });
  }
  await tx.roundEnterprise.createMany({
    data: entries.filter((e) => !kept.has(e.name)).map((e) => ({ roundId, seq: e.seq, name: e.name })),
  });
  await recordAudit(tx, {
    actor,
    action: "round.import_enterprises",
    entityType: "round",
    entityId: roundId,
    before: { count: existing.length },
    after: { count: entries.length },
  });
}

export async function replaceProviderList(tx: Tx, actor: Actor, roundId: string, entries: ProviderEntry[]) {
  const before = await tx.roundProvider.count({ where: { roundId } });
  await tx.roundProvider.deleteMany({ where: { roundId } });
  await tx.roundProvider.createMany({
    data: entries.map((e) => ({
      roundId,
      seq: e.seq,
      name: e.name,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
    })),
  });
  await recordAudit(tx, {
    actor,
    action: "round.import_providers",
    entityType: "round",
    entityId: roundId,
    before: { count: before },
    after: { count: entries.length },
  });
}

/** Replaces one of a round's lists in one transaction. */
export async function importRoundList(actor: Actor, roundId: string, list: RoundList) {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    if (list.kind === "enterprises") await replaceEnterpriseList(tx, actor, roundId, list.entries);
    else await replaceProviderList(tx, actor, roundId, list.entries);
  });
}

export type ListImportOutcome = {
  kind: "enterprises" | "providers";
  /** The rows that are wrong, each with its row number and column (nothing was imported). */
  errors: RowError[];
  /** Why nothing was imported, when it was not. */
  message: string | null;
  /** How many rows the list now has, when it was imported. */
  imported: number | null;
};

/**
 * A list uploaded by staff (.xlsx, or .csv in UTF-8 or GBK): every row is checked first (R-ELIG-1,
 * R-ELIG-3), and the round's list is replaced only when all are right, in one transaction. What is
 * wrong comes back as a message and per-row errors, never as an exception.
 */
export async function importRoundListFile(
  actor: Actor,
  roundId: string,
  upload: { kind: "enterprises" | "providers"; fileName: string; bytes: Uint8Array },
): Promise<ListImportOutcome> {
  const { kind } = upload;
  const refused = (message: string, errors: RowError[] = []) => ({ kind, errors, message, imported: null });
  let rows: string[][];
  try {
    rows = await readRows(upload.bytes, upload.fileName);
  } catch (error) {
    if (error instanceof SpreadsheetError) return refused(error.message);
    throw error;
  }
  const list = listFromRows(kind, rows);
  if (!list.ok) return refused("名单有错误，未导入任何数据。请修改后重新上传。", list.errors);
  try {
    await importRoundList(actor, roundId, list.list);
  } catch (error) {
    if (error instanceof EnterpriseListInUseError) return refused(error.message);
    throw error;
  }
  return { kind, errors: [], message: null, imported: list.list.entries.length };
}

type RoundList = { kind: "enterprises"; entries: EnterpriseEntry[] } | { kind: "providers"; entries: ProviderEntry[] };

function listFromRows(
  kind: RoundList["kind"],
  rows: string[][],
): { ok: true; list: RoundList } | { ok: false; errors: RowError[] } {
  if (kind === "enterprises") {
    const parsed = parseEnterpriseList(rows);
    return parsed.ok ? { ok: true, list: { kind, entries: parsed.entries } } : parsed;
  }
  const parsed = parseProviderList(rows);
  return parsed.ok ? { ok: true, list: { kind, entries: parsed.entries } } : parsed;
}

/** Provider names a new organisation can register under: on the list of some round that is not archived. */
export async function registrableProviderNames(): Promise<{ name: string; contactName: string | null }[]> {
  const prisma = await db();
  const rows = await prisma.roundProvider.findMany({
    where: { round: { status: { not: "archived" } } },
    select: { name: true, contactName: true },
    orderBy: { seq: "asc" },
    distinct: ["name"],
  });
  return rows;
}
