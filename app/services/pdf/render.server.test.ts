import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import fontkit from "@pdf-lib/fontkit";
import { PDFDocument } from "pdf-lib";
import { afterAll, describe, expect, test } from "vitest";

import { type DocumentSpec, findMissingCharacters, MISSING_GLYPH_MARKER, renderPdf } from "../pdf.server.ts";

// --- PDF checks with the Debian tools (mupdf-tools, poppler-utils) -----------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pdf-service-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function run(command: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** Writes the PDF and gives its text (per page or whole) and mupdf's complaints while rendering it. */
function inspect(bytes: Uint8Array) {
  const file = path.join(dir, `doc-${++fileCount}.pdf`);
  fs.writeFileSync(file, bytes);
  return {
    file,
    /**
     * Text as pdftotext reads it, all whitespace removed (so wrapped lines join up again). With
     * `layout`, table rows come out as lines, so a row's cells read in order.
     */
    text(page?: number, options: { layout?: boolean } = {}): string {
      const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
      const layout = options.layout ? ["-layout"] : [];
      const result = run("pdftotext", ["-enc", "UTF-8", ...layout, ...range, file, "-"]);
      expect(result.status, result.stderr).toBe(0);
      return result.stdout.replace(/\s+/g, "");
    },
    /**
     * Everything mutool says while rasterising every page, except its progress lines and the build's
     * notice about colour management. Broken glyph outlines show up here ("invalid outline",
     * "cannot render glyph") although pdftoppm renders them silently as blanks.
     */
    mutoolProblems(): string[] {
      const result = run("mutool", ["draw", "-r", "20", "-o", "/dev/null", file]);
      expect(result.status).toBe(0);
      return result.stderr
        .split("\n")
        .filter((line) => line.trim() !== "")
        .filter((line) => !/^page \S+ \d+/.test(line) && line !== "warning: ICC support is not available");
    },
    pages(): number {
      const result = run("pdfinfo", [file]);
      const match = /^Pages:\s+(\d+)/m.exec(result.stdout);
      return Number(match?.[1]);
    },
  };
}

const squash = (s: string) => s.replace(/\s+/g, "");

// --- rendering --------------------------------------------------------------------------------------

function sampleSpec(rows: number): DocumentSpec {
  return {
    title: "版式测试",
    runningHeader: "批次号：BF-2022-001",
    blocks: [
      { type: "title", text: "智能化改造咨询诊断版式测试", subtitle: "2022年智能化改造咨询诊断工程专项资金补助项目" },
      { type: "heading", text: "一、基本情况" },
      {
        type: "paragraph",
        indent: true,
        text: "为加快推动我区经济数字化转型，支持民营企业智能化改造，进一步促进民营经济高质量发展，现就申报本年度智能化改造咨询诊断工程的有关事项制定方案如下。Codes like 91370303MA3C4XXX7Y stay whole.",
      },
      {
        type: "keyValue",
        pairsPerRow: 2,
        items: [
          { key: "服务商", value: "山东捷瑞数字科技股份有限公司" },
          { key: "统一社会信用代码", value: "91370303MA3C4XXX7Y" },
          { key: "诊断报告", value: "山东联美弹簧科技股份有限公司智能化改造诊断报告", wide: true },
        ],
      },
      {
        type: "table",
        columns: [
          { header: "序号", width: 6, align: "center" },
          { header: "企业名称", width: 40 },
          { header: "摘要", width: 38, mono: true },
          { header: "金额（元）", width: 16, align: "right" },
        ],
        rows: Array.from({ length: rows }, (_, i) => [
          String(i + 1),
          `淄博第${i + 1}号机械有限公司`,
          "e3b0c44298fc1c149afbf4c8996fb924\n27ae41e4649b934ca495991b7852b855",
          "10,000.00",
        ]),
      },
      {
        type: "signatures",
        parties: [
          { lines: ["服务商（盖章）：", "日期：____年__月__日"] },
          { lines: ["被诊断企业（盖章）：", "日期：____年__月__日"] },
        ],
      },
    ],
  };
}

