/**
 * R-REV-3: the copy check's index, in the database (PostgreSQL, or PGlite on the embedded default), shared
 * by every portal instance. Nothing of it is kept in a process: memory does not grow with the number of
 * reports, and start-up reads nothing.
 *
 * - Each analysed report gets a compact key (ReportText.seq) and its index hashes — its distinct
 *   winnowing fingerprints, one in INDEX_SAMPLE (app/domain/similarity/index.ts) — are stored as
 *   ReportFingerprint rows (hash, report). A hash already held by POSTING_LIMIT reports is a stock phrase
 *   and gets no more rows, so no list grows with the corpus. All its distinct hashes are kept beside its
 *   text (ReportText.allHashes, about 10 KB) for the second stage of the candidate check.
 * - Candidates for a report are found by one query over its own hashes (the primary key's btree on
 *   (hash, report)), counted with the same rule as the in-memory index (selectCandidates), then verified
 *   exactly (compareSketches on both texts) as before: the index never decides by itself.
 * - Two instances analysing two copies at the same moment: each stores its own hashes (committed) before
 *   it looks for candidates, so whichever looks second sees the other; when both do, the pair's unique
 *   key (fileAId, fileBId) and ON CONFLICT DO NOTHING store it once.
 *
 * Why sampled winnowing hashes rather than MinHash LSH bands: see the module comment of
 * app/domain/similarity/fingerprint.ts (containment, not Jaccard) and the figures in
 * scripts/bench-similarity-scale.ts (rows and bytes per report, time per check).
 */
import { distinctHashes, type ReportSketch } from "~/domain/similarity/fingerprint.ts";
import {
  confirmCandidate,
  indexHashes,
  POSTING_LIMIT,
  prepareReport,
  selectCandidates,
} from "~/domain/similarity/index.ts";
import { normalizeReport } from "~/domain/similarity/normalize.ts";
import { compareSketches, explain, type SharedPassage } from "~/domain/similarity/verify.ts";
import type { Db } from "~/utils/db.server.ts";

/** Report pairs scoring at least this are stored (the round's threshold, ≥ this, decides what is flagged). */
export const REPORT_STORE_FLOOR = 0.2;
/** Shared passages kept per pair (the longest). */
const MAX_PASSAGES = 300;

export type ReportMatch = {
  fileAId: string;
  fileBId: string;
  applicationAId: string;
  applicationBId: string;
  score: number;
  coverageA: number;
  coverageB: number;
  passages: SharedPassage[];
};

/** Sorted distinct hashes as bytes (little-endian uint32) and back. */
export function hashesToBytes(hashes: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(hashes.length * 4);
  const view = new DataView(bytes.buffer);
  hashes.forEach((h, i) => view.setUint32(i * 4, h, true));
  return bytes;
}

