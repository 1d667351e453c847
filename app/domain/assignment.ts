/**
 * R-REV-5: which experts review which applications.
 *
 * How `assignExperts` works. Covering the applications is easy: experts have no capacity limit, so
 * an application gets min(k, its non-conflicted experts). Balancing the loads is the real problem,
 * and it is solved in two steps:
 *   1. Greedy: applications with the fewest eligible experts first, each taking the least-loaded
 *      eligible experts (ties by id). This is nearly balanced already.
 *   2. Repair: while an expert u has a load at least 2 above an expert v and a chain of moves links
 *      them (u gives application a1 to w1, w1 gives a2 to w2, …, to v, each move to an eligible expert
 *      not already on that application), apply the chain: u loses one, v gains one, the rest are
 *      unchanged. Each chain lowers the sum of squared loads, so the loop ends; when no chain is left
 *      the sum of squares is minimal (no negative cycle in the residual graph of this transport
 *      problem with convex costs), and so the loads differ by at most one whenever any assignment
 *      with the same coverage achieves that. Chains are found by breadth-first search.
 * Existing assignments are kept and counted in the loads but never moved. Everything iterates in id
 * order, so the same input gives the same output.
 */

export type AssignmentApplication = {
  id: string;
  providerOrgId: string;
  enterpriseId: string;
  providerName?: string;
  enterpriseName?: string;
};

export type AssignmentExpert = {
  id: string;
  name?: string;
  /** Ids of the organisations and enterprises the expert declared a conflict with. */
  conflicts: ReadonlySet<string> | readonly string[];
};

export type Assignment = { applicationId: string; expertId: string };
export type Shortage = { applicationId: string; needed: number; assigned: number; message: string };
export type RefusedAssignment = Assignment & { message: string };
export type ExpertLoad = { expertId: string; load: number };

export type AssignmentPlan = {
  /** Kept existing assignments and new ones, sorted by application id then expert id. */
  assignments: Assignment[];
  /** The new ones only (to insert). */
  added: Assignment[];
  /** Applications that could not get k experts. */
  shortages: Shortage[];
  /** Existing assignments that break a declared conflict: not kept, not counted; staff remove them. */
  conflicting: RefusedAssignment[];
  /** Final load of every expert in the pool, existing assignments included, by expert id. */
  loads: ExpertLoad[];
};

export type Check = { ok: true } | { ok: false; message: string };

/**
 * R-REV-5: the statuses whose applications take (more) experts, by hand or automatically, and whose
 * assignments may be withdrawn: accepted, and under review (short of experts after a withdrawal). Once
 * the review is over the assignments are closed.
 */
export const ASSIGNABLE_STATUSES = ["accepted", "under_review"] as const;
export type AssignableStatus = (typeof ASSIGNABLE_STATUSES)[number];

export function isAssignable(status: string): status is AssignableStatus {
  return ASSIGNABLE_STATUSES.some((s) => s === status);
}

/**
 * R-REV-5: what staff are told after "assign all": what was added and mailed, and which applications
 * are still short of experts (by number).
 */
