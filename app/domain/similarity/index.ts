/**
 * R-REV-3: the incremental index of every report of this round and earlier rounds.
 *
 * Each report's distinct fingerprints (fingerprint.ts) go into an inverted index: fingerprint → the
 * reports that contain it. Adding a report looks up its own fingerprints only, counts how many each
 * earlier report shares, and returns as candidates the reports whose share of common fingerprints (of the
 * smaller of the two) reaches CANDIDATE_THRESHOLD. The work per report is its number of fingerprints
 * times the length of their posting lists, so indexing N reports grows with N, not N². Candidates are
 * then checked exactly (verify.ts) — the index never decides by itself.
 *
 * Posting lists are capped at `postingLimit` reports. A fingerprint found in more reports than that is
 * usually a stock phrase of the whole corpus ("配合成立数字化转型专班"): it is skipped when counting,
 * which keeps the work per report bounded (counting it against every report would make indexing
 * quadratic again). A report most of whose fingerprints are that frequent is different: it is a member
 * of a ring of copies (one report filed for many enterprises), so its saturated lists are counted too,
 * and it is matched with the first `postingLimit` reports of the ring (pairs among later members are
 * then not all listed, but every member is flagged).
 *
 * Only one fingerprint in INDEX_SAMPLE (chosen by hash value, so the same n-gram is kept or dropped in
 * every report) is indexed: a consistent sample estimates the same share of common fingerprints, and
 * the index is that many times smaller. This is what lets the index live in the database at province
 * scale (app/services/similarity.server.ts stores these hashes; selectCandidates is its counting rule).
 *
 * Storage is an open-addressing hash table over typed arrays (a JavaScript Map of millions of number
 * keys costs several times the memory).
 */
import { distinctHashes, type FingerprintOptions, type ReportSketch, sharedHashCount, sketch } from "./fingerprint.ts";
import { type NormalizeOptions, normalizeReport } from "./normalize.ts";
import { type CompareOptions, compareSketches, FLAG_THRESHOLD, type Similarity } from "./verify.ts";

/** Share of common fingerprints at which a pair becomes a candidate for the exact check: well below
 *  FLAG_THRESHOLD, because fingerprints are a sample of the text. With every fingerprint indexed the
 *  lowest share of a flagged pair in scripts/bench-similarity.ts was 0.23 (0.2 was the threshold); the
 *  sampled index (INDEX_SAMPLE) estimates that share with some noise (0.195 seen), so it starts lower,
 *  and confirmCandidate then applies CONFIRM_THRESHOLD to every fingerprint of the two reports. */
export const CANDIDATE_THRESHOLD = 0.15;
/** The share of all distinct fingerprints (not the sample) a candidate must reach: the unsampled rule. */
export const CONFIRM_THRESHOLD = 0.2;

/**
 * Second stage of the sampled index: the share of common distinct fingerprints over all of them (sorted
 * distinctHashes of both reports). Without it, candidates from 0.15 on the sample include every pair of
 * reports sharing stock paragraphs (20,246 candidates for 2,000 reports instead of 1,077).
 */
export function confirmCandidate(
  mine: Uint32Array,
  theirs: Uint32Array,
  threshold: number = CONFIRM_THRESHOLD,
): boolean {
  const smaller = Math.min(mine.length, theirs.length);
  return smaller > 0 && sharedHashCount(mine, theirs) / smaller >= threshold;
}
export const POSTING_LIMIT = 32;
/** Share of a report's fingerprints in saturated lists above which it is treated as a ring member. */
const RING_SHARE = 0.25;
/**
 * One fingerprint in this many is indexed (those whose hash is a multiple of it). Measured with
 * scripts/bench-similarity.ts (2,000 reports of 20,000 characters): 1, 4 and 8 flag the same pairs
 * (recall 1.000, precision 1.000); 8 keeps about 290 hashes of a 20,000-character report.
 */
export const INDEX_SAMPLE = 8;

export type IndexOptions = FingerprintOptions &
  NormalizeOptions & {
    candidateThreshold?: number;
    postingLimit?: number;
    minPassage?: number;
    /** Index one fingerprint in this many (default INDEX_SAMPLE; 1 indexes all). */
    sample?: number;
  };

