/**
 * The expert pool (R-REV-5): experts, their field and organisation, and the providers and enterprises
 * each must not review. Conflicts are kept by name (app/domain/conflicts.ts), so they hold across
 * rounds; `conflictIdsForRound` turns them into the ids of one round for `assignExperts`.
 * A conflict recorded while the expert already holds an assignment it hits withdraws that assignment
 * in the same transaction, so staff see the application short of an expert and reassign it.
 */
import {
  CONFLICT_KIND_LABELS,
  conflictedPartyIds,
  conflictHits,
  type ConflictKind,
  normalisePartyName,
} from "~/domain/conflicts.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { createStaffManagedUser } from "~/models/user.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";

export type ExpertProfileInput = { field: string; organisationName: string };

/** The pool with each expert's active assignments in `roundId` (its load). */
export async function listExperts(filter: { q?: string; roundId?: string | null }) {
  const prisma = await db();
  const q = filter.q?.trim() ?? "";
  const experts = await prisma.user.findMany({
    where: {
      roles: { has: "expert" },
      ...(q
        ? {
            OR: [
              { name: { contains: q } },
              { email: { contains: q.toLowerCase() } },
              { expertProfile: { is: { field: { contains: q } } } },
              { expertProfile: { is: { organisationName: { contains: q } } } },
            ],
          }
        : {}),
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      email: true,
      status: true,
      isDemo: true,
      expertProfile: { select: { field: true, organisationName: true, conflictsDeclaredAt: true } },
      _count: { select: { expertConflicts: true } },
    },
  });
  const loads = filter.roundId
    ? await prisma.expertAssignment.groupBy({
        by: ["expertId"],
        where: { withdrawnAt: null, application: { roundId: filter.roundId } },
        _count: { _all: true },
      })
    : [];
  const loadOf = new Map(loads.map((l) => [l.expertId, l._count._all]));
  return experts.map((e) => ({ ...e, load: loadOf.get(e.id) ?? 0 }));
}

/** An expert's field and organisation, on the record with what they were (R-LOG-1). */
async function saveProfileIn(
  tx: Tx,
  actor: Actor,
  userId: string,
  input: { name: string; phone: string | null } & ExpertProfileInput,
  before?: { name: string; phone: string | null; field: string | null; organisationName: string | null },
) {
  await tx.expertProfile.upsert({
    where: { userId },
    create: { userId, field: input.field, organisationName: input.organisationName },
    update: { field: input.field, organisationName: input.organisationName },
  });
  await recordAudit(tx, {
    actor,
    action: "expert.profile",
    entityType: "user",
    entityId: userId,
    ...(before ? { before } : {}),
    after: before
      ? { name: input.name, phone: input.phone, field: input.field, organisationName: input.organisationName }
      : { field: input.field, organisationName: input.organisationName },
  });
}

/** Invite an expert: the account, its profile and its invitation e-mail, in one transaction. */
export async function inviteExpert(
  actor: { id: string; name: string; roles: readonly string[] },
  input: { name: string; email: string; phone?: string } & ExpertProfileInput,
): Promise<{ userId: string }> {
  return createStaffManagedUser(
    actor,
    { name: input.name, email: input.email, phone: input.phone, roles: ["expert"] },
    (tx, userId) => saveProfileIn(tx, actor, userId, { ...input, phone: input.phone || null }),
  );
}

export async function getExpert(userId: string) {
  const prisma = await db();
  return prisma.user.findFirst({
    where: { id: userId, roles: { has: "expert" } },
    select: {
      id: true,
      name: true,
      email: true,
      phone: true,
      status: true,
      isDemo: true,
      expertProfile: true,
      expertConflicts: { orderBy: [{ kind: "asc" }, { partyName: "asc" }] },
      assignments: {
        orderBy: { assignedAt: "desc" },
        select: {
          id: true,
          assignedAt: true,
          withdrawnAt: true,
          withdrawnReason: true,
          application: {
            select: {
              id: true,
              number: true,
              status: true,
              round: { select: { name: true } },
              organisation: { select: { name: true } },
              enterprise: { select: { name: true } },
            },
          },
          review: { select: { status: true } },
        },
      },
    },
  });
}

