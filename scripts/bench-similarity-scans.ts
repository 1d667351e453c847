/**
 * R-REV-3 bench, scanned reports (called by scripts/bench-similarity.ts): a small corpus of reports as
 * providers send them — PDFs typeset in varied layouts, and the same PDFs printed, sealed with one and
 * the same enterprise's red seal and scanned (rasterised at 150 dpi, slightly turned, speckled, no text
 * layer) — read exactly as the portal reads them (app/services/report-text.server.ts: text layer, OCR of
 * pages without one, one cleaning for both) and checked with the portal's engine.
 *
 * Families: a typed original whose copy is a scan; a scanned original whose copy is typed; both
 * scanned; both typed (another layout); and distinct originals, scanned, that share only the seal,
 * the heading and the rubric's section titles (they must not be flagged).
 *
 * Measures: recall and precision over all pairs of the corpus and over the pairs with a scan in them,
 * OCR seconds per A4 page at the resolution used (and CPU seconds), and the character error rate of
 * OCR against the text layer of the PDF the scan was made from (content characters, after cleaning).
 */
import { performance } from "node:perf_hooks";

import { SimilarityIndex } from "../app/domain/similarity/index.ts";
import { normalizeReport } from "../app/domain/similarity/normalize.ts";
import { FLAG_THRESHOLD } from "../app/domain/similarity/verify.ts";
import { OCR_DPI, ocrPdfPage } from "../app/services/ocr.server.ts";
import { readReport } from "../app/services/report-text.server.ts";
import { env } from "../app/utils/env.server.ts";
import { scanReport, typesetReport } from "./scan-corpus.ts";
import { deriveCopy, makeOriginal, mulberry32, pairKey, type Report, truthShares } from "./similarity-corpus.ts";

export type ScanBenchResult = {
  recall: number;
  precision: number;
  scanRecall: number;
  scanPrecision: number;
  ocrSecondsPerPage: number;
  ocrCpuSecondsPerPage: number;
  cer: number;
  distinctFlagged: number;
};

/** The report's text as its author typed it: headings and whole paragraphs. */
export function reportText(report: Report): string {
  return report.blocks.map((b) => (b.kind === "line" ? b.text : b.sentences.map((s) => s.text).join(""))).join("\n");
}

/** Levenshtein distance (two rows). */
function editDistance(a: string, b: string): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

const content = (text: string) => normalizeReport(text).text.replace(/\n/g, "");

type Doc = { name: string; report: Report; scanned: boolean; layout: number };