/** The hashes of a prepared report that go into the index: its distinct fingerprints, sampled. */
export function indexHashes(prepared: ReportSketch, sample: number = INDEX_SAMPLE): Uint32Array {
  const distinct = distinctHashes(prepared.fingerprints);
  if (sample <= 1) return distinct;
  let count = 0;
  for (let i = 0; i < distinct.length; i++) if ((distinct[i] ?? 1) % sample === 0) count++;
  const out = new Uint32Array(count);
  let j = 0;
  for (let i = 0; i < distinct.length; i++) {
    const h = distinct[i] ?? 1;
    if (h % sample === 0) out[j++] = h;
  }
  return out;
}

/**
 * The counting rule of the index, for an index stored elsewhere (the database): given the postings of
 * each of a report's index hashes (the other reports containing it, at most `postingLimit` kept), and
 * each other report's number of index hashes, the candidates, most likely first. Same rule as
 * SimilarityIndex.addPrepared: lists holding `postingLimit` reports are stock phrases, skipped unless
 * more than RING_SHARE of the report's hashes are in such lists (a ring of copies).
 */
export function selectCandidates<R>(
  ownCount: number,
  postings: ReadonlyArray<ReadonlyArray<R>>,
  countOf: (report: R) => number,
  options: Pick<IndexOptions, "candidateThreshold" | "postingLimit"> = {},
): Array<{ report: R; shared: number; estimate: number }> {
  const threshold = options.candidateThreshold ?? CANDIDATE_THRESHOLD;
  const limit = options.postingLimit ?? POSTING_LIMIT;
  const shared = new Map<R, number>();
  const saturated: Array<ReadonlyArray<R>> = [];
  const tally = (list: ReadonlyArray<R>) => {
    for (const report of list.slice(0, limit)) shared.set(report, (shared.get(report) ?? 0) + 1);
  };
  for (const list of postings) {
    if (list.length >= limit) saturated.push(list);
    else tally(list);
  }
  if (saturated.length > ownCount * RING_SHARE) for (const list of saturated) tally(list);
  const found: Array<{ report: R; shared: number; estimate: number }> = [];
  for (const [report, count] of shared) {
    const smaller = Math.min(ownCount, countOf(report));
    const estimate = smaller ? count / smaller : 0;
    if (estimate >= threshold) found.push({ report, shared: count, estimate });
  }
  return found.sort((x, y) => y.estimate - x.estimate);
}

export type Candidate = { docId: string; shared: number; estimate: number };
export type SimilarPair = { a: string; b: string; score: number; coverageA: number; coverageB: number };

/** Normalize and sketch a report's text: the part of indexing that needs no index (and can run elsewhere). */
export function prepareReport(text: string, options: IndexOptions = {}): ReportSketch {
  return sketch(normalizeReport(text, options), options);
}

type Entry = { docId: string; sketch: ReportSketch; distinct: Uint32Array; all: Uint32Array | null };

export class SimilarityIndex {
  private readonly options: IndexOptions;
  private readonly candidateThreshold: number;
  private readonly postingLimit: number;
  private readonly entries: Entry[] = [];
  private readonly byId = new Map<string, number>();
  private readonly candidates: Array<{ a: number; b: number; estimate: number }> = [];

  private readonly table: PostingTable;
  private shared = new Int32Array(1024);

  constructor(options: IndexOptions = {}) {
    this.options = options;
    this.candidateThreshold = options.candidateThreshold ?? CANDIDATE_THRESHOLD;
    this.postingLimit = options.postingLimit ?? POSTING_LIMIT;
    this.table = new PostingTable(this.postingLimit);
  }

  get reportCount(): number {
    return this.entries.length;
  }

  has(docId: string): boolean {
    return this.byId.has(docId);
  }

  /** Index a report's text; returns the earlier reports that are candidate copies of it. */
  add(docId: string, text: string): Candidate[] {
    return this.addPrepared(docId, prepareReport(text, this.options));
  }

