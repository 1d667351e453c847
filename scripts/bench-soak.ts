/**
 * npm run bench:soak — a mixed load held for a bounded time against the production build, watching the
 * portal's memory: providers uploading materials (256 KB PDFs, replacing each other), staff browsing the
 * desk (dashboard, filtered list, an application), experts saving review drafts. The portal's resident
 * memory (RSS, from /proc) is sampled every 5 s; its slope is fitted, after the warm-up (the first fifth),
 * to each minute's lowest sample (RSS saws with garbage collection).
 *
 * Its own data: a fresh PostgreSQL database on TEST_POSTGRES_URL or DATABASE_URL when one is set (dropped
 * afterwards), otherwise an embedded PGlite in a temporary folder.
 * SOAK_MINUTES (default 10) sets the length (SOAK_SECONDS overrides it for short runs).
 * Last line: RESULT rss_start_mb=… rss_end_mb=… rss_slope_mb_per_min=… p99_ms=… errors=…
 * Goals: slope ≤ 1 MB/min after warm-up, 0 errors.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { MATERIAL_IDS } from "../app/domain/materials.ts";
import { type Db, openDatabase } from "../app/utils/db.server.ts";
import { hashPassword } from "../app/utils/password.server.ts";
import { freePort, makeBenchDatabase, migrateBenchDatabase, startPortal } from "./bench-support.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.SOAK_SECONDS ?? 0) || Number(process.env.SOAK_MINUTES ?? 10) * 60;
const PROVIDERS = 3;
/**
 * The materials a provider uploads as PDFs on the application page: not the photos (M5, images), not the
 * summary table (M7, generated and uploaded on its own page: the materials endpoint refuses it with 409).
 */
const UPLOADED_MATERIALS = MATERIAL_IDS.filter((m) => m !== "M5" && m !== "M7");
const STAFF = 4;
const EXPERTS = 2;
const APPLICATIONS = 300;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-soak-"));
const children: ChildProcess[] = [];

/** Accounts, a round of applications (three of them drafts the providers keep uploading to), expert assignments. */
async function seed(prisma: Db, password: string) {
  const passwordHash = await hashPassword(password);
  const staff = await prisma.user.create({
    data: { email: "soak-staff@example.test", name: "压力测试科员", roles: ["staff"], passwordHash },
  });
  const round = await prisma.round.create({
    data: {
      name: "压力测试批次",
      code: "SOAK",
      year: 2026,
      status: "open",
      deadline: new Date(Date.now() + 10 * 24 * 3600_000),
      applicationSeq: APPLICATIONS,
    },
  });
  await prisma.roundEnterprise.createMany({
    data: Array.from({ length: APPLICATIONS }, (_, i) => ({
      roundId: round.id,
      seq: i + 1,
      name: `压力测试第${i + 1}制造有限公司`,
    })),
  });
  const enterprises = await prisma.roundEnterprise.findMany({ where: { roundId: round.id }, orderBy: { seq: "asc" } });
  const providers: { organisation: { id: string }; user: { id: string; email: string } }[] = [];
  for (let i = 0; i < PROVIDERS; i++) {
    const organisation = await prisma.organisation.create({
      data: {
        name: `压力测试服务商${i + 1}有限公司`,
        uscc: `91370303MA3SOAK0${i}X`.slice(0, 18),
        contactName: "联系人",
        contactPhone: "13800000000",
        contactEmail: `soak-provider-${i}@example.test`,
        status: "verified",
        goodStandingDeclaredAt: new Date(),
        registeredInZhangdianConfirmed: true,
      },
    });
    const user = await prisma.user.create({
      data: {
        email: `soak-provider-${i}@example.test`,
        name: `服务商${i + 1}`,
        roles: ["provider"],
        organisationId: organisation.id,
        passwordHash,
      },
    });
    providers.push({ organisation, user });
  }
  const experts = [];
  for (let i = 0; i < EXPERTS; i++) {
    experts.push(
      await prisma.user.create({
        data: {
          email: `soak-expert-${i}@example.test`,
          name: `专家${i + 1}`,
          roles: ["expert"],
          passwordHash,
          expertProfile: { create: { field: "智能制造", conflictsDeclaredAt: new Date() } },
        },
      }),
    );
  }
  const applications = enterprises.map((enterprise, i) => {
    const provider = providers[i % PROVIDERS];
    if (!provider) throw new Error("no provider");
    const status =
      i < PROVIDERS ? "draft" : i < PROVIDERS + EXPERTS ? "under_review" : i % 3 === 0 ? "accepted" : "submitted";
    return {
      id: `soakapp${String(i).padStart(4, "0")}`,
      number: `SOAK-${String(i + 1).padStart(4, "0")}`,
      roundId: round.id,
      organisationId: provider.organisation.id,
      enterpriseId: enterprise.id,
      enterpriseUscc: `91370303MA3S${String(i).padStart(6, "0")}`,
      eligibilityConfirmedAt: new Date(),
      reportTitle: "智能化改造评估诊断报告",
      contractAmountFen: 1_000_000,
      contractSignedOn: "2026-09-01",
      diagnosisCompletedOn: "2026-09-25",
      diagnosisDueOn: "2026-09-29",
      status,
      submittedAt: status === "draft" ? null : new Date(Date.now() - i * 60_000),
      createdById: provider.user.id,
    } as const;
  });
  await prisma.application.createMany({ data: applications });
  const files = applications.slice(PROVIDERS).flatMap((a) =>
    MATERIAL_IDS.map((material) => ({
      id: `${a.id}${material}`,
      key: `materials/${a.id}${material}`,
      fileName: `${material}.pdf`,
      contentType: "application/pdf",
      size: 1000,
      sha256: "0".repeat(64),
    })),
  );
  await prisma.storedFile.createMany({ data: files });
  await prisma.applicationMaterial.createMany({
    data: files.map((f) => ({ applicationId: f.id.slice(0, 11), material: f.fileName.slice(0, 2), fileId: f.id })),
  });
  const assignments = await Promise.all(
    experts.map((expert, i) =>
      prisma.expertAssignment.create({
        data: {
          applicationId: applications[PROVIDERS + i]?.id ?? "",
          expertId: expert.id,
          assignedById: staff.id,
          noConflictConfirmedAt: new Date(),
        },
      }),
    ),
  );
  return {
    roundId: round.id,
    staffEmail: staff.email,
    providers: providers.map((p, i) => ({ email: p.user.email, draftId: applications[i]?.id ?? "" })),
    experts: experts.map((e, i) => ({ email: e.email, assignmentId: assignments[i]?.id ?? "" })),
    sampleApplication: applications[PROVIDERS + EXPERTS]?.id ?? "",
  };
}

