/**
 * R-REV-3: the copy check on any folder, with the portal's own engine.
 *
 *   npm run -s similarity -- <folder> [--threshold 0.4] [--all]
 *
 * Reads every `.pdf` and `.txt` in the folder (not its subfolders) as the portal does: the PDF's text
 * layer, and OCR for pages without one (a sealed scan; app/services/ocr.server.ts), the same cleaning
 * for both; indexes them all and prints one JSON line per flagged pair, most similar first:
 *   {"a":"x.pdf","b":"y.pdf","score":0.873}
 * On stderr, one line per file says how its text was obtained (text layer, OCR with its confidence and
 * seconds, or why it could not be read: nothing unreadable is ever taken as original), then a summary.
 * `--no-ocr` skips OCR (scans are then reported as unread).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { SimilarityIndex } from "../app/domain/similarity/index.ts";
import { FLAG_THRESHOLD } from "../app/domain/similarity/verify.ts";
import { OCR_DPI, ocrPdfPage } from "../app/services/ocr.server.ts";
import { readReport } from "../app/services/report-text.server.ts";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run -s similarity -- <folder> [--threshold 0.4] [--no-ocr]");
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let folder: string | undefined;
  let threshold = FLAG_THRESHOLD;
  let ocr = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--threshold") {
      threshold = Number(args[++i]);
      if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1)
        usage("--threshold must be a number in (0, 1]");
    } else if (arg === "--all") {
      // every file is reported on stderr anyway (kept for old scripts)
    } else if (arg === "--no-ocr") ocr = false;
    else if (arg?.startsWith("--")) usage(`unknown option ${arg}`);
    else if (folder === undefined) folder = arg;
    else usage("one folder only");
  }
  if (!folder) usage();

  const entries = await readdir(folder, { withFileTypes: true }).catch(() => usage(`cannot read folder ${folder}`));
  const files = entries
    .filter((e) => e.isFile() && /\.(pdf|txt)$/i.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));

  const started = performance.now();
  const index = new SimilarityIndex();
  let unreadable = 0;
  let scans = 0;
  for (const name of files) {
    const bytes = await readFile(path.join(folder, name));
    let ocrSeconds = 0;
    const result = await readReport(bytes, /\.txt$/i.test(name) ? "text/plain" : "application/pdf", {
      ocr: ocr
        ? async (pdf, page) => {
            const read = await ocrPdfPage(pdf, page);
            ocrSeconds += read.seconds;
            return read;
          }
        : undefined,
    });
    if (result.status !== "extracted") {
      unreadable++;
      const why =
        result.status === "needs_ocr"
          ? `scan (${result.ocrPages.length} of ${result.pages} page(s) without a text layer), OCR off: not checked, not original`
          : result.status === "no_text"
            ? `no text found (neither a text layer nor OCR): not checked, not original`
            : `unreadable: ${result.error}`;
      console.error(`${name}: ${why}`);
      continue;
    }
    index.add(name, result.text);
    const how =
      result.method === "text"
        ? "text layer"
        : `${result.method === "ocr" ? "OCR" : `text layer + OCR of ${result.ocrPages} page(s)`} at ${OCR_DPI} dpi, confidence ${Math.round((result.ocrConfidence ?? 0) * 100)}%, ${ocrSeconds.toFixed(1)} s`;
    if (result.method !== "text") scans++;
    console.error(`${name}: ${how}; ${result.text.length} characters, ${result.pages} page(s)`);
  }
  const pairs = index.findPairs(threshold);
  for (const pair of pairs)
    console.log(JSON.stringify({ a: pair.a, b: pair.b, score: Math.round(pair.score * 1000) / 1000 }));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.error(
    `${files.length} files, ${index.reportCount} with text (${scans} read by OCR), ${unreadable} without; ${pairs.length} pairs at or above ${threshold} (${seconds} s)`,
  );
}

await main();