  /** Index a report prepared with prepareReport (same options); returns candidates as add() does. */
  addPrepared(docId: string, prepared: ReportSketch): Candidate[] {
    if (this.byId.has(docId)) throw new Error(`report ${docId} is already indexed`);
    const doc = this.entries.length;
    const distinct = indexHashes(prepared, this.options.sample);
    const all = (this.options.sample ?? INDEX_SAMPLE) > 1 ? distinctHashes(prepared.fingerprints) : null;
    this.entries.push({ docId, sketch: prepared, distinct, all });
    this.byId.set(docId, doc);
    if (this.shared.length < this.entries.length) {
      const grown = new Int32Array(this.shared.length * 2);
      grown.set(this.shared);
      this.shared = grown;
    }

    const touched: number[] = [];
    const tally = (other: number) => {
      if (this.shared[other] === 0) touched.push(other);
      this.shared[other] = (this.shared[other] ?? 0) + 1;
    };
    const saturated: number[] = [];
    const table = this.table;
    table.reserve(distinct.length); // slots stay valid below: no growth during the loop
    for (let i = 0; i < distinct.length; i++) {
      const slot = table.slotFor(distinct[i] ?? 0);
      if (table.reportsAt(slot) >= this.postingLimit) saturated.push(slot);
      else table.forEachPosting(slot, tally);
      table.addReport(slot, doc);
    }
    if (saturated.length > distinct.length * RING_SHARE)
      for (const slot of saturated) table.forEachPosting(slot, tally);

    const found: Candidate[] = [];
    for (const other of touched) {
      const shared = this.shared[other] ?? 0;
      this.shared[other] = 0;
      const otherEntry = this.entries[other];
      if (!otherEntry) continue;
      const smaller = Math.min(distinct.length, otherEntry.distinct.length);
      const estimate = smaller ? shared / smaller : 0;
      if (estimate >= this.candidateThreshold && (!all || !otherEntry.all || confirmCandidate(all, otherEntry.all))) {
        found.push({ docId: otherEntry.docId, shared, estimate });
        this.candidates.push({ a: other, b: doc, estimate });
      }
    }
    found.sort((x, y) => y.estimate - x.estimate);
    return found;
  }

  /** Candidate pairs gathered so far (each pair once, the earlier report first). */
  candidatePairs(): Array<{ a: string; b: string; estimate: number }> {
    return this.candidates.map(({ a, b, estimate }) => ({ a: this.idOf(a), b: this.idOf(b), estimate }));
  }

  /** The normalized text and fingerprints kept for a report. */
  sketchOf(docId: string): ReportSketch | undefined {
    const doc = this.byId.get(docId);
    return doc === undefined ? undefined : this.entries[doc]?.sketch;
  }

  /** Exact comparison of two indexed reports. */
  compare(a: string, b: string, options: CompareOptions = {}): Similarity {
    const sa = this.sketchOf(a);
    const sb = this.sketchOf(b);
    if (!sa || !sb) throw new Error(`report ${sa ? b : a} is not indexed`);
    return compareSketches(sa, sb, { ...this.options, ...options });
  }

  /**
   * R-REV-3: every pair of indexed reports whose exact similarity reaches the threshold, most similar
   * first. Only candidate pairs are checked.
   */
  findPairs(threshold: number = FLAG_THRESHOLD): SimilarPair[] {
    const pairs: SimilarPair[] = [];
    for (const { a, b } of this.candidates) {
      const ea = this.entries[a];
      const eb = this.entries[b];
      if (!ea || !eb) continue;
      const { score, coverageA, coverageB } = compareSketches(ea.sketch, eb.sketch, this.options);
      if (score >= threshold) pairs.push({ a: ea.docId, b: eb.docId, score, coverageA, coverageB });
    }
    return pairs.sort((x, y) => y.score - x.score || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  }

  /** The reports most similar to one report (verified), for the expert's view. */
  closestTo(docId: string, limit = 5, threshold = 0): Array<{ docId: string } & Similarity> {
    const doc = this.byId.get(docId);
    if (doc === undefined) throw new Error(`report ${docId} is not indexed`);
    const others = new Set<number>();
    for (const { a, b } of this.candidates) {
      if (a === doc) others.add(b);
      else if (b === doc) others.add(a);
    }
    const self = this.entries[doc];
    if (!self) return [];
    const results: Array<{ docId: string } & Similarity> = [];
    for (const other of others) {
      const entry = this.entries[other];
      if (!entry) continue;
      const similarity = compareSketches(self.sketch, entry.sketch, this.options);
      if (similarity.score >= threshold) results.push({ docId: entry.docId, ...similarity });
    }
    return results.sort((x, y) => y.score - x.score).slice(0, limit);
  }

  private idOf(doc: number): string {
    return this.entries[doc]?.docId ?? "";
  }
}

/**
 * Fingerprint → reports containing it (at most the posting limit), as an open-addressing hash table
 * over one Int32Array (stride 4: fingerprint, reports + 1 (0 = empty slot), first report, first block)
 * and a pool of blocks of 7 further reports plus a link. Most fingerprints occur in one report and need
 * no block; a list of 32 reports is 5 blocks, so walking it touches few cache lines.
 */
class PostingTable {
  constructor(private readonly limit: number) {}