export async function updateExpertProfile(
  actor: Actor,
  userId: string,
  input: { name: string; phone?: string } & ExpertProfileInput,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findFirst({
      where: { id: userId, roles: { has: "expert" } },
      select: { name: true, phone: true, expertProfile: { select: { field: true, organisationName: true } } },
    });
    if (!before) return { ok: false, message: "专家不存在。" };
    await tx.user.update({ where: { id: userId }, data: { name: input.name, phone: input.phone || null } });
    await saveProfileIn(
      tx,
      actor,
      userId,
      { ...input, phone: input.phone || null },
      {
        name: before.name,
        phone: before.phone,
        field: before.expertProfile?.field ?? null,
        organisationName: before.expertProfile?.organisationName ?? null,
      },
    );
    return { ok: true };
  });
}

export type ConflictInput = { kind: ConflictKind; partyName: string; note?: string };
export type ConflictOutcome = { ok: true; withdrawn: string[] } | { ok: false; message: string };

const WITHDRAW_REASON = { expert: "专家声明回避", staff: "工作人员登记回避" } as const;

/**
 * Record one conflict, by staff or by the expert itself, and withdraw the expert's active assignments
 * it hits (R-REV-5). Returns the numbers of the applications withdrawn.
 */
async function addConflictIn(
  tx: Tx,
  actor: Actor,
  expertId: string,
  input: ConflictInput,
  declaredBy: "staff" | "expert",
): Promise<string[]> {
  const partyName = input.partyName.trim();
  const conflict = await tx.expertConflict.create({
    data: {
      expertId,
      kind: input.kind,
      partyName,
      note: input.note?.trim() || null,
      declaredBy,
      recordedById: actor?.id ?? null,
    },
  });
  await recordAudit(tx, {
    actor,
    action: "expert.conflict_add",
    entityType: "user",
    entityId: expertId,
    after: { kind: conflict.kind, partyName: conflict.partyName, note: conflict.note, declaredBy },
  });
  const active = await tx.expertAssignment.findMany({
    where: { expertId, withdrawnAt: null },
    select: {
      id: true,
      application: {
        select: {
          id: true,
          number: true,
          organisation: { select: { name: true } },
          enterprise: { select: { name: true } },
        },
      },
    },
  });
  const hit = active.filter((a) =>
    conflictHits(
      { kind: input.kind, partyName },
      { providerName: a.application.organisation.name, enterpriseName: a.application.enterprise.name },
    ),
  );
  const reason = WITHDRAW_REASON[declaredBy];
  for (const assignment of hit) {
    await tx.expertAssignment.update({
      where: { id: assignment.id },
      data: { withdrawnAt: now(), withdrawnReason: reason },
    });
    await recordAudit(tx, {
      actor,
      action: "assignment.withdraw",
      entityType: "application",
      entityId: assignment.application.id,
      before: { expertId, assignmentId: assignment.id },
      reason: `${reason}：${CONFLICT_KIND_LABELS[input.kind]}“${partyName}”`,
    });
  }
  return hit.map((a) => a.application.number);
}

export async function addConflict(
  actor: Actor,
  expertId: string,
  input: ConflictInput,
  declaredBy: "staff" | "expert",
): Promise<ConflictOutcome> {
  const prisma = await db();
  const expert = await prisma.user.findFirst({
    where: { id: expertId, roles: { has: "expert" } },
    select: { id: true },
  });
  if (!expert) return { ok: false, message: "专家不存在。" };
  const existing = await prisma.expertConflict.findMany({
    where: { expertId, kind: input.kind },
    select: { partyName: true },
  });
  if (existing.some((c) => normalisePartyName(c.partyName) === normalisePartyName(input.partyName))) {
    return { ok: false, message: `已登记与该${CONFLICT_KIND_LABELS[input.kind]}的利益关系，无需重复添加。` };
  }
  try {
    const withdrawn = await prisma.$transaction((tx) => addConflictIn(tx, actor, expertId, input, declaredBy));
    return { ok: true, withdrawn };
  } catch (error) {
    if (isUniqueViolation(error))
      return { ok: false, message: `已登记与该${CONFLICT_KIND_LABELS[input.kind]}的利益关系，无需重复添加。` };
    throw error;
  }
}

export async function removeConflict(
  actor: Actor,
  expertId: string,
  conflictId: string,
): Promise<{ ok: boolean; message?: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const conflict = await tx.expertConflict.findFirst({ where: { id: conflictId, expertId } });
    if (!conflict) return { ok: false, message: "该回避记录已不存在，可能已被删除。" };
    await tx.expertConflict.delete({ where: { id: conflict.id } });
    await recordAudit(tx, {
      actor,
      action: "expert.conflict_remove",
      entityType: "user",
      entityId: expertId,
      before: {
        kind: conflict.kind,
        partyName: conflict.partyName,
        note: conflict.note,
        declaredBy: conflict.declaredBy,
      },
    });
    return { ok: true };
  });
}

