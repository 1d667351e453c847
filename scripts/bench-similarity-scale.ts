/**
 * R-REV-3 bench at province scale: the copy check with its index in PostgreSQL.
 *
 *   npm run bench:similarity-scale     (tsx scripts/bench-similarity-scale.ts [--reports 50000] [--chars 20000]
 *                                       [--checks 100] [--small 5000]; SCALE_REPORTS=… also sets --reports)
 *
 * For each size (--small first, then --reports) it makes a fresh PostgreSQL database on the
 * TEST_POSTGRES_URL server (dropped afterwards), migrates it with `prisma migrate deploy`, and:
 *
 * 1. loads N generated reports of about --chars characters, in rounds of five years: applications,
 *    files and report texts with multi-row inserts, then each report's index hashes through
 *    storeFingerprints, the code the worker uses (in batches). One report in ten is a copy (20% of its
 *    sentences replaced, paragraphs reordered, the company renamed) of an original in another round.
 *    Text is generated cheaply from a seeded word list; a report's text is regenerated from its number
 *    when a copy needs it, so nothing of the corpus stays in memory.
 * 2. checks --checks new reports, half of them copies of loaded reports (any round), half new originals,
 *    each through indexAndVerify (fingerprints stored, candidates looked up, verified exactly), timed.
 * 3. scores the pairs flagged at FLAG_THRESHOLD: recall over the planted copies, precision over every
 *    flagged pair (a pair of the same family counts as right); prints the process's RSS growth while
 *    loading, and the database's size per 1,000 reports.
 *
 * Last line: RESULT n=<n> check_p95_ms=<n> recall=<x> precision=<x> rss_growth_mb=<n> db_mb_per_1k=<n> check_p95_ms_5k=<n>
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import pg from "pg";

import { distinctHashes } from "../app/domain/similarity/fingerprint.ts";
import { indexHashes, prepareReport } from "../app/domain/similarity/index.ts";
import { normalizeReport } from "../app/domain/similarity/normalize.ts";
import { FLAG_THRESHOLD } from "../app/domain/similarity/verify.ts";
import { indexAndVerify, signedHashes, storeFingerprints } from "../app/services/similarity-index.server.ts";
import { type Db, openDatabase } from "../app/utils/db.server.ts";
import { migrateBenchDatabase } from "./bench-support.ts";
import { mulberry32, type Rng } from "./similarity-corpus.ts";

// ---------------------------------------------------------------------------------------------------
// Cheap text: a report is paragraphs of sentences of words drawn from a seeded vocabulary
// ---------------------------------------------------------------------------------------------------

const vocabRng = mulberry32(7);
const CJK = (rng: Rng) => String.fromCharCode(0x4e00 + Math.floor(rng() * 6000));
const VOCAB = Array.from(
  { length: 6000 },
  () => CJK(vocabRng) + CJK(vocabRng) + (vocabRng() < 0.3 ? CJK(vocabRng) : ""),
);
const HEADINGS = [
  "一、企业基本情况",
  "二、生产工艺流程",
  "三、信息化现状",
  "四、存在的主要问题",
  "五、智能化改造方向",
  "六、投资估算",
  "七、预期效益",
  "八、实施计划",
];
const STOCK = [
  "企业应成立数字化转型工作专班，明确责任分工，建立定期调度机制。",
  "建议按照总体规划、分步实施、效益优先的原则推进智能化改造。",
  "诊断服务机构对企业进行了现场调研，查阅了相关资料并与管理人员进行了座谈。",
  "本报告依据工业和信息化部智能制造能力成熟度模型编制。",
];

type Report = { paragraphs: string[][]; company: string };

/**
 * The generator of one report's text: sfc32 (128 bits of state) seeded from a SHA-256 of its name.
 * Not mulberry32 seeded per report: mulberry32 is one cycle of 2^32 states stepped by a constant, so
 * any two seeds are two positions on it, and a report's ~9,000 draws overlap another's whenever their
 * positions are that close — at 50,000 reports about 60 of the checked reports would share long runs
 * of text with a loaded report they were never meant to copy (seen: 54 false "copies", precision 0.53).
 */
