/**
 * R-REV-3: the background copy check. A worker (started by scripts/server.ts beside the mail worker)
 * looks for submitted applications whose current diagnosis report (M8) or site photos (M5) have not
 * been analysed yet — no hook in the submission code is needed — and:
 *
 * - reports: reads the text (app/services/report-text.server.ts: text layer, or OCR queued for pages
 *   without one — the report waits as `ocr` meanwhile; a PDF with no text at all is stored as `no_text`
 *   and flagged to the experts, never taken as original), indexes it with the engine of app/domain/similarity and stores
 *   every pair with another application's report scoring at least REPORT_STORE_FLOOR, with the shared
 *   passages (character ranges of both texts). Staff choose the round's flag threshold above that floor.
 * - photos: computes a 64-bit perceptual hash (sharp-phash) and reads the EXIF capture time and place
 *   (exifr), and stores every pair with another application's photo within PHOTO_MAX_DISTANCE bits.
 *
 * Claims: a worker claims a file by inserting its analysis row with status `pending` (the file id is
 * unique, so two instances cannot both insert it); a claim older than LEASE_MS (its worker died) is taken
 * over with UPDATE … FOR UPDATE SKIP LOCKED. Nothing slow runs inside a transaction (PGlite is one
 * connection).
 *
 * The index lives in each process's memory and catches up from the database before each use: every
 * report another instance analysed meanwhile is added, and the candidates adding it produces are
 * verified and stored too, so two instances analysing two copies at the same moment still find the pair.
 * Pairs are stored with the smaller file id as A, so whichever instance finds a pair first stores it and
 * the other's insert is skipped.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import exifr from "exifr";
import sharp from "sharp";
import phash from "sharp-phash";
import { SimilarityIndex } from "~/domain/similarity/index.ts";
import { normalizeReport } from "~/domain/similarity/normalize.ts";
import { bitsToHex, exifLocalTime, hammingDistance, PHOTO_MAX_DISTANCE, photoScore } from "~/domain/similarity/photo.ts";
import { compareSketches, explain, type SharedPassage } from "~/domain/similarity/verify.ts";
import { now } from "~/utils/clock.server.ts";
import type { Db } from "~/utils/db.server.ts";
import { readReportText, reportReading } from "./report-text.server.ts";
import { objectStore } from "./storage.server.ts";

/** Report pairs scoring at least this are stored (the round's threshold, ≥ this, decides what is flagged). */
export const REPORT_STORE_FLOOR = 0.2;
/** Shared passages kept per pair (the longest). */
const MAX_PASSAGES = 300;
const LEASE_MS = 10 * 60_000;

type Claim = { id: string; fileId: string; applicationId: string };

type IndexState = {
  index: SimilarityIndex;
  applicationOf: Map<string, string>;
};
const indexes = new WeakMap<Db, IndexState>();

