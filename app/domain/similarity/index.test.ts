import { describe, expect, it } from "vitest";

import { generateCorpus } from "../../../scripts/similarity-corpus.ts";
import { distinctHashes } from "./fingerprint.ts";
import {
  confirmCandidate,
  INDEX_SAMPLE,
  indexHashes,
  POSTING_LIMIT,
  prepareReport,
  selectCandidates,
  SimilarityIndex,
} from "./index.ts";
import { FLAG_THRESHOLD } from "./verify.ts";

describe("R-REV-3 the sampled index", () => {
  it("R-REV-3 keeps the same n-grams in every report: one distinct fingerprint in INDEX_SAMPLE", () => {
    const corpus = generateCorpus(5, 6, 8000);
    const [a, b] = corpus.texts.map((t) => prepareReport(t));
    if (!a || !b) throw new Error("no corpus");
    const all = distinctHashes(a.fingerprints);
    const kept = indexHashes(a);
    expect(kept.length).toBeGreaterThan(all.length / INDEX_SAMPLE / 1.5);
    expect(kept.length).toBeLessThan((all.length / INDEX_SAMPLE) * 1.5);
    for (const h of kept) expect(h % INDEX_SAMPLE).toBe(0);
    // A hash kept in one report is kept in any other report that has it.
    const keptB = new Set(indexHashes(b));
    for (const h of distinctHashes(b.fingerprints)) expect(keptB.has(h)).toBe(h % INDEX_SAMPLE === 0);
    expect(indexHashes(a, 1)).toEqual(all);
  });

  it("R-REV-3 selectCandidates (the database's counting rule) picks what the in-memory index picks", () => {
    const corpus = generateCorpus(31, 80, 4000);
    const index = new SimilarityIndex();
    // The same index kept as plain posting lists, as the database keeps it.
    const postings = new Map<number, number[]>();
    const counts: number[] = [];
    const alls: Uint32Array[] = [];
    corpus.texts.forEach((text, doc) => {
      const prepared = prepareReport(text);
      const expected = index.addPrepared(String(doc), prepared).map((c) => [Number(c.docId), c.shared]);
      const hashes = indexHashes(prepared);
      const lists = Array.from(hashes, (h) => postings.get(h) ?? []);
      const all = distinctHashes(prepared.fingerprints);
      const got = selectCandidates(hashes.length, lists, (other) => counts[other] ?? 0)
        .filter((c) => confirmCandidate(all, alls[c.report] ?? new Uint32Array()))
        .map((c) => [c.report, c.shared]);
      expect(new Set(got.map(String))).toEqual(new Set(expected.map(String)));
      counts[doc] = hashes.length;
      alls[doc] = all;
      for (const h of hashes) {
        const list = postings.get(h) ?? [];
        if (list.length < POSTING_LIMIT) list.push(doc);
        postings.set(h, list);
      }
    });
    // And the copies are flagged.
    expect(index.findPairs(FLAG_THRESHOLD).length).toBeGreaterThan(10);
  });

  it("R-REV-3 skips stock phrases (full lists) unless most of a report is in them (a ring of copies)", () => {
    const full = Array.from({ length: POSTING_LIMIT }, (_, i) => 100 + i);
    const countOf = () => 10;
    // 1 of 10 hashes in a full list: skipped; the two shared hashes with report 7 make it a candidate.
    const some = selectCandidates(10, [full, [7], [7], [], [], [], [], [], [], []], countOf);
    expect(some.map((c) => c.report)).toEqual([7]);
    // 4 of 10 in full lists: a ring member, matched with the ring.
    const ring = selectCandidates(10, [full, full, full, full, [], [], [], [], [], []], countOf);
    expect(ring).toHaveLength(POSTING_LIMIT);
    expect(ring[0]?.estimate).toBeCloseTo(0.4);
  });
});