export async function benchScans(
  options: { chars?: number; log?: (line: string) => void } = {},
): Promise<ScanBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const chars = options.chars ?? 450;
  const rng = mulberry32(20261130);
  const pool = [[{ id: 8_800_000, text: "按照企业出题、专家答题、政府助力的工作思路开展诊断服务。" }]];
  const seal = "淄博恒泰陶瓷有限公司";
  const docs: Doc[] = [];
  const original = (family: number) => makeOriginal(rng, chars, family, pool);
  const copyOf = (r: Report) => deriveCopy(rng, deriveCopy(rng, r, "names_swapped", pool), "replaced", pool);
  // 0: typed original, scanned copy
  const f0 = original(0);
  docs.push(
    { name: "f0-original-typed", report: f0, scanned: false, layout: 0 },
    { name: "f0-copy-scanned", report: copyOf(f0), scanned: true, layout: 1 },
  );
  // 1: scanned original, typed copy
  const f1 = original(1);
  docs.push(
    { name: "f1-original-scanned", report: f1, scanned: true, layout: 2 },
    { name: "f1-copy-typed", report: copyOf(f1), scanned: false, layout: 3 },
  );
  // 2: both scanned
  const f2 = original(2);
  docs.push(
    { name: "f2-original-scanned", report: f2, scanned: true, layout: 3 },
    { name: "f2-copy-scanned", report: deriveCopy(rng, f2, "reordered", pool), scanned: true, layout: 0 },
  );
  // 3: both typed, other layouts
  const f3 = original(3);
  docs.push(
    { name: "f3-original-typed", report: f3, scanned: false, layout: 1 },
    { name: "f3-copy-typed", report: deriveCopy(rng, f3, "mixed", pool), scanned: false, layout: 2 },
  );
  // 4, 5: distinct originals, scanned with the same seal: they share the seal, heading and section titles only
  docs.push(
    { name: "f4-distinct-scanned", report: original(4), scanned: true, layout: 0 },
    { name: "f5-distinct-scanned", report: original(5), scanned: true, layout: 2 },
  );

  const index = new SimilarityIndex();
  let ocrPages = 0;
  let ocrSeconds = 0;
  let ocrCpu = 0;
  let errors = 0;
  let reference = 0;
  for (const [i, doc] of docs.entries()) {
    const typed = await typesetReport(reportText(doc.report), doc.layout);
    let bytes = typed;
    if (doc.scanned) bytes = await scanReport(typed, { seed: 1000 + i, seal });
    const started = performance.now();
    const read = await readReport(bytes, "application/pdf", {
      ocr: async (pdf, page) => {
        const cpu = process.cpuUsage();
        const result = await ocrPdfPage(pdf, page);
        const used = process.cpuUsage(cpu);
        ocrPages++;
        ocrSeconds += result.seconds;
        ocrCpu += (used.user + used.system) / 1e6;
        return result;
      },
    });
    if (read.status !== "extracted") throw new Error(`${doc.name}: ${read.status}`);
    index.add(String(i), read.text);
    let note = "";
    if (doc.scanned) {
      const source = await readReport(typed);
      if (source.status !== "extracted") throw new Error(`${doc.name}: its typed PDF has no text`);
      const want = content(source.text);
      const got = content(read.text);
      const distance = editDistance(want, got);
      errors += distance;
      reference += want.length;
      note = `, OCR confidence ${Math.round((read.ocrConfidence ?? 0) * 100)}%, CER ${((distance / Math.max(1, want.length)) * 100).toFixed(2)}%, seal text read: ${/公章|恒泰陶瓷有限公司/.test(read.text) ? "yes" : "no"}`;
    }
    log(
      `  ${doc.name.padEnd(22)} ${read.method.padEnd(5)} ${read.pages} page(s), ${read.text.length} characters, ${((performance.now() - started) / 1000).toFixed(1)} s${note}`,
    );
  }

  const truth = truthShares(docs.map((d) => d.report));
  const flagged = new Map(index.findPairs(FLAG_THRESHOLD).map((p) => [pairKey(Number(p.a), Number(p.b)), p.score]));
  const tally = (withScan: boolean) => {
    let positives = 0;
    let found = 0;
    let falseFlags = 0;
    for (let a = 0; a < docs.length; a++) {
      for (let b = a + 1; b < docs.length; b++) {
        if (withScan && !docs[a]?.scanned && !docs[b]?.scanned) continue;
        const key = pairKey(a, b);
        const share = truth.get(key) ?? 0;
        if (share >= 0.5) {
          positives++;
          if (flagged.has(key)) found++;
        } else if (share < 0.3 && flagged.has(key)) falseFlags++;
      }
    }
    return {
      recall: positives ? found / positives : 1,
      precision: found + falseFlags ? found / (found + falseFlags) : 1,
      positives,
      found,
      falseFlags,
    };
  };
  const all = tally(false);
  const scans = tally(true);
  let distinctFlagged = 0;
  for (const [key, score] of flagged) {
    const [a, b] = key.split(":").map(Number);
    const share = truth.get(key) ?? 0;
    if (share < 0.3) {
      distinctFlagged++;
      log(`  false flag: ${docs[a ?? 0]?.name} / ${docs[b ?? 0]?.name} score ${score.toFixed(3)}`);
    }
  }
  for (const [key, share] of truth) {
    if (share < 0.5) continue;
    const [a, b] = key.split(":").map(Number);
    log(
      `  copy pair ${docs[a ?? 0]?.name} / ${docs[b ?? 0]?.name}: share ${share.toFixed(2)}, ${flagged.has(key) ? `flagged at ${flagged.get(key)?.toFixed(3)}` : "MISSED"}`,
    );
  }
  const perPage = ocrPages ? ocrSeconds / ocrPages : 0;
  const cpuPerPage = ocrPages ? ocrCpu / ocrPages : 0;
  const cer = reference ? errors / reference : 0;
  log(
    `scans: ${docs.length} reports (${docs.filter((d) => d.scanned).length} scanned, ${ocrPages} pages OCR'd at ${OCR_DPI} dpi): ` +
      `recall ${all.recall.toFixed(3)} precision ${all.precision.toFixed(3)} over all pairs (${all.positives} copies); ` +
      `pairs with a scan: recall ${scans.recall.toFixed(3)} precision ${scans.precision.toFixed(3)} (${scans.positives} copies); ` +
      `distinct reports sharing only seal and headings flagged: ${distinctFlagged}`,
  );
  log(
    `OCR: ${perPage.toFixed(1)} s per A4 page wall-clock (${cpuPerPage.toFixed(1)} CPU s per page, ${env().OCR_THREADS} thread${env().OCR_THREADS > 1 ? "s" : ""} a model, OCR_THREADS), character error rate ${(cer * 100).toFixed(2)}% against the source PDF's text`,
  );
  return {
    recall: all.recall,
    precision: all.precision,
    scanRecall: scans.recall,
    scanPrecision: scans.precision,
    ocrSecondsPerPage: perPage,
    ocrCpuSecondsPerPage: cpuPerPage,
    cer,
    distinctFlagged,
  };
}
