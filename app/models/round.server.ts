/**
 * Rounds (批次) and their two lists. Replacing a list is one transaction: all rows or none.
 */
import type { EnterpriseEntry, ProviderEntry } from "~/domain/round-lists.ts";
import type { RoundStatus } from "~/generated/prisma/enums.ts";
import { recordAudit, type Actor } from "~/models/audit.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";


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
};

export class DuplicateRoundNameError extends Error {}

/** The round the header counts down to: the open round whose deadline comes first, else the latest. */
export async function currentRound() {
  const prisma = await db();
  const open = await prisma.round.findFirst({
    where: { status: "open", deadline: { gt: now() } },
    orderBy: { deadline: "asc" },
  });
  return open ?? prisma.round.findFirst({ where: { status: { not: "archived" } }, orderBy: { deadline: "desc" } });
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
        await recordAudit(tx, { actor, action: "round.create", entityType: "round", entityId: round.id, after: snapshot(input) });
        return { id: round.id };
      }
      const before = await tx.round.findUniqueOrThrow({ where: { id } });
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

export async function replaceEnterpriseList(tx: Tx, actor: Actor, roundId: string, entries: EnterpriseEntry[]) {
  const before = await tx.roundEnterprise.count({ where: { roundId } });
  await tx.roundEnterprise.deleteMany({ where: { roundId } });
  await tx.roundEnterprise.createMany({ data: entries.map((e) => ({ roundId, seq: e.seq, name: e.name })) });
  await recordAudit(tx, {
    actor,
    action: "round.import_enterprises",
    entityType: "round",
    entityId: roundId,
    before: { count: before },
    after: { count: entries.length },
  });
}

export async function replaceProviderList(tx: Tx, actor: Actor, roundId: string, entries: ProviderEntry[]) {
  const before = await tx.roundProvider.count({ where: { roundId } });
  await tx.roundProvider.deleteMany({ where: { roundId } });
  await tx.roundProvider.createMany({
    data: entries.map((e) => ({ roundId, seq: e.seq, name: e.name, contactName: e.contactName, contactPhone: e.contactPhone })),
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
export async function importRoundList(
  actor: Actor,
  roundId: string,
  list: { kind: "enterprises"; entries: EnterpriseEntry[] } | { kind: "providers"; entries: ProviderEntry[] },
) {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    if (list.kind === "enterprises") await replaceEnterpriseList(tx, actor, roundId, list.entries);
    else await replaceProviderList(tx, actor, roundId, list.entries);
  });
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
