/**
 * R-REV-3: reading scanned diagnosis reports. A report page without a usable text layer (a sealed scan)
 * is rendered to an image and read by OCR.
 *
 * - Rendering: pdfjs-dist 5.6 (legacy build, the last for Node 20) draws the page on an
 *   `@napi-rs/canvas` canvas (prebuilt Skia, no system library) at OCR_DPI.
 * - OCR: PaddleOCR v4's Chinese models on `onnxruntime-node` (app/services/ocr-engine.server.ts), on the
 *   image's red channel: black print stays black, and the red seal (企业名称 around a circle, 公章 inside)
 *   turns white and is not read at all.
 * - Queue: the pages wait as OcrPage rows (one per page of each distinct file, by SHA-256, so the same
 *   scan is read once); workers in every instance claim them one at a time with FOR UPDATE SKIP LOCKED, a
 *   claim older than LEASE_MS being taken over. When a file's last page is read, the reports waiting for
 *   it (ReportText status `ocr`) go back to `pending` with an expired claim, so the similarity worker
 *   takes them up again and finds every page read (app/services/report-text.server.ts).
 */
import { performance } from "node:perf_hooks";

import type { Box, ReadLine, ReadPage } from "~/domain/similarity/report-layout.ts";
import { now } from "~/utils/clock.server.ts";
import type { Db } from "~/utils/db.server.ts";

import { logError, logger } from "./logger.server.ts";
import { readPageImage } from "./ocr-engine.server.ts";
import { objectStore } from "./storage.server.ts";
import { startWorkerLoop } from "./worker-loop.server.ts";

/** Resolution pages are rendered at for OCR (A4 at 100 dpi: 827 × 1170 pixels; 120 dpi read no better). */
export const OCR_DPI = 100;
const LEASE_MS = 5 * 60_000;
/** Lines read with a lower mean confidence than this are dropped. */
const MIN_LINE_CONFIDENCE = 0.6;

type PdfModule = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjsModule: Promise<PdfModule> | null = null;
/** pdfjs-dist's legacy build (polyfills what Node 20 lacks). */
export function pdfjs(): Promise<PdfModule> {
  pdfjsModule ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjsModule;
}

export type PdfDocument = Awaited<ReturnType<PdfModule["getDocument"]>["promise"]>;

export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const { getDocument } = await pdfjs();
  // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  return getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 })
    .promise;
}

/** One page (1-based) drawn on a white background at `dpi`, as PNG. */
export async function renderPage(pdf: PdfDocument, pageNumber: number, dpi = OCR_DPI): Promise<Buffer> {
  const { createCanvas } = await import("@napi-rs/canvas");
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js types its canvas as the DOM's; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: null, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  page.cleanup();
  return canvas.toBuffer("image/png");
}

export type OcrPageResult = {
  lines: Array<ReadLine & { confidence: number }>;
  confidence: number | null;
  seconds: number;
};

/** Reads one page image (PNG/JPEG bytes): its lines with their boxes (fractions of the page). */
export async function ocrImage(image: Buffer): Promise<OcrPageResult> {
  const started = performance.now();
  const read = await readPageImage(image);
  const lines: OcrPageResult["lines"] = [];
  for (const line of read.lines) {
    const text = line.text.trim();
    if (text === "" || line.confidence < MIN_LINE_CONFIDENCE) continue;
    lines.push({ text, box: boxOf(line.points, read.width, read.height), confidence: line.confidence });
  }
  // Reading order: top to bottom, then left to right for boxes on the same line.
  lines.sort((a, b) => (Math.abs(a.box.y - b.box.y) < a.box.h / 2 ? a.box.x - b.box.x : a.box.y - b.box.y));
  const confidence = lines.length ? lines.reduce((sum, l) => sum + l.confidence, 0) / lines.length : null;
  return { lines, confidence, seconds: (performance.now() - started) / 1000 };
}

