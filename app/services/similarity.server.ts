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
 * The index lives in the database, shared by every instance (similarity-index.server.ts): a report's
 * fingerprints are stored before its candidates are looked up, so two instances analysing two copies at
 * the same moment still find the pair, and the pair's unique key stores it once. Nothing is kept in
 * the process and start-up reads nothing; reports analysed before the index moved into the database
 * are indexed by the worker once, a batch at a time.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";

import exifr from "exifr";
import sharp from "sharp";
import phash from "sharp-phash";

import { normalizeReport } from "~/domain/similarity/normalize.ts";
import {
  bitsToHex,
  exifLocalTime,
  hammingDistance,
  PHOTO_MAX_DISTANCE,
  photoScore,
} from "~/domain/similarity/photo.ts";
import { now } from "~/utils/clock.server.ts";
import type { Db } from "~/utils/db.server.ts";

import { logger } from "./logger.server.ts";
import { readReportText, reportReading } from "./report-text.server.ts";
import { indexAndVerify, type ReportMatch, unindexedReports } from "./similarity-index.server.ts";
import { objectStore } from "./storage.server.ts";
import { startWorkerLoop } from "./worker-loop.server.ts";

export { REPORT_STORE_FLOOR } from "./similarity-index.server.ts";
const LEASE_MS = 10 * 60_000;

type Claim = { id: string; fileId: string; applicationId: string };

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

async function claim(
  prisma: Db,
  table: "ReportText" | "PhotoFingerprint",
  material: "M8" | "M5",
  limit: number,
): Promise<Claim[]> {
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

type PendingMatch = ReportMatch;

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

async function analyseReport(prisma: Db, item: Claim) {
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
      data: {
        status: result.status === "ocr_queued" ? "ocr" : result.status,
        pages: result.pages,
        error: result.status === "failed" ? result.error.slice(0, 500) : null,
        analysedAt: result.status === "ocr_queued" ? null : now(),
      },
    });
    return;
  }
  // The text first: once the fingerprints are stored another instance may verify against it.
  const { seq } = await prisma.reportText.update({
    where: { id: item.id },
    data: {
      text: result.text,
      contentLength: normalizeReport(result.text).contentLength,
      pages: result.pages,
      ...reportReading(result),
    },
    select: { seq: true },
  });
  const matches = await indexAndVerify(prisma, {
    seq,
    fileId: item.fileId,
    applicationId: item.applicationId,
    text: result.text,
  });
  await prisma.reportText.update({ where: { id: item.id }, data: { status: "done", analysedAt: now() } });
  // After the row is done, so that the match never names a report another instance cannot read.
  await storeMatches(prisma, "report", matches);
}

/** Indexes (once) reports analysed before the index moved into the database. */
async function indexEarlierReports(prisma: Db, limit: number): Promise<number> {
  const reports = await unindexedReports(prisma, limit);
  for (const report of reports) await storeMatches(prisma, "report", await indexAndVerify(prisma, report));
  return reports.length;
}

// ---------------------------------------------------------------------------------------------------
// Photos

export type PhotoFacts = {
  hash: string | null;
  takenAtLocal: string | null;
  latitude: number | null;
  longitude: number | null;
};

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
    const tags: unknown = await exifr.parse(Buffer.from(bytes), {
      pick: ["DateTimeOriginal", "CreateDate"],
      reviveValues: false,
    });
    if (tags && typeof tags === "object") {
      takenAtLocal =
        exifLocalTime(Reflect.get(tags, "DateTimeOriginal")) ?? exifLocalTime(Reflect.get(tags, "CreateDate"));
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
      data: {
        status: "failed",
        error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        analysedAt: now(),
      },
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
  const reports = await claim(prisma, "ReportText", "M8", limits.reports ?? 5);
  for (const item of reports) await analyseReport(prisma, item);
  const earlier = reports.length < (limits.reports ?? 5) ? await indexEarlierReports(prisma, limits.reports ?? 5) : 0;
  const photos = await claim(prisma, "PhotoFingerprint", "M5", limits.photos ?? 20);
  for (const item of photos) await analysePhoto(prisma, item);
  return { reports: reports.length + earlier, photos: photos.length };
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

/** Analyses what waits in the background until stopped, a batch at a time while there is work. */
export function startSimilarityWorker(getDb: () => Promise<Db>, intervalMs = 5000) {
  return startWorkerLoop({
    name: "similarity worker",
    intervalMs,
    firstDelayMs: 1000,
    runBatch: async () => {
      const started = performance.now();
      const done = await runSimilarityOnce(await getDb());
      if (done.reports === 0 && done.photos === 0) return false;
      logger().info({ job: "similarity", ...done, durationMs: Math.round(performance.now() - started) }, "job");
      return true;
    },
  });
}