export function bytesToHashes(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

/** A report's index hashes as PostgreSQL int4 values (the same 32 bits, signed). */
export function signedHashes(hashes: Uint32Array): number[] {
  return Array.from(hashes, (h) => h | 0);
}

/**
 * Stores the index hashes of reports (multi-row: the worker passes one report, a bulk load many) and
 * records how many each has. A hash held by POSTING_LIMIT reports gets no more rows (within one call the
 * reports of that call do not see each other's rows, so a list can overshoot by the batch's size).
 */
export async function storeFingerprints(
  prisma: Db,
  reports: ReadonlyArray<{ seq: number; hashes: readonly number[]; all: Uint32Array }>,
) {
  if (reports.length === 0) return;
  const hashes: number[] = [];
  const owners: number[] = [];
  for (const report of reports) {
    for (const hash of report.hashes) {
      hashes.push(hash);
      owners.push(report.seq);
    }
  }
  // One statement (the count in a data-modifying CTE, which PostgreSQL runs whether read or not): another
  // instance sees a report's rows and its count together (selectCandidates divides by the count), and a
  // report marked indexed has its rows. No transaction to time out on a bulk load.
  const seqs = reports.map((r) => r.seq);
  const counts = reports.map((r) => r.hashes.length);
  const alls = reports.map((r) => Buffer.from(hashesToBytes(r.all)).toString("base64"));
  await prisma.$executeRaw`
    WITH counted AS (
      UPDATE "ReportText" SET "indexHashes" = v.n, "allHashes" = decode(v.b, 'base64')
      FROM unnest(${seqs}::int4[], ${counts}::int4[], ${alls}::text[]) AS v(s, n, b) WHERE "ReportText".seq = v.s
      RETURNING "ReportText".seq
    )
    INSERT INTO "ReportFingerprint" (hash, report)
    SELECT t.h, t.r FROM unnest(${hashes}::int4[], ${owners}::int4[]) AS t(h, r)
    WHERE NOT EXISTS (SELECT 1 FROM "ReportFingerprint" f WHERE f.hash = t.h OFFSET ${POSTING_LIMIT - 1} LIMIT 1)
    ON CONFLICT DO NOTHING`;
}

type Posting = { hash: number; report: number };

/** The candidate reports (by seq) for a report already stored with storeFingerprints. */
export async function findCandidates(prisma: Db, seq: number, hashes: readonly number[], all: Uint32Array) {
  if (hashes.length === 0) return [];
  const rows = await prisma.$queryRaw<Posting[]>`
    SELECT hash, report FROM "ReportFingerprint" WHERE hash = ANY(${hashes}::int4[]) AND report <> ${seq}`;
  const byHash = new Map<number, number[]>();
  for (const row of rows) {
    const list = byHash.get(row.hash);
    if (list) list.push(row.report);
    else byHash.set(row.hash, [row.report]);
  }
  const reports = [...new Set(rows.map((r) => r.report))];
  if (reports.length === 0) return [];
  const counts = await prisma.$queryRaw<Array<{ seq: number; indexHashes: number | null }>>`
    SELECT seq, "indexHashes" FROM "ReportText" WHERE seq = ANY(${reports}::int4[])`;
  const countOf = new Map(counts.map((c) => [c.seq, c.indexHashes ?? 0]));
  const sampled = selectCandidates(hashes.length, [...byHash.values()], (report) => countOf.get(report) ?? 0);
  if (sampled.length === 0) return [];
  // Second stage: every distinct fingerprint of both reports (a few KB each, read for candidates only).
  const sets = await prisma.reportText.findMany({
    where: { seq: { in: sampled.map((c) => c.report) } },
    select: { seq: true, allHashes: true },
  });
  const setOf = new Map(sets.map((s) => [s.seq, s.allHashes]));
  return sampled.filter((c) => {
    const theirs = setOf.get(c.report);
    return !theirs || confirmCandidate(all, bytesToHashes(theirs));
  });
}

export type IndexedReport = { seq: number; fileId: string; applicationId: string; text: string };

/**
 * R-REV-3: stores a report's fingerprints, finds its candidates among every report in the database (all
 * rounds), and verifies them exactly against reports of other applications. Pairs already stored are
 * skipped. Returns the pairs scoring at least REPORT_STORE_FLOOR with their passages (not yet stored).
 */
export async function indexAndVerify(
  prisma: Db,
  report: IndexedReport,
  prepared: ReportSketch = prepareReport(report.text),
): Promise<ReportMatch[]> {
  const hashes = signedHashes(indexHashes(prepared));
  const all = distinctHashes(prepared.fingerprints);
  // Stored before the lookup: of two instances indexing two copies at once, the later lookup sees the other.
  await storeFingerprints(prisma, [{ seq: report.seq, hashes, all }]);
  return verifyCandidates(prisma, report, prepared, await findCandidates(prisma, report.seq, hashes, all));
}

/** The exact check of candidates (by seq) of a report, as the in-memory engine did it. */
export async function verifyCandidates(
  prisma: Db,
  report: IndexedReport,
  prepared: ReportSketch,
  candidates: ReadonlyArray<{ report: number }>,
) {
  if (candidates.length === 0) return [];
  const known = await prisma.similarityMatch.findMany({
    where: { kind: "report", OR: [{ fileAId: report.fileId }, { fileBId: report.fileId }] },
    select: { fileAId: true, fileBId: true },
  });
  const knownOthers = new Set(known.map((k) => (k.fileAId === report.fileId ? k.fileBId : k.fileAId)));
  const others = await prisma.reportText.findMany({
    where: { seq: { in: candidates.map((c) => c.report) }, applicationId: { not: report.applicationId } },
    select: { fileId: true, applicationId: true, text: true },
  });
  const found: ReportMatch[] = [];
  let mine: ReturnType<typeof normalizeReport> | null = null;
  for (const other of others) {
    if (knownOthers.has(other.fileId) || other.fileId === report.fileId) continue;
    const theirsPrepared = prepareReport(other.text);
    const mineFirst = report.fileId < other.fileId;
    const similarity = mineFirst
      ? compareSketches(prepared, theirsPrepared)
      : compareSketches(theirsPrepared, prepared);
    if (similarity.score < REPORT_STORE_FLOOR) continue;
    mine ??= normalizeReport(report.text);
    const theirs = normalizeReport(other.text);
    const evidence = mineFirst ? explain(mine, theirs, similarity) : explain(theirs, mine, similarity);
    const passages = [...evidence.passages]
      .sort((x, y) => y.length - x.length)
      .slice(0, MAX_PASSAGES)
      .sort((x, y) => x.a.start - y.a.start);
    found.push({
      fileAId: mineFirst ? report.fileId : other.fileId,
      fileBId: mineFirst ? other.fileId : report.fileId,
      applicationAId: mineFirst ? report.applicationId : other.applicationId,
      applicationBId: mineFirst ? other.applicationId : report.applicationId,
      score: evidence.score,
      coverageA: evidence.coverageA,
      coverageB: evidence.coverageB,
      passages,
    });
  }
  return found;
}

/** Reports analysed before the index moved into the database (indexHashes null): up to `limit` of them. */
export async function unindexedReports(prisma: Db, limit: number): Promise<IndexedReport[]> {
  return prisma.reportText.findMany({
    where: { status: "done", indexHashes: null },
    select: { seq: true, fileId: true, applicationId: true, text: true },
    orderBy: { seq: "asc" },
    take: limit,
  });
}