describe("renderPdf", () => {
  test("renders every kind of block in Chinese, readable back and with sound glyphs", async () => {
    const result = await renderPdf(sampleSpec(5));
    expect(result.missingCharacters).toEqual([]);
    expect(result.pageCount).toBe(1);
    const pdf = inspect(result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    for (const needle of [
      "智能化改造咨询诊断版式测试",
      "2022年智能化改造咨询诊断工程专项资金补助项目",
      "一、基本情况",
      "为加快推动我区经济数字化转型",
      "91370303MA3C4XXX7Y",
      "山东捷瑞数字科技股份有限公司",
      "企业名称",
      "淄博第5号机械有限公司",
      "e3b0c44298fc1c149afbf4c8996fb924",
      "服务商（盖章）：",
      "日期：____年__月__日",
      "批次号：BF-2022-001",
      "第1页/共1页",
    ]) {
      expect(text).toContain(squash(needle));
    }
  });

  test("embeds only the subset of the font the document uses", async () => {
    const result = await renderPdf(sampleSpec(5));
    // The full Noto Sans SC is 10 MB.
    expect(result.bytes.byteLength).toBeLessThan(120 * 1024);
  });

  test("breaks pages, repeats the table header on each and numbers the pages", async () => {
    const result = await renderPdf(sampleSpec(120));
    const pdf = inspect(result.bytes);
    expect(result.pageCount).toBeGreaterThan(3);
    expect(pdf.pages()).toBe(result.pageCount);
    expect(pdf.mutoolProblems()).toEqual([]);
    for (let page = 1; page <= result.pageCount; page++) {
      const text = pdf.text(page, { layout: true });
      expect(text).toContain("序号企业名称摘要金额（元）");
      expect(text).toContain(`第${page}页/共${result.pageCount}页`);
    }
    const all = pdf.text();
    for (let i = 1; i <= 120; i++) expect(all).toContain(`淄博第${i}号机械有限公司`);
    expect(pdf.text(result.pageCount)).toContain("被诊断企业（盖章）：");
  });

  test("splits a row taller than a page over pages", async () => {
    const long = "诊断建议应当包含简要实施方案，实施方案要包含硬件、软件两方面内容。".repeat(120);
    const result = await renderPdf({
      title: "长单元格",
      blocks: [
        {
          type: "table",
          columns: [
            { header: "项目", width: 1 },
            { header: "内容", width: 4 },
          ],
          rows: [["诊断建议", long]],
        },
      ],
    });
    expect(result.pageCount).toBeGreaterThan(1);
    const pdf = inspect(result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    expect(pdf.text(2)).toContain("项目内容");
    expect(pdf.text().split("诊断建议应当包含简要实施方案").length - 1).toBe(120);
  });

  test("marks and reports characters the font lacks instead of drawing empty boxes", async () => {
    // U+20BB7 (CJK Extension B) is not in Noto Sans SC.
    const result = await renderPdf({
      title: "缺字",
      blocks: [
        { type: "title", text: "𠮷野家" },
        { type: "paragraph", text: "企业名称：山东𠮷祥机械有限公司" },
        { type: "table", columns: [{ header: "企业", width: 1 }], rows: [["淄博𠮷利化工有限公司"]] },
      ],
    });
    expect(result.missingCharacters).toEqual(["𠮷"]);
    const pdf = inspect(result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    expect(text).toContain(`${MISSING_GLYPH_MARKER}野家`);
    expect(text).toContain(`山东${MISSING_GLYPH_MARKER}祥机械有限公司`);
    expect(text).toContain(`淄博${MISSING_GLYPH_MARKER}利化工有限公司`);
  });

  test("drops invisible characters rather than reporting them", async () => {
    const result = await renderPdf({
      title: "不可见字符",
      blocks: [{ type: "paragraph", text: "山东\u200b联美\ufeff弹簧\t科技\r\n股份有限公司" }],
    });
    expect(result.missingCharacters).toEqual([]);
    expect(inspect(result.bytes).text()).toContain("山东联美弹簧科技股份有限公司");
  });

  test("renders documents concurrently (one HarfBuzz instance, one font cache)", async () => {
    const results = await Promise.all([renderPdf(sampleSpec(3)), renderPdf(sampleSpec(40)), renderPdf(sampleSpec(3))]);
    for (const result of results) {
      const pdf = inspect(result.bytes);
      expect(pdf.mutoolProblems()).toEqual([]);
      expect(pdf.text()).toContain("淄博第3号机械有限公司");
    }
  });

  test("refuses a table row with more cells than columns", async () => {
    await expect(
      renderPdf({
        title: "x",
        blocks: [{ type: "table", columns: [{ header: "甲", width: 1 }], rows: [["一", "二"]] }],
      }),
    ).rejects.toThrow(/more cells/);
  });
});

describe("findMissingCharacters", () => {
  test("lists characters the font cannot draw, each once", async () => {
    expect(await findMissingCharacters("山东联美弹簧科技股份有限公司（ABC-123）")).toEqual([]);
    expect(await findMissingCharacters("𠮷野家𠮷 𪚥")).toEqual(["𠮷", "𪚥"]);
  });
});

describe("the mutool check itself", () => {
  test("notices the broken glyphs of pdf-lib's own subsetting of Noto Sans SC", async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const bytes = fs.readFileSync(
      path.resolve("node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"),
    );
    const font = await doc.embedFont(bytes, { subset: true });
    doc.addPage().drawText("智能化改造咨询诊断工程专项资金补助项目", { x: 40, y: 700, font, size: 14 });
    const pdf = inspect(await doc.save());
    expect(pdf.mutoolProblems().join("\n")).toMatch(/invalid outline|cannot render glyph/);
  });
});
