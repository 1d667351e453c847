/**
 * R-REV-3 item 6: the text of a diagnosis report (M8) as the similarity check reads it, with where each
 * line sits on its page (app/domain/similarity/report-layout.ts) so that matches can be shown in place.
 *
 * PDFs are read with pdfjs-dist 5.6 (legacy build: the last for Node 20) page by page. A page whose
 * text layer carries content is read from it; a page without a usable text layer (none, or only a
 * header/footer) that paints an image is a scan: it is read by OCR (app/services/ocr.server.ts). Text
 * from both goes through the same cleaning (cleanReportPages: NFKC, OCR punctuation, seal text and
 * repeated headers dropped) before it is stored, matched or shown.
 *
 * - readReport: reads a file's bytes; OCR either inline (`ocr` given: the command line, the bench) or
 *   left to the caller (`needs_ocr`, with the pages that need it).
 * - readReportText: what the portal's worker calls. The result is cached by the file's SHA-256
 *   (ReportTextCache), so the same bytes are read once; pages needing OCR are queued (OcrPage) and the
 *   answer is `ocr_queued` until every page is read.
 */
import type { Readable } from "node:stream";

import { normalizeReport } from "~/domain/similarity/normalize.ts";
import {
  assembleReport,
  type Box,
  ocrConfidence,
  parseLayout,
  type ReadLine,
  type ReadMethod,
  readMethod,
  type ReadPage,
  type ReportLayout,
} from "~/domain/similarity/report-layout.ts";
import type { Db, Prisma } from "~/utils/db.server.ts";

import { openPdf, type PdfDocument, pdfjs } from "./ocr.server.ts";
import { objectStore } from "./storage.server.ts";

export type ExtractedReport = {
  status: "extracted";
  text: string;
  pages: number;
  layout: ReportLayout;
  method: ReadMethod;
  /** Pages read by OCR, and their mean confidence (0..1; null when none). */
  ocrPages: number;
  ocrConfidence: number | null;
};

export type ReportTextResult =
  | ExtractedReport
  | { status: "no_text"; text: ""; pages: number }
  | { status: "failed"; text: ""; pages: 0; error: string };

/** Fewer content characters than this on a page (after cleaning and boilerplate) is no usable text layer. */
const MIN_PAGE_CONTENT = 40;
/** Fewer content characters than this in the whole report is no text. */
const MIN_CONTENT = 20;

type PdfPageText = { page: number; lines: ReadLine[]; content: number; paintsImage: boolean };

/** The text layer of every page, as lines with their boxes. */
async function textLayer(pdf: PdfDocument): Promise<PdfPageText[]> {
  const { OPS } = await pdfjs();
  const imageOps = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);
  const out: PdfPageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const lines: ReadLine[] = [];
    let text = "";
    let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
    const flush = () => {
      if (text.trim() !== "" && box) {
        lines.push({
          text,
          box: {
            x: box.x0 / viewport.width,
            y: box.y0 / viewport.height,
            w: (box.x1 - box.x0) / viewport.width,
            h: (box.y1 - box.y0) / viewport.height,
          },
        });
      }
      text = "";
      box = null;
    };
    for (const item of content.items) {
      if (!("str" in item)) continue;
      if (item.str !== "") {
        const [, , , , e = 0, f = 0] = item.transform;
        const height = item.height || Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0);
        const [ax, ay] = viewport.convertToViewportPoint(e, f);
        const [bx, by] = viewport.convertToViewportPoint(e + item.width, f + height);
        const b = { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) };
        box = box
          ? {
              x0: Math.min(box.x0, b.x0),
              y0: Math.min(box.y0, b.y0),
              x1: Math.max(box.x1, b.x1),
              y1: Math.max(box.y1, b.y1),
            }
          : b;
        text += item.str;
      }
      if (item.hasEOL) flush();
    }
    flush();
    const ops = await page.getOperatorList();
    const paintsImage = ops.fnArray.some((fn) => imageOps.has(fn));
    out.push({
      page: n,
      lines,
      content: normalizeReport(lines.map((l) => l.text).join("\n")).contentLength,
      paintsImage,
    });
    page.cleanup();
  }
  return out;
}

export type ReadOptions = {
  /** Reads one page (1-based) by OCR; without it, pages that need OCR are reported, not read. */
  ocr?: (pdf: PdfDocument, page: number) => Promise<ReadPage>;
};

export type ReportRead =
  | ReportTextResult
  | { status: "needs_ocr"; text: ""; pages: number; ocrPages: number[]; textPages: Map<number, ReadPage> };