/**
 * The expert's own declaration (first login and whenever it changes): the listed conflicts are added
 * (existing ones kept), or none is declared; either way conflictsDeclaredAt is set.
 */
export async function declareConflicts(
  expert: { id: string; name: string },
  entries: readonly ConflictInput[],
): Promise<{ added: number; withdrawn: string[] }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const existing = await tx.expertConflict.findMany({
      where: { expertId: expert.id },
      select: { kind: true, partyName: true },
    });
    const seen = new Set(existing.map((c) => `${c.kind}:${normalisePartyName(c.partyName)}`));
    const withdrawn: string[] = [];
    let added = 0;
    for (const entry of entries) {
      const key = `${entry.kind}:${normalisePartyName(entry.partyName)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      withdrawn.push(...(await addConflictIn(tx, expert, expert.id, entry, "expert")));
      added += 1;
    }
    await tx.expertProfile.upsert({
      where: { userId: expert.id },
      create: { userId: expert.id, conflictsDeclaredAt: now() },
      update: { conflictsDeclaredAt: now() },
    });
    await recordAudit(tx, {
      actor: expert,
      action: "expert.declare_conflicts",
      entityType: "user",
      entityId: expert.id,
      after: { added, none: entries.length === 0 },
    });
    return { added, withdrawn };
  });
}

/**
 * R-REV-5: whether the expert must declare its conflicts before anything else (first login: no
 * declaration yet). For /expert to redirect to /expert/conflicts. False for a user who is no expert.
 */
export async function needsConflictDeclaration(userId: string): Promise<boolean> {
  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { roles: true, expertProfile: { select: { conflictsDeclaredAt: true } } },
  });
  if (!user || !user.roles.includes("expert")) return false;
  return !user.expertProfile?.conflictsDeclaredAt;
}

export async function expertDeclaration(expertId: string) {
  const prisma = await db();
  const [profile, conflicts] = await Promise.all([
    prisma.expertProfile.findUnique({ where: { userId: expertId }, select: { conflictsDeclaredAt: true } }),
    prisma.expertConflict.findMany({ where: { expertId }, orderBy: [{ kind: "asc" }, { partyName: "asc" }] }),
  ]);
  return { declaredAt: profile?.conflictsDeclaredAt ?? null, conflicts };
}

/**
 * Names for pickers: the provider lists, the providers with applications and the enterprise lists of
 * the rounds in progress (open or closed, not draft or archived), without duplicates.
 */
export async function partyNames(): Promise<{ providers: string[]; enterprises: string[] }> {
  const prisma = await db();
  const inProgress = { status: { in: ["open" as const, "closed" as const] } };
  const listed = await prisma.roundProvider.findMany({
    where: { round: inProgress },
    orderBy: [{ roundId: "asc" }, { seq: "asc" }],
    select: { name: true },
  });
  const applying = await prisma.organisation.findMany({
    where: { applications: { some: { round: inProgress } } },
    orderBy: { name: "asc" },
    select: { name: true },
  });
  const enterprises = await prisma.roundEnterprise.findMany({
    where: { round: inProgress },
    orderBy: [{ roundId: "asc" }, { seq: "asc" }],
    select: { name: true },
  });
  return {
    providers: [...new Set([...listed, ...applying].map((p) => p.name))],
    enterprises: [...new Set(enterprises.map((e) => e.name))],
  };
}

/**
 * R-REV-5: every expert's conflicts as ids of one round's parties: provider Organisation ids (of the
 * organisations with applications in the round) and RoundEnterprise ids, matched by name.
 */
export async function conflictIdsForRound(
  tx: Tx,
  roundId: string,
  expertIds: readonly string[],
): Promise<Map<string, string[]>> {
  // One query after another: inside a transaction they share one connection.
  const providers = await tx.organisation.findMany({
    where: { applications: { some: { roundId } } },
    select: { id: true, name: true },
  });
  const enterprises = await tx.roundEnterprise.findMany({ where: { roundId }, select: { id: true, name: true } });
  const conflicts = await tx.expertConflict.findMany({
    where: { expertId: { in: [...expertIds] } },
    select: { expertId: true, kind: true, partyName: true },
  });
  const result = new Map<string, string[]>();
  for (const expertId of expertIds) {
    const own = conflicts.filter((c) => c.expertId === expertId);
    result.set(expertId, own.length ? conflictedPartyIds(own, { providers, enterprises }) : []);
  }
  return result;
}