function boxOf(points: number[][] | undefined, width: number, height: number): Box {
  if (!points || points.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  const xs = points.map((p) => p[0] ?? 0);
  const ys = points.map((p) => p[1] ?? 0);
  const x0 = Math.max(0, Math.min(...xs));
  const y0 = Math.max(0, Math.min(...ys));
  const x1 = Math.min(width, Math.max(...xs));
  const y1 = Math.min(height, Math.max(...ys));
  return { x: x0 / width, y: y0 / height, w: Math.max(0, x1 - x0) / width, h: Math.max(0, y1 - y0) / height };
}

/** Renders and reads one page of a PDF (the command line and the bench do this inline). */
export async function ocrPdfPage(
  pdf: PdfDocument,
  pageNumber: number,
  dpi = OCR_DPI,
): Promise<ReadPage & { seconds: number }> {
  const started = performance.now();
  const result = await ocrImage(await renderPage(pdf, pageNumber, dpi));
  return {
    source: "ocr",
    confidence: result.confidence,
    lines: result.lines.map(({ text, box }) => ({ text, box })),
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// The queue

type PageClaim = { id: string; sha256: string; fileId: string; page: number };

async function claimPage(prisma: Db): Promise<PageClaim | null> {
  const at = now();
  const staleBefore = new Date(at.getTime() - LEASE_MS);
  const rows = await prisma.$queryRaw<PageClaim[]>`
    UPDATE "OcrPage" SET "claimedAt" = ${at}
    WHERE id IN (SELECT id FROM "OcrPage"
                 WHERE status = 'pending' AND ("claimedAt" IS NULL OR "claimedAt" < ${staleBefore})
                 ORDER BY "createdAt", page LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, sha256, "fileId", page`;
  return rows[0] ?? null;
}

async function readStored(prisma: Db, fileId: string): Promise<Uint8Array> {
  const file = await prisma.storedFile.findUniqueOrThrow({ where: { id: fileId }, select: { key: true } });
  const chunks: Buffer[] = [];
  for await (const chunk of await objectStore().get(file.key)) chunks.push(Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

/** Reads one waiting page (if any); true when it did. */
export async function runOcrOnce(prisma: Db): Promise<boolean> {
  const claim = await claimPage(prisma);
  if (!claim) {
    await releaseWaitingReports(prisma);
    return false;
  }
  const started = performance.now();
  try {
    const pdf = await openPdf(await readStored(prisma, claim.fileId));
    try {
      const result = await ocrImage(await renderPage(pdf, claim.page));
      const seconds = (performance.now() - started) / 1000;
      await prisma.ocrPage.update({
        where: { id: claim.id },
        data: { status: "done", lines: result.lines, confidence: result.confidence, seconds, doneAt: now() },
      });
      logger().info(
        { job: "ocr", pageId: claim.id, page: claim.page, outcome: "done", durationMs: Math.round(seconds * 1000) },
        "job",
      );
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await prisma.ocrPage.update({
      where: { id: claim.id },
      data: { status: "failed", error: message, doneAt: now() },
    });
    logError(error, "job", { job: "ocr", pageId: claim.id, page: claim.page, outcome: "failed" });
  }
  const waiting = await prisma.ocrPage.count({ where: { sha256: claim.sha256, status: "pending" } });
  if (waiting === 0) {
    // Every page read: hand the reports waiting for this file back to the similarity worker at once
    // (an expired claim is taken over on its next round).
    await prisma.$executeRaw`
      UPDATE "ReportText" SET status = 'pending', "claimedAt" = ${new Date(0)}
      WHERE status = 'ocr' AND "fileId" IN (SELECT id FROM "StoredFile" WHERE sha256 = ${claim.sha256})`;
  }
  return true;
}

/**
 * Reports still marked `ocr` although nothing of their file waits any more (the last page was read by
 * another instance before this report was marked): back to the similarity worker.
 */
async function releaseWaitingReports(prisma: Db) {
  await prisma.$executeRaw`
    UPDATE "ReportText" r SET status = 'pending', "claimedAt" = ${new Date(0)}
    WHERE r.status = 'ocr' AND NOT EXISTS (
      SELECT 1 FROM "OcrPage" o JOIN "StoredFile" f ON f.sha256 = o.sha256
      WHERE f.id = r."fileId" AND o.status = 'pending')`;
}

/** Reads every waiting page (tests, maintenance); returns how many. */
export async function drainOcr(prisma: Db): Promise<number> {
  let pages = 0;
  while (await runOcrOnce(prisma)) pages++;
  return pages;
}

export function startOcrWorker(getDb: () => Promise<Db>, intervalMs = 3000) {
  return startWorkerLoop({
    name: "OCR worker",
    intervalMs,
    firstDelayMs: 1500,
    runBatch: async () => runOcrOnce(await getDb()),
  });
}
