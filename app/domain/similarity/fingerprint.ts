/**
 * R-REV-3: a small, position-carrying sketch of a normalized report, used to find candidate copies
 * without comparing every pair.
 *
 * Method: winnowing (Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for document
 * fingerprinting", SIGMOD 2003 — the method of MOSS) over character n-grams.
 *
 * - Every n-gram of K characters inside one sentence is hashed (FNV-1a on UTF-16 code units, then the
 *   murmur3 finaliser so the low bits are well mixed). N-grams never span a sentence break, so
 *   reordered sentences give the same hashes.
 * - In every window of W consecutive n-gram hashes of a sentence the minimum is kept (the rightmost on
 *   ties); a sentence with fewer than W n-grams keeps its single minimum. About 2/(W+1) of the n-grams
 *   survive as fingerprints.
 * - Guarantee: any passage of at least K+W−1 characters that two reports share within a sentence yields
 *   at least one common fingerprint in both. Nothing the engine calls a shared passage can be missed by
 *   the index, whatever else the two reports contain.
 *
 * Why winnowing rather than MinHash + LSH: MinHash estimates Jaccard similarity of whole sets, which
 * falls when a copy is padded with inserted boilerplate or when a short report is copied into a long one;
 * the rule asks whether one report is copied from another, i.e. containment. Winnowing fingerprints give
 * containment directly (shared fingerprints / the smaller report's fingerprints), carry their positions
 * (so the exact check can start from them instead of re-hashing both texts), and an inverted index over
 * them costs one posting per fingerprint: total work grows with the number of reports, not its square.
 */
import { BREAK } from "./normalize.ts";

/** n-gram length in characters. 8 Chinese characters is about four words: long enough that distinct
 *  reports rarely share one by chance, short enough to survive company-name swaps between phrases. */
export const NGRAM = 8;
/** Winnowing window, in n-grams. With NGRAM 8 every shared passage of 15+ characters is found. */
export const WINDOW = 8;

export type FingerprintOptions = { ngram?: number; window?: number };

/**
 * A report's fingerprints sorted by hash (then position), with the position in the normalized text of
 * each one's n-gram. The same hash may occur at several positions.
 */
export type Fingerprints = { hashes: Uint32Array; positions: Int32Array };

/** 32-bit FNV-1a over the code units text[start, end), finalised with murmur3's fmix32. */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The guaranteed-detection length: shared passages at least this long always share a fingerprint. */
export function guaranteeLength(options: FingerprintOptions = {}): number {
  return (options.ngram ?? NGRAM) + (options.window ?? WINDOW) - 1;
}

/** Winnowed fingerprints of a normalized text (see the module comment). */
export function winnow(text: string, options: FingerprintOptions = {}): Fingerprints {
  const k = options.ngram ?? NGRAM;
  const w = options.window ?? WINDOW;
  if (k < 1 || w < 1) throw new RangeError("ngram and window must be at least 1");
  const n = text.length;
  const segHashes = new Uint32Array(Math.max(0, n));
  const deque = new Int32Array(Math.max(0, n)); // indices only move forward: no wrap-around needed
  const outHashes: number[] = [];
  const outPositions: number[] = [];

  let segStart = 0;
  while (segStart < n) {
    let segEnd = text.indexOf(BREAK, segStart);
    if (segEnd === -1) segEnd = n;
    const m = segEnd - segStart - k + 1; // n-grams in this sentence
    if (m > 0) {
      for (let i = 0; i < m; i++) segHashes[i] = hashRange(text, segStart + i, segStart + i + k);
      if (m <= w) {
        let best = 0;
        for (let i = 1; i < m; i++) if ((segHashes[i] ?? 0) <= (segHashes[best] ?? 0)) best = i;
        outHashes.push(segHashes[best] ?? 0);
        outPositions.push(segStart + best);
      } else {
        // Sliding-window minimum with a monotonic deque (indices into segHashes, increasing hashes).
        let head = 0;
        let tail = 0;
        let lastPicked = -1;
        for (let i = 0; i < m; i++) {
          const h = segHashes[i] ?? 0;
          // Keep the rightmost minimum: drop every queued hash >= h.
          while (tail > head && (segHashes[deque[tail - 1] ?? 0] ?? 0) >= h) tail--;
          deque[tail++] = i;
          if ((deque[head] ?? 0) <= i - w) head++;
          if (i >= w - 1) {
            const picked = deque[head] ?? 0;
            if (picked !== lastPicked) {
              outHashes.push(segHashes[picked] ?? 0);
              outPositions.push(segStart + picked);
              lastPicked = picked;
            }
          }
        }
      }
    }
    segStart = segEnd + 1;
  }
  return sortFingerprints(outHashes, outPositions, n);
}

const POSITION_SPACE = 2 ** 21;

function sortFingerprints(hashes: number[], positions: number[], textLength: number): Fingerprints {
  const count = hashes.length;
  const outHashes = new Uint32Array(count);
  const outPositions = new Int32Array(count);
  if (textLength < POSITION_SPACE) {
    // Pack (hash, position) into one exactly-representable double and sort numerically: fast.
    const packed = new Float64Array(count);
    for (let i = 0; i < count; i++) packed[i] = (hashes[i] ?? 0) * POSITION_SPACE + (positions[i] ?? 0);
    packed.sort();
    for (let i = 0; i < count; i++) {
      const v = packed[i] ?? 0;
      const h = Math.floor(v / POSITION_SPACE);
      outHashes[i] = h;
      outPositions[i] = v - h * POSITION_SPACE;
    }
  } else {
    const order = Array.from({ length: count }, (_, i) => i);
    order.sort((a, b) => (hashes[a] ?? 0) - (hashes[b] ?? 0) || (positions[a] ?? 0) - (positions[b] ?? 0));
    order.forEach((from, to) => {
      outHashes[to] = hashes[from] ?? 0;
      outPositions[to] = positions[from] ?? 0;
    });
  }
  return { hashes: outHashes, positions: outPositions };
}

/** The distinct hashes of sorted fingerprints. */
export function distinctHashes(fingerprints: Fingerprints): Uint32Array {
  const { hashes } = fingerprints;
  let count = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) count++;
  const out = new Uint32Array(count);
  let j = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) out[j++] = hashes[i] ?? 0;
  return out;
}

/** Number of distinct hashes two sorted fingerprint sets share (a merge of two sorted lists). */
export function sharedHashCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** What the index and the exact check keep of a report: its normalized text and its fingerprints. */
export type ReportSketch = {
  /** Normalized text (see normalize.ts). */
  text: string;
  /** Characters of content (BREAKs excluded). */
  contentLength: number;
  fingerprints: Fingerprints;
};

export function sketch(
  normalized: { text: string; contentLength: number },
  options: FingerprintOptions = {},
): ReportSketch {
  return {
    text: normalized.text,
    contentLength: normalized.contentLength,
    fingerprints: winnow(normalized.text, options),
  };
}
