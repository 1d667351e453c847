/**
 * R-REV-3: the copy check on any folder, with the portal's own engine.
 *
 *   npm run -s similarity -- <folder> [--threshold 0.4] [--all]
 *
 * Reads every `.pdf` and `.txt` in the folder (not its subfolders), extracts the text of the PDFs,
 * indexes them all and prints one JSON line per flagged pair, most similar first:
 *   {"a":"x.pdf","b":"y.pdf","score":0.873}
 * Files whose text cannot be read are reported on stderr (a scan without a text layer is never taken as
 * original), as is a summary. `--all` also prints on stderr a line per file.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { SimilarityIndex } from "../app/domain/similarity/index.ts";
import { FLAG_THRESHOLD } from "../app/domain/similarity/verify.ts";
import { extractReportText } from "../app/services/report-text.server.ts";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run -s similarity -- <folder> [--threshold 0.4] [--all]");
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let folder: string | undefined;
  let threshold = FLAG_THRESHOLD;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--threshold") {
      threshold = Number(args[++i]);
      if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) usage("--threshold must be a number in (0, 1]");
    } else if (arg === "--all") verbose = true;
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
  for (const name of files) {
    const bytes = await readFile(path.join(folder, name));
    const result = await extractReportText(bytes, /\.txt$/i.test(name) ? "text/plain" : "application/pdf");
    if (result.status !== "extracted") {
      unreadable++;
      const why = result.status === "no_text" ? "no text layer (a scan?): not checked, not original" : `unreadable: ${result.error}`;
      console.error(`${name}: ${why}`);
      continue;
    }
    index.add(name, result.text);
    if (verbose) console.error(`${name}: ${result.text.length} characters, ${result.pages} page(s)`);
  }
  const pairs = index.findPairs(threshold);
  for (const pair of pairs) console.log(JSON.stringify({ a: pair.a, b: pair.b, score: Math.round(pair.score * 1000) / 1000 }));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.error(`${files.length} files, ${index.reportCount} with text, ${unreadable} without; ${pairs.length} pairs at or above ${threshold} (${seconds} s)`);
}

await main();