function stateFor(prisma: Db): IndexState {
  let state = indexes.get(prisma);
  if (!state) {
    state = { index: new SimilarityIndex(), applicationOf: new Map() };
    indexes.set(prisma, state);
  }
  return state;
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

async function readFile(prisma: Db, fileId: string) {
  const file = await prisma.storedFile.findUniqueOrThrow({ where: { id: fileId } });
  return { bytes: await readAll(await objectStore().get(file.key)), contentType: file.contentType };
}

// ---------------------------------------------------------------------------------------------------
// Claims

async function claim(prisma: Db, table: "ReportText" | "PhotoFingerprint", material: "M8" | "M5", limit: number): Promise<Claim[]> {
  const at = now();
  const staleBefore = new Date(at.getTime() - LEASE_MS);
  // Take over claims whose worker died.
  const stale =
    table === "ReportText"
      ? await prisma.$queryRaw<Claim[]>`
          UPDATE "ReportText" SET "claimedAt" = ${at}
          WHERE id IN (SELECT id FROM "ReportText" WHERE status = 'pending' AND "claimedAt" < ${staleBefore}
                       ORDER BY "claimedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id, "fileId", "applicationId"`
      : await prisma.$queryRaw<Claim[]>`
          UPDATE "PhotoFingerprint" SET "claimedAt" = ${at}
          WHERE id IN (SELECT id FROM "PhotoFingerprint" WHERE status = 'pending' AND "claimedAt" < ${staleBefore}
                       ORDER BY "claimedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id, "fileId", "applicationId"`;
  // New work: current files of submitted (non-draft) applications with no analysis row yet.
  const candidates = await prisma.applicationMaterial.findMany({
    where: {
      material,
      removedAt: null,
      application: { status: { not: "draft" } },
      file: material === "M8" ? { reportText: null } : { photoFingerprint: null },
    },
    select: { fileId: true, applicationId: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  const claimed: Claim[] = [...stale];
  for (const candidate of candidates) {
    const id = randomUUID();
    const inserted =
      table === "ReportText"
        ? await prisma.$executeRaw`
            INSERT INTO "ReportText" (id, "fileId", "applicationId", status, "claimedAt")
            VALUES (${id}, ${candidate.fileId}, ${candidate.applicationId}, 'pending', ${at})
            ON CONFLICT ("fileId") DO NOTHING`
        : await prisma.$executeRaw`
            INSERT INTO "PhotoFingerprint" (id, "fileId", "applicationId", status, "claimedAt")
            VALUES (${id}, ${candidate.fileId}, ${candidate.applicationId}, 'pending', ${at})
            ON CONFLICT ("fileId") DO NOTHING`;
    if (inserted === 1) claimed.push({ id, ...candidate });
  }
  return claimed;
}

// ---------------------------------------------------------------------------------------------------
// Reports

type PendingMatch = {
  fileAId: string;
  fileBId: string;
  applicationAId: string;
  applicationBId: string;
  score: number;
  coverageA: number;
  coverageB: number;
  passages: SharedPassage[];
};

/** Indexes one report and verifies the candidates it yields against reports of other applications. */
async function indexAndVerify(prisma: Db, state: IndexState, fileId: string, applicationId: string, text: string, known: Set<string>) {
  const candidates = state.index.add(fileId, text);
  state.applicationOf.set(fileId, applicationId);
  const found: PendingMatch[] = [];
  if (candidates.length === 0) return found;
  const mine = normalizeReport(text);
  for (const candidate of candidates) {
    const otherApplication = state.applicationOf.get(candidate.docId);
    if (!otherApplication || otherApplication === applicationId) continue;
    const [fileAId, fileBId] = fileId < candidate.docId ? [fileId, candidate.docId] : [candidate.docId, fileId];
    if (known.has(`${fileAId}:${fileBId}`)) continue;
    const similarity = state.index.compare(fileAId, fileBId);
    if (similarity.score < REPORT_STORE_FLOOR) continue;
    const other = await prisma.reportText.findUnique({ where: { fileId: candidate.docId }, select: { text: true } });
    if (!other) continue;
    const theirs = normalizeReport(other.text);
    const evidence = fileAId === fileId ? explain(mine, theirs, similarity) : explain(theirs, mine, similarity);
    const passages = [...evidence.passages].sort((x, y) => y.length - x.length).slice(0, MAX_PASSAGES).sort((x, y) => x.a.start - y.a.start);
    found.push({
      fileAId,
      fileBId,
      applicationAId: fileAId === fileId ? applicationId : otherApplication,
      applicationBId: fileAId === fileId ? otherApplication : applicationId,
      score: evidence.score,
      coverageA: evidence.coverageA,
      coverageB: evidence.coverageB,
      passages,
    });
    known.add(`${fileAId}:${fileBId}`);
  }
  return found;
}

async function storeMatches(prisma: Db, kind: "report" | "photo", matches: PendingMatch[]) {
  if (matches.length === 0) return;
  await prisma.similarityMatch.createMany({
    data: matches.map((m) => ({
      kind,
      fileAId: m.fileAId,
      fileBId: m.fileBId,
      applicationAId: m.applicationAId,
      applicationBId: m.applicationBId,
      score: m.score,
      coverageA: kind === "report" ? m.coverageA : null,
      coverageB: kind === "report" ? m.coverageB : null,
      passages: kind === "report" ? m.passages : undefined,
      createdAt: now(),
    })),
    skipDuplicates: true,
  });
}

async function knownPairs(prisma: Db, kind: "report" | "photo"): Promise<Set<string>> {
  const rows = await prisma.similarityMatch.findMany({ where: { kind }, select: { fileAId: true, fileBId: true } });
  return new Set(rows.map((r) => `${r.fileAId}:${r.fileBId}`));
}

/** Brings this process's index up to date with every report analysed so far (by any instance). */
async function catchUp(prisma: Db, state: IndexState, known: Set<string>) {
  const rows = await prisma.reportText.findMany({ where: { status: "done" }, select: { fileId: true, applicationId: true }, orderBy: { analysedAt: "asc" } });
  const missing = rows.filter((r) => !state.index.has(r.fileId));
  for (let i = 0; i < missing.length; i += 50) {
    const batch = await prisma.reportText.findMany({
      where: { fileId: { in: missing.slice(i, i + 50).map((r) => r.fileId) } },
      select: { fileId: true, applicationId: true, text: true },
    });
    for (const row of batch) {
      if (state.index.has(row.fileId)) continue;
      await storeMatches(prisma, "report", await indexAndVerify(prisma, state, row.fileId, row.applicationId, row.text, known));
      await new Promise((resolve) => setImmediate(resolve)); // let requests through between reports
    }
  }
}

async function analyseReport(prisma: Db, state: IndexState, item: Claim, known: Set<string>) {
  // Text layer, cache by SHA-256, or OCR queued (app/services/report-text.server.ts).
  let result: Awaited<ReturnType<typeof readReportText>>;
  try {
    result = await readReportText(prisma, item.fileId);
  } catch (error) {
    result = { status: "failed", text: "", pages: 0, error: error instanceof Error ? error.message : String(error) };
  }
  if (result.status !== "extracted") {
    await prisma.reportText.update({
      where: { id: item.id },
      data: { status: result.status === "ocr_queued" ? "ocr" : result.status, pages: result.pages, error: result.status === "failed" ? result.error.slice(0, 500) : null, analysedAt: result.status === "ocr_queued" ? null : now() },
    });
    return;
  }
  await catchUp(prisma, state, known);
  const matches = state.index.has(item.fileId) ? [] : await indexAndVerify(prisma, state, item.fileId, item.applicationId, result.text, known);
  await prisma.reportText.update({
    where: { id: item.id },
    data: {
      status: "done",
      text: result.text,
      contentLength: normalizeReport(result.text).contentLength,
      pages: result.pages,
      ...reportReading(result),
      analysedAt: now(),
    },
  });
  // After the row is done, so that the match never names a report another instance cannot read.
  await storeMatches(prisma, "report", matches);
}

// ---------------------------------------------------------------------------------------------------
// Photos

export type PhotoFacts = { hash: string | null; takenAtLocal: string | null; latitude: number | null; longitude: number | null };

/** R-REV-3 items 3–4: the perceptual hash and the EXIF capture time and place of a photo. */
export async function photoFacts(bytes: Uint8Array): Promise<PhotoFacts> {
  // A near-uniform image (a blank, a solid colour) has no structure to compare: every two of them would
  // "match". It gets no hash and is never paired.
  const stats = await sharp(Buffer.from(bytes)).stats();
  const flat = stats.channels.every((channel) => channel.stdev < 4);
  const hash = flat ? null : bitsToHex(await phash(Buffer.from(bytes)));
  let takenAtLocal: string | null = null;
  let latitude: number | null = null;
  let longitude: number | null = null;
  try {
    const tags: unknown = await exifr.parse(Buffer.from(bytes), { pick: ["DateTimeOriginal", "CreateDate"], reviveValues: false });
    if (tags && typeof tags === "object") {
      takenAtLocal = exifLocalTime(Reflect.get(tags, "DateTimeOriginal")) ?? exifLocalTime(Reflect.get(tags, "CreateDate"));
    }
    const gps: unknown = await exifr.gps(Buffer.from(bytes)).catch(() => undefined);
    if (gps && typeof gps === "object") {
      const lat: unknown = Reflect.get(gps, "latitude");
      const lon: unknown = Reflect.get(gps, "longitude");
      if (typeof lat === "number" && typeof lon === "number" && Number.isFinite(lat) && Number.isFinite(lon)) {
        latitude = lat;
        longitude = lon;
      }
    }
  } catch {
    // no EXIF, or unreadable: nothing to show
  }
  return { hash, takenAtLocal, latitude, longitude };
}

async function analysePhoto(prisma: Db, item: Claim) {
  let facts: PhotoFacts;
  try {
    const { bytes, contentType } = await readFile(prisma, item.fileId);
    if (!contentType.startsWith("image/")) throw new Error(`not an image (${contentType})`);
    facts = await photoFacts(bytes);
  } catch (error) {
    await prisma.photoFingerprint.update({
      where: { id: item.id },
      data: { status: "failed", error: (error instanceof Error ? error.message : String(error)).slice(0, 500), analysedAt: now() },
    });
    return;
  }
  await prisma.photoFingerprint.update({
    where: { id: item.id },
    data: {
      status: "done",
      hash: facts.hash,
      takenAtLocal: facts.takenAtLocal,
      takenOn: facts.takenAtLocal?.slice(0, 10) ?? null,
      latitude: facts.latitude,
      longitude: facts.longitude,
      analysedAt: now(),
    },
  });
  if (!facts.hash) return;
  const hash = facts.hash;
  // Compare with every other application's photos (64-bit hashes: a linear scan of 10,000 takes ~1 ms).
  const others = await prisma.photoFingerprint.findMany({
    where: { status: "done", applicationId: { not: item.applicationId }, hash: { not: null } },
    select: { fileId: true, applicationId: true, hash: true },
  });
  const matches: PendingMatch[] = [];
  for (const other of others) {
    if (!other.hash) continue;
    const distance = hammingDistance(hash, other.hash);
    if (distance > PHOTO_MAX_DISTANCE) continue;
    const mineFirst = item.fileId < other.fileId;
    matches.push({
      fileAId: mineFirst ? item.fileId : other.fileId,
      fileBId: mineFirst ? other.fileId : item.fileId,
      applicationAId: mineFirst ? item.applicationId : other.applicationId,
      applicationBId: mineFirst ? other.applicationId : item.applicationId,
      score: photoScore(distance),
      coverageA: 0,
      coverageB: 0,
      passages: [],
    });
  }
  await storeMatches(prisma, "photo", matches);
}

// ---------------------------------------------------------------------------------------------------
// The worker

/** Analyses what is waiting (up to the limits); returns how many reports and photos it analysed. */
export async function runSimilarityOnce(prisma: Db, limits: { reports?: number; photos?: number } = {}) {
  const state = stateFor(prisma);
  const reports = await claim(prisma, "ReportText", "M8", limits.reports ?? 5);
  if (reports.length > 0) {
    const known = await knownPairs(prisma, "report");
    for (const item of reports) await analyseReport(prisma, state, item, known);
  }
  const photos = await claim(prisma, "PhotoFingerprint", "M5", limits.photos ?? 20);
  for (const item of photos) await analysePhoto(prisma, item);
  return { reports: reports.length, photos: photos.length };
}

/** Runs until nothing is waiting (tests, maintenance). */
export async function drainSimilarity(prisma: Db) {
  const total = { reports: 0, photos: 0 };
  for (;;) {
    const done = await runSimilarityOnce(prisma);
    total.reports += done.reports;
    total.photos += done.photos;
    if (done.reports === 0 && done.photos === 0) return total;
  }
}

export function startSimilarityWorker(getDb: () => Promise<Db>, intervalMs = 5000) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = (async () => {
      const prisma = await getDb();
      // Keep going while there is work, a batch at a time.
      for (;;) {
        if (stopped) return;
        const done = await runSimilarityOnce(prisma);
        if (done.reports === 0 && done.photos === 0) return;
      }
    })().catch((error: unknown) => {
      console.warn("similarity worker:", error instanceof Error ? error.message : error);
    });
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, 1000);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
