/**
 * npm run bench:desk — the staff desk with a round of 2,000 applications (each with its nine materials'
 * metadata), against the production build on loopback. A load generator (autocannon) at 20 concurrent
 * clients measures, in the same run: the staff application list with filters applied, the round's
 * dashboard, and the login page (a minimal page of the same app: the floor).
 *
 * Then 50 concurrent clients on the list (issue 17), four requests each, all of them counted: its p99,
 * its slowest request, timeouts (10 s).
 *
 * Runs on each database: a fresh PostgreSQL database created on TEST_POSTGRES_URL or DATABASE_URL when
 * one is set (dropped afterwards), and an embedded PGlite in a temporary folder (BENCH_DATABASES=postgres
 * or pglite for one of them). The first five figures are PostgreSQL's when it ran, else PGlite's.
 * Last line: RESULT list_p95_ms=<n> dashboard_p95_ms=<n> floor_p95_ms=<n> ratio=<x> rps=<n> errors=<n>
 *   pg_ratio=<x> pglite_ratio=<x> pg_p99_50_ms=<n> pglite_max_50_ms=<n> timeouts=<n>
 * (goals: PostgreSQL ratio ≤ 2 at 20 clients and p99 < 2 s at 50; embedded ratio ≤ 3 and nothing over 5 s
 * at 50; no timeouts)
 * (ratio = list p95 / floor p95, goal ≤ 3; rps = the list page's requests per second; errors = failed
 * or non-2xx responses over all three pages, goal 0). BENCH_SECONDS (default 24) sets each measurement's
 * length; BENCH_KEEP_DATABASE=1 keeps the PostgreSQL database for a closer look afterwards; BENCH_CPU_PROF=<folder>
 * has the portal write a V8 CPU profile there.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { MATERIAL_IDS } from "../app/domain/materials.ts";
import { type Db, openDatabase } from "../app/utils/db.server.ts";
import { hashPassword } from "../app/utils/password.server.ts";
import { freePort, makeBenchDatabase, migrateBenchDatabase, postgresAdminUrl, startPortal } from "./bench-support.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const APPLICATIONS = 2000;
const PROVIDERS = 36;
const CONNECTIONS = 20;
const STAFF_EMAIL = "bench-staff@example.test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 24);
const TURNS = 8;
const BURST_REQUESTS_PER_CLIENT = 4;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-desk-"));
const children: ChildProcess[] = [];

/** The part of autocannon's API used here (the package ships no types). */
type LoadResult = { errors: number; timeouts: number; non2xx: number; duration: number };
type LoadInstance = PromiseLike<LoadResult> & {
  on(
    event: "response",
    listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
  ): void;
};
type Autocannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  headers: Record<string, string>;
}) => LoadInstance;
const autocannon: Autocannon = createRequire(import.meta.url)("autocannon");

