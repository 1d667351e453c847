import { describe, expect, it } from "vitest";

import {
  type CopyKind,
  deriveCopy,
  generateCorpus,
  makeOriginal,
  mulberry32,
  render,
} from "../../../scripts/similarity-corpus.ts";
import { RUBRIC_SECTION_LIST } from "../rubric.ts";
import { SimilarityIndex } from "./index.ts";
import { normalizeReport } from "./normalize.ts";
import { FLAG_THRESHOLD, verifyPair } from "./verify.ts";

// Realistic originals and their derived copies come from the bench's generator (seeded, so fixed).
const rng = mulberry32(7);

function scenario(kind: CopyKind, seed: number) {
  const r = mulberry32(seed);
  const boilerplate = boilerplateParagraphs(seed);
  const original = makeOriginal(r, 6000, 0, boilerplate);
  const copy = deriveCopy(r, original, kind, boilerplate);
  return { original: render(r, original), copy: render(r, copy), company: original.company, copyCompany: copy.company };
}

// A few generic paragraphs a copier pads a report with.
function boilerplateParagraphs(seed: number) {
  const r = mulberry32(seed + 1000);
  return Array.from({ length: 6 }, (_, p) =>
    Array.from({ length: 4 }, (_, s) => ({
      id: 1_000_000 + seed * 100 + p * 10 + s,
      text: `为深入贯彻落实制造强国战略，第${p}${s}项工作按照企业出题、专家答题、政府助力的思路推进，诊断组对${Math.floor(r() * 1e6)}号台账进行了核实。`,
    })),
  );
}

// Paragraphs no other report has (random characters): for originals that must share nothing but the skeleton.
function ownParagraphs(seed: number) {
  const r = mulberry32(seed + 5000);
  return [
    Array.from({ length: 3 }, (_, s) => ({
      id: 2_000_000 + seed * 10 + s,
      text: `${Array.from({ length: 40 }, () => String.fromCharCode(0x4e00 + Math.floor(r() * 5000))).join("")}。`,
    })),
  ];
}

const score = (a: string, b: string) => verifyPair(normalizeReport(a), normalizeReport(b)).score;

describe("R-REV-3 derived copies are flagged", () => {
  it.each([
    ["verbatim", 0.95],
    ["reordered", 0.8],
    ["replaced", 0.5],
    ["names_swapped", 0.8],
    ["boilerplate", 0.8],
    ["mixed", 0.45],
  ] as const)("R-REV-3 a %s copy scores at least %s, above the flag threshold", (kind, least) => {
    for (const seed of [11, 12, 13]) {
      const { original, copy } = scenario(kind, seed);
      const s = score(original, copy);
      expect(s).toBeGreaterThanOrEqual(least);
      expect(s).toBeGreaterThanOrEqual(FLAG_THRESHOLD);
    }
  });

  it("R-REV-3 a copy with names swapped really carries another company's name", () => {
    const { copy, company, copyCompany } = scenario("names_swapped", 21);
    expect(copyCompany).not.toBe(company);
    expect(copy).toContain(copyCompany);
    expect(copy).not.toContain(company);
  });

  it("R-REV-3 10–40% replaced: the figure falls with the share replaced but stays above the threshold", () => {
    const { original, copy } = scenario("replaced", 31);
    const s = score(original, copy);
    expect(s).toBeLessThan(0.95);
    expect(s).toBeGreaterThanOrEqual(FLAG_THRESHOLD);
  });

  it("R-REV-3 shared passages are located in both original texts, for highlighting", () => {
    const { original, copy } = scenario("reordered", 41);
    const evidence = verifyPair(normalizeReport(original), normalizeReport(copy));
    expect(evidence.passages.length).toBeGreaterThan(5);
    for (const passage of evidence.passages.slice(0, 20)) {
      const a = normalizeReport(original.slice(passage.a.start, passage.a.end)).text;
      const b = normalizeReport(copy.slice(passage.b.start, passage.b.end)).text;
      expect(a.replaceAll("\n", "")).toBe(b.replaceAll("\n", ""));
      expect(a.replaceAll("\n", "").length).toBeGreaterThanOrEqual(15);
    }
    // Highlights are sorted, disjoint ranges inside each text.
    for (const [ranges, text] of [
      [evidence.highlightsA, original],
      [evidence.highlightsB, copy],
    ] as const) {
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i];
        expect(r && r.end <= text.length && r.start < r.end).toBe(true);
        if (i > 0) expect((ranges[i - 1]?.end ?? 0) <= (r?.start ?? 0)).toBe(true);
      }
    }
  });
});

