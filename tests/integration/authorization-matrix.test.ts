/**
 * The authorization matrix (issue 13). Every route module under app/routes has an entry in MATRIX (a
 * route file without one fails this test, so a new page cannot ship unchecked). For each role, every
 * loader is called with a real GET Request and every form intent with a real POST Request, against a
 * real database (PGlite) holding a small world: provider A's application, provider B, a provider not
 * yet verified, an expert assigned to A's application and declared free of conflict, one assigned but not
 * declared, one not assigned, staff, an approver and the system administrator. Ids in the requests are
 * provider A's (foreign to provider B, the unassigned and undeclared experts).
 * - A role not allowed is refused (a redirect to sign-in or away, or 4xx; never 2xx, never 5xx) and the
 *   database is unchanged after the refused request (a digest of every table but sessions and the
 *   sign-in throttle).
 * - A role allowed to GET gets a page or a file (not 403, not 5xx). Allowed POSTs are not sent: they
 *   would change the world the other cases run in; their effects are proved by the feature tests.
 * The lead adds an entry for every route another branch adds: `path` builds the URL and route params
 * from the world's ids, `get` lists who may load it ("public": anyone), `post` lists the intents with
 * their form fields and who may send them.
 */
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { prepareBatch } from "~/models/payout-batch.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { getRequest, postRequest, sessionCookie, settle } from "../utils/http.ts";
import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase } from "../utils/test-database.ts";

const ROLES = [
  "anonymous",
  "providerA",
  "providerB",
  "pendingProvider",
  "expertAssigned",
  "expertUnassigned",
  "expertUndeclared",
  "staff",
  "approver",
  "admin",
] as const;
type Who = (typeof ROLES)[number];

type Ids = {
  roundId: string;
  roundCode: string;
  applicationA: string;
  applicationB: string;
  materialRowA: string;
  fileA: string;
  photoA: string;
  organisationA: string;
  organisationPending: string;
  assignmentA: string;
  expertAssigned: string;
  batchId: string;
  batchVersion: string;
  staffId: string;
};

type Fields = Record<string, string | string[]>;
type Entry = {
  /** URL path (with query) and the route params, from the world's ids. */
  path: (ids: Ids) => { url: string; params?: Record<string, string> };
  /** Who may GET; "public": anyone; omitted when the module has no loader. */
  get?: readonly Who[] | "public";
  /** Every POST intent with its fields; who may send it ("public": anyone). */
  post?: {
    allowed: readonly Who[] | "public";
    /** Fields of each intent; an intent that other roles may send names them itself. */
    intents: Record<string, ((ids: Ids) => Fields) | { allowed: readonly Who[]; fields: (ids: Ids) => Fields }>;
  };
};

const STAFF: readonly Who[] = ["staff"];
const OFFICERS: readonly Who[] = ["staff", "approver"];
const VERIFIED_PROVIDER_A: readonly Who[] = ["providerA"];
const PROVIDERS: readonly Who[] = ["providerA", "providerB", "pendingProvider"];
const EXPERTS: readonly Who[] = ["expertAssigned", "expertUnassigned", "expertUndeclared"];
const SIGNED_IN: readonly Who[] = ROLES.filter((r) => r !== "anonymous");

