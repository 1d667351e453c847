/**
 * R-REV-3 bench: quality and speed of the report-similarity engine (app/domain/similarity).
 *
 *   npm run bench:similarity            (tsx scripts/bench-similarity.ts [--reports 2000] [--chars 20000]
 *                                        [--index-sample 8])
 *
 * 1. Generates its own corpus (seeded, so every run is the same): distinct diagnosis-report-like
 *    originals built from word lists, plus derived copies — verbatim, sentences reordered, 10–40% of
 *    sentences replaced, company names swapped, boilerplate inserted, and a mix of these. Every report is
 *    re-typeset (its own line width, page numbers, running title, sometimes full-width digits), as two
 *    PDFs of the same text would be. Each sentence carries an id, so the share of text any two reports
 *    have in common is known exactly.
 * 2. Indexes all reports (normalize + fingerprint in worker threads on both cores, then the index and the
 *    exact check of candidates) and times it; peak memory is the process's VmHWM.
 * 3. Scores the flagged pairs against the truth: positives are pairs sharing ≥ 50% of the smaller
 *    report's text; a flag on a pair sharing < 30% is a false positive; pairs in between are "grey" (a
 *    sibling of two heavily edited copies of the same original): reported, not scored.
 * 4. Runs the exhaustive pairwise comparison on a sample and extrapolates to all pairs.
 * 5. Scanned reports (scripts/bench-similarity-scans.ts): a small corpus of PDFs typeset in varied
 *    layouts and sealed scans made from them, read as the portal reads them (OCR for pages without a
 *    text layer); recall and precision with scans, OCR seconds per page and character error rate.
 *    `--scan-only` runs this part alone; `--no-scans` skips it.
 *
 * Last line: RESULT recall=<x> precision=<x> seconds_2000=<n> peak_mb=<n> speedup=<x>
 *            scan_recall=<x> scan_precision=<x> ocr_s_per_page=<n> ocr_cer=<x>
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

import type { ReportSketch } from "../app/domain/similarity/fingerprint.ts";
import { CANDIDATE_THRESHOLD, INDEX_SAMPLE, prepareReport, SimilarityIndex } from "../app/domain/similarity/index.ts";
import { compareSketches, FLAG_THRESHOLD } from "../app/domain/similarity/verify.ts";
import { benchScans } from "./bench-similarity-scans.ts";
import { generateCorpus, pairKey, truthShares } from "./similarity-corpus.ts";

// ---------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------

function peakMb(): number {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (match?.[1]) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux: fall back to the current resident set
  }
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

type Prepared = { index: number; sketch: ReportSketch };

/** Normalize and fingerprint all texts, split across worker threads. */
async function prepareAll(texts: string[], threads: number): Promise<ReportSketch[]> {
  if (threads <= 1) return texts.map((t) => prepareReport(t));
  const out: ReportSketch[] = new Array(texts.length);
  const chunk = Math.ceil(texts.length / threads);
  await Promise.all(
    Array.from({ length: threads }, (_, w) => {
      const start = w * chunk;
      const slice = texts.slice(start, start + chunk);
      return new Promise<void>((resolve, reject) => {
        // Workers do not inherit tsx's loader on Node 20: the worker loads this file through tsx's API.
        const api = JSON.stringify(new URL(import.meta.resolve("tsx/esm/api")).href);
        const self = JSON.stringify(import.meta.url);
        const worker = new Worker(`import(${api}).then((tsx) => tsx.tsImport(${self}, ${self}))`, {
          eval: true,
          workerData: { texts: slice },
        });
        worker.on("message", (batch: Prepared[]) => {
          for (const p of batch) out[start + p.index] = p.sketch;
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      });
    }),
  );
  return out;
}

function workerMain() {
  const data: unknown = workerData;
  if (!data || typeof data !== "object" || !("texts" in data) || !Array.isArray(data.texts))
    throw new Error("bad worker data");
  const texts: unknown[] = data.texts;
  const BATCH = 50;
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch: Prepared[] = [];
    for (let j = i; j < Math.min(texts.length, i + BATCH); j++) {
      const text = texts[j];
      const sketch = prepareReport(typeof text === "string" ? text : "");
      batch.push({ index: j, sketch });
    }
    parentPort?.postMessage(batch); // typed arrays are copied: small next to the text
  }
}

const fmt = (x: number, digits = 3) => x.toFixed(digits);

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(args[i + 1]) : fallback;
    return Number.isFinite(value) ? value : fallback;
  };
  const count = arg("reports", 2000);
  const chars = arg("chars", 20000);
  const sample = Math.min(count, arg("sample", 200));
  const threads = Math.max(1, Math.min(arg("threads", 2), availableParallelism()));
  const indexSample = arg("index-sample", INDEX_SAMPLE);
  const candidateThreshold = arg("candidate-threshold", CANDIDATE_THRESHOLD);
  if (args.includes("--scan-only")) {
    const scans = await benchScans();
    console.log(scanResult(scans));
    return;
  }

  let t = performance.now();
  const corpus = generateCorpus(20221220, count, chars);
  const totalChars = corpus.texts.reduce((n, s) => n + s.length, 0);
  console.log(
    `corpus: ${count} reports, ${(totalChars / count).toFixed(0)} characters on average, generated in ${fmt((performance.now() - t) / 1000, 1)} s`,
  );
  const byKind = new Map<string, number>();
  for (const r of corpus.reports) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  console.log(`  ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}`);

  // --- the timed part: raw text in, verified pairs out ---
  const rssBefore = peakMb();
  t = performance.now();
  const sketches = await prepareAll(corpus.texts, threads);
  const tPrepared = performance.now();
  const index = new SimilarityIndex({ sample: indexSample, candidateThreshold });
  sketches.forEach((s, i) => index.addPrepared(String(i), s));
  const tIndexed = performance.now();
  const pairs = index.findPairs(FLAG_THRESHOLD);
  const tDone = performance.now();
  const seconds = (tDone - t) / 1000;
  console.log(
    `indexing ${count} reports (${threads} thread${threads > 1 ? "s" : ""}): normalize+fingerprint ${fmt((tPrepared - t) / 1000, 2)} s, ` +
      `index ${fmt((tIndexed - tPrepared) / 1000, 2)} s, exact check of ${index.candidatePairs().length} candidates ${fmt((tDone - tIndexed) / 1000, 2)} s ` +
      `→ ${pairs.length} flagged pairs in ${fmt(seconds, 2)} s`,
  );

  // The flagged pairs with their scores (4 decimals), as one digest: equal digests, equal results.
  const digest = createHash("sha256")
    .update(
      pairs
        .map((p) => `${p.a}:${p.b}:${p.score.toFixed(4)}`)
        .sort()
        .join("\n"),
    )
    .digest("hex")
    .slice(0, 16);
  const estimateOf = new Map(index.candidatePairs().map((c) => [`${c.a}:${c.b}`, c.estimate]));
  const lowestEstimate = Math.min(...pairs.map((p) => estimateOf.get(`${p.a}:${p.b}`) ?? 1));
  console.log(
    `index sample 1/${indexSample}, candidates from ${candidateThreshold}: ${pairs.length} flagged pairs, digest ${digest}; ` +
      `lowest candidate estimate of a flagged pair ${fmt(lowestEstimate)}`,
  );

  // --- quality ---
  const truth = truthShares(corpus.reports);
  const flagged = new Map(pairs.map((p) => [pairKey(Number(p.a), Number(p.b)), p.score]));
  let positives = 0;
  let truePositives = 0;
  let falsePositives = 0;
  let greyFlagged = 0;
  let greyTotal = 0;
  const missed: string[] = [];
  const missedByKind = new Map<string, [number, number]>();
  for (const [key, share] of truth) {
    if (share >= 0.5) {
      positives++;
      const [a, b] = key.split(":").map(Number);
      const kinds =
        [corpus.reports[a ?? 0]?.kind, corpus.reports[b ?? 0]?.kind].filter((k) => k !== "original").join("+") ||
        "original";
      const tally = missedByKind.get(kinds) ?? [0, 0];
      tally[1]++;
      if (flagged.has(key)) truePositives++;
      else {
        tally[0]++;
        if (missed.length < 5)
          missed.push(`${corpus.reports[a ?? 0]?.name} / ${corpus.reports[b ?? 0]?.name} share ${fmt(share, 2)}`);
      }
      missedByKind.set(kinds, tally);
    } else if (share >= 0.3) {
      greyTotal++;
      if (flagged.has(key)) greyFlagged++;
    }
  }
  let originalPairsFlagged = 0;
  const falseExamples: string[] = [];
  for (const [key, score] of flagged) {
    const share = truth.get(key) ?? 0;
    if (share < 0.3) {
      falsePositives++;
      const [a, b] = key.split(":").map(Number);
      const ra = corpus.reports[a ?? 0];
      const rb = corpus.reports[b ?? 0];
      if (ra?.kind === "original" && rb?.kind === "original") originalPairsFlagged++;
      if (falseExamples.length < 5)
        falseExamples.push(`${ra?.name} / ${rb?.name} score ${fmt(score, 2)} share ${fmt(share, 2)}`);
    }
  }
  const recall = positives ? truePositives / positives : 1;
  const precision = truePositives + falsePositives ? truePositives / (truePositives + falsePositives) : 1;
  console.log(
    `quality at threshold ${FLAG_THRESHOLD}: ${positives} pairs share ≥ 50% of their text; found ${truePositives}, missed ${positives - truePositives}, false flags ${falsePositives}`,
  );
  for (const [kinds, [miss, total]] of [...missedByKind].sort())
    console.log(`  ${kinds.padEnd(28)} recall ${fmt(1 - miss / total)} (${total} pairs)`);
  for (const m of missed) console.log(`  missed: ${m}`);
  for (const f of falseExamples) console.log(`  false flag: ${f}`);
  console.log(`  grey pairs (30–50% shared, not scored): ${greyTotal}, of which flagged ${greyFlagged}`);
  console.log(`  distinct originals flagged (they share only headings and stock paragraphs): ${originalPairsFlagged}`);

  // Score distribution of distinct originals the index made candidates: how far below the threshold.
  let maxDistinct = 0;
  for (const c of index.candidatePairs()) {
    const key = pairKey(Number(c.a), Number(c.b));
    if ((truth.get(key) ?? 0) < 0.3 && !flagged.has(key))
      maxDistinct = Math.max(maxDistinct, index.compare(c.a, c.b).score);
  }
  let minCopy = 1;
  for (const p of pairs)
    if ((truth.get(pairKey(Number(p.a), Number(p.b))) ?? 0) >= 0.5) minCopy = Math.min(minCopy, p.score);
  console.log(
    `  highest score of an unrelated candidate pair ${fmt(maxDistinct)}, lowest score of a found copy ${fmt(minCopy)}`,
  );

  // --- exhaustive pairwise comparison on a sample ---
  // The sample is whole families (the first originals with all their copies), so it holds copies too.
  const sampleOrder = corpus.reports
    .map((r, i) => ({ family: r.family, i }))
    .sort((x, y) => x.family - y.family || x.i - y.i)
    .slice(0, sample);
  const sampleSketches = sampleOrder.map(({ i }) => sketches[i]).filter((s): s is ReportSketch => s !== undefined);
  const tEx = performance.now();
  const exhaustive = new Set<string>();
  for (let i = 0; i < sampleSketches.length; i++) {
    for (let j = i + 1; j < sampleSketches.length; j++) {
      const a = sampleSketches[i];
      const b = sampleSketches[j];
      if (a && b && compareSketches(a, b).score >= FLAG_THRESHOLD) exhaustive.add(pairKey(i, j));
    }
  }
  const exSeconds = (performance.now() - tEx) / 1000;
  const samplePairs = (sample * (sample - 1)) / 2;
  const perPair = exSeconds / samplePairs;
  const allPairs = (count * (count - 1)) / 2;
  const extrapolated = perPair * allPairs;
  const sampleIndex = new SimilarityIndex({ sample: indexSample, candidateThreshold });
  sampleSketches.forEach((s, i) => sampleIndex.addPrepared(String(i), s));
  const viaIndex = new Set(sampleIndex.findPairs(FLAG_THRESHOLD).map((p) => pairKey(Number(p.a), Number(p.b))));
  const agreed = [...exhaustive].filter((k) => viaIndex.has(k)).length;
  const speedup = extrapolated / seconds;
  console.log(
    `exhaustive on a sample of ${sample}: ${samplePairs} pairs in ${fmt(exSeconds, 2)} s (${fmt(perPair * 1e6, 1)} µs a pair, one thread); ` +
      `the index found ${agreed} of its ${exhaustive.size} pairs (and ${viaIndex.size - agreed} others)`,
  );
  console.log(
    `exhaustive on all ${allPairs} pairs ≈ ${fmt(extrapolated, 0)} s: the index is ${fmt(speedup, 1)}× faster`,
  );
  const peak = peakMb();
  console.log(`memory: peak RSS ${peak} MB (of which ${rssBefore} MB before indexing: the generated corpus)`);
  const scans = args.includes("--no-scans") ? null : await benchScans();
  console.log(
    `RESULT recall=${fmt(recall)} precision=${fmt(precision)} seconds_2000=${fmt(seconds, 2)} peak_mb=${peak} speedup=${fmt(speedup, 1)}` +
      (scans ? ` ${scanResult(scans).replace(/^RESULT /, "")}` : ""),
  );
}

function scanResult(scans: Awaited<ReturnType<typeof benchScans>>): string {
  return `RESULT scan_recall=${fmt(scans.scanRecall)} scan_precision=${fmt(scans.scanPrecision)} ocr_s_per_page=${fmt(scans.ocrSecondsPerPage, 1)} ocr_cer=${fmt(scans.cer, 4)}`;
}

if (isMainThread) await main();
else workerMain();
