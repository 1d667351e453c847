import { describe, expect, it } from "vitest";

import { distinctHashes, guaranteeLength, hashRange, NGRAM, sharedHashCount, WINDOW, winnow } from "./fingerprint.ts";
import { BREAK, normalizeReport } from "./normalize.ts";

// A deterministic stream of varied CJK text (no natural-language repetition).
function cjk(seed: number, length: number): string {
  let x = seed >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out += String.fromCharCode(0x4e00 + ((x >>> 16) % 3000));
  }
  return out;
}

describe("fingerprints", () => {
  it("R-REV-3 hashes equal n-grams equally and different ones differently", () => {
    const text = "部署MES系统部署MES系统实现数据采集";
    expect(hashRange(text, 0, 7)).toBe(hashRange(text, 7, 14));
    expect(hashRange(text, 0, 7)).not.toBe(hashRange(text, 1, 8));
    expect(hashRange("", 0, 0)).toBeGreaterThanOrEqual(0);
  });

  it("R-REV-3 keeps about 2/(W+1) of the n-grams, sorted by hash with their positions", () => {
    const text = cjk(1, 20_000);
    const { hashes, positions } = winnow(text);
    const density = hashes.length / (text.length - NGRAM + 1);
    expect(density).toBeGreaterThan(1.6 / (WINDOW + 1));
    expect(density).toBeLessThan(2.4 / (WINDOW + 1));
    for (let i = 1; i < hashes.length; i++) expect((hashes[i] ?? 0) >= (hashes[i - 1] ?? 0)).toBe(true);
    for (let i = 0; i < hashes.length; i += 97) {
      const p = positions[i] ?? 0;
      expect(hashRange(text, p, p + NGRAM)).toBe(hashes[i]);
    }
  });

  it("R-REV-3 guarantees a common fingerprint for any shared passage of K+W−1 characters", () => {
    const t = guaranteeLength();
    expect(t).toBe(NGRAM + WINDOW - 1);
    for (let seed = 0; seed < 50; seed++) {
      const passage = cjk(1000 + seed, t);
      const a = winnow(cjk(seed, 300) + passage + cjk(seed + 77, 300));
      const b = winnow(cjk(seed + 500, 123 + seed) + passage + cjk(seed + 900, 50));
      expect(sharedHashCount(distinctHashes(a), distinctHashes(b))).toBeGreaterThan(0);
    }
  });

  it("R-REV-3 gives the same fingerprints whatever the order of the sentences", () => {
    const sentences = Array.from({ length: 30 }, (_, i) => cjk(i, 10 + (i % 5) * 9));
    const a = winnow(sentences.join(BREAK));
    const b = winnow([...sentences].reverse().join(BREAK));
    expect(distinctHashes(a)).toEqual(distinctHashes(b));
  });

  it("R-REV-3 fingerprints a sentence shorter than the window by its single minimum, and skips shorter than an n-gram", () => {
    expect(winnow("短句").hashes.length).toBe(0);
    expect(winnow(cjk(3, NGRAM + 2)).hashes.length).toBe(1);
    expect(winnow(["短句", cjk(3, NGRAM + 2)].join(BREAK)).hashes.length).toBe(1);
  });

  it("R-REV-3 fingerprints normalized report text end to end", () => {
    const n = normalizeReport("一、基本情况\n恒泰陶瓷现有辊道窑4条、自动压机11台，压制和烧成工序基本实现自动化。");
    expect(winnow(n.text).hashes.length).toBeGreaterThan(2);
  });

  it("R-REV-3 refuses a zero n-gram or window", () => {
    expect(() => winnow("abc", { ngram: 0 })).toThrow(RangeError);
  });
});
