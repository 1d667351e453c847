import { describe, expect, it } from "vitest";

import {
  appliedPlanNotice,
  assignExperts,
  type Assignment,
  type AssignmentApplication,
  type AssignmentExpert,
  type AssignmentPlan,
  checkManualAssignment,
  isAssignable,
} from "./assignment.ts";

/** mulberry32: a tiny seeded PRNG, so generated cases are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Case = { applications: AssignmentApplication[]; experts: AssignmentExpert[]; existing: Assignment[] };

/** Applications of `providers` providers; each expert conflicts with each provider/enterprise with probability `p`. */
function generate(seed: number, apps: number, experts: number, providers: number, p: number): Case {
  const random = prng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const applications = Array.from({ length: apps }, (_, i) => ({
    id: `app-${String(i).padStart(5, "0")}`,
    providerOrgId: `org-${pick(providers)}`,
    enterpriseId: `ent-${i}`,
  }));
  const pool = Array.from({ length: experts }, (_, e) => {
    const conflicts = new Set<string>();
    for (let o = 0; o < providers; o++) if (random() < p) conflicts.add(`org-${o}`);
    for (const app of applications) if (random() < p) conflicts.add(app.enterpriseId);
    return { id: `expert-${String(e).padStart(3, "0")}`, conflicts };
  });
  return { applications, experts: pool, existing: [] };
}

function isConflicted(expert: AssignmentExpert, app: AssignmentApplication): boolean {
  const list = [...expert.conflicts];
  return list.includes(app.providerOrgId) || list.includes(app.enterpriseId);
}

function spread(plan: AssignmentPlan): number {
  const loads = plan.loads.map((l) => l.load);
  return Math.max(...loads) - Math.min(...loads);
}

/** Checks every plan must pass: no conflict, no duplicate, k experts or a reported shortage, loads as counted. */
function expectValid(c: Case, plan: AssignmentPlan, k: number): void {
  const apps = new Map(c.applications.map((a) => [a.id, a]));
  const experts = new Map(c.experts.map((e) => [e.id, e]));
  const pairs = new Set<string>();
  const perApp = new Map<string, number>();
  for (const a of plan.assignments) {
    const app = apps.get(a.applicationId);
    const expert = experts.get(a.expertId);
    if (app && expert) expect(isConflicted(expert, app), `${a.expertId} on ${a.applicationId}`).toBe(false);
    const key = `${a.applicationId}/${a.expertId}`;
    expect(pairs.has(key), key).toBe(false);
    pairs.add(key);
    perApp.set(a.applicationId, (perApp.get(a.applicationId) ?? 0) + 1);
  }
  const short = new Map(plan.shortages.map((s) => [s.applicationId, s]));
  for (const app of c.applications) {
    const count = perApp.get(app.id) ?? 0;
    const shortage = short.get(app.id);
    if (shortage) {
      expect(count).toBeLessThan(k);
      expect(shortage.assigned).toBe(count);
      // Short only because every other expert is conflicted: all the eligible ones are on it.
      expect(count).toBe(c.experts.filter((e) => !isConflicted(e, app)).length);
    } else {
      expect(count, app.id).toBeGreaterThanOrEqual(k);
    }
  }
  for (const { expertId, load } of plan.loads) {
    expect(load).toBe(plan.assignments.filter((a) => a.expertId === expertId).length);
  }
}

/** Every choice of experts for every application: the best sum of squared loads and the best spread. */
function bruteForce(c: Case, k: number): { sumOfSquares: number; spread: number } {
  const loads = new Map(c.experts.map((e) => [e.id, 0]));
  for (const a of c.existing) if (loads.has(a.expertId)) loads.set(a.expertId, (loads.get(a.expertId) ?? 0) + 1);
  const choices = c.applications.map((app) => {
    const have = c.existing.filter((a) => a.applicationId === app.id).map((a) => a.expertId);
    const free = c.experts.filter((e) => !isConflicted(e, app) && !have.includes(e.id)).map((e) => e.id);
    return subsets(free, Math.min(free.length, Math.max(0, k - have.length)));
  });
  let best = { sumOfSquares: Infinity, spread: Infinity };
  const walk = (i: number) => {
    if (i === choices.length) {
      const values = [...loads.values()];
      const sumOfSquares = values.reduce((s, l) => s + l * l, 0);
      const s = Math.max(...values) - Math.min(...values);
      best = { sumOfSquares: Math.min(best.sumOfSquares, sumOfSquares), spread: Math.min(best.spread, s) };
      return;
    }
    for (const subset of choices[i] ?? []) {
      for (const id of subset) loads.set(id, (loads.get(id) ?? 0) + 1);
      walk(i + 1);
      for (const id of subset) loads.set(id, (loads.get(id) ?? 0) - 1);
    }
  };
  walk(0);
  return best;
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]));
}

