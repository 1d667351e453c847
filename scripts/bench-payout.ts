/**
 * Benchmark of the printed documents (`npm run bench:payout`, i.e. `tsx scripts/bench-payout.ts`).
 *
 * Builds a 1,000-line disbursement list (R-PAY-2) spread over the 36 providers of the 2022 list from
 * generated data, and a receipt, a pledge and a 100-application summary table. Each document is made
 * once to warm up (fonts read, WebAssembly compiled), then RUNS more times; the median is reported.
 * Goals: list < 2 s and small (only the font subset embedded); receipt and pledge < 300 ms;
 * summary of 100 < 1 s.
 *
 * Last two lines, for scripts that read them:
 *   FIGURES receipt_ms=<n> pledge_ms=<n> summary100_ms=<n>
 *   RESULT pdf1000_ms=<n> pdf1000_kb=<n>
 */
import fs from "node:fs";
import path from "node:path";

import Nzh from "nzh";

import {
  buildDisbursementList,
  type DisbursementAmount,
  type DisbursementGroup,
} from "~/services/documents/disbursement-list.server.ts";
import { buildPledge } from "~/services/documents/pledge.server.ts";
import { buildReceipt } from "~/services/documents/receipt.server.ts";
import { buildSummaryTable, type SummaryTableApplication } from "~/services/documents/summary-table.server.ts";

const RUNS = 5;
const LINES = 1000;
const ROUND = "2022年智能化改造咨询诊断工程专项资金补助项目";

// Deterministic pseudo-random numbers, so every run measures the same documents.
let state = 20221220;
function random(): number {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

// GB 32100-2015 check character, so the generated codes look like real ones.
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode(): string {
  let body = "913703";
  while (body.length < 17) body += pick(Array.from(USCC_CHARS));
  const sum = Array.from(body).reduce((total, ch, i) => total + USCC_CHARS.indexOf(ch) * (USCC_WEIGHTS[i] ?? 0), 0);
  return body + USCC_CHARS[(31 - (sum % 31)) % 31];
}

function amount(fen: number): DisbursementAmount {
  const yuan = Math.floor(fen / 100);
  const cents = String(fen % 100).padStart(2, "0");
  return {
    amountFen: fen,
    amountText: `${yuan.toLocaleString("en-US")}.${cents}`,
    amountCapital: Nzh.cn.toMoney(`${yuan}.${cents}`, { outSymbol: false }),
  };
}

function providerNames(): string[] {
  const csv = fs.readFileSync(path.join(import.meta.dirname, "..", "seeds", "providers-2022.csv"), "utf8");
  return csv
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[1] ?? "")
    .filter((name) => name !== "");
}

const PLACES = ["山东", "淄博", "张店"];
const WORDS = Array.from(
  "联美恒昌辰祥俊风美林天音元星汇能安澜工泵科汇泰光佳兴宝凤营新计保森杰亮正美田汇德泰霸佳柔津达华澳环亚旭升贝格巨胜世安兴玉鑫光铭辉翔瑞宇峰智臣九莹臻润圣马博丽朗净",
);
const TRADES = [
  "弹簧科技",
  "医疗科技",
  "电气设备",
  "家具",
  "电子",
  "生物科技",
  "电力自动化",
  "包装制品",
  "食品",
  "真空泵",
  "工贸",
  "清洁科技",
  "新材料科技",
  "饲料机械",
  "管业",
  "服饰",
  "线缆",
  "橡塑",
  "化工",
  "钢球",
  "阀门",
  "机械科技",
  "玻璃制品",
  "仪表制造",
];
function enterpriseName(): string {
  return `${pick(PLACES)}${pick(WORDS)}${pick(WORDS)}${pick(TRADES)}有限公司`;
}

function disbursementData() {
  const names = providerNames();
  const groups: DisbursementGroup[] = names.map((providerName) => ({
    providerName,
    providerCreditCode: creditCode(),
    lines: [],
    subtotal: amount(0),
  }));
  for (let i = 0; i < LINES; i++) {
    const group = groups[i % groups.length];
    if (!group) throw new Error("no provider");
    // Most contracts are worth at least 10,000 yuan; some less (R-PAY-1 pays the contract amount).
    const fen = random() < 0.8 ? 1_000_000 : Math.round(300_000 + random() * 690_000);
    group.lines.push({
      enterpriseName: enterpriseName(),
      enterpriseCreditCode: creditCode(),
      applicationNumber: `ZD2022-${String(i + 1).padStart(4, "0")}`,
      amount: amount(fen),
    });
  }
  for (const group of groups)
    group.subtotal = amount(group.lines.reduce((sum, line) => sum + line.amount.amountFen, 0));
  return {
    batchNumber: "BF-2022-001",
    roundName: ROUND,
    preparedBy: "王晓明",
    preparedOn: "2023-01-16",
    approvedBy: "李建国",
    approvedOn: "2023-01-18",
    digest: "9f2c5e0a7b31d4c8e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
    groups,
    total: amount(groups.reduce((sum, group) => sum + group.subtotal.amountFen, 0)),
  };
}

