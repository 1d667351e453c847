/**
 * R-REV-3: the exact check of a candidate pair, and the evidence the expert must point to.
 *
 * Common fingerprints (fingerprint.ts) are only seeds: from each, the match is extended character by
 * character in both directions over the normalized texts, so every reported passage is verified text,
 * never a hash coincidence. A passage is a maximal run of identical normalized text (it may span
 * several sentences when they follow each other in both reports); passages shorter than the
 * guarantee length (15 characters by default) are ignored, which is also what keeps stock phrases
 * from counting.
 *
 * The similarity figure is the share of a report's content that lies in passages found in the other
 * report: coverageA for A, coverageB for B. The score is the larger of the two, i.e. "this much of one
 * report is found in the other", so a copy padded with boilerplate, or a short report copied into a
 * longer one, still scores high.
 */
import { type FingerprintOptions, guaranteeLength, type ReportSketch, sketch } from "./fingerprint.ts";
import { BREAK, type NormalizedText, toOriginalRange } from "./normalize.ts";

/**
 * R-REV-3: a pair scoring at or above this (40% of one report found in the other) is flagged to the
 * expert as possibly copied. The bench (scripts/bench-similarity.ts) measures it: copies sharing half
 * their text or more score ≥ 0.45, distinct reports sharing headings and stock phrases score < 0.1.
 */
export const FLAG_THRESHOLD = 0.4;

/** A shared passage in normalized offsets: A[aStart, aStart+length) === B[bStart, bStart+length). */
export type MatchRun = { aStart: number; bStart: number; length: number };

export type Similarity = {
  /** max(coverageA, coverageB), 0..1 */
  score: number;
  /** Share of A's content found in B */
  coverageA: number;
  /** Share of B's content found in A */
  coverageB: number;
  runs: MatchRun[];
};

export type CompareOptions = FingerprintOptions & {
  /** Shortest passage that counts, in normalized characters. Defaults to the guarantee length. */
  minPassage?: number;
  /** Positions considered per repeated fingerprint on each side (bounds the work on repetitive text;
   *  a passage repeated more often than this is still found through its other fingerprints). */
  maxRepeats?: number;
};

const BREAK_CODE = BREAK.charCodeAt(0);

