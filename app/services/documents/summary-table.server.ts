/**
 * M7 被诊断企业汇总表: one provider's diagnosed enterprises in a round, generated from its applications
 * for the provider to check, seal and upload back (policy, 四、申报材料（四）).
 */
import { type DocumentSpec, renderDocument, type TableRow } from "~/services/pdf.server.ts";

/** An amount as the caller computed and formatted it (integer fen, e.g. "10,000.00"). */
export type SummaryAmount = { amountFen: number; amountText: string };

export type SummaryTableApplication = {
  enterpriseName: string;
  enterpriseCreditCode: string;
  contractAmount: SummaryAmount;
  /** Dates as the caller formats them, e.g. "2022-10-08". */
  contractSignedOn: string;
  diagnosisCompletedOn: string;
  reportTitle: string;
};

export type SummaryTableData = {
  roundName: string;
  provider: { name: string; creditCode: string };
  applications: SummaryTableApplication[];
  /** Sum of the contract amounts; must equal the sum of the rows' fen. */
  totalContractAmount: SummaryAmount;
  /** When the table was generated, formatted by the caller (Asia/Shanghai). */
  generatedAt?: string;
  /** The check code of the applications it was generated from (app/domain/summary-table.ts). */
  checkCode?: string;
};

export function summaryTableSpec(data: SummaryTableData): DocumentSpec {
  const sum = data.applications.reduce((total, application) => total + application.contractAmount.amountFen, 0);
  if (sum !== data.totalContractAmount.amountFen) {
    throw new Error(
      `summary table total ${data.totalContractAmount.amountFen} fen does not match its rows (${sum} fen)`,
    );
  }
  const rows: TableRow[] = data.applications.map((application, i) => ({
    cells: [
      String(i + 1),
      application.enterpriseName,
      application.enterpriseCreditCode,
      application.contractAmount.amountText,
      application.contractSignedOn,
      application.diagnosisCompletedOn,
      application.reportTitle,
    ],
  }));
  rows.push({
    bold: true,
    cells: [
      { text: `合计（共 ${data.applications.length} 家）`, span: 3, align: "center" },
      data.totalContractAmount.amountText,
      { text: "", span: 3 },
    ],
  });

  return {
    title: "被诊断企业汇总表",
    subject: `${data.roundName} 被诊断企业汇总表 ${data.provider.name}`,
    orientation: "landscape",
    blocks: [
      { type: "title", text: "被诊断企业汇总表", subtitle: data.roundName },
      {
        type: "keyValue",
        pairsPerRow: 2,
        items: [
          { key: "服务商名称", value: data.provider.name },
          { key: "统一社会信用代码", value: data.provider.creditCode },
        ],
      },
      {
        type: "table",
        columns: [
          { header: "序号", width: 5, align: "center" },
          { header: "企业名称", width: 21 },
          { header: "统一社会信用代码", width: 17, align: "center" },
          { header: "合同金额（元）", width: 11, align: "right" },
          { header: "合同签订日期", width: 10, align: "center" },
          { header: "诊断完成日期", width: 10, align: "center" },
          { header: "诊断报告名称", width: 26 },
        ],
        rows,
      },
      {
        type: "paragraph",
        size: 10,
        muted: true,
        text:
          "注：本表由申报平台根据服务商填报的申报信息生成，服务商核对无误并加盖公章后上传。合同金额、签订日期以诊断合同为准。" +
          (data.generatedAt ? `生成时间：${data.generatedAt}。` : "") +
          (data.checkCode
            ? `校验码：${data.checkCode}（本表列出的 ${data.applications.length} 份申报；之后新建申报须重新生成本表）。`
            : ""),
      },
      {
        type: "signatures",
        parties: [
          { lines: ["填报人（签字）：________", "联系电话：____________"] },
          { lines: [`服务商（盖章）：\n${data.provider.name}`, "日期：____年__月__日"] },
        ],
      },
    ],
  };
}

/** The provider's summary table (M7) as a PDF. */
export function buildSummaryTable(data: SummaryTableData): Promise<Uint8Array> {
  return renderDocument(summaryTableSpec(data));
}