function reportRng(kind: "original" | "copy", seed: number): Rng {
  const digest = crypto.createHash("sha256").update(`${kind}:${seed}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function sentence(rng: Rng, company: string): string {
  const words = 7 + Math.floor(rng() * 7);
  let s = rng() < 0.08 ? company : "";
  for (let i = 0; i < words; i++) s += VOCAB[Math.floor(rng() * VOCAB.length)];
  return `${s}${rng() < 0.3 ? "，" + VOCAB[Math.floor(rng() * VOCAB.length)] + VOCAB[Math.floor(rng() * VOCAB.length)] : ""}。`;
}

function companyName(rng: Rng): string {
  return `${CJK(rng)}${CJK(rng)}${CJK(rng)}有限公司`;
}

function original(seed: number, chars: number): Report {
  const rng = reportRng("original", seed);
  const company = companyName(rng);
  const paragraphs: string[][] = [];
  let length = 0;
  while (length < chars) {
    const paragraph: string[] = [];
    const count = 4 + Math.floor(rng() * 8);
    for (let i = 0; i < count; i++) {
      const s = rng() < 0.02 ? (STOCK[Math.floor(rng() * STOCK.length)] ?? "") : sentence(rng, company);
      paragraph.push(s);
      length += s.length;
    }
    paragraphs.push(paragraph);
  }
  return { paragraphs, company };
}

/** A copy: 20% of sentences replaced, a few paragraphs moved, the company renamed. */
function copyOf(source: Report, seed: number): Report {
  const rng = reportRng("copy", seed);
  const company = companyName(rng);
  const paragraphs = source.paragraphs.map((p) =>
    p.map((s) => (rng() < 0.2 ? sentence(rng, company) : s.split(source.company).join(company))),
  );
  for (let i = 0; i < paragraphs.length / 5; i++) {
    const a = Math.floor(rng() * paragraphs.length);
    const b = Math.floor(rng() * paragraphs.length);
    const pa = paragraphs[a];
    const pb = paragraphs[b];
    if (pa && pb) {
      paragraphs[a] = pb;
      paragraphs[b] = pa;
    }
  }
  return { paragraphs, company };
}

function render(report: Report): string {
  const lines: string[] = [`${report.company}智能化改造诊断报告`];
  report.paragraphs.forEach((p, i) => {
    if (i % 6 === 0) lines.push(HEADINGS[(i / 6) % HEADINGS.length] ?? "");
    lines.push(p.join(""));
  });
  return lines.join("\n");
}

/** The corpus plan: which loaded report copies which, and its family (the original it descends from). */
type Plan = { sourceOf: Int32Array; family: Int32Array; roundOf: Int32Array };

function plan(n: number, rounds: number): Plan {
  const rng = mulberry32(20261130);
  const sourceOf = new Int32Array(n).fill(-1);
  const family = new Int32Array(n);
  const roundOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    roundOf[i] = Math.floor((i / n) * rounds); // reports arrive round after round
    family[i] = i;
    if (i > 50 && rng() < 0.1) {
      // A copy of an earlier original, usually of an earlier round.
      let j = Math.floor(rng() * i);
      while ((sourceOf[j] ?? -1) >= 0) j = Math.floor(rng() * i);
      sourceOf[i] = j;
      family[i] = j;
    }
  }
  return { sourceOf, family, roundOf };
}

function reportOf(p: Plan, i: number, chars: number): Report {
  const source = p.sourceOf[i] ?? -1;
  return source >= 0 ? copyOf(original(source, chars), i) : original(i, chars);
}

// ---------------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------------

function adminUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set: source scripts/test-postgres.sh first");
  return url;
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

const id = () => crypto.randomUUID();

type Fixture = { rounds: string[]; organisations: string[]; userId: string };

async function seed(prisma: Db, roundCount: number): Promise<Fixture> {
  const user = await prisma.user.create({
    data: { email: "bench@example.test", name: "bench", roles: ["staff"], passwordHash: "x" },
  });
  const rounds: string[] = [];
  for (let r = 0; r < roundCount; r++) {
    const year = 2022 + Math.floor(r / 2);
    const round = await prisma.round.create({
      data: {
        name: `${year}年第${(r % 2) + 1}批`,
        code: `B${year}${r % 2}`,
        year,
        status: "closed",
        deadline: new Date(Date.UTC(year, 5 + (r % 2) * 5, 1)),
      },
    });
    rounds.push(round.id);
  }
  const organisations = Array.from({ length: 200 }, () => id());
  await prisma.organisation.createMany({
    data: organisations.map((oid, i) => ({
      id: oid,
      name: `服务商${i}`,
      uscc: `91370303BENCH${String(i).padStart(5, "0")}`,
      contactName: "联系人",
      contactPhone: "13800000000",
      contactEmail: `p${i}@example.test`,
      status: "verified" as const,
      goodStandingDeclaredAt: new Date(),
    })),
  });
  return { rounds, organisations, userId: user.id };
}

const insertTimes = { rows: 0, texts: 0 };

/** Application, file and report text rows for reports (status done); returns their seqs. */
async function insertReports(
  prisma: Db,
  raw: pg.Client,
  fx: Fixture,
  rows: Array<{ key: string; round: string; text: string }>,
) {
  const t = performance.now();
  const enterprises = rows.map(() => id());
  const files = rows.map(() => id());
  const applications = rows.map(() => id());
  await prisma.roundEnterprise.createMany({
    data: rows.map((r, i) => ({ id: enterprises[i] ?? "", roundId: r.round, seq: i, name: `企业${r.key}` })),
  });
  await prisma.storedFile.createMany({
    data: rows.map((r, i) => ({
      id: files[i] ?? "",
      key: `bench/${r.key}.pdf`,
      fileName: `${r.key}.pdf`,
      contentType: "application/pdf",
      size: r.text.length,
      sha256: "0",
    })),
  });
  await prisma.application.createMany({
    data: rows.map((r, i) => ({
      id: applications[i] ?? "",
      number: `B-${r.key}`,
      roundId: r.round,
      organisationId: fx.organisations[i % fx.organisations.length] ?? "",
      enterpriseId: enterprises[i] ?? "",
      enterpriseUscc: "91370303BENCH0000X",
      eligibilityConfirmedAt: new Date(),
      reportTitle: "智能化改造评估诊断报告",
      contractAmountFen: 1_200_000,
      contractSignedOn: "2022-09-01",
      diagnosisCompletedOn: "2022-09-20",
      status: "submitted" as const,
      submittedAt: new Date(),
      createdById: fx.userId,
    })),
  });
  insertTimes.rows += performance.now() - t;
  const tText = performance.now();
  await prisma.applicationMaterial.createMany({
    data: rows.map((_, i) => ({ applicationId: applications[i] ?? "", material: "M8", fileId: files[i] ?? "" })),
  });
  // The texts go straight through pg (a Prisma createMany of 200 texts of 60 KB is many times slower).
  const result = await raw.query<{ seq: number; fileId: string; applicationId: string }>(
    `INSERT INTO "ReportText" (id, "fileId", "applicationId", status, text, "contentLength", "claimedAt", "analysedAt")
     SELECT gen_random_uuid()::text, f, a, 'done', t, c, now(), now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS v(f, a, t, c)
     RETURNING seq, "fileId", "applicationId"`,
    [files, applications, rows.map((r) => r.text), rows.map((r) => normalizeReport(r.text).contentLength)],
  );
  const created = result.rows;
  insertTimes.texts += performance.now() - tText;
  const seqOf = new Map(created.map((c) => [c.fileId, c]));
  return files.map((f) => {
    const row = seqOf.get(f);
    if (!row) throw new Error("report text not created");
    return row;
  });
}

// ---------------------------------------------------------------------------------------------------
// One size
// ---------------------------------------------------------------------------------------------------

type Outcome = {
  n: number;
  p95: number;
  median: number;
  recall: number;
  precision: number;
  rssGrowth: number;
  dbMbPer1k: number;
  fpRowsPerReport: number;
};

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;

async function runSize(n: number, chars: number, checks: number): Promise<Outcome> {
  const database = `bench_scale_${process.pid}_${n}`;
  await admin(`DROP DATABASE IF EXISTS ${database}`);
  await admin(`CREATE DATABASE ${database}`);
  // Interrupted (Ctrl-C, kill): drop the database all the same.
  const interrupted = () => {
    void admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
  let handle: Awaited<ReturnType<typeof openDatabase>> | null = null;
  let raw: pg.Client | null = null;
  try {
    migrateBenchDatabase({ DATABASE_URL: url.toString() });
    handle = await openDatabase({ url: url.toString(), dataDir });
    raw = new pg.Client({ connectionString: url.toString() });
    await raw.connect();
    const prisma = handle.client;
    const ROUNDS = 10;
    const fx = await seed(prisma, ROUNDS);
    const p = plan(n, ROUNDS);

    // --- 1. load ---
    const rssCold = rssMb();
    // Growth is measured from the end of the first batch: what the first batch costs (compiled code,
    // connection buffers, the heap's working size for one batch of texts) does not depend on N.
    let rssBefore = rssCold;
    let rssPeak = rssCold;
    const BATCH = 100;
    const t0 = performance.now();
    let prepareMs = 0;
    let fingerprintMs = 0;
    for (let start = 0; start < n; start += BATCH) {
      const rows: Array<{ key: string; round: string; text: string }> = [];
      for (let i = start; i < Math.min(n, start + BATCH); i++)
        rows.push({ key: `${n}-${i}`, round: fx.rounds[p.roundOf[i] ?? 0] ?? "", text: render(reportOf(p, i, chars)) });
      const created = await insertReports(prisma, raw, fx, rows);
      let t = performance.now();
      const batch = rows.map((r, i) => {
        const prepared = prepareReport(r.text);
        return {
          seq: created[i]?.seq ?? 0,
          hashes: signedHashes(indexHashes(prepared)),
          all: distinctHashes(prepared.fingerprints),
        };
      });
      prepareMs += performance.now() - t;
      t = performance.now();
      await storeFingerprints(prisma, batch);
      fingerprintMs += performance.now() - t;
      if (start === 0) rssBefore = rssMb();
      rssPeak = Math.max(rssPeak, rssMb());
      if ((start / BATCH) % 25 === 0) {
        const done = Math.min(n, start + BATCH);
        const elapsed = (performance.now() - t0) / 1000;
        console.log(
          `  loaded ${done}/${n} in ${elapsed.toFixed(0)} s (≈ ${((elapsed / done) * (n - done)).toFixed(0)} s to go), RSS ${rssMb().toFixed(0)} MB`,
        );
      }
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    console.log(
      `n=${n}: loaded in ${loadSeconds.toFixed(0)} s (normalize+fingerprint ${(prepareMs / 1000).toFixed(0)} s, storeFingerprints ${(fingerprintMs / 1000).toFixed(0)} s, ` +
        `applications ${(insertTimes.rows / 1000).toFixed(0)} s, texts ${(insertTimes.texts / 1000).toFixed(0)} s); ` +
        `RSS ${rssCold.toFixed(0)} MB before loading, ${rssBefore.toFixed(0)} MB after the first batch of ${BATCH}, peak ${rssPeak.toFixed(0)} MB`,
    );
    await prisma.$executeRawUnsafe(`VACUUM ANALYZE "ReportFingerprint"`);
    await prisma.$executeRawUnsafe(`ANALYZE "ReportText"`);
    const sizes = await prisma.$queryRaw<Array<{ db: bigint; fp: bigint; rows: bigint; texts: bigint }>>`
      SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('"ReportFingerprint"') AS fp,
             (SELECT count(*) FROM "ReportFingerprint") AS rows, pg_total_relation_size('"ReportText"') AS texts`;
    const size = sizes[0];
    const dbMb = Number(size?.db ?? 0) / 1024 / 1024;
    const fpRows = Number(size?.rows ?? 0);
    console.log(
      `  database ${dbMb.toFixed(0)} MB (${((dbMb / n) * 1000).toFixed(1)} MB per 1,000 reports): report texts ${(Number(size?.texts ?? 0) / 1024 / 1024).toFixed(0)} MB, ` +
        `fingerprint index ${(Number(size?.fp ?? 0) / 1024 / 1024).toFixed(0)} MB (${fpRows} rows, ${(fpRows / n).toFixed(0)} a report)`,
    );

    // --- 2. check new reports ---
    const rng = mulberry32(n + 99);
    const times: number[] = [];
    const planted = new Set<string>();
    const familyOfFile = new Map<string, number>();
    let flaggedRight = 0;
    let flaggedWrong = 0;
    const wrongExamples: string[] = [];
    let plantedFound = 0;
    for (let c = 0; c < checks; c++) {
      const isCopy = c % 2 === 0;
      const source = Math.floor(rng() * n);
      const report = isCopy ? copyOf(reportOf(p, source, chars), 1_000_000 + c) : original(2_000_000 + c, chars);
      const family = isCopy ? (p.family[source] ?? -1) : -1 - c;
      const round = fx.rounds[Math.floor(rng() * ROUNDS)] ?? "";
      const [row] = await insertReports(prisma, raw, fx, [{ key: `${n}-new-${c}`, round, text: render(report) }]);
      if (!row) throw new Error("no row");
      await prisma.reportText.update({ where: { fileId: row.fileId }, data: { status: "pending" } });
      const text = render(report);
      const t = performance.now();
      const matches = await indexAndVerify(prisma, {
        seq: row.seq,
        fileId: row.fileId,
        applicationId: row.applicationId,
        text,
      });
      times.push(performance.now() - t);
      await prisma.reportText.update({ where: { fileId: row.fileId }, data: { status: "done" } });
      // Which loaded reports the flagged pairs name: look their keys up.
      const others = matches
        .filter((m) => m.score >= FLAG_THRESHOLD)
        .map((m) => (m.fileAId === row.fileId ? m.fileBId : m.fileAId));
      const files = others.length
        ? await prisma.storedFile.findMany({ where: { id: { in: others } }, select: { id: true, key: true } })
        : [];
      const sourceKey = `bench/${n}-${source}.pdf`;
      if (isCopy) planted.add(sourceKey);
      for (const f of files) {
        const match = /bench\/\d+-(\d+)\.pdf$/.exec(f.key);
        const otherFamily = match ? (p.family[Number(match[1])] ?? -2) : (familyOfFile.get(f.id) ?? -3);
        if (otherFamily === family) flaggedRight++;
        else {
          flaggedWrong++;
          const score = matches.find((m) => m.fileAId === f.id || m.fileBId === f.id)?.score ?? 0;
          if (wrongExamples.length < 5)
            wrongExamples.push(`check ${c} (${isCopy ? "copy" : "original"}) ~ ${f.key} score ${score.toFixed(3)}`);
        }
        if (isCopy && f.key === sourceKey) plantedFound++;
      }
      familyOfFile.set(row.fileId, family);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const outcome: Outcome = {
      n,
      p95: percentile(sorted, 0.95),
      median: percentile(sorted, 0.5),
      recall: planted.size ? plantedFound / planted.size : 1,
      precision: flaggedRight + flaggedWrong ? flaggedRight / (flaggedRight + flaggedWrong) : 1,
      rssGrowth: rssPeak - rssBefore,
      dbMbPer1k: (dbMb / n) * 1000,
      fpRowsPerReport: fpRows / n,
    };
    console.log(
      `  ${checks} checks against ${n}: median ${outcome.median.toFixed(0)} ms, p95 ${outcome.p95.toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms; ` +
        `planted copies found ${plantedFound}/${planted.size}, flagged pairs right ${flaggedRight}, wrong ${flaggedWrong}`,
    );
    for (const example of wrongExamples) console.log(`    wrong: ${example}`);
    return outcome;
  } finally {
    await raw?.end();
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(args[i + 1]) : fallback;
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const n = arg("reports", Number(process.env.SCALE_REPORTS) || 50_000);
  const chars = arg("chars", 20_000);
  const checks = arg("checks", 100);
  const small = arg("small", 5_000);
  console.log(
    `bench:similarity-scale: ${n} reports of about ${chars} characters (and ${small}), ${checks} checks, PostgreSQL at ${new URL(adminUrl()).host}`,
  );
  const smallOutcome = small > 0 && small !== n ? await runSize(small, chars, checks) : null;
  const big = await runSize(n, chars, checks);
  const p95Small = smallOutcome ? smallOutcome.p95 : big.p95;
  console.log(
    `RESULT n=${big.n} check_p95_ms=${big.p95.toFixed(0)} recall=${big.recall.toFixed(3)} precision=${big.precision.toFixed(3)} ` +
      `rss_growth_mb=${big.rssGrowth.toFixed(0)} db_mb_per_1k=${big.dbMbPer1k.toFixed(1)} check_p95_ms_5k=${p95Small.toFixed(0)}`,
  );
}

await main();
