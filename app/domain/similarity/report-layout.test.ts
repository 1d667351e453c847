import { describe, expect, it } from "vitest";

import {
  assembleReport,
  highlightBoxes,
  ocrConfidence,
  parseLayout,
  readMethod,
  type ReadPage,
} from "./report-layout.ts";

const box = (y: number) => ({ x: 0.1, y, w: 0.8, h: 0.02 });

describe("assembleReport", () => {
  const pages: ReadPage[] = [
    {
      source: "text",
      confidence: null,
      lines: [
        { text: "淄博\u2FA0祥电\u2F53有限公司", box: box(0.05) },
        { text: "企业成立于2003年，", box: box(0.1) },
        { text: "主要生产电气设备。", box: box(0.12) },
      ],
    },
    {
      source: "ocr",
      confidence: 0.9,
      lines: [
        { text: "淄博辰祥电气有限公司", box: box(0.05) },
        { text: "公章", box: box(0.5) },
        { text: "建议建设MES系统.", box: box(0.2) },
      ],
    },
  ];

  it("R-REV-3 joins cleaned lines into the text, each kept line with its range and box", () => {
    const { text, layout } = assembleReport(pages);
    // the company name repeated on both pages and the seal are gone; OCR's "." is a full stop
    expect(text).toBe("企业成立于2003年，\n主要生产电气设备。\n建议建设MES系统。");
    expect(layout.pages).toHaveLength(2);
    const [first, second] = layout.pages;
    expect(first?.lines.map((l) => text.slice(l.start, l.end))).toEqual(["企业成立于2003年，", "主要生产电气设备。"]);
    expect(second?.lines[0]).toMatchObject({ box: box(0.2) });
    expect(text.slice(second?.lines[0]?.start, second?.lines[0]?.end)).toBe("建议建设MES系统。");
    expect(readMethod(layout)).toBe("mixed");
    expect(ocrConfidence(layout.pages)).toBeCloseTo(0.9);
  });

  it("R-REV-3 highlights a passage on the lines (and the part of a line) it covers, on its page", () => {
    const { text, layout } = assembleReport(pages);
    const start = text.indexOf("主要");
    const end = text.indexOf("MES") + 3;
    const boxes = highlightBoxes(layout, [{ start, end }]);
    expect(boxes.map((b) => b.page)).toEqual([0, 1]);
    expect(boxes[0]?.box).toMatchObject({ x: 0.1, y: 0.12 });
    expect(boxes[0]?.box.w).toBeCloseTo(0.8);
    // "建议建设MES" is 7 of the line's 10 characters
    expect(boxes[1]?.box.w).toBeCloseTo(0.8 * 0.7);
    expect(boxes.every((b) => b.passage === 0)).toBe(true);
  });

  it("R-REV-3 reads a stored layout back and refuses what is not one", () => {
    const { layout } = assembleReport(pages);
    expect(parseLayout(JSON.parse(JSON.stringify(layout)))).toEqual(layout);
    expect(parseLayout(null)).toBeNull();
    expect(parseLayout({ pages: "x" })).toBeNull();
    expect(readMethod({ pages: [{ source: "ocr", confidence: 1, lines: [] }] })).toBe("ocr");
  });
});
