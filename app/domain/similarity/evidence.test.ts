import { describe, expect, it } from "vitest";

import {
  citeEvidence,
  excerpt,
  formatPercent,
  type PhotoMatchView,
  type ReportMatchView,
  segments,
} from "./evidence.ts";

const other = { applicationId: "app-2", number: "2022-0002", organisationName: null, enterpriseName: null };

describe("R-REV-3 evidence shown to experts", () => {
  it("R-REV-3 formats a similarity figure as a whole percentage, never rounding up to 100%", () => {
    expect(formatPercent(0.874)).toBe("87%");
    expect(formatPercent(0.999)).toBe("99%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(-0.1)).toBe("0%");
  });

  it("R-REV-3 an excerpt is the matched text with context on its own line only", () => {
    const text = "第一行无关内容\n前文内容。本企业采用MES系统实现生产过程透明化。后文内容\n下一行";
    const start = text.indexOf("本企业");
    const end = text.indexOf("。后文") + 1;
    const e = excerpt(text, { start, end }, 10);
    expect(e.match).toBe("本企业采用MES系统实现生产过程透明化。");
    expect(e.before).toBe("前文内容。");
    expect(e.after).toBe("后文内容");
    expect(e.truncated).toBe(false);
  });

  it("R-REV-3 a long passage is cut and says so", () => {
    const text = "甲".repeat(1000);
    const e = excerpt(text, { start: 0, end: 1000 }, 40, 300);
    expect(e.match).toHaveLength(300);
    expect(e.truncated).toBe(true);
    expect(e.after).toBe("");
  });

  it("R-REV-3 highlights cut a text into plain and highlighted segments, overlaps merged", () => {
    const result = segments("abcdefghij", [
      { start: 6, end: 8 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
    expect(result).toEqual([
      { text: "a", highlighted: false },
      { text: "bc", highlighted: true },
      { text: "d", highlighted: true },
      { text: "ef", highlighted: false },
      { text: "gh", highlighted: true },
      { text: "ij", highlighted: false },
    ]);
    expect(result.map((s) => s.text).join("")).toBe("abcdefghij");
  });

  it("R-REV-3 the cited evidence names the figure, the other application number and a shared passage", () => {
    const match: ReportMatchView = {
      matchId: "m1",
      kind: "report",
      score: 0.82,
      coverageMine: 0.82,
      coverageTheirs: 0.79,
      flagged: true,
      other,
      passageCount: 12,
      passages: [
        {
          mine: { before: "", match: "短的段落内容相同", after: "", truncated: false },
          theirs: { before: "", match: "短的段落内容相同", after: "", truncated: false },
          length: 8,
        },
        {
          mine: { before: "", match: "企业现有生产线\n自动化程度较低，建议引入MES系统", after: "", truncated: false },
          theirs: { before: "", match: "企业现有生产线自动化程度较低，建议引入MES系统", after: "", truncated: false },
          length: 30,
        },
      ],
    };
    const text = citeEvidence(match);
    expect(text).toContain("2022-0002");
    expect(text).toContain("相似度 82%");
    expect(text).toContain("共 12 处相同段落");
    expect(text).toContain("“企业现有生产线 自动化程度较低，建议引入MES系统”");
    expect(text).toContain("明显雷同、抄袭的，不予通过");
    expect(text).not.toMatch(/R-[A-Z]+-\d/);
  });

  it("R-REV-3 the cited evidence names the other report's round (a copy from an earlier year), not its provider", () => {
    const match: ReportMatchView = {
      matchId: "m2",
      kind: "report",
      score: 0.7,
      coverageMine: 0.7,
      coverageTheirs: 0.6,
      flagged: true,
      other,
      otherRoundName: "2021年第一批",
      passageCount: 3,
      passages: [],
    };
    const text = citeEvidence(match);
    expect(text).toContain("申报编号 2022-0002 的诊断报告明显雷同：相似度 70%");
    expect(text).toContain("对方申报属于“2021年第一批”");
    expect(citeEvidence({ ...match, otherRoundName: undefined })).not.toContain("对方申报属于");
  });

  it("R-REV-3 the cited evidence of a reused photo names both photos, the figure and a capture date outside the diagnosis", () => {
    const photo = (fileName: string) => ({
      fileId: fileName,
      fileName,
      takenAtLocal: "2022-08-15 10:00:00",
      latitude: null,
      longitude: null,
      dateFlag: "before_contract" as const,
    });
    const match: PhotoMatchView = {
      matchId: "p1",
      kind: "photo",
      score: 0.97,
      flagged: true,
      other,
      mine: photo("车间.jpg"),
      theirs: photo("现场1.jpg"),
    };
    const text = citeEvidence(match);
    expect(text).toContain("“车间.jpg”");
    expect(text).toContain("2022-0002 的现场照片“现场1.jpg”");
    expect(text).toContain("97%");
    expect(text).toContain("拍摄于合同签订之前");
  });
});

describe("display of stored text (R-REV-3)", () => {
  it("R-REV-3 shows excerpts and segments of PDF text with Kangxi radicals as ordinary characters", () => {
    const stored = "淄博\u2FA0祥电\u2F53有限公司上线了MES系统。";
    expect(excerpt(stored, { start: 2, end: 6 }, 2)).toMatchObject({
      before: "淄博",
      match: "辰祥电气",
      after: "有限",
    });
    expect(segments(stored, [{ start: 2, end: 6 }]).map((s) => s.text)).toEqual([
      "淄博",
      "辰祥电气",
      "有限公司上线了MES系统。",
    ]);
  });
});