/** Exact comparison of two sketched reports (see the module comment). */
export function compareSketches(a: ReportSketch, b: ReportSketch, options: CompareOptions = {}): Similarity {
  const minPassage = options.minPassage ?? guaranteeLength(options);
  const maxRepeats = options.maxRepeats ?? 8;
  const A = a.text;
  const B = b.text;
  const ha = a.fingerprints.hashes;
  const hb = b.fingerprints.hashes;
  const pa = a.fingerprints.positions;
  const pb = b.fingerprints.positions;

  // 1. Seeds: every pair of positions of a common fingerprint, keyed by diagonal (bStart − aStart) then
  //    by position in A, packed into one exactly-representable number so a numeric sort orders them.
  const stride = A.length + 1;
  const seeds: number[] = [];
  let x = 0;
  let y = 0;
  while (x < ha.length && y < hb.length) {
    const hx = ha[x] ?? 0;
    const hy = hb[y] ?? 0;
    if (hx < hy) x++;
    else if (hx > hy) y++;
    else {
      let xEnd = x;
      while (xEnd < ha.length && ha[xEnd] === hx) xEnd++;
      let yEnd = y;
      while (yEnd < hb.length && hb[yEnd] === hy) yEnd++;
      for (let s = x; s < Math.min(xEnd, x + maxRepeats); s++) {
        const i = pa[s] ?? 0;
        for (let t = y; t < Math.min(yEnd, y + maxRepeats); t++) seeds.push(((pb[t] ?? 0) - i + A.length) * stride + i);
      }
      x = xEnd;
      y = yEnd;
    }
  }
  const sorted = Float64Array.from(seeds).sort();

  // 2. Along each diagonal, extend each seed not already inside a run, character by character.
  const runs: MatchRun[] = [];
  let currentDiagonal = Number.NaN;
  let coveredUntil = -1;
  for (let s = 0; s < sorted.length; s++) {
    const key = sorted[s] ?? 0;
    const diagonal = Math.floor(key / stride) - A.length;
    const i = key - (diagonal + A.length) * stride;
    if (diagonal !== currentDiagonal) {
      currentDiagonal = diagonal;
      coveredUntil = -1;
    }
    if (i < coveredUntil) continue;
    let end = i;
    while (end < A.length && end + diagonal < B.length && A.charCodeAt(end) === B.charCodeAt(end + diagonal)) end++;
    let start = i;
    while (start > 0 && start + diagonal > 0 && A.charCodeAt(start - 1) === B.charCodeAt(start - 1 + diagonal)) start--;
    coveredUntil = Math.max(end, i + 1);
    while (start < end && A.charCodeAt(start) === BREAK_CODE) start++;
    while (end > start && A.charCodeAt(end - 1) === BREAK_CODE) end--;
    if (end > start && contentBetween(A, start, end) >= minPassage)
      runs.push({ aStart: start, bStart: start + diagonal, length: end - start });
  }

  runs.sort((r, s) => r.aStart - s.aStart || r.bStart - s.bStart);
  const coverageA = a.contentLength
    ? coveredContent(
        A,
        runs.map((r) => [r.aStart, r.aStart + r.length]),
      ) / a.contentLength
    : 0;
  const coverageB = b.contentLength
    ? coveredContent(
        B,
        runs.map((r) => [r.bStart, r.bStart + r.length]),
      ) / b.contentLength
    : 0;
  return { score: Math.max(coverageA, coverageB), coverageA, coverageB, runs };
}

function contentBetween(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== BREAK_CODE) count++;
  return count;
}

/** Intervals merged into their union, sorted. */
export function mergeRanges(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = ranges.filter(([s, e]) => e > s).sort((r, s) => r[0] - s[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function coveredContent(text: string, ranges: ReadonlyArray<readonly [number, number]>): number {
  let total = 0;
  for (const [s, e] of mergeRanges(ranges)) total += contentBetween(text, s, e);
  return total;
}

export type TextRange = { start: number; end: number };
/** One shared passage, as ranges of the two original texts (for side-by-side display). */
export type SharedPassage = { a: TextRange; b: TextRange; length: number };

export type PairEvidence = {
  score: number;
  coverageA: number;
  coverageB: number;
  /** Shared passages in A's order; ranges are offsets into the original texts. */
  passages: SharedPassage[];
  /** The union of the passages on each side, merged into maximal ranges: what to highlight. */
  highlightsA: TextRange[];
  highlightsB: TextRange[];
};

/**
 * R-REV-3: the evidence for a pair of reports — the similarity figures and the shared passages
 * located in both original texts.
 */
export function verifyPair(a: NormalizedText, b: NormalizedText, options: CompareOptions = {}): PairEvidence {
  const similarity = compareSketches(sketch(a, options), sketch(b, options), options);
  return explain(a, b, similarity);
}

/** Maps a comparison's runs back to the original texts. */
export function explain(a: NormalizedText, b: NormalizedText, similarity: Similarity): PairEvidence {
  const passages = similarity.runs.map((run) => ({
    a: toOriginalRange(a, run.aStart, run.aStart + run.length),
    b: toOriginalRange(b, run.bStart, run.bStart + run.length),
    length: run.length,
  }));
  const toRanges = (list: Array<[number, number]>) => list.map(([start, end]) => ({ start, end }));
  return {
    score: similarity.score,
    coverageA: similarity.coverageA,
    coverageB: similarity.coverageB,
    passages,
    highlightsA: toRanges(mergeRanges(passages.map((p) => [p.a.start, p.a.end]))),
    highlightsB: toRanges(mergeRanges(passages.map((p) => [p.b.start, p.b.end]))),
  };
}