/** One entry per file in app/routes. */
export const MATRIX: Record<string, Entry> = {
  "$.tsx": { path: () => ({ url: "/no-such-page", params: { "*": "no-such-page" } }), get: "public" },
  "_index.tsx": { path: () => ({ url: "/" }), get: "public" },
  "login.tsx": {
    path: () => ({ url: "/login" }),
    get: "public",
    post: { allowed: "public", intents: { default: () => ({ email: "x@example.test", password: "x" }) } },
  },
  "logout.tsx": { path: () => ({ url: "/logout" }), get: "public", post: { allowed: "public", intents: {} } },
  "register.tsx": { path: () => ({ url: "/register" }), get: "public", post: { allowed: "public", intents: {} } },
  "forgot-password.tsx": { path: () => ({ url: "/forgot-password" }), post: { allowed: "public", intents: {} } },
  "invite.$token.tsx": {
    path: () => ({ url: "/invite/no-such-token", params: { token: "no-such-token" } }),
    get: "public",
    post: { allowed: "public", intents: {} },
  },
  "reset-password.$token.tsx": {
    path: () => ({ url: "/reset-password/no-such-token", params: { token: "no-such-token" } }),
    get: "public",
    post: { allowed: "public", intents: {} },
  },
  "notice.$roundCode.tsx": {
    path: (ids) => ({ url: `/notice/${ids.roundCode}`, params: { roundCode: ids.roundCode } }),
    get: "public",
  },
  "admin.users.tsx": {
    path: () => ({ url: "/admin/users" }),
    get: ["admin"],
    post: {
      allowed: ["admin"],
      intents: {
        invite: () => ({ intent: "invite", name: "新账号", email: "matrix-new@example.test", roles: "approver" }),
        roles: (ids) => ({ intent: "roles", userId: ids.staffId, roles: ["staff", "approver"] }),
        status: (ids) => ({ intent: "status", userId: ids.staffId, status: "disabled" }),
      },
    },
  },
  "expert._index.tsx": { path: () => ({ url: "/expert" }), get: EXPERTS },
  "expert.conflicts.tsx": {
    path: () => ({ url: "/expert/conflicts" }),
    get: EXPERTS,
    post: {
      allowed: EXPERTS,
      intents: {
        none: () => ({ intent: "none" }),
        declare: () => ({ intent: "declare", kind: "provider", name: "某公司" }),
      },
    },
  },
  "expert.reviews.$assignmentId.tsx": {
    path: (ids) => ({ url: `/expert/reviews/${ids.assignmentA}`, params: { assignmentId: ids.assignmentA } }),
    get: ["expertAssigned"],
    post: {
      allowed: ["expertAssigned"],
      intents: {
        "confirm-no-conflict": () => ({ intent: "confirm-no-conflict", noConflict: "on" }),
        "declare-conflict": () => ({ intent: "declare-conflict", reason: "与服务商存在利益关系" }),
        save: () => ({ intent: "save", version: "0" }),
        submit: () => ({ intent: "submit", version: "0" }),
      },
    },
  },
  "provider._index.tsx": { path: () => ({ url: "/provider" }), get: PROVIDERS },
  "provider.applications.new.tsx": {
    path: () => ({ url: "/provider/applications/new" }),
    get: VERIFIED_PROVIDER_A.concat(["providerB"]),
    post: { allowed: ["providerA", "providerB"], intents: { default: () => ({}) } },
  },
  "provider.applications.$applicationId.tsx": {
    path: (ids) => ({ url: `/provider/applications/${ids.applicationA}`, params: { applicationId: ids.applicationA } }),
    get: VERIFIED_PROVIDER_A,
    post: {
      allowed: VERIFIED_PROVIDER_A,
      intents: {
        update: () => ({ intent: "update", reportTitle: "改过的标题" }),
        remove: (ids) => ({ intent: "remove", rowId: ids.materialRowA }),
        tag: (ids) => ({ intent: "tag", rowId: ids.materialRowA, photoTag: "team" }),
        "use-profile-licence": () => ({ intent: "use-profile-licence" }),
        submit: () => ({ intent: "submit", attestation: "on" }),
        resubmit: () => ({ intent: "resubmit" }),
        withdraw: () => ({ intent: "withdraw" }),
      },
    },
  },
  "provider.payouts.tsx": { path: () => ({ url: "/provider/payouts" }), get: ["providerA", "providerB"] },
  "provider.payee.tsx": {
    path: () => ({ url: "/provider/payee" }),
    get: ["providerA", "providerB"],
    post: {
      allowed: ["providerA", "providerB"],
      intents: {
        default: () => ({
          payeeAccountName: "某公司",
          payeeBankName: "某银行张店支行",
          payeeAccountNumber: "6222020000000000",
        }),
      },
    },
  },
  "provider.summary.tsx": {
    path: () => ({ url: "/provider/summary" }),
    get: ["providerA", "providerB"],
    post: { allowed: ["providerA", "providerB"], intents: { upload: () => ({ table: "%PDF-1.4 not really" }) } },
  },
  "resources.notice.$roundCode.$format.tsx": {
    // Public while the notice is open, officers at any time once its period is set: nobody may get a 403 or a 5xx.
    path: (ids) => ({
      url: `/resources/notice/${ids.roundCode}/pdf`,
      params: { roundCode: ids.roundCode, format: "pdf" },
    }),
    get: "public",
  },
  "resources.pdfjs.$file.tsx": {
    path: () => ({ url: "/resources/pdfjs/pdf.min.mjs", params: { file: "pdf.min.mjs" } }),
    get: "public",
  },
  "resources.applications.$applicationId.materials.tsx": {
    path: (ids) => ({
      url: `/resources/applications/${ids.applicationA}/materials?material=M1`,
      params: { applicationId: ids.applicationA },
    }),
    post: { allowed: VERIFIED_PROVIDER_A, intents: { upload: () => ({ file: "%PDF-1.4 not really" }) } },
  },
  "resources.applications.$applicationId.pledge.tsx": {
    path: (ids) => ({
      url: `/resources/applications/${ids.applicationA}/pledge`,
      params: { applicationId: ids.applicationA },
    }),
    get: VERIFIED_PROVIDER_A,
  },
  "resources.due-date.tsx": { path: () => ({ url: "/resources/due-date?from=2022-09-20&days=20" }), get: SIGNED_IN },
  "resources.files.$fileId.tsx": {
    path: (ids) => ({ url: `/resources/files/${ids.fileA}`, params: { fileId: ids.fileA } }),
    get: ["providerA", "expertAssigned", "staff", "approver"],
  },
  "resources.similarity.photos.$fileId.tsx": {
    path: (ids) => ({ url: `/resources/similarity/photos/${ids.photoA}`, params: { fileId: ids.photoA } }),
    get: ["expertAssigned", "staff", "approver"],
  },
  "resources.payouts.$batchId.pdf.tsx": {
    path: (ids) => ({ url: `/resources/payouts/${ids.batchId}/pdf`, params: { batchId: ids.batchId } }),
    get: OFFICERS,
  },
  "resources.payouts.$batchId.xlsx.tsx": {
    path: (ids) => ({ url: `/resources/payouts/${ids.batchId}/xlsx`, params: { batchId: ids.batchId } }),
    get: OFFICERS,
  },
  "resources.provider.summary-table.tsx": {
    path: (ids) => ({ url: `/resources/provider/summary-table?roundId=${ids.roundId}` }),
    get: ["providerA", "providerB"],
  },
  "resources.reviews.$reviewId.score-sheet.tsx": {
    // No review exists in this world: the role gate is what is checked (an allowed role gets 404).
    path: () => ({ url: "/resources/reviews/no-such-review/score-sheet", params: { reviewId: "no-such-review" } }),
    get: ["staff", "expertAssigned", "expertUnassigned", "expertUndeclared"],
  },
  "resources.rounds.$roundId.score-sheet.tsx": {
    path: (ids) => ({ url: `/resources/rounds/${ids.roundId}/score-sheet`, params: { roundId: ids.roundId } }),
    get: STAFF,
  },
  "resources.similarity.export.tsx": {
    path: (ids) => ({ url: `/resources/similarity/export?roundId=${ids.roundId}` }),
    get: STAFF,
  },
  "resources.staff.applications-export.tsx": {
    path: () => ({ url: "/resources/staff/applications-export" }),
    get: OFFICERS,
  },
  "staff._index.tsx": { path: () => ({ url: "/staff" }), get: OFFICERS },
  "staff.applications._index.tsx": { path: () => ({ url: "/staff/applications" }), get: OFFICERS },
  "staff.applications.$applicationId.tsx": {
    path: (ids) => ({ url: `/staff/applications/${ids.applicationA}`, params: { applicationId: ids.applicationA } }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: {
        accept: () => ({ intent: "accept", version: "0" }),
        return: () => ({ intent: "return", version: "0", reason: "请补正材料" }),
        refuse: () => ({ intent: "refuse", version: "0", reason: "不符合条件" }),
        "paper-copies": () => ({ intent: "paper-copies", receivedOn: "2022-10-10" }),
        "release-claim": () => ({ intent: "release-claim", releaseReason: "服务商申请撤回，释放企业" }),
      },
    },
  },
  "staff.assignments.tsx": {
    path: (ids) => ({ url: `/staff/assignments?roundId=${ids.roundId}` }),
    get: OFFICERS,
    post: {
      allowed: STAFF,
      intents: {
        settings: (ids) => ({ intent: "settings", roundId: ids.roundId, reviewsPerApplication: "2" }),
        apply: (ids) => ({ intent: "apply", roundId: ids.roundId, k: "2" }),
        add: (ids) => ({ intent: "add", applicationId: ids.applicationA, expertId: ids.expertAssigned }),
        withdraw: (ids) => ({ intent: "withdraw", assignmentId: ids.assignmentA, reason: "撤回" }),
      },
    },
  },
  "staff.audit.tsx": { path: () => ({ url: "/staff/audit" }), get: ["staff", "approver", "admin"] },
  "staff.experts._index.tsx": {
    path: () => ({ url: "/staff/experts" }),
    get: OFFICERS,
    post: {
      allowed: STAFF,
      intents: {
        invite: () => ({
          name: "新专家",
          email: "matrix-expert@example.test",
          field: "智能制造",
          organisationName: "某高校",
        }),
      },
    },
  },
  "staff.experts.$userId.tsx": {
    path: (ids) => ({ url: `/staff/experts/${ids.expertAssigned}`, params: { userId: ids.expertAssigned } }),
    get: OFFICERS,
    post: {
      allowed: STAFF,
      intents: {
        profile: () => ({ intent: "profile", name: "改名", field: "工业软件", organisationName: "另一高校" }),
        "add-conflict": () => ({ intent: "add-conflict", kind: "provider", name: "某公司" }),
        "remove-conflict": () => ({ intent: "remove-conflict", conflictId: "no-such-conflict" }),
      },
    },
  },
  "staff.payouts._index.tsx": {
    path: (ids) => ({ url: `/staff/payouts?roundId=${ids.roundId}` }),
    get: OFFICERS,
    post: { allowed: STAFF, intents: { prepare: (ids) => ({ intent: "prepare", roundId: ids.roundId, all: "on" }) } },
  },
  "staff.payouts.$batchId.tsx": {
    path: (ids) => ({ url: `/staff/payouts/${ids.batchId}`, params: { batchId: ids.batchId } }),
    get: OFFICERS,
    post: {
      allowed: ["approver"],
      intents: {
        approve: (ids) => ({ intent: "approve", version: ids.batchVersion, confirmedTotalFen: "0" }),
        return: (ids) => ({ intent: "return", version: ids.batchVersion, reason: "退回重做" }),
        // Staff record payment, correct and reverse what an approver approved.
        paid: {
          allowed: STAFF,
          fields: (ids) => ({ intent: "paid", version: ids.batchVersion, paidOn: "2022-12-19", voucherRef: "PZ-1" }),
        },
        correct: { allowed: STAFF, fields: () => ({ intent: "correct" }) },
        reverse: {
          allowed: STAFF,
          fields: (ids) => ({
            intent: "reverse",
            reason: "收款账户有误，资金被银行退回",
            applicationIds: ids.applicationA,
          }),
        },
      },
    },
  },
  "staff.providers._index.tsx": { path: () => ({ url: "/staff/providers" }), get: STAFF },
  "staff.providers.$organisationId.tsx": {
    path: (ids) => ({
      url: `/staff/providers/${ids.organisationPending}`,
      params: { organisationId: ids.organisationPending },
    }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: {
        verify: () => ({ intent: "verify", registeredInZhangdian: "on" }),
        refuse: () => ({ intent: "refuse", reason: "材料不全" }),
        "paper-copies": () => ({ intent: "paper-copies", receivedOn: "2022-10-10" }),
        suspend: () => ({ intent: "suspend", suspendReason: "运行不规范，信用记录不良" }),
        lift: () => ({ intent: "lift", liftNote: "已整改" }),
      },
    },
  },
  "staff.providers.$organisationId_.payee.tsx": {
    path: (ids) => ({
      url: `/staff/providers/${ids.organisationA}/payee`,
      params: { organisationId: ids.organisationA },
    }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: { "verify-payee": () => ({ intent: "verify-payee", accountNumber: "6222020000000000" }) },
    },
  },
  "staff.mail.tsx": {
    path: () => ({ url: "/staff/mail" }),
    get: STAFF,
    post: { allowed: STAFF, intents: { resend: () => ({ intent: "resend", id: "no-such-message" }) } },
  },
  "staff.objections.tsx": {
    path: (ids) => ({ url: `/staff/objections?roundId=${ids.roundId}` }),
    get: OFFICERS,
    post: {
      allowed: STAFF,
      intents: {
        record: (ids) => ({
          intent: "record",
          roundId: ids.roundId,
          applicationNumber: "X-0001",
          receivedOn: "2022-12-05",
          objector: "某企业",
          content: "对公示结果有异议",
        }),
        resolve: () => ({
          intent: "resolve",
          objectionId: "no-such-objection",
          outcome: "dismissed",
          resolution: "经核实不成立",
        }),
      },
    },
  },
  "staff.results._index.tsx": {
    path: (ids) => ({ url: `/staff/results?roundId=${ids.roundId}` }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: { confirm: (ids) => ({ intent: "confirm", roundId: ids.roundId, applicationIds: ids.applicationA }) },
    },
  },
  "staff.results.$applicationId.tsx": {
    path: (ids) => ({ url: `/staff/results/${ids.applicationA}`, params: { applicationId: ids.applicationA } }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: {
        reopen: (ids) => ({ intent: "reopen", assignmentId: ids.assignmentA, reason: "请复核" }),
        "clear-copy-flag": () => ({ intent: "clear-copy-flag", clearance: "两份报告引用同一份政策文件，不属于抄袭" }),
      },
    },
  },
  "staff.rounds._index.tsx": { path: () => ({ url: "/staff/rounds" }), get: STAFF },
  "staff.rounds.$roundId.tsx": {
    path: (ids) => ({ url: `/staff/rounds/${ids.roundId}`, params: { roundId: ids.roundId } }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: {
        save: () => ({ intent: "save", name: "改名的批次", deadline: "2099-12-31 23:59" }),
        notice: () => ({ intent: "notice", noticeOpensAt: "2022-12-01 00:00", noticeClosesAt: "2022-12-08 00:00" }),
      },
    },
  },
  "staff.similarity._index.tsx": {
    path: (ids) => ({ url: `/staff/similarity?roundId=${ids.roundId}` }),
    get: STAFF,
    post: {
      allowed: STAFF,
      intents: { threshold: (ids) => ({ intent: "threshold", roundId: ids.roundId, threshold: "0.3" }) },
    },
  },
  "staff.similarity.$matchId.tsx": {
    path: () => ({ url: "/staff/similarity/no-such-match", params: { matchId: "no-such-match" } }),
    get: STAFF,
  },
  "staff.similarity.applications.$applicationId.tsx": {
    path: (ids) => ({
      url: `/staff/similarity/applications/${ids.applicationA}`,
      params: { applicationId: ids.applicationA },
    }),
    get: STAFF,
  },
};

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
};