export function appliedPlanNotice(result: {
  addedCount: number;
  applications: number;
  mailed: number;
  shortages: readonly string[];
}): string {
  if (result.addedCount === 0) return "没有需要新增的分配：所有申报均已分配足额专家（或无可分配的专家）。";
  const added = `已新增 ${result.addedCount} 项分配，涉及 ${result.applications} 份申报，已向 ${result.mailed} 位专家发送通知邮件。`;
  return result.shortages.length
    ? `${added}仍有 ${result.shortages.length} 份申报专家不足：${result.shortages.join("、")}。`
    : added;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function conflictOf(expert: AssignmentExpert, application: AssignmentApplication): "provider" | "enterprise" | null {
  const { conflicts } = expert;
  const has = (id: string) => ("has" in conflicts ? conflicts.has(id) : conflicts.includes(id));
  if (has(application.providerOrgId)) return "provider";
  if (has(application.enterpriseId)) return "enterprise";
  return null;
}

function conflictMessage(expert: AssignmentExpert, application: AssignmentApplication): string | null {
  const conflict = conflictOf(expert, application);
  if (conflict === null) return null;
  const who = expert.name ? `专家“${expert.name}”` : "该专家";
  const party =
    conflict === "provider"
      ? `服务商${application.providerName ? `“${application.providerName}”` : ""}`
      : `被诊断企业${application.enterpriseName ? `“${application.enterpriseName}”` : ""}`;
  return `${who}已声明与${party}存在利益关系，须回避，不能评审该申报`;
}

/** R-REV-5: staff assigning one expert by hand — refused on a declared conflict or a duplicate. */
export function checkManualAssignment(
  expert: AssignmentExpert,
  application: AssignmentApplication,
  existing: readonly Assignment[] = [],
): Check {
  const conflict = conflictMessage(expert, application);
  if (conflict) return { ok: false, message: conflict };
  if (existing.some((a) => a.applicationId === application.id && a.expertId === expert.id)) {
    return { ok: false, message: "该专家已分配评审此申报" };
  }
  return { ok: true };
}

/** R-REV-5: assign `k` non-conflicted experts to every application, loads balanced (see above). */
export function assignExperts({
  applications,
  experts,
  existing = [],
  k = 3,
}: {
  applications: readonly AssignmentApplication[];
  experts: readonly AssignmentExpert[];
  existing?: readonly Assignment[];
  k?: number;
}): AssignmentPlan {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer: ${k}`);
  const apps = [...applications].sort((a, b) => byCodeUnits(a.id, b.id));
  const pool = [...experts].sort((a, b) => byCodeUnits(a.id, b.id));
  const appIndex = indexById(apps, "application");
  const expertIndex = indexById(pool, "expert");

  // Who is eligible for what, and what is already there.
  const eligible = apps.map((app) => pool.flatMap((expert, e) => (conflictOf(expert, app) === null ? [e] : [])));
  const assigned = apps.map(() => new Set<number>());
  const coverage = apps.map(() => 0);
  const load = pool.map(() => 0);
  const kept: Assignment[] = [];
  const conflicting: RefusedAssignment[] = [];
  const seen = new Set<string>();
  for (const a of existing) {
    const key = `${a.applicationId}\u0000${a.expertId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const i = appIndex.get(a.applicationId);
    const e = expertIndex.get(a.expertId);
    const app = i === undefined ? undefined : apps[i];
    const expert = e === undefined ? undefined : pool[e];
    const message = app && expert ? conflictMessage(expert, app) : null;
    if (message) {
      conflicting.push({ ...a, message });
      continue;
    }
    kept.push({ applicationId: a.applicationId, expertId: a.expertId });
    if (e !== undefined) load[e] = (load[e] ?? 0) + 1;
    if (i !== undefined) {
      coverage[i] = (coverage[i] ?? 0) + 1;
      if (e !== undefined) assigned[i]?.add(e);
    }
  }

  const balancer = new Balancer(eligible, assigned, load);
  const shortages: Shortage[] = [];
  const need = apps.map((_, i) => Math.max(0, k - (coverage[i] ?? 0)));
  const free = apps.map((_, i) => (eligible[i] ?? []).filter((e) => !assigned[i]?.has(e)));
  // Most constrained first: the least slack between free experts and the number still needed.
  const order = apps.map((_, i) => i).sort((x, y) => slack(x) - slack(y) || x - y);
  function slack(i: number): number {
    return (free[i]?.length ?? 0) - (need[i] ?? 0);
  }
  for (const i of order) {
    const needed = need[i] ?? 0;
    const candidates = [...(free[i] ?? [])].sort((x, y) => (load[x] ?? 0) - (load[y] ?? 0) || x - y);
    for (const e of candidates.slice(0, needed)) balancer.add(i, e);
    const app = apps[i];
    if (app && candidates.length < needed) {
      const total = (coverage[i] ?? 0) + candidates.length;
      shortages.push({
        applicationId: app.id,
        needed: k,
        assigned: total,
        message: `评审专家不足：需要 ${k} 位，仅能分配 ${total} 位（其余专家须回避或已分配）`,
      });
    }
  }
  balancer.balance();

  const added = balancer.moves().flatMap(([i, e]) => {
    const app = apps[i];
    const expert = pool[e];
    return app && expert ? [{ applicationId: app.id, expertId: expert.id }] : [];
  });
  const byPair = (a: Assignment, b: Assignment) =>
    byCodeUnits(a.applicationId, b.applicationId) || byCodeUnits(a.expertId, b.expertId);
  return {
    assignments: [...kept, ...added].sort(byPair),
    added: added.sort(byPair),
    shortages: shortages.sort((a, b) => byCodeUnits(a.applicationId, b.applicationId)),
    conflicting,
    loads: pool.map((expert, e) => ({ expertId: expert.id, load: load[e] ?? 0 })),
  };
}

function indexById(items: readonly { id: string }[], what: string): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (index.has(item.id)) throw new RangeError(`duplicate ${what} id: ${item.id}`);
    index.set(item.id, i);
  });
  return index;
}