  private capacity = 1 << 16;
  private slots = new Int32Array(this.capacity * 4);
  private size = 0;
  private blocks = new Int32Array(8 * 4096);
  private blockCount = 0;

  reserve(extra: number) {
    while ((this.size + extra) * 4 > this.capacity * 3) this.grow();
  }

  /** The slot of a fingerprint, inserted with no reports if new. Call reserve() first. */
  slotFor(hash: number): number {
    const mask = this.capacity - 1;
    const key = hash | 0;
    let slot = hash & mask;
    for (;;) {
      const at = slot * 4;
      if (this.slots[at + 1] === 0) {
        this.slots[at] = key;
        this.slots[at + 1] = 1;
        this.slots[at + 2] = -1;
        this.slots[at + 3] = -1;
        this.size++;
        return slot;
      }
      if (this.slots[at] === key) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** How many reports contain the fingerprint (stored or not). */
  reportsAt(slot: number): number {
    return (this.slots[slot * 4 + 1] ?? 1) - 1;
  }

  forEachPosting(slot: number, visit: (doc: number) => void) {
    const at = slot * 4;
    const stored = Math.min((this.slots[at + 1] ?? 1) - 1, this.limit);
    if (stored === 0) return;
    visit(this.slots[at + 2] ?? 0);
    let block = this.slots[at + 3] ?? -1;
    if (block === -1) return;
    // The head block holds the most recent reports and may be partly filled.
    let fill = (stored - 1) % 7 || 7;
    while (block !== -1) {
      const base = block * 8;
      for (let i = 0; i < fill; i++) visit(this.blocks[base + i] ?? 0);
      block = this.blocks[base + 7] ?? -1;
      fill = 7;
    }
  }

  /** Records one more report containing the fingerprint; stores it only below the limit. */
  addReport(slot: number, doc: number) {
    const at = slot * 4;
    const stored = Math.min((this.slots[at + 1] ?? 1) - 1, this.limit);
    this.slots[at + 1] = (this.slots[at + 1] ?? 1) + 1;
    if (stored >= this.limit) return;
    if (stored === 0) {
      this.slots[at + 2] = doc;
      return;
    }
    const inBlocks = stored - 1;
    if (inBlocks % 7 === 0) {
      const block = this.newBlock();
      this.blocks[block * 8] = doc;
      this.blocks[block * 8 + 7] = this.slots[at + 3] ?? -1;
      this.slots[at + 3] = block;
    } else {
      this.blocks[(this.slots[at + 3] ?? 0) * 8 + (inBlocks % 7)] = doc;
    }
  }

  private newBlock(): number {
    if ((this.blockCount + 1) * 8 > this.blocks.length) {
      const grown = new Int32Array(this.blocks.length * 2);
      grown.set(this.blocks);
      this.blocks = grown;
    }
    return this.blockCount++;
  }

  private grow() {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Int32Array(this.capacity * 4);
    const mask = this.capacity - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] === 0) continue;
      const key = old[at] ?? 0;
      let slot = (key >>> 0) & mask;
      while (this.slots[slot * 4 + 1] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(at, at + 4), slot * 4);
    }
  }
}