/** Insert in slices, so that no statement carries too many parameters. */
async function inSlices<T>(rows: T[], size: number, insert: (slice: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** A staff officer, a round with 2,000 enterprises, 36 providers and 2,000 applications with material metadata. */
async function seedDesk(prisma: Db, password: string) {
  const start = performance.now();
  const staff = await prisma.user.create({
    data: { email: STAFF_EMAIL, name: "基准测试科员", roles: ["staff"], passwordHash: await hashPassword(password) },
  });
  const round = await prisma.round.create({
    data: {
      name: "基准测试批次",
      code: "BENCH",
      year: 2026,
      status: "open",
      deadline: new Date(Date.now() + 10 * 24 * 3600_000),
      disbursementDeadline: new Date(Date.now() + 40 * 24 * 3600_000),
      applicationSeq: APPLICATIONS,
    },
  });
  const places = ["淄博", "张店", "山东", "齐鲁", "鲁中"];
  const trades = ["机械", "陶瓷", "化工", "弹簧", "阀门", "电机", "纺织", "医药"];
  await prisma.roundEnterprise.createMany({
    data: Array.from({ length: APPLICATIONS }, (_, i) => ({
      roundId: round.id,
      seq: i + 1,
      name: `${places[i % places.length]}${trades[i % trades.length]}第${i + 1}制造有限公司`,
    })),
  });
  const enterprises = await prisma.roundEnterprise.findMany({
    where: { roundId: round.id },
    orderBy: { seq: "asc" },
    select: { id: true },
  });
  await prisma.organisation.createMany({
    data: Array.from({ length: PROVIDERS }, (_, i) => ({
      name: `基准测试服务商${i + 1}信息技术有限公司`,
      uscc: `91370303MA3BENCH${String(i).padStart(2, "0")}`,
      contactName: "联系人",
      contactPhone: "13800000000",
      contactEmail: `bench-provider-${i}@example.test`,
      status: "verified" as const,
      goodStandingDeclaredAt: new Date(),
      registeredInZhangdianConfirmed: true,
    })),
  });
  const providers = await prisma.organisation.findMany({
    where: { name: { startsWith: "基准测试服务商" } },
    select: { id: true },
  });
  // A realistic mix: mostly filed, some returned, accepted, in review, decided.
  const statuses = [
    "submitted",
    "submitted",
    "submitted",
    "submitted",
    "accepted",
    "accepted",
    "under_review",
    "returned",
    "draft",
    "refused",
  ] as const;
  const at = Date.now();
  const applications = enterprises.map((enterprise, i) => {
    const status = statuses[i % statuses.length] ?? "submitted";
    const provider = providers[i % providers.length];
    if (!provider) throw new Error("no provider");
    return {
      id: `benchapp${String(i).padStart(5, "0")}`,
      number: `BENCH-${String(i + 1).padStart(4, "0")}`,
      roundId: round.id,
      organisationId: provider.id,
      enterpriseId: enterprise.id,
      enterpriseUscc: `91370303MA3E${String(i).padStart(6, "0")}`,
      eligibilityConfirmedAt: new Date(at),
      reportTitle: "智能化改造评估诊断报告",
      contractAmountFen: 800_000 + (i % 5) * 100_000,
      contractSignedOn: "2026-09-01",
      diagnosisCompletedOn: "2026-09-25",
      diagnosisDueOn: "2026-09-29",
      completionLate: i % 13 === 0,
      status,
      submittedAt: status === "draft" ? null : new Date(at - (i % 240) * 3600_000),
      supplementDueAt: status === "returned" ? new Date(at + ((i % 3) - 1) * 24 * 3600_000) : null,
      paperCopiesReceivedOn: status !== "draft" && i % 3 === 0 ? "2026-11-20" : null,
      createdById: staff.id,
    };
  });
  await inSlices(applications, 500, (slice) => prisma.application.createMany({ data: slice }));
  const files: { id: string; key: string; fileName: string; contentType: string; size: number; sha256: string }[] = [];
  const materials: { applicationId: string; material: string; fileId: string; photoTag: "workshop" | "team" | null }[] =
    [];
  for (const application of applications) {
    const entries = [
      ...MATERIAL_IDS.map((material) => ({ material, photoTag: material === "M5" ? ("workshop" as const) : null })),
      { material: "M5", photoTag: "team" as const },
    ];
    for (const [n, entry] of entries.entries()) {
      // Every 17th draft lacks its report (R-MAT-2), so the incomplete flag finds something.
      if (application.status === "draft" && entry.material === "M8" && Number(application.id.slice(-5)) % 17 === 0)
        continue;
      const id = `${application.id}f${n}`;
      files.push({
        id,
        key: `materials/${id}`,
        fileName: `${entry.material}.pdf`,
        contentType: "application/pdf",
        size: 123_456,
        sha256: "0".repeat(64),
      });
      materials.push({ applicationId: application.id, material: entry.material, fileId: id, photoTag: entry.photoTag });
    }
  }
  await inSlices(files, 2000, (slice) => prisma.storedFile.createMany({ data: slice }));
  await inSlices(materials, 2000, (slice) => prisma.applicationMaterial.createMany({ data: slice }));
  // The desk in its steady state: every filed report and photo already analysed, so that the portal's
  // background workers find nothing to do while the pages are measured (they would otherwise spend the
  // run trying to read thousands of files the benchmark never wrote).
  const filed = new Set(applications.filter((a) => a.status !== "draft").map((a) => a.id));
  const analysed = materials
    .filter((m) => filed.has(m.applicationId))
    .map((m) => ({ material: m.material, fileId: m.fileId, applicationId: m.applicationId }));
  const analysedAt = new Date(at);
  await inSlices(
    analysed.filter((m) => m.material === "M8"),
    2000,
    (slice) =>
      prisma.reportText.createMany({
        data: slice.map(({ fileId, applicationId }) => ({
          fileId,
          applicationId,
          status: "done" as const,
          text: "智能化改造评估诊断报告",
          indexHashes: 0,
          claimedAt: analysedAt,
          analysedAt,
        })),
      }),
  );
  await inSlices(
    analysed.filter((m) => m.material === "M5"),
    2000,
    (slice) =>
      prisma.photoFingerprint.createMany({
        data: slice.map(({ fileId, applicationId }) => ({
          fileId,
          applicationId,
          status: "done" as const,
          claimedAt: analysedAt,
        })),
      }),
  );
  // The statistics a running database has (PostgreSQL's autovacuum would otherwise gather them at some
  // moment during the measurement, changing the plans; the portal analyses PGlite at start anyway).
  await prisma.$executeRaw`ANALYZE`;
  console.log(
    `seeded ${applications.length} applications, ${materials.length} material files, ${PROVIDERS} providers in ${Math.round(performance.now() - start)} ms`,
  );
  return { roundId: round.id, staffEmail: staff.email };
}

type Figures = { name: string; p50: number; p95: number; p99: number; rps: number; requests: number; errors: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** One client, one request at a time: what a page costs the server when nothing else runs. */
async function sequential(url: string, headers: Record<string, string>, count = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers, redirect: "manual" });
    await response.arrayBuffer();
    times.push(performance.now() - start);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

type Run = { latencies: number[]; seconds: number; errors: number; timeouts: number };

/**
 * Load on one page: for `seconds`, or (`{ amount }`) until that many requests have been answered, so
 * no slow request is left out of the figures because it was still running when the time was up.
 */
async function load(
  url: string,
  headers: Record<string, string>,
  length: number | { amount: number },
  connections = CONNECTIONS,
): Promise<Run> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    headers,
    ...(typeof length === "number" ? { duration: length } : { amount: length.amount }),
  });
  instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  return {
    latencies,
    seconds: result.duration,
    errors: result.errors + result.timeouts + result.non2xx,
    timeouts: result.timeouts,
  };
}

