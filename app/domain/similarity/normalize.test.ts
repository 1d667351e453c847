import { describe, expect, it } from "vitest";

import {
  BREAK,
  cleanReportLine,
  cleanReportPages,
  foldForDisplay,
  isBoilerplateLine,
  isSealLine,
  normalizeReport,
  toOriginalRange,
} from "./normalize.ts";

const norm = (text: string) => normalizeReport(text).text;

describe("normalizeReport", () => {
  it("R-REV-3 folds full-width letters and digits to half-width and lower-cases Latin", () => {
    expect(norm("上线ＭＥＳ系统，２０２２年完成ＥＲＰ升级")).toBe("上线mes系统2022年完成erp升级");
    expect(norm("上线MES系统，2022年完成ERP升级")).toBe(norm("上线ＭＥＳ系统，２０２２年完成ＥＲＰ升级"));
  });

  it("R-REV-3 strips punctuation, symbols and every kind of whitespace", () => {
    expect(norm("设备 联网、\t数据\u3000采集（含“能耗”）：约 35%…")).toBe("设备联网数据采集含能耗约35");
    expect(norm("MES\u00a0系统 / ERP 系统")).toBe("mes系统erp系统");
  });

  it("R-REV-3 turns sentence ends into a single break, never at the start or end", () => {
    expect(norm("。企业现有员工326人。。主要生产陶瓷砖！是否联网？否；")).toBe(
      ["企业现有员工326人", "主要生产陶瓷砖", "是否联网", "否"].join(BREAK),
    );
  });

  it("R-REV-3 reads a paragraph the same however a PDF wrapped its lines", () => {
    const paragraph =
      "　　恒泰陶瓷现有辊道窑4条、自动压机11台，压制和烧成工序基本实现自动化，但原料配比仍依靠人工称量。";
    const wrapped = (width: number) =>
      Array.from({ length: Math.ceil(paragraph.length / width) }, (_, i) =>
        paragraph.slice(i * width, (i + 1) * width),
      ).join("\r\n");
    expect(norm(wrapped(13))).toBe(norm(paragraph));
    expect(norm(wrapped(29))).toBe(norm(paragraph));
    // LibreOffice PDFs put spaces between Chinese and Latin characters
    expect(norm("部署 MES 系统")).toBe(norm("部署MES系统"));
  });

  it("R-REV-3 removes the rubric's section titles and their usual sub-headings", () => {
    const text = [
      "一、基本情况",
      "（一）企业概况",
      "企业成立于2003年。",
      "(二) 自动化和信息化水平",
      "第二章 诊断建议",
      "1. 硬件方面",
      "1.2 软件方面",
      "三、项目测算",
      "（一）初步预算",
      "② 建设期",
      "经济效益：",
      "项目总投资约300万元。",
    ].join("\n");
    expect(norm(text)).toBe(["企业成立于2003年", "项目总投资约300万元"].join(BREAK));
  });

  it("R-REV-3 removes the report title, cover-page fields and page numbers", () => {
    const text = [
      "淄博恒泰陶瓷有限公司智能化改造数字化转型诊断报告",
      "编制单位：淄博联创工业互联网有限公司",
      "编制日期: 2022年10月18日",
      "目  录",
      "企业成立于2003年。",
      "- 3 -",
      "第 2 页 共 10 页",
      "12",
      "主要生产陶瓷砖。",
    ].join("\n");
    expect(norm(text)).toBe(["企业成立于2003年", "主要生产陶瓷砖"].join(BREAK));
  });

  it("R-REV-3 removes the rubric's criteria that reports quote under its headings", () => {
    const text = [
      "二、诊断建议",
      "1、诊断建议需提出被诊断企业需要数字化转型的具体内容或环节；",
      "建议企业建设MES系统。",
    ].join("\n");
    expect(norm(text)).toBe("建议企业建设mes系统");
  });

  it("R-REV-3 keeps content lines that merely mention a heading's words", () => {
    expect(norm("企业基本情况良好")).toBe("企业基本情况良好");
    expect(norm("预算约300万元")).toBe("预算约300万元");
    expect(isBoilerplateLine("诊断建议如下，企业应优先建设MES系统。")).toBe(false);
    expect(isBoilerplateLine("  （三）行业地位  ")).toBe(true);
  });

  it("R-REV-3 accepts further headings (a round's own template) as boilerplate", () => {
    expect(normalizeReport("四、附表说明\n企业成立于2003年。", { extraHeadings: ["附表说明"] }).text).toBe(
      "企业成立于2003年",
    );
    // Without it the line is content like any other: its numbering 四 is a CJK character and stays, and
    // a line without sentence punctuation runs on into the next (PDF extraction wraps lines anywhere).
    expect(norm("四、附表说明\n企业成立于2003年。")).toBe("四附表说明企业成立于2003年");
  });

  it("R-REV-3 maps every normalized character back to the original text", () => {
    const original = "一、基本情况\n　　恒泰陶瓷上线了ＭＥＳ系统，\n窑炉温度由仪表显示。";
    const n = normalizeReport(original);
    expect(n.text).toBe(`恒泰陶瓷上线了mes系统窑炉温度由仪表显示`);
    expect(n.contentLength).toBe(n.text.length);
    const start = n.text.indexOf("mes");
    const range = toOriginalRange(n, start, start + 3);
    expect(original.slice(range.start, range.end)).toBe("ＭＥＳ");
    const across = n.text.indexOf("系统窑炉");
    const r2 = toOriginalRange(n, across, across + 4);
    expect(original.slice(r2.start, r2.end)).toBe("系统，\n窑炉");
  });

  it("R-REV-3 keeps characters outside the Basic Multilingual Plane whole", () => {
    const original = "𠮷野家，上线MES。";
    const n = normalizeReport(original);
    expect(n.text).toBe("𠮷野家上线mes");
    const range = toOriginalRange(n, 0, 2);
    expect(original.slice(range.start, range.end)).toBe("𠮷");
  });

  it("R-REV-3 expands compatibility characters whose NFKC form is longer", () => {
    const original = "㍻元年成立，注册资本㍱万。";
    const n = normalizeReport(original);
    expect(n.text).toBe("平成元年成立注册资本hpa万");
    const range = toOriginalRange(n, 0, 2);
    expect(original.slice(range.start, range.end)).toBe("㍻");
  });

  it("R-REV-3 gives an empty text for a report of headings only", () => {
    const n = normalizeReport("一、基本情况\n二、诊断建议\n三、项目测算\n");
    expect(n).toMatchObject({ text: "", contentLength: 0 });
  });
});