/** Reads a report's bytes (see the module comment). */
export async function readReport(
  bytes: Uint8Array,
  mimeType = "application/pdf",
  options: ReadOptions = {},
): Promise<ReportRead> {
  if (mimeType.startsWith("text/")) {
    const lines = new TextDecoder("utf-8")
      .decode(bytes)
      .split(/\r?\n/)
      .map((text, i) => ({ text, box: { x: 0, y: i, w: 1, h: 1 } satisfies Box }));
    return finish([{ source: "text", confidence: null, lines }]);
  }
  if (mimeType !== "application/pdf") return { status: "no_text", text: "", pages: 0 };
  let pdf: PdfDocument;
  try {
    pdf = await openPdf(bytes);
  } catch (error) {
    return { status: "failed", text: "", pages: 0, error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const layer = await textLayer(pdf);
    const textPages = new Map<number, ReadPage>();
    const ocrPages: number[] = [];
    for (const page of layer) {
      if (page.content < MIN_PAGE_CONTENT && page.paintsImage) ocrPages.push(page.page);
      else textPages.set(page.page, { source: "text", confidence: null, lines: page.lines });
    }
    if (ocrPages.length > 0 && !options.ocr)
      return { status: "needs_ocr", text: "", pages: layer.length, ocrPages, textPages };
    const pages: ReadPage[] = [];
    for (const page of layer)
      pages.push(
        textPages.get(page.page) ??
          (options.ocr ? await options.ocr(pdf, page.page) : { source: "ocr", confidence: null, lines: [] }),
      );
    return finish(pages);
  } catch (error) {
    return { status: "failed", text: "", pages: 0, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await pdf.destroy();
  }
}

/** Joins read pages into the report's text; `no_text` when there is (almost) nothing. */
export function finish(pages: ReadPage[]): ExtractedReport | { status: "no_text"; text: ""; pages: number } {
  const { text, layout } = assembleReport(pages);
  if (normalizeReport(text).contentLength < MIN_CONTENT) return { status: "no_text", text: "", pages: pages.length };
  return {
    status: "extracted",
    text,
    pages: pages.length,
    layout,
    method: readMethod(layout),
    ocrPages: layout.pages.filter((p) => p.source === "ocr").length,
    ocrConfidence: ocrConfidence(layout.pages),
  };
}

// ---------------------------------------------------------------------------------------------------
// The portal: cached by SHA-256, OCR queued

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

function parseOcrLines(value: Prisma.JsonValue | null): ReadLine[] {
  if (!Array.isArray(value)) return [];
  const out: ReadLine[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object" || Array.isArray(item) || typeof item.text !== "string") continue;
    const box = item.box;
    if (!box || typeof box !== "object" || Array.isArray(box)) continue;
    const { x, y, w, h } = box;
    if (typeof x !== "number" || typeof y !== "number" || typeof w !== "number" || typeof h !== "number") continue;
    out.push({ text: item.text, box: { x, y, w, h } });
  }
  return out;
}

async function cache(prisma: Db, sha256: string, result: ExtractedReport) {
  await prisma.reportTextCache.upsert({
    where: { sha256 },
    create: {
      sha256,
      text: result.text,
      layout: result.layout,
      method: result.method,
      pages: result.pages,
      ocrPages: result.ocrPages,
      ocrConfidence: result.ocrConfidence,
    },
    update: {},
  });
}

/**
 * R-REV-3: the text of a stored report file for the similarity worker: from the cache, or read now
 * (text layer), or `ocr_queued` while pages of it wait for OCR.
 */
export async function readReportText(
  prisma: Db,
  fileId: string,
): Promise<ReportTextResult | { status: "ocr_queued"; text: ""; pages: number }> {
  const file = await prisma.storedFile.findUniqueOrThrow({
    where: { id: fileId },
    select: { key: true, sha256: true, contentType: true },
  });
  const cached = await prisma.reportTextCache.findUnique({ where: { sha256: file.sha256 } });
  if (cached) {
    return {
      status: "extracted",
      text: cached.text,
      pages: cached.pages,
      layout: parseLayout(cached.layout) ?? { pages: [] },
      method: cached.method === "ocr" || cached.method === "mixed" ? cached.method : "text",
      ocrPages: cached.ocrPages,
      ocrConfidence: cached.ocrConfidence,
    };
  }
  const bytes = await readAll(await objectStore().get(file.key));
  const read = await readReport(bytes, file.contentType);
  if (read.status === "extracted") {
    await cache(prisma, file.sha256, read);
    return read;
  }
  if (read.status !== "needs_ocr") return read;
  const rows = await prisma.ocrPage.findMany({
    where: { sha256: file.sha256 },
    select: { page: true, status: true, lines: true, confidence: true },
  });
  const byPage = new Map(rows.map((r) => [r.page, r]));
  const waiting = read.ocrPages.filter((n) => {
    const row = byPage.get(n);
    return !row || row.status === "pending";
  });
  if (waiting.length === 0) {
    const pages: ReadPage[] = [];
    for (let n = 1; n <= read.pages; n++) {
      const row = byPage.get(n);
      pages.push(
        read.textPages.get(n) ?? {
          source: "ocr",
          confidence: row?.confidence ?? null,
          lines: row?.status === "done" ? parseOcrLines(row.lines) : [],
        },
      );
    }
    const result = finish(pages);
    if (result.status === "extracted") await cache(prisma, file.sha256, result);
    return result;
  }
  await prisma.ocrPage.createMany({
    data: read.ocrPages
      .filter((n) => !byPage.has(n))
      .map((page) => ({ sha256: file.sha256, fileId, page, pages: read.pages })),
    skipDuplicates: true,
  });
  return { status: "ocr_queued", text: "", pages: read.pages };
}

/** The ReportText columns that say how a report's text was read. */
export function reportReading(result: ExtractedReport) {
  return { method: result.method, ocrConfidence: result.ocrConfidence, layout: result.layout };
}