function figures(name: string, runs: Run[]): Figures {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    name,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / seconds,
    requests: latencies.length,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

type Outcome = {
  floor: Figures;
  list: Figures;
  dashboard: Figures;
  ratio: number;
  errors: number;
  at50: { p99: number; max: number; timeouts: number; errors: number; requests: number };
};

async function runOn(kind: "postgres" | "pglite"): Promise<Outcome> {
  const database = kind === "pglite" ? { url: "", drop: async () => {} } : await makeBenchDatabase("bench_desk");
  const password = crypto.randomBytes(12).toString("base64url");
  const dataDir = path.join(tmp, "data");
  fs.mkdirSync(dataDir, { recursive: true });
  console.log(`database: ${database.url ? "PostgreSQL (a fresh database)" : "embedded PGlite"}`);
  try {
    migrateBenchDatabase({ DATA_DIR: dataDir, DATABASE_URL: database.url });
    const handle = await openDatabase({ url: database.url || undefined, dataDir });
    const { roundId, staffEmail } = await seedDesk(handle.client, password);
    await handle.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // BENCH_CPU_PROF=<folder>: the portal writes a V8 CPU profile there when it stops (for a closer look).
    const profile = process.env.BENCH_CPU_PROF
      ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(process.env.BENCH_CPU_PROF)]
      : [];
    const portal = await startPortal({
      port,
      nodeArgs: profile,
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        DEMO: "0",
        SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
        MAIL_WORKER_INTERVAL_MS: "60000",
      },
    });
    children.push(portal);

    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: staffEmail, password }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    if (login.status !== 302 || !cookie) throw new Error(`staff login failed (${login.status})`);

    // The list as staff use it: filed applications still missing their paper copies, newest first, page 2.
    const listUrl = `${base}/staff/applications?round=${roundId}&status=submitted&flag=no_paper&sort=submitted&dir=desc&page=2`;
    const dashboardUrl = `${base}/staff?round=${roundId}`;
    const floorUrl = `${base}/login`;
    // Check that each page really answers what it should before measuring it.
    const listPage = await (await fetch(listUrl, { headers: { cookie } })).text();
    const total = /共 (?:<!-- -->)?(\d+)/.exec(listPage)?.[1];
    if (!total || Number(total) === 0 || !listPage.includes("/staff/applications/benchapp"))
      throw new Error("the list page did not show the filtered applications");
    const dashboardPage = await (await fetch(dashboardUrl, { headers: { cookie } })).text();
    if (!dashboardPage.includes("基准测试服务商1信息技术有限公司"))
      throw new Error("the dashboard did not show the round");
    console.log(`list: ${total} applications match the filters (of ${APPLICATIONS})`);

    // The floor is the login page as a visitor sees it (logged in, it would redirect to the desk).
    const staff = { cookie };
    const visitor = {};
    // Warm up (code paths, connection pool, query plans), then measure each page in turn.
    const pages = [
      { name: "floor (/login)", url: floorUrl, headers: visitor },
      { name: "staff list (filtered)", url: listUrl, headers: staff },
      { name: "dashboard", url: dashboardUrl, headers: staff },
    ];
    for (const p of pages) await load(p.url, p.headers, 2);
    const single = {
      floor: await sequential(floorUrl, visitor),
      list: await sequential(listUrl, staff),
      dashboard: await sequential(dashboardUrl, staff),
    };
    console.log(
      `one client, median: floor ${single.floor.toFixed(1)} ms, list ${single.list.toFixed(1)} ms, dashboard ${single.dashboard.toFixed(1)} ms`,
    );
    // The pages take turns (eight turns each, an eighth of the time per turn), so that a change in the
    // machine's other load during the run weighs on all three alike.
    const runs: Run[][] = pages.map(() => []);
    for (let turn = 0; turn < TURNS; turn++) {
      for (const [i, p] of pages.entries()) runs[i]?.push(await load(p.url, p.headers, SECONDS / TURNS));
    }
    const [floor, list, dashboard] = pages.map((p, i) => figures(p.name, runs[i] ?? []));
    if (!floor || !list || !dashboard) throw new Error("missing measurements");

    console.log(
      `\n${CONNECTIONS} concurrent clients, ${SECONDS} s per page in ${TURNS} turns, production build on loopback, autocannon 8`,
    );
    console.log("page                        p50 ms   p95 ms   p99 ms    req/s  requests  errors");
    for (const f of [floor, list, dashboard]) {
      console.log(
        `${f.name.padEnd(26)}${f.p50.toFixed(1).padStart(7)}${f.p95.toFixed(1).padStart(9)}${f.p99.toFixed(1).padStart(9)}${f.rps.toFixed(0).padStart(9)}${String(f.requests).padStart(10)}${String(f.errors).padStart(8)}`,
      );
    }
    const ratio = list.p95 / floor.p95;
    const errors = floor.errors + list.errors + dashboard.errors;
    // How much the machine's own noise moves the ratio: each turn's list p95 over the same turn's floor p95.
    const turnRatios = (runs[1] ?? [])
      .map((turn, i) => figures("", [turn]).p95 / figures("", [runs[0]?.[i] ?? turn]).p95)
      .sort((a, b) => a - b);
    console.log(
      `\nlist p95 / floor p95 = ${ratio.toFixed(2)} (one turn at a time: ${turnRatios.map((r) => r.toFixed(2)).join(" ")}); errors ${errors} (goal 0: ${errors === 0 ? "met" : "NOT met"})`,
    );
    // Fifty concurrent staff clients on the list (issue 17): the tail, the slowest request, timeouts (10 s).
    // A fixed number of requests (each client four), every one of them answered or timed out: a run
    // bounded by time would drop the requests still waiting when it ends, which are the slowest.
    const burst = await load(listUrl, staff, { amount: 50 * BURST_REQUESTS_PER_CLIENT }, 50);
    const sorted50 = [...burst.latencies].sort((a, b) => a - b);
    const at50 = {
      p99: percentile(sorted50, 99),
      max: sorted50.at(-1) ?? 0,
      timeouts: burst.timeouts,
      errors: burst.errors,
      requests: sorted50.length,
    };
    if (at50.requests + at50.timeouts < 50 * BURST_REQUESTS_PER_CLIENT)
      throw new Error(`the 50-client run answered ${at50.requests} of ${50 * BURST_REQUESTS_PER_CLIENT} requests`);
    console.log(
      `50 concurrent clients on the list: p99 ${at50.p99.toFixed(0)} ms, slowest ${at50.max.toFixed(0)} ms, ${at50.requests} requests, timeouts ${at50.timeouts}, errors ${at50.errors}`,
    );
    return { floor, list, dashboard, ratio, errors, at50 };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map(
        (child) => new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null))),
      ),
    );
    if (process.env.BENCH_KEEP_DATABASE && database.url)
      console.log(`kept the benchmark database: ${database.url} (staff ${STAFF_EMAIL} / ${password})`);
    else
      await database.drop().catch((error: unknown) => console.error("could not drop the benchmark database:", error));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, "build/index.js"))) {
    console.log("building the production bundle…");
    spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  }
  // Both databases when PostgreSQL is at hand (BENCH_DATABASES=pglite or postgres for one of them).
  const wanted = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",").map((k) => k.trim());
  const pgOutcome = postgresAdminUrl() && wanted.includes("postgres") ? await runOn("postgres") : undefined;
  const pgliteOutcome = wanted.includes("pglite") ? await runOn("pglite") : undefined;
  const main = pgOutcome ?? pgliteOutcome;
  if (!main) throw new Error("no database to measure");
  const timeouts = (pgOutcome?.at50.timeouts ?? 0) + (pgliteOutcome?.at50.timeouts ?? 0);
  console.log("\ngoals (issue 17):");
  if (pgOutcome) {
    console.log(
      `  PostgreSQL: list p95 ≤ 2 × floor at 20 clients: ${pgOutcome.ratio.toFixed(2)} (${pgOutcome.ratio <= 2 ? "met" : "NOT met"}); p99 < 2 s at 50 clients: ${Math.round(pgOutcome.at50.p99)} ms (${pgOutcome.at50.p99 < 2000 ? "met" : "NOT met"}); timeouts ${pgOutcome.at50.timeouts}`,
    );
  }
  if (pgliteOutcome) {
    console.log(
      `  embedded: list p95 ≤ 3 × floor at 20 clients: ${pgliteOutcome.ratio.toFixed(2)} (${pgliteOutcome.ratio <= 3 ? "met" : "NOT met"}); no request over 5 s at 50 clients: slowest ${Math.round(pgliteOutcome.at50.max)} ms (${pgliteOutcome.at50.max <= 5000 ? "met" : "NOT met"}); timeouts ${pgliteOutcome.at50.timeouts}`,
    );
  }
  const f = (n: number | undefined, digits = 0) => (n === undefined ? "na" : n.toFixed(digits));
  console.log(
    `RESULT list_p95_ms=${Math.round(main.list.p95)} dashboard_p95_ms=${Math.round(main.dashboard.p95)} floor_p95_ms=${Math.round(main.floor.p95)} ratio=${main.ratio.toFixed(2)} rps=${Math.round(main.list.rps)} errors=${main.errors} ` +
      `pg_ratio=${f(pgOutcome?.ratio, 2)} pglite_ratio=${f(pgliteOutcome?.ratio, 2)} pg_p99_50_ms=${f(pgOutcome?.at50.p99)} pglite_max_50_ms=${f(pgliteOutcome?.at50.max)} timeouts=${timeouts}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