function hex64(): string {
  let out = "";
  while (out.length < 64) out += Math.floor(random() * 16).toString(16);
  return out;
}

const provider = { name: "山东捷瑞数字科技股份有限公司", creditCode: creditCode() };
const enterprise = { name: "山东联美弹簧科技股份有限公司", creditCode: creditCode() };

function receiptData() {
  const materials = [
    "M1 服务商营业执照复印件",
    "M2 被诊断企业营业执照复印件",
    "M3 现场诊断咨询会签到表",
    "M4 书面调研问卷复印件",
    "M5 现场调研照片（车间现场）",
    "M5 现场调研照片（诊断小组全部人员）",
    "M6 诊断合同",
    "M7 被诊断企业汇总表",
    "M8 诊断报告原件",
    "M9 真实性承诺书",
  ];
  return {
    applicationNumber: "ZD2022-0001",
    roundName: ROUND,
    provider,
    enterprise,
    submittedAt: "2022-12-19 15:32:08（北京时间）",
    files: materials.map((material, i) => ({ material, fileName: `材料${i + 1}-扫描件.pdf`, sha256: hex64() })),
  };
}

function pledgeData() {
  return {
    roundName: ROUND,
    provider,
    enterprise,
    reportTitle: "山东联美弹簧科技股份有限公司智能化改造诊断报告",
    applicationNumber: "ZD2022-0001",
  };
}

function summaryData(count: number) {
  const applications: SummaryTableApplication[] = Array.from({ length: count }, (_, i) => {
    const fen = random() < 0.8 ? 1_000_000 : Math.round(300_000 + random() * 690_000);
    const name = enterpriseName();
    return {
      enterpriseName: name,
      enterpriseCreditCode: creditCode(),
      contractAmount: amount(fen),
      contractSignedOn: `2022-10-${String((i % 20) + 1).padStart(2, "0")}`,
      diagnosisCompletedOn: `2022-11-${String((i % 20) + 5).padStart(2, "0")}`,
      reportTitle: `${name}智能化改造诊断报告`,
    };
  });
  return {
    roundName: ROUND,
    provider,
    applications,
    totalContractAmount: amount(applications.reduce((sum, a) => sum + a.contractAmount.amountFen, 0)),
    generatedAt: "2022-12-18 10:00",
  };
}

async function measure(name: string, make: () => Promise<Uint8Array>): Promise<{ ms: number; bytes: number }> {
  await make(); // warm-up
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const pdf = await make();
    times.push(performance.now() - start);
    bytes = pdf.byteLength;
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${name.padEnd(22)} median ${ms.toFixed(0).padStart(5)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(", ")})  ${(bytes / 1024).toFixed(0)} KB`,
  );
  return { ms, bytes };
}

const list = disbursementData();
const receipt = receiptData();
const pledge = pledgeData();
const summary = summaryData(100);
console.log(
  `disbursement list: ${list.groups.length} providers, ${list.groups.reduce((n, g) => n + g.lines.length, 0)} lines; ${RUNS} warm runs each`,
);
const receiptRun = await measure("receipt", () => buildReceipt(receipt));
const pledgeRun = await measure("pledge", () => buildPledge(pledge));
const summaryRun = await measure("summary table (100)", () => buildSummaryTable(summary));
const listRun = await measure("disbursement (1000)", () => buildDisbursementList(list));
console.log(`memory: rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
console.log(
  `FIGURES receipt_ms=${Math.round(receiptRun.ms)} pledge_ms=${Math.round(pledgeRun.ms)} summary100_ms=${Math.round(summaryRun.ms)}`,
);
console.log(`RESULT pdf1000_ms=${Math.round(listRun.ms)} pdf1000_kb=${Math.round(listRun.bytes / 1024)}`);
