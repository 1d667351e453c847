/**
 * 拨付明细表 (R-PAY-2, R-PAY-3): a payout batch as the finance bureau receives it, grouped by provider,
 * every amount in figures and in capital numerals, with the signatures of the maker-checker chain.
 * Money is computed by the caller (app/domain, R-PAY-1); this only prints it, and refuses totals that do
 * not add up.
 */
import { groupAccountNumber, type PayeeAccount } from "~/domain/payee.ts";
import { type DocumentSpec, renderDocument, type TableRow } from "~/services/pdf.server.ts";

/** An amount in integer fen, in figures (e.g. "10,000.00") and in capital numerals (e.g. "壹万元整"). */
export type DisbursementAmount = { amountFen: number; amountText: string; amountCapital: string };

export type DisbursementLine = {
  enterpriseName: string;
  enterpriseCreditCode: string;
  applicationNumber: string;
  amount: DisbursementAmount;
};

export type DisbursementGroup = {
  providerName: string;
  providerCreditCode: string;
  /** The payee account fixed in the batch (收款账户); null when the provider had none (older batches). */
  payee?: PayeeAccount | null;
  lines: DisbursementLine[];
  /** Must equal the sum of the lines. */
  subtotal: DisbursementAmount;
};

export type DisbursementListData = {
  batchNumber: string;
  roundName: string;
  preparedBy: string;
  /** Dates formatted by the caller, e.g. "2023-01-16". */
  preparedOn: string;
  /** Absent while the batch awaits approval. */
  approvedBy?: string;
  approvedOn?: string;
  /** SHA-256 of the batch content, fixed at approval (R-PAY-3); absent before. */
  digest?: string;
  /** The batch this one corrects, if any. */
  correctsBatchNumber?: string;
  /** Not approved yet: every page carries the 待审批 watermark. */
  draft?: boolean;
  groups: DisbursementGroup[];
  /** Must equal the sum of the subtotals. */
  total: DisbursementAmount;
};

function assertSum(what: string, expected: number, parts: number[]): void {
  const sum = parts.reduce((total, part) => total + part, 0);
  if (!Number.isSafeInteger(expected) || sum !== expected) {
    throw new Error(`${what}: ${expected} fen does not match the sum of its parts (${sum} fen)`);
  }
}

export function disbursementListSpec(data: DisbursementListData): DocumentSpec {
  for (const group of data.groups) {
    assertSum(
      `subtotal of ${group.providerName}`,
      group.subtotal.amountFen,
      group.lines.map((line) => line.amount.amountFen),
    );
  }
  assertSum(
    "batch total",
    data.total.amountFen,
    data.groups.map((group) => group.subtotal.amountFen),
  );
  const lineCount = data.groups.reduce((count, group) => count + group.lines.length, 0);

  const rows: TableRow[] = [];
  let seq = 0;
  for (const group of data.groups) {
    rows.push({
      bold: true,
      shaded: true,
      keepWithNext: true,
      cells: [
        {
          text:
            `服务商：${group.providerName}　　统一社会信用代码：${group.providerCreditCode}　　共 ${group.lines.length} 家\n` +
            (group.payee
              ? `收款账户　开户名称：${group.payee.accountName}　　开户银行：${group.payee.bankName}　　银行账号：${groupAccountNumber(group.payee.accountNumber)}`
              : "收款账户：未登记"),
          span: 6,
        },
      ],
    });
    for (const line of group.lines) {
      seq += 1;
      rows.push({
        cells: [
          String(seq),
          line.enterpriseName,
          line.enterpriseCreditCode,
          line.applicationNumber,
          line.amount.amountText,
          line.amount.amountCapital,
        ],
      });
    }
    rows.push({
      cells: [{ text: "小计", span: 4, align: "right" }, group.subtotal.amountText, group.subtotal.amountCapital],
    });
  }
  rows.push({
    bold: true,
    cells: [
      { text: `合计（${data.groups.length} 个服务商，${lineCount} 家企业）`, span: 4, align: "right" },
      data.total.amountText,
      data.total.amountCapital,
    ],
  });

  return {
    title: "专项资金拨付明细表",
    subject: `${data.roundName} 拨付明细表 ${data.batchNumber}`,
    orientation: "landscape",
    runningHeader: `拨付明细表　批次号：${data.batchNumber}${data.draft ? "（待审批）" : ""}`,
    ...(data.draft ? { watermark: "待审批" } : {}),
    blocks: [
      { type: "title", text: "专项资金拨付明细表", subtitle: data.roundName },
      {
        type: "keyValue",
        pairsPerRow: 2,
        size: 10,
        items: [
          { key: "批次号", value: data.batchNumber },
          { key: "服务商 / 企业", value: `${data.groups.length} 个服务商，${lineCount} 家企业` },
          { key: "编制人", value: data.preparedBy },
          { key: "编制日期", value: data.preparedOn },
          { key: "审核人", value: data.approvedBy ?? "（待审核）" },
          { key: "审核日期", value: data.approvedOn ?? "" },
          { key: "拨付总额（元）", value: `${data.total.amountText}（大写：${data.total.amountCapital}）`, wide: true },
          ...(data.correctsBatchNumber
            ? [{ key: "更正批次", value: `本批次更正并取代批次 ${data.correctsBatchNumber}`, wide: true }]
            : []),
          { key: "内容摘要（SHA-256）", value: data.digest ?? "（审批后生成）", wide: true },
        ],
      },
      {
        type: "table",
        size: 9.5,
        columns: [
          { header: "序号", width: 5, align: "center" },
          { header: "被诊断企业", width: 29 },
          { header: "统一社会信用代码", width: 16, align: "center" },
          { header: "申报编号", width: 14, align: "center" },
          { header: "金额（元）", width: 12, align: "right" },
          { header: "大写金额", width: 24 },
        ],
        rows,
      },
      {
        type: "paragraph",
        size: 10,
        muted: true,
        text: "注：金额单位为人民币元。",
      },
      {
        type: "signatures",
        parties: [
          { lines: ["经办人（签字）：", "日期：____年__月__日"] },
          { lines: ["审核人（签字）：", "日期：____年__月__日"] },
          { lines: ["分管领导（签字）：", "日期：____年__月__日"] },
          { lines: ["单位（盖章）：", "日期：____年__月__日"] },
        ],
      },
    ],
  };
}

/** The payout batch's disbursement list as a PDF. */
export function buildDisbursementList(data: DisbursementListData): Promise<Uint8Array> {
  return renderDocument(disbursementListSpec(data));
}