describe("R-REV-3 distinct reports are not flagged", () => {
  it("R-REV-3 distinct originals that share only the rubric's headings and criteria are not flagged", () => {
    // Both reports follow the rubric's skeleton: same section titles, and both quote its criteria.
    const skeleton = RUBRIC_SECTION_LIST.flatMap((section, i) => [
      `${"一二三"[i]}、${section.name}`,
      ...section.criteria,
    ]);
    const withSkeleton = (body: string) => {
      const paragraphs = body.split("\n");
      const third = Math.ceil(paragraphs.length / 3);
      return skeleton
        .map((line, i) =>
          i % 4 === 3
            ? `${line}\n${paragraphs.slice(Math.floor(i / 4) * third, Math.floor(i / 4 + 1) * third).join("\n")}`
            : line,
        )
        .join("\n");
    };
    for (const seed of [51, 52, 53, 54]) {
      const a = render(rng, makeOriginal(mulberry32(seed), 8000, 0, ownParagraphs(seed)));
      const b = render(rng, makeOriginal(mulberry32(seed + 100), 8000, 1, ownParagraphs(seed + 100)));
      // Generated reports of one template share stock phrases (about 10% of their text); the skeleton
      // adds nothing to that, and the pair stays far below the threshold.
      const s = score(withSkeleton(a), withSkeleton(b));
      expect(s).toBeLessThan(score(a, b) + 0.01);
      expect(s).toBeLessThan(FLAG_THRESHOLD / 2);
    }
    // Bodies with nothing in common: the skeleton alone scores nothing.
    const random = (seed: number) =>
      ownParagraphs(seed)[0]
        ?.map((p) => p.text)
        .join("\n") ?? "";
    const a = withSkeleton(Array.from({ length: 30 }, (_, i) => random(i)).join("\n"));
    const b = withSkeleton(Array.from({ length: 30 }, (_, i) => random(100 + i)).join("\n"));
    expect(normalizeReport(a).contentLength).toBeGreaterThan(3000);
    expect(score(a, b)).toBe(0);
  });

  it("R-REV-3 a report of headings only is empty after normalisation and matches nothing", () => {
    const headings = RUBRIC_SECTION_LIST.map((section) => section.name).join("\n");
    expect(normalizeReport(headings).contentLength).toBe(0);
    expect(score(headings, headings)).toBe(0);
  });
});

describe("R-REV-3 the index finds every copy without comparing every pair", () => {
  it("R-REV-3 100 reports: each copy is found among the candidates and verified; originals are not paired", () => {
    const corpus = generateCorpus(99, 100, 4000);
    const index = new SimilarityIndex();
    corpus.texts.forEach((text, i) => index.add(String(i), text));
    const flagged = new Set(index.findPairs().map((p) => `${p.a}:${p.b}`));
    corpus.reports.forEach((report, i) => {
      if (report.kind === "original") return;
      const source = corpus.reports.findIndex((r) => r.kind === "original" && r.family === report.family);
      expect(flagged.has(`${Math.min(source, i)}:${Math.max(source, i)}`), `${report.name} not flagged`).toBe(true);
    });
    for (const key of flagged) {
      const [a, b] = key.split(":").map(Number);
      const ra = corpus.reports[a ?? 0];
      const rb = corpus.reports[b ?? 0];
      expect(ra?.family, `${ra?.name} / ${rb?.name} flagged`).toBe(rb?.family);
    }
    // The closest reports of a copy start with its original.
    const copyAt = corpus.reports.findIndex((r) => r.kind === "verbatim");
    const closest = index.closestTo(String(copyAt), 3);
    const sourceAt = corpus.reports.findIndex(
      (r) => r.kind === "original" && r.family === corpus.reports[copyAt]?.family,
    );
    expect(closest[0]?.docId).toBe(String(sourceAt));
    expect(closest[0]?.score).toBeGreaterThan(0.95);
  });
});