/**
 * The movable (new) assignments and the chain search of step 2. Applications and experts are
 * indices; `assigned[i]` holds every pool expert on application i, `load[e]` every assignment of e.
 */
class Balancer {
  private readonly eligible: readonly (readonly number[])[];
  private readonly assigned: readonly Set<number>[];
  private readonly load: number[];
  /** New assignments per expert: the applications it can hand on. */
  private readonly movable: Set<number>[];

  constructor(eligible: readonly (readonly number[])[], assigned: readonly Set<number>[], load: number[]) {
    this.eligible = eligible;
    this.assigned = assigned;
    this.load = load;
    this.movable = load.map(() => new Set<number>());
  }

  add(i: number, e: number): void {
    this.assigned[i]?.add(e);
    this.movable[e]?.add(i);
    this.load[e] = (this.load[e] ?? 0) + 1;
  }

  /** Every new assignment as [application, expert]. */
  moves(): [number, number][] {
    return this.movable.flatMap((apps, e) => [...apps].map((i): [number, number] => [i, e]));
  }

  balance(): void {
    while (this.improve()) {
      // Each improvement lowers the sum of squared loads; stop when none is left.
    }
  }

  /** Find one chain from an expert at `level` or above to one at `level − 2` or below, and apply it. */
  private improve(): boolean {
    if (this.load.length === 0) return false;
    const max = Math.max(...this.load);
    const min = Math.min(...this.load);
    for (let level = max; level >= min + 2; level--) {
      const chain = this.findChain(level);
      if (chain) {
        for (const { application, from, to } of chain) {
          this.assigned[application]?.delete(from);
          this.movable[from]?.delete(application);
          this.load[from] = (this.load[from] ?? 0) - 1;
          this.add(application, to);
        }
        return true;
      }
    }
    return false;
  }

  private findChain(level: number): { application: number; from: number; to: number }[] | null {
    const via = new Map<number, { application: number; from: number }>();
    const queue: number[] = [];
    this.load.forEach((l, e) => {
      if (l >= level) {
        queue.push(e);
        via.set(e, { application: -1, from: -1 });
      }
    });
    for (let head = 0; head < queue.length; head++) {
      const from = queue[head] ?? -1;
      for (const application of this.movable[from] ?? []) {
        for (const to of this.eligible[application] ?? []) {
          if (via.has(to) || this.assigned[application]?.has(to)) continue;
          via.set(to, { application, from });
          if ((this.load[to] ?? 0) <= level - 2) return this.chainTo(to, via);
          queue.push(to);
        }
      }
    }
    return null;
  }

  private chainTo(end: number, via: Map<number, { application: number; from: number }>) {
    const chain: { application: number; from: number; to: number }[] = [];
    for (let to = end, step = via.get(to); step && step.from >= 0; to = step.from, step = via.get(to)) {
      chain.push({ application: step.application, from: step.from, to });
    }
    return chain;
  }
}
