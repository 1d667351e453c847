/**
 * R-REV-3 ("the expert must point to the evidence"): where each line of a report's text sits on its
 * page, so that the passages the copy check matched can be highlighted in the report itself, for a PDF
 * with a text layer and for a scan read by OCR alike.
 *
 * A report is read page by page into lines, each with its box on the page (from the PDF's text layer,
 * or from the OCR engine). assembleReport cleans the lines (cleanReportPages: NFKC, OCR punctuation,
 * seal text and repeated headers dropped) and joins them into the report's text, one line per line,
 * recording for each kept line its range in the text. highlightBoxes turns ranges of the text (the
 * shared passages) back into boxes on pages.
 */
import type { TextRange } from "./evidence.ts";
import { cleanReportPages } from "./normalize.ts";

/** A rectangle as fractions of the page (0..1), origin at the top left, as the page is shown. */
export type Box = { x: number; y: number; w: number; h: number };

/** How a page's text was obtained. */
export type PageSource = "text" | "ocr";

export type PageLine = { start: number; end: number; box: Box };
export type PageLayout = {
  source: PageSource;
  /** OCR: mean confidence of the page's lines, 0..1. */ confidence: number | null;
  lines: PageLine[];
};
export type ReportLayout = { pages: PageLayout[] };

export type ReadLine = { text: string; box: Box };
export type ReadPage = { source: PageSource; confidence: number | null; lines: ReadLine[] };

/** How the report's text was obtained, as a whole. */
export type ReadMethod = "text" | "ocr" | "mixed";

export function readMethod(layout: ReportLayout): ReadMethod {
  const ocr = layout.pages.filter((p) => p.source === "ocr").length;
  if (ocr === 0) return "text";
  return ocr === layout.pages.length ? "ocr" : "mixed";
}

/** Mean OCR confidence over the OCR'd pages (weighted by lines), or null when no page was OCR'd. */
export function ocrConfidence(
  pages: readonly { source: PageSource; confidence: number | null; lines: readonly unknown[] }[],
): number | null {
  let sum = 0;
  let weight = 0;
  for (const page of pages) {
    if (page.source !== "ocr" || page.confidence === null) continue;
    const w = Math.max(1, page.lines.length);
    sum += page.confidence * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
}

/** R-REV-3: the report's text and where each of its lines sits (see the module comment). */
export function assembleReport(pages: readonly ReadPage[]): { text: string; layout: ReportLayout } {
  const cleaned = cleanReportPages(
    pages.map((page) => page.lines.map((line) => ({ text: line.text, data: line.box }))),
  );
  let text = "";
  const layout: ReportLayout = { pages: [] };
  cleaned.forEach((lines, i) => {
    const source = pages[i]?.source ?? "text";
    const confidence = pages[i]?.confidence ?? null;
    const out: PageLine[] = [];
    for (const line of lines) {
      if (text !== "") text += "\n";
      const start = text.length;
      text += line.text;
      out.push({ start, end: text.length, box: line.data });
    }
    layout.pages.push({ source, confidence, lines: out });
  });
  return { text, layout };
}

export type Highlight = { page: number; box: Box; passage: number };

/** A highlight as the viewer shows it: `id` names the passage, shared with the list that jumps to it. */
export type PassageHighlight = { page: number; box: Box; id: string };

/** The id of the k-th passage (in the copy-check panel's order) of a match, shared by the list and the viewer. */
export function passageId(matchId: string, k: number): string {
  return `${matchId}:${k}`;
}

/** highlightBoxes with each passage named by `ids[passage]`. */
export function passageHighlights(
  layout: ReportLayout,
  passages: ReadonlyArray<{ id: string; range: TextRange }>,
): PassageHighlight[] {
  return highlightBoxes(
    layout,
    passages.map((p) => p.range),
  ).map((h) => ({ page: h.page, box: h.box, id: passages[h.passage]?.id ?? "" }));
}

/**
 * R-REV-3: the boxes on pages (0-based page index) covering the given ranges of the text; a range that
 * covers part of a line gets the matching part of the line's box (characters taken as equally wide).
 * `passage` is the index of the range the box belongs to.
 */
export function highlightBoxes(layout: ReportLayout, ranges: readonly TextRange[]): Highlight[] {
  const out: Highlight[] = [];
  ranges.forEach((range, passage) => {
    layout.pages.forEach((page, pageIndex) => {
      for (const line of page.lines) {
        const start = Math.max(range.start, line.start);
        const end = Math.min(range.end, line.end);
        if (end <= start) continue;
        const length = Math.max(1, line.end - line.start);
        const from = (start - line.start) / length;
        const to = (end - line.start) / length;
        out.push({
          page: pageIndex,
          passage,
          box: { x: line.box.x + line.box.w * from, y: line.box.y, w: line.box.w * (to - from), h: line.box.h },
        });
      }
    });
  });
  return out;
}

/** Whether a JSON value read from the database is a ReportLayout (it is stored by this module only). */
export function parseLayout(value: unknown): ReportLayout | null {
  if (!value || typeof value !== "object" || !("pages" in value) || !Array.isArray(value.pages)) return null;
  const pages: PageLayout[] = [];
  const list: unknown[] = value.pages;
  for (const page of list) {
    if (!page || typeof page !== "object" || !("lines" in page) || !Array.isArray(page.lines)) return null;
    const source: PageSource = "source" in page && page.source === "ocr" ? "ocr" : "text";
    const confidence = "confidence" in page && typeof page.confidence === "number" ? page.confidence : null;
    const lines: PageLine[] = [];
    const rows: unknown[] = page.lines;
    for (const line of rows) {
      if (!line || typeof line !== "object" || !("start" in line) || !("end" in line) || !("box" in line)) continue;
      const box = line.box;
      if (typeof line.start !== "number" || typeof line.end !== "number" || !box || typeof box !== "object") continue;
      const x = "x" in box ? box.x : null;
      const y = "y" in box ? box.y : null;
      const w = "w" in box ? box.w : null;
      const h = "h" in box ? box.h : null;
      if (typeof x !== "number" || typeof y !== "number" || typeof w !== "number" || typeof h !== "number") continue;
      lines.push({ start: line.start, end: line.end, box: { x, y, w, h } });
    }
    pages.push({ source, confidence, lines });
  }
  return { pages };
}