const APP: AssignmentApplication = {
  id: "app-1",
  providerOrgId: "org-langchao",
  enterpriseId: "ent-yuanxing",
  providerName: "浪潮工业互联网股份有限公司",
  enterpriseName: "山东元星电子有限公司",
};

describe("checkManualAssignment", () => {
  it("R-REV-5 refuses an expert conflicted with the provider, naming it", () => {
    const expert = { id: "x", name: "王工", conflicts: ["org-langchao"] };
    expect(checkManualAssignment(expert, APP)).toEqual({
      ok: false,
      message: "专家“王工”已声明与服务商“浪潮工业互联网股份有限公司”存在利益关系，须回避，不能评审该申报",
    });
  });

  it("R-REV-5 refuses an expert conflicted with the enterprise, naming it", () => {
    const expert = { id: "x", conflicts: new Set(["ent-yuanxing"]) };
    expect(checkManualAssignment(expert, APP)).toEqual({
      ok: false,
      message: "该专家已声明与被诊断企业“山东元星电子有限公司”存在利益关系，须回避，不能评审该申报",
    });
    const unnamed = { id: APP.id, providerOrgId: APP.providerOrgId, enterpriseId: APP.enterpriseId };
    expect(checkManualAssignment(expert, unnamed)).toEqual({
      ok: false,
      message: "该专家已声明与被诊断企业存在利益关系，须回避，不能评审该申报",
    });
  });

  it("R-REV-5 refuses the same expert twice on one application, and accepts a free expert", () => {
    const expert = { id: "x", conflicts: ["org-other"] };
    expect(checkManualAssignment(expert, APP, [{ applicationId: "app-1", expertId: "x" }])).toEqual({
      ok: false,
      message: "该专家已分配评审此申报",
    });
    expect(checkManualAssignment(expert, APP, [{ applicationId: "app-2", expertId: "x" }])).toEqual({ ok: true });
  });
});

