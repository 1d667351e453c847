import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, test } from "vitest";

import { renderPdf } from "~/services/pdf.server.ts";

import {
  buildDisbursementList,
  type DisbursementAmount,
  type DisbursementListData,
  disbursementListSpec,
} from "./disbursement-list.server.ts";
import { buildPledge, type PledgeData, pledgeSpec } from "./pledge.server.ts";
import { buildPublicNotice, type PublicNoticeData, publicNoticeSpec } from "./public-notice.server.ts";
import { buildPublicNoticeDocx } from "./public-notice-docx.server.ts";
import { buildReceipt, type ReceiptData, receiptSpec } from "./receipt.server.ts";
import { buildScoreSheet, type ScoreSheetData, scoreSheetSpec } from "./score-sheet.server.ts";
import { buildSummaryTable, type SummaryTableData, summaryTableSpec } from "./summary-table.server.ts";

// --- PDF checks with the Debian tools (mupdf-tools, poppler-utils) -----------------------------------
// Set PDF_TEST_OUT to a folder to keep the generated PDFs (e.g. to look at them with pdftoppm).

const keep = process.env.PDF_TEST_OUT;
const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "pdf-documents-test-"));
fs.mkdirSync(dir, { recursive: true });
afterAll(() => {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function inspect(name: string, bytes: Uint8Array) {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return {
    /** pdftotext's text with all whitespace removed; with `layout`, table rows read in order. */
    text(page?: number, options: { layout?: boolean; raw?: boolean } = {}): string {
      const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
      const layout = options.layout ? ["-layout"] : options.raw ? ["-raw"] : [];
      const result = run("pdftotext", ["-enc", "UTF-8", ...layout, ...range, file, "-"]);
      expect(result.status, result.stderr).toBe(0);
      return result.stdout.replace(/\s+/g, "");
    },
    /** What mutool complains about while rasterising every page (broken glyphs, fonts, objects). */
    mutoolProblems(): string[] {
      const result = run("mutool", ["draw", "-r", "20", "-o", "/dev/null", file]);
      expect(result.status).toBe(0);
      return result.stderr
        .split("\n")
        .filter((line) => line.trim() !== "")
        .filter((line) => !/^page \S+ \d+/.test(line) && line !== "warning: ICC support is not available");
    },
    pages(): number {
      return Number(/^Pages:\s+(\d+)/m.exec(run("pdfinfo", [file]).stdout)?.[1]);
    },
  };
}

function expectText(text: string, needles: string[]): void {
  for (const needle of needles) expect(text).toContain(needle.replace(/\s+/g, ""));
}

// --- fixtures ---------------------------------------------------------------------------------------

const ROUND = "2022年智能化改造咨询诊断工程专项资金补助项目";
const provider = { name: "山东捷瑞数字科技股份有限公司", creditCode: "91370303MA3C4XXX7Y" };
const enterprise = { name: "山东联美弹簧科技股份有限公司", creditCode: "913703007535866511" };

/** Money as the caller passes it; capitals here are fixed strings for the few amounts used. */
const CAPITALS = new Map<number, string>([
  [1_000_000, "壹万元整"],
  [876_540, "捌仟柒佰陆拾伍元肆角"],
]);
function amount(fen: number, capital?: string): DisbursementAmount {
  const yuan = Math.floor(fen / 100);
  return {
    amountFen: fen,
    amountText: `${yuan.toLocaleString("en-US")}.${String(fen % 100).padStart(2, "0")}`,
    amountCapital: capital ?? CAPITALS.get(fen) ?? `（大写${fen}分）`,
  };
}

function pledgeData(overrides: Partial<PledgeData> = {}): PledgeData {
  return {
    roundName: ROUND,
    provider,
    enterprise,
    reportTitle: "山东联美弹簧科技股份有限公司智能化改造诊断报告",
    applicationNumber: "ZD2022-0001",
    ...overrides,
  };
}

function summaryData(count: number): SummaryTableData {
  const applications = Array.from({ length: count }, (_, i) => ({
    enterpriseName: `淄博第${i + 1}号机械制造有限公司`,
    enterpriseCreditCode: `91370303MA3C${String(i).padStart(5, "0")}X`,
    contractAmount: amount(i % 5 === 4 ? 876_540 : 1_000_000),
    contractSignedOn: "2022-10-08",
    diagnosisCompletedOn: "2022-11-03",
    reportTitle: `淄博第${i + 1}号机械制造有限公司智能化改造诊断报告`,
  }));
  const total = applications.reduce((sum, a) => sum + a.contractAmount.amountFen, 0);
  return {
    roundName: ROUND,
    provider,
    applications,
    totalContractAmount: amount(total),
    generatedAt: "2022-12-18 10:00",
  };
}

const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
function receiptData(): ReceiptData {
  return {
    applicationNumber: "ZD2022-0001",
    roundName: ROUND,
    provider,
    enterprise,
    submittedAt: "2022-12-19 15:32:08（北京时间）",
    files: [
      { material: "M1 服务商营业执照复印件", fileName: "营业执照.pdf", sha256: SHA },
      { material: "M5 现场调研照片（车间现场）", fileName: "IMG_20221103_093012.jpg", sha256: "0".repeat(64) },
      {
        material: "M8 诊断报告原件",
        fileName: "山东联美弹簧科技股份有限公司智能化改造诊断报告（盖章版）.pdf",
        sha256: "ab".repeat(32),
      },
    ],
  };
}

/** `lines` enterprises spread round-robin over `providers` providers. */
function disbursementData(lines: number, providers: number): DisbursementListData {
  const groups = Array.from({ length: providers }, (_, p) => ({
    providerName: `第${p + 1}号工业互联网服务商有限公司`,
    providerCreditCode: `91370303MA3D${String(p).padStart(5, "0")}Y`,
    lines: [] as DisbursementListData["groups"][number]["lines"],
    subtotal: amount(0),
  }));
  for (let i = 0; i < lines; i++) {
    const group = groups[i % providers];
    if (!group) throw new Error("no group");
    group.lines.push({
      enterpriseName: `淄博被诊断企业${i + 1}号有限公司`,
      enterpriseCreditCode: `91370303MA3E${String(i).padStart(5, "0")}Z`,
      applicationNumber: `ZD2022-${String(i + 1).padStart(4, "0")}`,
      amount: amount(i % 7 === 6 ? 876_540 : 1_000_000),
    });
  }
  for (const group of groups) {
    group.subtotal = amount(group.lines.reduce((sum, line) => sum + line.amount.amountFen, 0));
  }
  return {
    batchNumber: "BF-2022-001",
    roundName: ROUND,
    preparedBy: "王晓明",
    preparedOn: "2023-01-16",
    approvedBy: "李建国",
    approvedOn: "2023-01-18",
    groups,
    total: amount(
      groups.reduce((sum, group) => sum + group.subtotal.amountFen, 0),
      "（合计大写）",
    ),
  };
}

function scoreSheetData(overrides: Partial<ScoreSheetData> = {}): ScoreSheetData {
  return {
    roundName: ROUND,
    applicationNumber: "ZD2022-0001",
    providerName: provider.name,
    enterpriseName: enterprise.name,
    reportTitle: "山东联美弹簧科技股份有限公司智能化改造诊断报告",
    expertName: "赵志强",
    sections: {
      basic: { score: 26, comment: "企业自动化、信息化现状描述清楚，行业对比数据翔实。" },
      advice: { score: 33.5, comment: "实施方案涵盖硬件与软件，可操作性较强。" },
      estimate: { score: 20, comment: "预算与建设期合理，经济效益测算偏粗。" },
    },
    deduction: { points: 20, reason: "第五章大量篇幅推介服务商自有 MES 产品。" },
    veto: null,
    total: 59.5,
    submittedAt: "2023-01-05 16:20",
    ...overrides,
  };
}

// --- tests ------------------------------------------------------------------------------------------

describe("M9 authenticity pledge", () => {
  test("is pre-filled with both parties, the report and the pledge, on one page", async () => {
    const result = await renderPdf(pledgeSpec(pledgeData()));
    expect(result.missingCharacters).toEqual([]);
    expect(result.pageCount).toBe(1);
    const pdf = inspect("pledge", result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    expectText(pdf.text(), [
      "诊断报告真实性承诺书",
      ROUND,
      "张店区工业和信息化局：",
      provider.name,
      provider.creditCode,
      enterprise.name,
      enterprise.creditCode,
      "《山东联美弹簧科技股份有限公司智能化改造诊断报告》",
      "ZD2022-0001",
      "真实、准确、完整",
      "由被诊断企业签字盖章确认",
      "自愿承担相应法律责任",
      "特此承诺。",
      "服务商（盖章）：",
      "被诊断企业（盖章）：",
      "法定代表人或授权代表（签字）：",
      "日期：____年__月__日",
      "第1页/共1页",
    ]);
  });

  test("buildPledge returns the PDF of the pledge, with the parties and no application number yet", async () => {
    const data = pledgeData({ applicationNumber: undefined });
    const pdf = inspect("pledge-built", await buildPledge(data));
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    expectText(text, [provider.name, enterprise.name, "特此承诺。"]);
    expect(text).not.toContain("ZD2022-0001");
  });

  test("reports a name the font cannot print", async () => {
    const result = await renderPdf(
      pledgeSpec(pledgeData({ enterprise: { name: "淄博𠮷利化工有限公司", creditCode: "913703007535866511" } })),
    );
    expect(result.missingCharacters).toEqual(["𠮷"]);
    expect(inspect("pledge-missing", result.bytes).text()).toContain("淄博〓利化工有限公司");
  });
});

describe("M7 summary of diagnosed enterprises", () => {
  test("lists 100 applications with the header on every page and the total at the end", async () => {
    const data = summaryData(100);
    const result = await renderPdf(summaryTableSpec(data));
    expect(result.missingCharacters).toEqual([]);
    expect(result.pageCount).toBeGreaterThan(1);
    const pdf = inspect("summary-table", result.bytes);
    expect(pdf.pages()).toBe(result.pageCount);
    expect(pdf.mutoolProblems()).toEqual([]);
    for (let page = 1; page <= result.pageCount; page++) {
      expect(pdf.text(page, { layout: true })).toContain(
        "序号企业名称统一社会信用代码合同金额（元）合同签订日期诊断完成日期诊断报告名称",
      );
    }
    const text = pdf.text();
    expectText(text, [
      "被诊断企业汇总表",
      ROUND,
      provider.name,
      provider.creditCode,
      "91370303MA3C00099X",
      "2022-10-08",
      "2022-11-03",
    ]);
    for (let i = 1; i <= 100; i++) expect(text).toContain(`淄博第${i}号机械制造有限公司智能化改造诊断报告`);
    const last = pdf.text(result.pageCount, { layout: true });
    expect(last).toContain(`合计（共100家）${data.totalContractAmount.amountText}`);
    expectText(last, ["服务商（盖章）：", "日期：____年__月__日"]);
    expect(data.totalContractAmount.amountText).toBe("975,308.00");
  });

  test("buildSummaryTable returns the PDF bytes", async () => {
    const bytes = await buildSummaryTable(summaryData(3));
    expect(inspect("summary-table-3", bytes).text()).toContain("合计（共3家）");
  });

  test("refuses a total that does not match its rows", () => {
    const data = summaryData(3);
    expect(() => summaryTableSpec({ ...data, totalContractAmount: amount(1) })).toThrow(/does not match/);
  });
});

describe("submission receipt", () => {
  test("lists every file with its full SHA-256 and says it is an electronic receipt", async () => {
    const data = receiptData();
    const result = await renderPdf(receiptSpec(data));
    expect(result.missingCharacters).toEqual([]);
    const pdf = inspect("receipt", result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    expectText(text, [
      "申报材料提交回执",
      ROUND,
      "ZD2022-0001",
      "2022-12-19 15:32:08（北京时间）",
      provider.name,
      provider.creditCode,
      enterprise.name,
      enterprise.creditCode,
      "M1 服务商营业执照复印件",
      "营业执照.pdf",
      "IMG_20221103_093012.jpg",
      "电子回执",
    ]);
    // Each digest is printed whole (over two lines of its cell).
    for (const file of data.files) expect(text).toContain(file.sha256);
  });

  test("buildReceipt returns the PDF of the receipt, with every file's digest", async () => {
    const data = receiptData();
    const pdf = inspect("receipt-built", await buildReceipt(data));
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    expectText(text, [provider.name, enterprise.name]);
    for (const file of data.files) expect(text).toContain(file.sha256);
  });

  test("refuses something that is not a SHA-256 digest", () => {
    const data = receiptData();
    expect(() => receiptSpec({ ...data, files: [{ material: "M1", fileName: "a.pdf", sha256: "abc" }] })).toThrow(
      /SHA-256/,
    );
  });
});

describe("disbursement list (R-PAY-2)", () => {
  test("shows each provider's enterprises with amounts in figures and capitals, and the signatures", async () => {
    const data = disbursementData(5, 2);
    const result = await renderPdf(disbursementListSpec(data));
    expect(result.missingCharacters).toEqual([]);
    const pdf = inspect("disbursement-small", result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text(undefined, { layout: true });
    expectText(text, [
      "专项资金拨付明细表",
      ROUND,
      "BF-2022-001",
      "王晓明",
      "2023-01-16",
      "李建国",
      "2023-01-18",
      "服务商：第1号工业互联网服务商有限公司统一社会信用代码：91370303MA3D00000Y共3家",
      "服务商：第2号工业互联网服务商有限公司",
      "淄博被诊断企业1号有限公司91370303MA3E00000ZZD2022-000110,000.00壹万元整",
      `小计${data.groups[0]?.subtotal.amountText}`,
      `合计（2个服务商，5家企业）${data.total.amountText}（合计大写）`,
      "经办人（签字）：",
      "审核人（签字）：",
      "分管领导（签字）：",
      "单位（盖章）：",
    ]);
  });

  test("a 1,000-line list breaks pages, repeats the header and ends with the total", async () => {
    const data = disbursementData(1000, 36);
    const result = await renderPdf(disbursementListSpec(data));
    expect(result.missingCharacters).toEqual([]);
    expect(result.pageCount).toBeGreaterThan(20);
    const pdf = inspect("disbursement-1000", result.bytes);
    expect(pdf.pages()).toBe(result.pageCount);
    expect(pdf.mutoolProblems()).toEqual([]);
    // Only the font subset is embedded (the full font is 10 MB).
    expect(result.bytes.byteLength).toBeLessThan(1024 * 1024);
    for (let page = 1; page <= result.pageCount; page++) {
      const text = pdf.text(page, { layout: true });
      // Every page of the table repeats its header (the signatures may fall on a page of their own).
      if (text.includes("淄博被诊断企业"))
        expect(text).toContain("序号被诊断企业统一社会信用代码申报编号金额（元）大写金额");
      expect(text).toContain(`第${page}页/共${result.pageCount}页`);
      expect(text).toContain("批次号：BF-2022-001");
    }
    const all = pdf.text();
    for (let i = 1; i <= 1000; i++) expect(all).toContain(`淄博被诊断企业${i}号有限公司`);
    // The total ends the table; the signatures follow it (on the same page, or alone on the next).
    const last = pdf.text(result.pageCount, { layout: true });
    const totalPage = last.includes("合计（36个服务商") ? result.pageCount : result.pageCount - 1;
    expect(pdf.text(totalPage, { layout: true })).toContain(
      `合计（36个服务商，1000家企业）${data.total.amountText}（合计大写）`,
    );
    expectText(last, ["经办人（签字）：", "单位（盖章）："]);
    for (let page = 1; page < totalPage; page++) expect(pdf.text(page)).not.toContain("合计（36个服务商");
  });

  test("buildDisbursementList returns the PDF bytes; a draft batch shows it awaits approval", async () => {
    const data = disbursementData(3, 1);
    const bytes = await buildDisbursementList({ ...data, approvedBy: undefined, approvedOn: undefined });
    expect(inspect("disbursement-draft", bytes).text()).toContain("（待审核）");
  });

  test("R-PAY-3 a batch printed before approval carries 待审批 on every page; an approved one does not", async () => {
    const data = disbursementData(200, 5);
    const draft = await renderPdf(
      disbursementListSpec({ ...data, approvedBy: undefined, approvedOn: undefined, draft: true }),
    );
    expect(draft.pageCount).toBeGreaterThan(3);
    const pdf = inspect("disbursement-watermark", draft.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    for (let page = 1; page <= draft.pageCount; page++)
      expect(pdf.text(page, { raw: true }).split("待审批").length - 1, `page ${page}: header and watermark`).toBe(2);
    const approved = inspect("disbursement-approved", await buildDisbursementList(data));
    expect(approved.text(1)).not.toContain("待审批");
  });

  test("R-PAY-3 prints each provider's payee account (开户名称, 开户银行, 银行账号)", async () => {
    const data = disbursementData(4, 2);
    const payee = {
      accountName: "第1号工业互联网服务商有限公司",
      bankName: "中国工商银行淄博张店支行",
      accountNumber: "1603001209200123456",
    };
    const [first, second] = data.groups;
    if (!first || !second) throw new Error("fixture");
    const text = inspect(
      "disbursement-payee",
      await buildDisbursementList({
        ...data,
        groups: [
          { ...first, payee },
          { ...second, payee: null },
        ],
      }),
    ).text(undefined, { layout: true });
    expectText(text, [
      "开户名称：第1号工业互联网服务商有限公司",
      "开户银行：中国工商银行淄博张店支行",
      "银行账号：1603 0012 0920 0123 456",
      "收款账户：未登记",
    ]);
  });

  test("refuses subtotals or totals that do not add up", () => {
    const data = disbursementData(4, 2);
    const [first, second] = data.groups;
    if (!first || !second) throw new Error("fixture");
    expect(() => disbursementListSpec({ ...data, groups: [{ ...first, subtotal: amount(1) }, second] })).toThrow(
      /does not match/,
    );
    expect(() => disbursementListSpec({ ...data, total: amount(1) })).toThrow(/does not match/);
  });
});

describe("expert score sheet", () => {
  test("prints the three sections, deduction, veto, total and the signature line", async () => {
    const result = await renderPdf(scoreSheetSpec(scoreSheetData()));
    expect(result.missingCharacters).toEqual([]);
    expect(result.pageCount).toBe(1);
    const pdf = inspect("score-sheet", result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    const text = pdf.text();
    expectText(text, [
      "智能化改造评估诊断报告专家评分表",
      ROUND,
      "ZD2022-0001",
      "赵志强",
      provider.name,
      enterprise.name,
      "基本情况",
      "诊断建议",
      "项目测算",
      "企业自动化、信息化现状描述清楚，行业对比数据翔实。",
      "扣分理由：第五章大量篇幅推介服务商自有 MES 产品。",
      "评审专家签字：________",
      "日期：______",
    ]);
    const layout = pdf.text(1, { layout: true });
    expect(layout).toMatch(/基本情况30.*26/);
    expect(layout).toMatch(/诊断建议40.*33\.5/);
    expect(layout).toMatch(/项目测算30.*20/);
    expect(layout).toMatch(/扣分项-20.*-20/);
    expect(layout).toMatch(/合计100.*59\.5/);
  });

  test("shows a veto with its evidence", async () => {
    const bytes = await buildScoreSheet(
      scoreSheetData({
        deduction: null,
        veto: { reason: "与申报编号 ZD2022-0007 的报告第三章文字雷同。" },
        total: 79.5,
      }),
    );
    const pdf = inspect("score-sheet-veto", bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    expectText(pdf.text(), ["否决依据：与申报编号 ZD2022-0007 的报告第三章文字雷同。", "一票否决，不予通过", "79.5"]);
  });

  test("refuses a section score outside its range", () => {
    const data = scoreSheetData();
    expect(() =>
      scoreSheetSpec({ ...data, sections: { ...data.sections, advice: { score: 41, comment: "" } } }),
    ).toThrow(/0–40/);
  });
});

describe("disbursement list of an approved correction (R-PAY-3)", () => {
  test("prints the digest fixed at approval and the batch it corrects; before approval, says the digest is pending", async () => {
    const digest = "0123456789abcdef".repeat(4);
    const approved = inspect(
      "disbursement-correction",
      (await renderPdf(disbursementListSpec({ ...disbursementData(3, 1), digest, correctsBatchNumber: "BF-2022-000" })))
        .bytes,
    );
    expectText(approved.text(undefined, { layout: true }), [
      "内容摘要（SHA-256）",
      digest,
      "本批次更正并取代批次BF-2022-000",
    ]);
    const pending = inspect(
      "disbursement-pending",
      (
        await renderPdf(
          disbursementListSpec({ ...disbursementData(3, 1), approvedBy: undefined, approvedOn: undefined }),
        )
      ).bytes,
    );
    const text = pending.text(undefined, { layout: true });
    expectText(text, ["（待审核）", "（审批后生成）"]);
    expect(text).not.toContain("更正并取代");
  });
});

describe("public notice (公示)", () => {
  const notice: PublicNoticeData = {
    roundName: ROUND,
    period: { opens: "2022-12-21 00:00", closes: "2022-12-27 23:59" },
    entries: [
      {
        seq: 1,
        enterpriseName: enterprise.name,
        providerName: provider.name,
        amountText: "10,000.00",
        amountCapital: "壹万元整",
      },
      {
        seq: 2,
        enterpriseName: "淄博美林电子有限公司",
        providerName: provider.name,
        amountText: "8,765.40",
        amountCapital: "捌仟柒佰陆拾伍元肆角",
      },
    ],
    total: { text: "18,765.40", capital: "壹万捌仟柒佰陆拾伍元肆角" },
    objectionText: "如有异议，请于公示期内向区工信局两化融合科书面反映，电话 2869847。",
    authority: "张店区工业和信息化局",
    issuedOn: "2022年12月21日",
  };

  test("R-PAY-3 the PDF carries the entries, right-aligned amounts, the objection text and the authority and date line", async () => {
    const result = await renderPdf(publicNoticeSpec(notice));
    expect(result.missingCharacters).toEqual([]);
    const pdf = inspect("public-notice", result.bytes);
    expect(pdf.mutoolProblems()).toEqual([]);
    expectText(pdf.text(undefined, { layout: true }), [
      "评审结果公示",
      "公示期：2022-12-2100:00至2022-12-2723:59（北京时间）",
      "10,000.00壹万元整",
      "淄博美林电子有限公司8,765.40",
      "合计18,765.40",
      "书面反映，电话2869847",
      "张店区工业和信息化局2022年12月21日",
    ]);
    // Right-aligned: in the layout text, the two amounts end at the same column.
    const raw = spawnSync("pdftotext", ["-layout", path.join(dir, "public-notice.pdf"), "-"], {
      encoding: "utf8",
    }).stdout.split("\n");
    const end = (needle: string) => {
      const line = raw.find((l) => l.includes(needle)) ?? "";
      return line.indexOf(needle) + needle.length;
    };
    expect(end("10,000.00")).toBe(end("8,765.40"));
    const built = await buildPublicNotice(notice);
    expect(built.byteLength).toBeGreaterThan(1000);
  });

  test("the .docx holds the same text", async () => {
    const bytes = await buildPublicNoticeDocx(notice);
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    const file = path.join(dir, "public-notice.docx");
    fs.writeFileSync(file, bytes);
    const xml = run("unzip", ["-p", file, "word/document.xml"]).stdout;
    for (const needle of [
      enterprise.name,
      "10,000.00",
      "壹万捌仟柒佰陆拾伍元肆角",
      "张店区工业和信息化局",
      "2022年12月21日",
    ])
      expect(xml).toContain(needle);
    expect(xml).toContain('<w:jc w:val="right"/>');
  });
});