const routesDir = path.resolve(import.meta.dirname, "..", "..", "app", "routes");

function allowed(list: readonly Who[] | "public" | undefined, who: Who): boolean {
  return list === "public" || (list?.includes(who) ?? false);
}

describe("authorization matrix (every route × every role × GET and every POST intent)", () => {
  let prisma: Db;
  let ids: Ids;
  const cookies = new Map<Who, string | undefined>();

  /** Every table but sessions, the sign-in throttle and Prisma's own: what a refused request must not change. */
  async function digest(): Promise<string> {
    const tables = await prisma.$queryRaw<{ name: string }[]>`
      SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
        AND tablename NOT IN ('Session', 'LoginThrottle', '_prisma_migrations') ORDER BY tablename`;
    const parts: string[] = [];
    for (const { name } of tables) {
      const [row] = await prisma.$queryRawUnsafe<{ d: string | null }[]>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS d FROM "${name}" t`,
      );
      parts.push(`${name}:${row?.d ?? "empty"}`);
    }
    return parts.join("\n");
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase("pglite");
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    const store = new FolderStore(path.join(fresh.dataDir, "files"));
    const round = await createRound(prisma);
    const [providerA, providerB, pending] = [
      await createProvider(prisma),
      await createProvider(prisma),
      await createProvider(prisma),
    ];
    await prisma.organisation.update({
      where: { id: pending.organisation.id },
      data: { status: "pending", verifiedAt: null },
    });
    const enterprise = (i: number) => round.enterprises[i]?.id ?? "";
    const appA = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise(0),
      organisationId: providerA.organisation.id,
      createdById: providerA.user.id,
      store,
    });
    await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise(1),
      organisationId: providerB.organisation.id,
      createdById: providerB.user.id,
      store,
    });
    const appB = await prisma.application.findFirstOrThrow({ where: { organisationId: providerB.organisation.id } });
    const passed = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise(2),
      organisationId: providerA.organisation.id,
      createdById: providerA.user.id,
      store,
      status: "accepted",
      contractAmountFen: 300_000,
    });
    await prisma.application.update({
      where: { id: passed.id },
      data: { status: "passed", resultPassed: true, finalScoreHundredths: 8000, resultConfirmedAt: new Date() },
    });

    const user = async (roles: ("staff" | "approver" | "expert" | "admin")[]) => (await createUser(prisma, roles)).user;
    const [expertAssigned, expertUnassigned, expertUndeclared, staff, approver, admin] = [
      await user(["expert"]),
      await user(["expert"]),
      await user(["expert"]),
      await user(["staff"]),
      await user(["approver"]),
      await user(["admin"]),
    ];
    const assignment = await prisma.expertAssignment.create({
      data: {
        applicationId: appA.id,
        expertId: expertAssigned.id,
        assignedById: staff.id,
        noConflictConfirmedAt: new Date(),
      },
    });
    await prisma.expertAssignment.create({
      data: { applicationId: appA.id, expertId: expertUndeclared.id, assignedById: staff.id },
    });
    await prisma.application.update({
      where: { id: appA.id },
      data: { status: "under_review", acceptedAt: new Date() },
    });
    const prepared = await prepareBatch(
      { id: staff.id, name: staff.name, roles: staff.roles },
      { roundId: round.id, selection: { all: true } },
    );
    if (!prepared.ok) throw new Error(prepared.message);
    const batch = await prisma.payoutBatch.findFirstOrThrow({ where: { roundId: round.id } });
    const material = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: appA.id, material: "M1" },
    });
    const photo = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: appA.id, material: "M5" },
    });
    ids = {
      roundId: round.id,
      roundCode: round.code,
      applicationA: appA.id,
      applicationB: appB.id,
      materialRowA: material.id,
      fileA: material.fileId,
      photoA: photo.fileId,
      organisationA: providerA.organisation.id,
      organisationPending: pending.organisation.id,
      assignmentA: assignment.id,
      expertAssigned: expertAssigned.id,
      batchId: batch.id,
      batchVersion: String(batch.version),
      staffId: staff.id,
    };
    const userIds: Record<Exclude<Who, "anonymous">, string> = {
      providerA: providerA.user.id,
      providerB: providerB.user.id,
      pendingProvider: pending.user.id,
      expertAssigned: expertAssigned.id,
      expertUnassigned: expertUnassigned.id,
      expertUndeclared: expertUndeclared.id,
      staff: staff.id,
      approver: approver.id,
      admin: admin.id,
    };
    cookies.set("anonymous", undefined);
    for (const [who, id] of Object.entries(userIds)) cookies.set(who as Who, await sessionCookie(id));
  }, 180_000);

  afterAll(async () => {
    await closeDatabase();
  });

  it("has an entry for every route module under app/routes (a new route without one fails here)", () => {
    const files = fs.readdirSync(routesDir).filter((f) => /\.(tsx|ts)$/.test(f));
    const missing = files.filter((f) => !(f in MATRIX));
    const stale = Object.keys(MATRIX).filter((f) => !files.includes(f));
    expect(missing, "add these routes to MATRIX in tests/integration/authorization-matrix.test.ts").toEqual([]);
    expect(stale).toEqual([]);
  });

  it("refuses every role where refusal is due, leaves the database unchanged, and serves the allowed roles", async () => {
    let cases = 0;
    const failures: string[] = [];
    // The digest before a refused request: the previous refused request's digest after, unless an allowed
    // request ran in between (then it is taken again).
    let known: string | null = null;
    const before = async () => (known ??= await digest());
    for (const [file, entry] of Object.entries(MATRIX)) {
      const mod: RouteModule = await import(path.join(routesDir, file));
      const { url, params = {} } = entry.path(ids);
      if (mod.loader && !entry.get) failures.push(`${file}: has a loader but no \`get\` entry`);
      if (mod.action && !entry.post) failures.push(`${file}: has an action but no \`post\` entry`);
      for (const who of ROLES) {
        const cookie = cookies.get(who);
        if (mod.loader && entry.get) {
          cases++;
          const may = allowed(entry.get, who);
          const expected = may ? "" : await before();
          if (may) known = null;
          const loader = mod.loader;
          const result = await settle(() => loader({ request: getRequest(url, cookie), params, context: {} }));
          if (result.status >= 500) failures.push(`${file} GET as ${who}: ${result.status}`);
          else if (may && result.status === 403) failures.push(`${file} GET as ${who}: refused (403) but allowed`);
          else if (!may) {
            const refused = result.status >= 300 && result.status < 500;
            if (!refused) failures.push(`${file} GET as ${who}: not refused (${result.status})`);
            known = await digest();
            if (known !== expected) failures.push(`${file} GET as ${who}: database changed`);
          }
        }
        if (mod.action && entry.post && entry.post.allowed !== "public") {
          for (const [intent, spec] of Object.entries(entry.post.intents)) {
            cases++;
            const fields = typeof spec === "function" ? spec : spec.fields;
            const whoMay = typeof spec === "function" ? entry.post.allowed : spec.allowed;
            if (allowed(whoMay, who)) continue; // not sent: see the header comment
            const expected = await before();
            const action = mod.action;
            const result = await settle(() =>
              action({ request: postRequest(url, fields(ids), cookie), params, context: {} }),
            );
            const refused = result.status >= 300 && result.status < 500;
            if (!refused) failures.push(`${file} POST ${intent} as ${who}: not refused (${result.status})`);
            known = await digest();
            if (known !== expected) failures.push(`${file} POST ${intent} as ${who}: database changed`);
          }
        }
      }
    }
    console.log(
      `authorization matrix: ${cases} (route, role, intent) cases run over ${Object.keys(MATRIX).length} routes and ${ROLES.length} roles`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