describe("assignExperts", () => {
  it("R-REV-5 gives every application 3 experts and balances the loads", () => {
    const c = generate(1, 4, 4, 2, 0);
    const plan = assignExperts(c);
    expectValid(c, plan, 3);
    expect(plan.loads.map((l) => l.load)).toEqual([3, 3, 3, 3]);
    expect(plan.shortages).toEqual([]);
    expect(plan.added).toEqual(plan.assignments);
  });

  for (const seed of [2, 3, 5, 8, 13, 21, 34, 55]) {
    it(`R-REV-5 generated case ${seed}: conflicts honoured, k experts each, loads within one`, () => {
      const random = prng(seed);
      const c = generate(seed, 50 + Math.floor(random() * 250), 6 + Math.floor(random() * 20), 30, 0.08);
      const k = 2 + Math.floor(random() * 3);
      const plan = assignExperts({ ...c, k });
      expectValid(c, plan, k);
      expect(spread(plan)).toBeLessThanOrEqual(1);
    });
  }

  it("R-REV-5 on small generated cases the loads are as balanced as exhaustive search finds", () => {
    for (let seed = 100; seed < 260; seed++) {
      const random = prng(seed);
      const c = generate(seed, 3 + Math.floor(random() * 3), 3 + Math.floor(random() * 2), 3, 0.3);
      // Some experts are already busy elsewhere, and some applications already have an expert.
      for (const e of c.experts) {
        const busy = Math.floor(random() * 4);
        for (let j = 0; j < busy; j++) c.existing.push({ applicationId: `elsewhere-${j}`, expertId: e.id });
      }
      const first = c.applications[0];
      const free = first && c.experts.find((e) => !isConflicted(e, first));
      if (first && free) c.existing.push({ applicationId: first.id, expertId: free.id });

      const k = 2;
      const plan = assignExperts({ ...c, k });
      expectValid(c, plan, k);
      const best = bruteForce(c, k);
      const sumOfSquares = plan.loads.reduce((s, l) => s + l.load * l.load, 0);
      expect(sumOfSquares, `seed ${seed}`).toBe(best.sumOfSquares);
      if (best.spread <= 1) expect(spread(plan), `seed ${seed}`).toBeLessThanOrEqual(1);
    }
  });

  it("R-REV-5 reports a shortage when too few experts are free of conflict", () => {
    const c: Case = {
      applications: [APP, { id: "app-2", providerOrgId: "org-b", enterpriseId: "ent-b" }],
      experts: [
        { id: "e1", conflicts: ["org-langchao"] },
        { id: "e2", conflicts: [] },
        { id: "e3", conflicts: ["ent-yuanxing"] },
      ],
      existing: [],
    };
    const plan = assignExperts(c);
    expectValid(c, plan, 3);
    expect(plan.shortages).toEqual([
      {
        applicationId: "app-1",
        needed: 3,
        assigned: 1,
        message: "评审专家不足：需要 3 位，仅能分配 1 位（其余专家须回避或已分配）",
      },
    ]);
    expect(plan.assignments.filter((a) => a.applicationId === "app-2")).toHaveLength(3);
  });

  it("R-REV-5 an expert conflicted with everything stays at 0 while the others are balanced", () => {
    const c = generate(7, 30, 5, 4, 0);
    c.experts.push({ id: "expert-zzz", conflicts: ["org-0", "org-1", "org-2", "org-3"] });
    const plan = assignExperts(c);
    expectValid(c, plan, 3);
    const loads = plan.loads.map((l) => l.load);
    expect(loads).toEqual([18, 18, 18, 18, 18, 0]);
  });

  it("R-REV-5 keeps existing assignments and counts them in the loads", () => {
    const c = generate(9, 10, 4, 3, 0);
    // e0 already reviews 6 applications of another batch, and app-00000 already has e0.
    c.existing = [
      ...Array.from({ length: 6 }, (_, j) => ({ applicationId: `other-${j}`, expertId: "expert-000" })),
      { applicationId: "app-00000", expertId: "expert-000" },
    ];
    const plan = assignExperts({ ...c, k: 2 });
    expectValid(c, plan, 2);
    for (const a of c.existing) expect(plan.assignments).toContainEqual(a);
    expect(plan.added.filter((a) => a.applicationId === "app-00000")).toHaveLength(1);
    // 7 existing + 19 new = 26 over 4 experts: loads 7, 7, 6, 6 (e0 gets nothing new).
    expect(plan.loads).toEqual([
      { expertId: "expert-000", load: 7 },
      { expertId: "expert-001", load: 7 },
      { expertId: "expert-002", load: 6 },
      { expertId: "expert-003", load: 6 },
    ]);
  });

  it("R-REV-5 reports an existing assignment that breaks a conflict and replaces it", () => {
    const c: Case = {
      applications: [APP],
      experts: [
        { id: "e1", conflicts: ["ent-yuanxing"] },
        { id: "e2", conflicts: [] },
        { id: "e3", conflicts: [] },
        { id: "e4", conflicts: [] },
      ],
      existing: [{ applicationId: "app-1", expertId: "e1" }],
    };
    const plan = assignExperts(c);
    expect(plan.conflicting).toEqual([
      {
        applicationId: "app-1",
        expertId: "e1",
        message: "该专家已声明与被诊断企业“山东元星电子有限公司”存在利益关系，须回避，不能评审该申报",
      },
    ]);
    expect(plan.assignments.map((a) => a.expertId)).toEqual(["e2", "e3", "e4"]);
  });

  it("R-REV-5 is deterministic whatever the input order", () => {
    const c = generate(42, 200, 12, 20, 0.1);
    const plan = assignExperts(c);
    const shuffled = assignExperts({
      ...c,
      applications: [...c.applications].reverse(),
      experts: [...c.experts].reverse(),
    });
    expect(shuffled).toEqual(plan);
  });

  it("R-REV-5 assigns 2,000 applications to 25 experts (k = 3) in well under a second", () => {
    const c = generate(2022, 2000, 25, 36, 0.05);
    const started = performance.now();
    const plan = assignExperts(c);
    const elapsed = performance.now() - started;
    expectValid(c, plan, 3);
    expect(plan.added).toHaveLength(6000);
    expect(spread(plan)).toBeLessThanOrEqual(1);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe("assignExperts on many generated pools (heavy conflicts, existing work)", () => {
  it("R-REV-5 500 seeded cases: conflicts honoured, k or a reported shortage, no expert 2 above one that could take its work, rerun adds nothing", () => {
    for (let seed = 1000; seed < 1500; seed++) {
      const random = prng(seed);
      const c = generate(
        seed,
        1 + Math.floor(random() * 40),
        1 + Math.floor(random() * 9),
        1 + Math.floor(random() * 6),
        random() * 0.6,
      );
      for (const e of c.experts) {
        if (random() < 0.3) c.existing.push({ applicationId: `other-round-${seed}`, expertId: e.id });
      }
      const k = 1 + Math.floor(random() * 4);
      const plan = assignExperts({ ...c, k });
      expectValid(c, plan, k);
      // Balanced "among experts who could take more": an expert at least 2 below another could not
      // take any of the other's new applications (else one move would balance them better).
      const load = new Map(plan.loads.map((l) => [l.expertId, l.load]));
      for (const a of plan.added) {
        const app = c.applications.find((x) => x.id === a.applicationId);
        for (const v of c.experts) {
          if (!app || (load.get(v.id) ?? 0) > (load.get(a.expertId) ?? 0) - 2) continue;
          const onIt = plan.assignments.some((x) => x.applicationId === app.id && x.expertId === v.id);
          expect(onIt || isConflicted(v, app), `seed ${seed}: ${v.id} could take ${app.id} from ${a.expertId}`).toBe(
            true,
          );
        }
      }
      // Idempotent: the plan's assignments as the existing ones, a second run adds nothing.
      const again = assignExperts({ ...c, existing: [...c.existing, ...plan.added], k });
      expect(again.added, `seed ${seed}`).toEqual([]);
      expect(again.shortages).toEqual(plan.shortages);
    }
  });

  it("R-REV-5 an expert excluded from one application (its enterprise among its conflicts) gets the others", () => {
    // How the portal keeps a withdrawn expert off the application it was withdrawn from.
    const c = generate(77, 6, 4, 2, 0);
    const target = c.applications[2];
    const excluded = c.experts[0];
    if (!target || !excluded) throw new Error("generated case too small");
    const experts = c.experts.map((e) => (e === excluded ? { ...e, conflicts: new Set([target.enterpriseId]) } : e));
    const plan = assignExperts({ ...c, experts, k: 3 });
    expect(plan.assignments).not.toContainEqual({ applicationId: target.id, expertId: excluded.id });
    expect(plan.assignments.filter((a) => a.expertId === excluded.id)).toHaveLength(5);
    expect(plan.shortages).toEqual([]);
  });
});

describe("isAssignable", () => {
  it("R-REV-5 accepted and under-review applications take experts; drafts and finished reviews do not", () => {
    expect(isAssignable("accepted")).toBe(true);
    expect(isAssignable("under_review")).toBe(true);
    for (const status of ["draft", "submitted", "returned", "reviewed", "passed", "failed", "in_batch", "paid"])
      expect(isAssignable(status)).toBe(false);
  });
});

describe("appliedPlanNotice", () => {
  it("R-REV-5 says what was added and mailed, and names the applications still short of experts", () => {
    expect(appliedPlanNotice({ addedCount: 7, applications: 3, mailed: 4, shortages: [] })).toBe(
      "已新增 7 项分配，涉及 3 份申报，已向 4 位专家发送通知邮件。",
    );
    expect(appliedPlanNotice({ addedCount: 5, applications: 3, mailed: 2, shortages: ["ZD-0002", "ZD-0003"] })).toBe(
      "已新增 5 项分配，涉及 3 份申报，已向 2 位专家发送通知邮件。仍有 2 份申报专家不足：ZD-0002、ZD-0003。",
    );
  });

  it("R-REV-5 a plan with nothing to add says so, whatever else it holds", () => {
    expect(appliedPlanNotice({ addedCount: 0, applications: 0, mailed: 0, shortages: ["ZD-0002"] })).toBe(
      "没有需要新增的分配：所有申报均已分配足额专家（或无可分配的专家）。",
    );
  });
});