/** A 256 KB file that passes as a PDF (header, comment lines, end marker). */
function pdfBytes(): Buffer {
  const filler = Array.from({ length: 4096 }, () => `%${crypto.randomBytes(30).toString("hex")}\n`).join("");
  return Buffer.from(`%PDF-1.7\n${filler}%%EOF\n`);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main() {
  if (!fs.existsSync(path.join(root, "build/index.js")))
    spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  const database = await makeBenchDatabase("bench_soak");
  const password = crypto.randomBytes(12).toString("base64url");
  const dataDir = path.join(tmp, "data");
  fs.mkdirSync(dataDir, { recursive: true });
  console.log(`database: ${database.url ? "PostgreSQL (a fresh database)" : "embedded PGlite"}; ${SECONDS} s of load`);
  try {
    migrateBenchDatabase({ DATA_DIR: dataDir, DATABASE_URL: database.url });
    const handle = await openDatabase({ url: database.url || undefined, dataDir });
    const scene = await seed(handle.client, password);
    await handle.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const portal = await startPortal({
      port,
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        DEMO: "0",
        LOG_LEVEL: "warn",
        SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      },
    });
    children.push(portal);
    const pid = portal.pid ?? 0;

    const login = async (email: string) => {
      const response = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password }),
      });
      const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
      if (response.status !== 302 || !cookie) throw new Error(`login failed for ${email} (${response.status})`);
      return cookie;
    };

    const latencies: number[] = [];
    const failures = new Map<string, number>();
    let stop = false;
    const timed = async (
      label: string,
      request: () => Promise<Response>,
      ok: (status: number) => boolean = (s) => s >= 200 && s < 400,
    ) => {
      const start = performance.now();
      try {
        const response = await request();
        await response.arrayBuffer();
        latencies.push(performance.now() - start);
        if (!ok(response.status))
          failures.set(`${label} ${response.status}`, (failures.get(`${label} ${response.status}`) ?? 0) + 1);
      } catch (error) {
        failures.set(`${label} ${error instanceof Error ? error.message : "error"}`, (failures.get(label) ?? 0) + 1);
      }
    };
    const pause = () => new Promise((r) => setTimeout(r, 50 + Math.random() * 100));

    const providerLoop = async (provider: { email: string; draftId: string }) => {
      const cookie = await login(provider.email);
      for (let i = 0; !stop; i++) {
        const material = UPLOADED_MATERIALS[i % UPLOADED_MATERIALS.length] ?? "M1";
        await timed("upload", () =>
          fetch(`${base}/resources/applications/${provider.draftId}/materials?material=${material}`, {
            method: "POST",
            headers: {
              Cookie: cookie,
              Origin: base,
              "Content-Type": "application/pdf",
              "X-File-Name": encodeURIComponent(`${material}.pdf`),
            },
            body: new Uint8Array(pdfBytes()),
          }),
        );
        await timed("provider page", () =>
          fetch(`${base}/provider/applications/${provider.draftId}`, { headers: { Cookie: cookie } }),
        );
        await pause();
      }
    };
    const staffLoop = async () => {
      const cookie = await login(scene.staffEmail);
      const pages = [
        `/staff?round=${scene.roundId}`,
        `/staff/applications?round=${scene.roundId}&status=submitted&sort=submitted&dir=desc`,
        `/staff/applications?round=${scene.roundId}&page=2`,
        `/staff/applications/${scene.sampleApplication}`,
        `/staff/providers`,
      ];
      for (let i = 0; !stop; i++) {
        const page = pages[i % pages.length] ?? "/staff";
        await timed("staff page", () => fetch(`${base}${page}`, { headers: { Cookie: cookie } }));
        await pause();
      }
    };
    const expertLoop = async (expert: { email: string; assignmentId: string }) => {
      const cookie = await login(expert.email);
      let version = 0;
      for (let i = 0; !stop; i++) {
        const form = new URLSearchParams({
          intent: "save",
          version: String(version),
          materialsComplete: "yes",
          "sections.basics.score": String(10 + (i % 20)),
          "sections.basics.comment": `第 ${i} 次保存：诊断基础扎实。`,
        });
        let saved = false;
        await timed(
          "expert save",
          async () => {
            const response = await fetch(`${base}/expert/reviews/${expert.assignmentId}`, {
              method: "POST",
              headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
              body: form,
            });
            saved = response.status === 200;
            return response;
          },
          (s) => s === 200,
        );
        if (saved) version++;
        await pause();
      }
    };

    const samples: { t: number; rss: number }[] = [];
    const started = Date.now();
    samples.push({ t: 0, rss: rssMb(pid) });
    const sampler = setInterval(() => samples.push({ t: (Date.now() - started) / 60_000, rss: rssMb(pid) }), 5_000);
    const loops = [
      ...scene.providers.map(providerLoop),
      ...Array.from({ length: STAFF }, staffLoop),
      ...scene.experts.map(expertLoop),
    ];
    const reporter = setInterval(() => {
      const last = samples.at(-1);
      console.log(
        `${Math.round((Date.now() - started) / 1000)} s: ${latencies.length} requests, rss ${last?.rss.toFixed(1)} MB, errors ${[...failures.values()].reduce((s, n) => s + n, 0)}`,
      );
    }, 60_000);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    stop = true;
    await Promise.all(loops);
    clearInterval(sampler);
    clearInterval(reporter);
    samples.push({ t: (Date.now() - started) / 60_000, rss: rssMb(pid) });

    // RSS saws up and down with garbage collection: the slope is fitted to each minute's lowest sample
    // (the memory still held after collecting), from the end of the warm-up on.
    const troughs = new Map<number, { x: number; y: number }>();
    for (const sample of samples.filter((s) => s.t >= SECONDS / 60 / 5)) {
      const minute = Math.floor(sample.t);
      const seen = troughs.get(minute);
      if (!seen || sample.rss < seen.y) troughs.set(minute, { x: sample.t, y: sample.rss });
    }
    const warm =
      troughs.size >= 3
        ? [...troughs.values()]
        : samples.filter((s) => s.t >= SECONDS / 60 / 5).map((s) => ({ x: s.t, y: s.rss }));
    const sorted = [...latencies].sort((a, b) => a - b);
    const errors = [...failures.values()].reduce((s, n) => s + n, 0);
    const start = warm[0]?.y ?? samples[0]?.rss ?? 0;
    const end = samples.at(-1)?.rss ?? 0;
    const perMinute = slope(warm);
    console.log(
      `\n${latencies.length} requests in ${SECONDS} s (${(latencies.length / SECONDS).toFixed(1)}/s): ${PROVIDERS} providers uploading, ${STAFF} staff browsing, ${EXPERTS} experts saving drafts`,
    );
    console.log(
      `latency p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`,
    );
    console.log(
      `rss at start ${samples[0]?.rss.toFixed(1)} MB, after warm-up ${start.toFixed(1)} MB, at end ${end.toFixed(1)} MB`,
    );
    for (const [what, n] of failures) console.log(`  failed: ${what} × ${n}`);
    console.log(
      `slope after warm-up ${perMinute.toFixed(2)} MB/min (goal ≤ 1: ${perMinute <= 1 ? "met" : "NOT met"}); errors ${errors} (goal 0: ${errors === 0 ? "met" : "NOT met"})`,
    );
    console.log(
      `RESULT rss_start_mb=${start.toFixed(1)} rss_end_mb=${end.toFixed(1)} rss_slope_mb_per_min=${perMinute.toFixed(2)} p99_ms=${Math.round(percentile(sorted, 99))} errors=${errors}`,
    );
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map(
        (child) => new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null))),
      ),
    );
    await database.drop().catch((error: unknown) => console.error("could not drop the soak database:", error));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