describe("cleanReportLine (PDF text and OCR text alike)", () => {
  it("R-REV-3 maps Kangxi-radical code points from PDF text back to the ideographs (NFKC)", () => {
    // ⾠ U+2FA0 and ⽓ U+2F53 as PDFs extract them, for 辰 and 气
    expect(cleanReportLine("淄博\u2FA0祥电\u2F53有限公司")).toBe("淄博辰祥电气有限公司");
    expect(normalizeReport("淄博\u2FA0祥电\u2F53有限公司上线MES").text).toBe(
      normalizeReport("淄博辰祥电气有限公司上线MES").text,
    );
  });

  it("R-REV-3 folds full-width letters and digits but keeps Chinese punctuation full-width", () => {
    expect(cleanReportLine("上线ＭＥＳ系统，２０２２年（一期）完成：约３５％。")).toBe(
      "上线MES系统，2022年（一期）完成：约35％。",
    );
  });

  it("R-REV-3 corrects OCR's ASCII punctuation beside Chinese characters", () => {
    expect(cleanReportLine("企业现有员工326人,其中技术人员24人;主要产品:弹簧(悬架).")).toBe(
      "企业现有员工326人，其中技术人员24人；主要产品：弹簧（悬架）。",
    );
    expect(cleanReportLine("是否联网?否!")).toBe("是否联网？否！");
    // Between Latin letters and digits, ASCII stays ASCII: version numbers, decimals, lists
    expect(cleanReportLine("MES v2.1, ERP 3.5")).toBe("MES v2.1, ERP 3.5");
    // What OCR reads and what the PDF says normalise to the same text
    expect(normalizeReport(cleanReportLine("员工326人.主要产品包括弹簧,稳定杆")).text).toBe(
      normalizeReport("员工326人。主要产品包括弹簧，稳定杆").text,
    );
  });
});

describe("seal text (R-REV-3: a red seal never makes two reports alike)", () => {
  it("R-REV-3 recognises the words inside and around a seal, not content that mentions a seal", () => {
    expect(isSealLine("淄博恒泰陶瓷有限公司公章")).toBe(true);
    expect(isSealLine("★ 合同专用章 ★")).toBe(true);
    expect(isSealLine("（盖章）")).toBe(true);
    expect(isSealLine("合同需加盖公章。")).toBe(false);
    expect(isSealLine("企业成立于2003年")).toBe(false);
  });

  it("R-REV-3 drops seal lines and lines every page repeats, keeping each page's own content", () => {
    const page = (n: number, body: string) => [
      { text: "淄博恒泰陶瓷有限公司", data: n },
      { text: body, data: n },
      { text: "★公章★", data: n },
      { text: "恒泰陶瓷智能化改造诊断报告（内部资料）", data: n },
    ];
    const pages = cleanReportPages([
      page(1, "企业成立于2003年。"),
      page(2, "主要生产陶瓷砖。"),
      page(3, "年产值约3亿元。"),
    ]);
    expect(pages.map((lines) => lines.map((line) => line.text))).toEqual([
      ["企业成立于2003年。"],
      ["主要生产陶瓷砖。"],
      ["年产值约3亿元。"],
    ]);
    expect(pages[1]?.[0]?.data).toBe(2);
  });

  it("R-REV-3 gives two distinct sealed reports of the same enterprise no common text but headings", () => {
    const sealed = (body: string[]) =>
      cleanReportPages(
        body.map((line) => [
          { text: "淄博恒泰陶瓷有限公司", data: 0 },
          { text: "一、基本情况", data: 0 },
          { text: line, data: 0 },
          { text: "公章", data: 0 },
        ]),
      )
        .flat()
        .map((line) => line.text)
        .join("\n");
    const a = normalizeReport(sealed(["企业成立于2003年，主要生产陶瓷砖。", "建议建设MES系统。"])).text;
    const b = normalizeReport(sealed(["窑炉温度由仪表显示，需人工记录。", "预算约三百万元。"])).text;
    expect(a).toBe(["企业成立于2003年主要生产陶瓷砖", "建议建设mes系统"].join(BREAK));
    expect(b).toBe(["窑炉温度由仪表显示需人工记录", "预算约三百万元"].join(BREAK));
  });

  it("R-REV-3 treats a seal line as boilerplate when matching text stored before cleaning", () => {
    expect(norm("企业成立于2003年。\n淄博恒泰陶瓷有限公司公章\n主要生产陶瓷砖。")).toBe(
      ["企业成立于2003年", "主要生产陶瓷砖"].join(BREAK),
    );
  });
});

describe("foldForDisplay", () => {
  it("R-REV-3 shows ⾠祥电⽓ as 辰祥电气 without moving any offset", () => {
    const stored = "淄博\u2FA0祥电\u2F53，ＭＥＳ";
    const shown = foldForDisplay(stored);
    expect(shown).toBe("淄博辰祥电气，MES");
    expect(shown.length).toBe(stored.length);
  });
});
