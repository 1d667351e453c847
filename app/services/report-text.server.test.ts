import { describe, expect, it } from "vitest";

import { reportPdf, scannedPdf } from "../../tests/utils/similarity-fixtures.ts";
import { readReport } from "./report-text.server.ts";

describe("readReport (R-REV-3)", () => {
  it("R-REV-3 reads a text PDF's lines with their boxes on the page, cleaned (Kangxi radicals folded)", async () => {
    const body = "淄博\u2FA0祥电\u2F53有限公司现有员工326人，主要生产高低压成套开关设备，年产值约3亿元。";
    const read = await readReport(
      await reportPdf([body, "企业上线了MES系统，生产计划仍通过Excel表格下达。"].join("\n")),
    );
    expect(read.status).toBe("extracted");
    if (read.status !== "extracted") return;
    expect(read.method).toBe("text");
    expect(read.ocrConfidence).toBeNull();
    expect(read.text).toContain("辰祥电气有限公司");
    expect(read.text).not.toMatch(/[\u2F00-\u2FDF]/u);
    const lines = read.layout.pages.flatMap((p) => p.lines);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line.end).toBeGreaterThan(line.start);
      expect(line.box.x).toBeGreaterThanOrEqual(0);
      expect(line.box.y).toBeGreaterThanOrEqual(0);
      expect(line.box.x + line.box.w).toBeLessThanOrEqual(1.001);
      expect(line.box.y + line.box.h).toBeLessThanOrEqual(1.001);
    }
    // lines are in reading order, top to bottom
    const ys = lines.map((l) => l.box.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it("R-REV-3 reports the pages of a scan (one image, no text layer) as needing OCR, without reading them", async () => {
    const read = await readReport(await scannedPdf());
    expect(read).toMatchObject({ status: "needs_ocr", pages: 1, ocrPages: [1] });
  });

  it("R-REV-3 refuses what is not a PDF with the reason, never as a report without text", async () => {
    const read = await readReport(new TextEncoder().encode("not a pdf"));
    expect(read.status).toBe("failed");
  });
});
