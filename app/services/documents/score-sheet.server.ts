/**
 * 专家评分表: one expert's scores for one application against the rubric of attachment 1
 * (R-REV-1 sections, R-REV-2 deduction, R-REV-3 veto), printed for the expert to sign. The total is
 * computed by the caller (R-REV-4, app/domain); this only prints it.
 */
import { type DocumentSpec, renderDocument, type TableRow } from "~/services/pdf.server.ts";

export type SectionScore = { score: number; comment: string };

export type ScoreSheetData = {
  roundName: string;
  applicationNumber: string;
  providerName: string;
  enterpriseName: string;
  reportTitle: string;
  expertName: string;
  sections: { basic: SectionScore; advice: SectionScore; estimate: SectionScore };
  /** R-REV-2: the report sells the provider's own products and misleads the enterprise. */
  deduction: { points: number; reason: string } | null;
  /** R-REV-3: the report is clearly the same as, or copied from, another. */
  veto: { reason: string } | null;
  /** The expert's total as the domain computed it (sections − deduction, floored at 0). */
  total: number;
  /** When the scores were submitted, formatted by the caller. */
  submittedAt?: string;
};

// Wording of attachment 1 (评审细则).
const SECTIONS = [
  {
    key: "basic",
    name: "基本情况",
    max: 30,
    criteria:
      "1. 企业自动化水平，信息化覆盖广度和深度以及企业管理水平等；\n2. 从国家、省、市等几个层面介绍企业所处行业的自动化和信息化水平以及企业在行业内所处的水平；\n3. 企业存在的问题及应对问题策略情况。",
  },
  {
    key: "advice",
    name: "诊断建议",
    max: 40,
    criteria:
      "1. 诊断建议需提出被诊断企业需要数字化转型的具体内容或环节；\n2. 诊断建议应当包含简要实施方案，实施方案要包含硬件、软件两方面内容；\n3. 诊断建议具备指导意义和可操作性。",
  },
  {
    key: "estimate",
    name: "项目测算",
    max: 30,
    criteria: "1. 智能化改造项目初步预算；\n2. 智能化改造项目建设期；\n3. 智能化改造初步测算改造后的经济效益。",
  },
] as const;

function formatScore(score: number): string {
  return String(Math.round(score * 100) / 100);
}

export function scoreSheetSpec(data: ScoreSheetData): DocumentSpec {
  const rows: TableRow[] = SECTIONS.map((section) => {
    const entry = data.sections[section.key];
    if (!Number.isFinite(entry.score) || entry.score < 0 || entry.score > section.max) {
      throw new Error(`${section.name} score ${entry.score} is outside 0–${section.max}`);
    }
    return { cells: [section.name, String(section.max), section.criteria, formatScore(entry.score), entry.comment] };
  });
  rows.push({
    cells: [
      "扣分项",
      "-20",
      "报告借机推销自身产品和解决方案，存在误导企业的，扣 20 分。",
      data.deduction ? `-${formatScore(data.deduction.points)}` : "0",
      data.deduction ? `扣分理由：${data.deduction.reason}` : "无",
    ],
  });
  rows.push({
    cells: [
      "否决项",
      "—",
      "报告存在明显雷同、抄袭的，不予通过。",
      data.veto ? "否决" : "否",
      data.veto ? `否决依据：${data.veto.reason}` : "无",
    ],
  });
  rows.push({
    bold: true,
    cells: [
      "合计",
      "100",
      { text: "各项得分之和减去扣分，最低为 0 分。" },
      formatScore(data.total),
      data.veto ? "一票否决，不予通过" : "",
    ],
  });

  return {
    title: "专家评分表",
    subject: `${data.roundName} 专家评分表 ${data.applicationNumber} ${data.expertName}`,
    blocks: [
      { type: "title", text: "智能化改造评估诊断报告专家评分表", subtitle: data.roundName },
      {
        type: "keyValue",
        pairsPerRow: 2,
        size: 10,
        items: [
          { key: "申报编号", value: data.applicationNumber },
          { key: "评审专家", value: data.expertName },
          { key: "服务商", value: data.providerName, wide: true },
          { key: "被诊断企业", value: data.enterpriseName, wide: true },
          { key: "诊断报告", value: `《${data.reportTitle}》`, wide: true },
          ...(data.submittedAt ? [{ key: "提交时间", value: data.submittedAt, wide: true }] : []),
        ],
      },
      {
        type: "table",
        size: 9.5,
        columns: [
          { header: "评审项", width: 11, align: "center" },
          { header: "分值", width: 7, align: "center" },
          { header: "评审细则", width: 40 },
          { header: "得分", width: 8, align: "center" },
          { header: "评审意见", width: 34 },
        ],
        rows,
      },
      {
        type: "paragraph",
        size: 10,
        muted: true,
        text: "注：严格按标准打分，不满 60 分或一票否决的评定为不合格。",
      },
      { type: "signatures", parties: [{ lines: ["评审专家签字：________　　日期：______"] }] },
    ],
  };
}

/** One expert's score sheet as a PDF. */
export function buildScoreSheet(data: ScoreSheetData): Promise<Uint8Array> {
  return renderDocument(scoreSheetSpec(data));
}
