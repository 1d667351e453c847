/**
 * R-REV-5 against both real databases: the expert pool, conflicts by name across rounds, automatic
 * assignment (balanced, one e-mail per expert, idempotent), manual choices, withdrawal on a declared
 * conflict.
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  addAssignment,
  applicationAssignments,
  applyAutoAssignment,
  assignmentBoard,
  planAutoAssignment,
  STALE_PLAN_MESSAGE,
  withdrawAssignment,
} from "~/models/assignment.server.ts";
import {
  addConflict,
  declareConflicts,
  inviteExpert,
  listExperts,
  needsConflictDeclaration,
} from "~/models/expert.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("expert assignment on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let staff: { id: string; name: string; roles: ("provider" | "expert" | "staff" | "approver" | "admin")[] };

  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    process.env.DATA_DIR = dataDir;
    store = new FolderStore(path.join(dataDir, "files"));
    const { user } = await createUser(prisma, ["staff"], { name: "分配人员" });
    staff = { id: user.id, name: user.name, roles: user.roles };
  });
  afterAll(async () => {
    await closeDatabase();
  });

  /** A round with `count` accepted applications from two providers, and a pool of `experts` experts. */
  async function world(count: number, experts: number) {
    const round = await createRound(prisma);
    const providers = [await createProvider(prisma), await createProvider(prisma)];
    const applications = [];
    for (let i = 0; i < count; i++) {
      const provider = providers[i % 2];
      const enterprise = round.enterprises[i];
      if (!provider || !enterprise) throw new Error("scenario too small");
      applications.push(
        await createApplication(prisma, {
          roundId: round.id,
          enterpriseId: enterprise.id,
          organisationId: provider.organisation.id,
          createdById: provider.user.id,
          store,
          status: "accepted",
          without: ["M5", "M6", "M7"],
        }),
      );
    }
    // Disable every expert of earlier tests, so each test has its own pool.
    await prisma.user.updateMany({ where: { roles: { has: "expert" } }, data: { status: "disabled" } });
    const pool = [];
    for (let e = 0; e < experts; e++) pool.push((await createUser(prisma, ["expert"], { name: `专家${e + 1}` })).user);
    return { round, providers, applications, pool };
  }

  it("R-REV-5 assigns all accepted applications, honours a conflict recorded by name in another round, balances loads and mails each expert once", async () => {
    const { round, providers, applications, pool } = await world(5, 4);
    const conflicted = pool[0];
    const provider = providers[0];
    if (!conflicted || !provider) throw new Error("scenario");
    // The conflict was recorded by name (with full-width brackets written differently) long before this round.
    await prisma.organisation.update({
      where: { id: provider.organisation.id },
      data: { name: `${provider.organisation.name}(淄博)` },
    });
    const outcome = await addConflict(
      staff,
      conflicted.id,
      { kind: "provider", partyName: ` ${provider.organisation.name}（淄博）`, note: "兼职顾问" },
      "staff",
    );
    expect(outcome).toEqual({ ok: true, withdrawn: [] });

    const preview = await planAutoAssignment(round.id, 3);
    expect(preview?.addedCount).toBe(15);
    expect(await prisma.expertAssignment.count({ where: { application: { roundId: round.id } } })).toBe(0);

    const outboxBefore = await prisma.outboxMessage.count();
    const applied = await applyAutoAssignment(staff, round.id, 3);
    if (!applied.ok) throw new Error(applied.message);
    // Applications of provider 0 (indices 0, 2, 4) never get the conflicted expert.
    const rows = await prisma.expertAssignment.findMany({ where: { application: { roundId: round.id } } });
    expect(rows).toHaveLength(15);
    for (const app of applications.filter((a) => a.organisationId === provider.organisation.id)) {
      expect(rows.filter((r) => r.applicationId === app.id).map((r) => r.expertId)).not.toContain(conflicted.id);
    }
    // Loads: 15 over 4 experts, but the conflicted one can take only the 2 other applications.
    const loads = pool.map((e) => rows.filter((r) => r.expertId === e.id).length);
    expect(loads[0]).toBe(2);
    expect(Math.max(...loads.slice(1)) - Math.min(...loads.slice(1))).toBeLessThanOrEqual(1);
    expect(applied.view.shortages).toEqual([]);
    // accepted → under_review, version bumped, on the record.
    const statuses = await prisma.application.findMany({
      where: { roundId: round.id },
      select: { status: true, version: true },
    });
    expect(statuses.every((s) => s.status === "under_review" && s.version === 1)).toBe(true);
    expect(
      await prisma.auditEntry.count({ where: { action: "assignment.auto", entityType: "application" } }),
    ).toBeGreaterThanOrEqual(5);
    // One e-mail per expert, listing all its applications and the link to /expert.
    const mails = await prisma.outboxMessage.findMany({ orderBy: { createdAt: "asc" }, skip: outboxBefore });
    expect(mails).toHaveLength(4);
    for (const expert of pool) {
      const mine = mails.filter((m) => m.to === expert.email);
      expect(mine).toHaveLength(1);
      const numbers = applications
        .filter((a) => rows.some((r) => r.applicationId === a.id && r.expertId === expert.id))
        .map((a) => a.number);
      for (const number of numbers) expect(mine[0]?.text).toContain(number);
      expect(mine[0]?.text).toContain("/expert");
    }

    // A second "assign all" right after adds nothing and sends nothing.
    const again = await applyAutoAssignment(staff, round.id, 3);
    expect(again.ok && again.view.addedCount).toBe(0);
    expect(await prisma.outboxMessage.count()).toBe(outboxBefore + 4);
    // The pool lists each expert's load in the round.
    const listed = await listExperts({ roundId: round.id });
    expect(
      listed
        .filter((e) => pool.some((p) => p.id === e.id))
        .map((e) => e.load)
        .sort(),
    ).toEqual([...loads].sort());
  });

  it('R-REV-5 two "assign all" at once: one adds, the other adds nothing; one e-mail per expert', async () => {
    const { round, pool } = await world(3, 3);
    const before = await prisma.outboxMessage.count();
    const [first, second] = await Promise.all([
      applyAutoAssignment(staff, round.id, 3),
      applyAutoAssignment(staff, round.id, 3),
    ]);
    const added = [first, second].map((o) => (o.ok ? o.view.addedCount : 0)).sort();
    expect(added).toEqual([0, 9]);
    expect(await prisma.expertAssignment.count({ where: { application: { roundId: round.id } } })).toBe(9);
    expect(await prisma.outboxMessage.count()).toBe(before + pool.length);
  });

  it("R-REV-5 confirm applies exactly the previewed plan: after a conflict is declared in between, nothing is written", async () => {
    const { round, providers, pool } = await world(4, 4);
    const preview = await planAutoAssignment(round.id, 2);
    if (!preview) throw new Error("no round");
    expect(preview.addedCount).toBe(8);
    // Between preview and confirm, an expert the preview put on an application of provider 0 declares a conflict with it.
    const provider = providers[0];
    const planned = preview.added.find((a) => a.provider === provider?.organisation.name);
    const used = pool.find((e) => planned?.experts.includes(e.name));
    if (!used || !provider) throw new Error("scenario");
    await declareConflicts({ id: used.id, name: used.name }, [
      { kind: "provider", partyName: provider.organisation.name },
    ]);
    const before = await prisma.outboxMessage.count();
    expect(await applyAutoAssignment(staff, round.id, 2, preview.fingerprint)).toEqual({
      ok: false,
      message: STALE_PLAN_MESSAGE,
    });
    expect(await prisma.expertAssignment.count({ where: { application: { roundId: round.id } } })).toBe(0);
    expect(await prisma.outboxMessage.count()).toBe(before);
    expect((await prisma.application.findMany({ where: { roundId: round.id } })).map((a) => a.status)).toEqual(
      Array(4).fill("accepted"),
    );

    const fresh = await planAutoAssignment(round.id, 2);
    if (!fresh) throw new Error("no round");
    const applied = await applyAutoAssignment(staff, round.id, 2, fresh.fingerprint);
    expect(applied.ok && applied.view.addedCount).toBe(8);
    // The second click of a double-click: nothing left to add, a success that changes nothing.
    expect(await applyAutoAssignment(staff, round.id, 2, fresh.fingerprint)).toMatchObject({ ok: true, mailed: 0 });
    // The board: all 4 applications, each with its 2 experts, on one page.
    const board = await assignmentBoard(round.id, { status: "under_review" });
    expect(board).toMatchObject({ total: 4, page: 1, pages: 1 });
    expect(board.applications.map((a) => a.assignments.length)).toEqual([2, 2, 2, 2]);
    expect((await assignmentBoard(round.id, { status: "accepted" })).total).toBe(0);
  });

  it("R-REV-5 refuses a conflicted manual choice with the reason, and re-adds a withdrawn expert by hand", async () => {
    const { applications, pool } = await world(1, 4);
    const app = applications[0];
    const [a, b] = pool;
    if (!app || !a || !b) throw new Error("scenario");
    const enterprise = await prisma.roundEnterprise.findUniqueOrThrow({ where: { id: app.enterpriseId } });
    await addConflict(staff, a.id, { kind: "enterprise", partyName: enterprise.name }, "staff");
    const refused = await addAssignment(staff, app.id, a.id);
    expect(refused).toEqual({
      ok: false,
      message: `专家“${a.name}”已声明与被诊断企业“${enterprise.name}”存在利益关系，须回避，不能评审该申报`,
    });

    expect(await addAssignment(staff, app.id, b.id)).toEqual({ ok: true });
    expect((await prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("under_review");
    expect(await addAssignment(staff, app.id, b.id)).toEqual({ ok: false, message: "该专家已分配评审此申报" });

    const row = await prisma.expertAssignment.findUniqueOrThrow({
      where: { applicationId_expertId: { applicationId: app.id, expertId: b.id } },
    });
    expect(await withdrawAssignment(staff, row.id, "专家出差")).toEqual({ ok: true });
    expect((await withdrawAssignment(staff, row.id, "专家出差")).ok).toBe(false);
    // The automatic plan does not bring back a withdrawn expert; staff may, by hand.
    const plan = await planAutoAssignment(app.roundId, 3);
    expect(plan?.added.flatMap((x) => x.experts)).not.toContain(b.name);
    expect(await addAssignment(staff, app.id, b.id)).toEqual({ ok: true });
    const back = await prisma.expertAssignment.findUniqueOrThrow({ where: { id: row.id } });
    expect(back.withdrawnAt).toBeNull();
    // Once the review is over, the assignment stays as it is.
    await prisma.application.update({ where: { id: app.id }, data: { status: "reviewed" } });
    expect(await withdrawAssignment(staff, row.id, "专家出差")).toEqual({
      ok: false,
      message: "评审已结束的申报不能撤回评审任务。",
    });
    expect(await addAssignment(staff, app.id, pool[2]?.id ?? "")).toEqual({
      ok: false,
      message: "只有已受理或评审中的申报可以分配评审专家。",
    });
  });

  it("R-REV-5 a conflict the expert declares withdraws its active assignment, and the next auto-assign replaces it", async () => {
    const { round, providers, applications, pool } = await world(2, 4);
    const applied = await applyAutoAssignment(staff, round.id, 3);
    if (!applied.ok) throw new Error(applied.message);
    const app = applications[0];
    if (!app) throw new Error("scenario");
    const row = await prisma.expertAssignment.findFirstOrThrow({ where: { applicationId: app.id } });
    const expert = pool.find((e) => e.id === row.expertId);
    const provider = providers.find((p) => p.organisation.id === app.organisationId);
    if (!expert || !provider) throw new Error("scenario");

    // First login: no declaration yet, so /expert sends the expert to /expert/conflicts.
    await prisma.expertProfile.update({ where: { userId: expert.id }, data: { conflictsDeclaredAt: null } });
    expect(await needsConflictDeclaration(expert.id)).toBe(true);
    expect(await needsConflictDeclaration(staff.id)).toBe(false);
    const declared = await declareConflicts({ id: expert.id, name: expert.name }, [
      { kind: "provider", partyName: provider.organisation.name },
    ]);
    expect(declared).toEqual({ added: 1, withdrawn: [app.number] });
    const withdrawn = await prisma.expertAssignment.findUniqueOrThrow({ where: { id: row.id } });
    expect(withdrawn.withdrawnReason).toBe("专家声明回避");
    expect(
      (await prisma.expertProfile.findUniqueOrThrow({ where: { userId: expert.id } })).conflictsDeclaredAt,
    ).not.toBeNull();

    // The application is under review and short of one expert: auto-assign fills the gap with another.
    const refill = await applyAutoAssignment(staff, round.id, 3);
    expect(refill.ok && refill.view.addedCount).toBe(1);
    const active = await prisma.expertAssignment.findMany({ where: { applicationId: app.id, withdrawnAt: null } });
    expect(active).toHaveLength(3);
    expect(active.map((r) => r.expertId)).not.toContain(expert.id);
    expect(await needsConflictDeclaration(expert.id)).toBe(false);
    // What the staff application page shows: active experts first, then the withdrawn one with its reason.
    const listed = await applicationAssignments(app.id);
    expect(listed.map((a) => a.withdrawn)).toEqual([false, false, false, true]);
    expect(listed[3]).toMatchObject({
      expertId: expert.id,
      expertName: expert.name,
      withdrawnReason: "专家声明回避",
      reviewStatus: null,
    });
    expect(
      listed
        .slice(0, 3)
        .map((a) => a.expertId)
        .sort(),
    ).toEqual(active.map((r) => r.expertId).sort());

    // Declaring "none" again keeps what was declared and changes nothing else.
    expect(await declareConflicts({ id: expert.id, name: expert.name }, [])).toEqual({ added: 0, withdrawn: [] });
    expect(await prisma.expertConflict.count({ where: { expertId: expert.id } })).toBe(1);
  });

  it("R-REV-5 reports a shortage when too few experts are free of conflict, and invites experts with their profile", async () => {
    const { round, applications, pool } = await world(1, 2);
    const applied = await applyAutoAssignment(staff, round.id, 3);
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.view.shortages).toEqual([
      { number: applications[0]?.number, message: "评审专家不足：需要 3 位，仅能分配 2 位（其余专家须回避或已分配）" },
    ]);
    expect(await prisma.expertAssignment.count({ where: { expertId: { in: pool.map((p) => p.id) } } })).toBe(2);

    const { userId } = await inviteExpert(staff, {
      name: "新专家",
      email: `new-expert-${variant}@example.test`,
      field: "工业软件",
      organisationName: "山东理工大学",
    });
    const invited = await prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { expertProfile: true } });
    expect(invited.status).toBe("invited");
    expect(invited.roles).toEqual(["expert"]);
    expect(invited.expertProfile).toMatchObject({
      field: "工业软件",
      organisationName: "山东理工大学",
      conflictsDeclaredAt: null,
    });
    expect(await prisma.outboxMessage.count({ where: { to: `new-expert-${variant}@example.test` } })).toBe(1);
    // The account, its profile, the invitation and their record are one transaction (R-LOG-1).
    expect(
      await prisma.auditEntry.count({ where: { entityId: userId, action: { in: ["user.invite", "expert.profile"] } } }),
    ).toBe(2);
    await expect(
      inviteExpert(staff, {
        name: "重复专家",
        email: `new-expert-${variant}@example.test`,
        field: "其他",
        organisationName: "其他单位",
      }),
    ).rejects.toThrow("该邮箱已被其他账号使用");
    expect(await prisma.outboxMessage.count({ where: { to: `new-expert-${variant}@example.test` } })).toBe(1);
  });

  it("the board's search finds an application by its number in any case, or by provider or enterprise name", async () => {
    const { round, providers, applications } = await world(3, 1);
    const [first, second] = applications;
    const provider = providers[1];
    if (!first || !second || !provider) throw new Error("scenario");
    const found = async (q: string, status = "all") =>
      (await assignmentBoard(round.id, { q, status })).applications.map((a) => a.number);
    expect(await found(first.number.toLowerCase())).toEqual([first.number]);
    expect(await found(provider.organisation.name)).toEqual([second.number]);
    const enterprise = round.enterprises.find((e) => e.id === second.enterpriseId);
    expect(await found(enterprise?.name ?? "?")).toEqual([second.number]);
    expect(await found(first.number, "under_review")).toEqual([]);
    expect(await found("没有这样的申报")).toEqual([]);
  });
});
