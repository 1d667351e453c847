import type { LoaderFunctionArgs } from "@remix-run/node";

import { RUBRIC_DEDUCTION } from "~/domain/rubric.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { scoreSheetRows } from "~/models/review-result.server.ts";
import { getRound } from "~/models/round.server.ts";
import { type Column, writeXlsx } from "~/services/spreadsheet.server.ts";
import { requireUser } from "~/utils/session.server.ts";

type Row = Awaited<ReturnType<typeof scoreSheetRows>>[number];

/** R-REV-1..4: the round's score sheet, one row per application and expert, each section in its own column. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const round = await getRound(params.roundId ?? "");
  if (!round) throw new Response("批次不存在。", { status: 404 });
  const rows = await scoreSheetRows(round.id);
  const columns: Column<Row>[] = [
    { header: "申报编号", width: 14, value: (r) => r.application.number },
    { header: "服务商", width: 30, value: (r) => r.application.organisation.name },
    { header: "被诊断企业", width: 30, value: (r) => r.application.enterprise.name },
    { header: "诊断报告", width: 30, value: (r) => r.application.reportTitle },
    { header: "评审专家", width: 12, value: (r) => r.expertName },
    { header: "评分状态", width: 10, value: (r) => (r.review ? "已提交" : "未提交") },
    {
      header: "诊断资料",
      width: 20,
      value: (r) =>
        r.review ? (r.review.materialsComplete ? "齐全" : `不齐全：${r.review.materialsNote ?? ""}`) : null,
    },
    { header: "基本情况（30）", width: 10, value: (r) => r.review?.sections.basics.score ?? null },
    { header: "基本情况评语", width: 30, value: (r) => r.review?.sections.basics.comment ?? null },
    { header: "诊断建议（40）", width: 10, value: (r) => r.review?.sections.recommendations.score ?? null },
    { header: "诊断建议评语", width: 30, value: (r) => r.review?.sections.recommendations.comment ?? null },
    { header: "项目测算（30）", width: 10, value: (r) => r.review?.sections.estimates.score ?? null },
    { header: "项目测算评语", width: 30, value: (r) => r.review?.sections.estimates.comment ?? null },
    { header: "扣分", width: 8, value: (r) => (r.review ? (r.review.deduction ? -RUBRIC_DEDUCTION.points : 0) : null) },
    { header: "扣分理由", width: 24, value: (r) => r.review?.deductionReason ?? null },
    { header: "一票否决", width: 8, value: (r) => (r.review ? (r.review.veto ? "是" : "否") : null) },
    { header: "否决依据", width: 24, value: (r) => r.review?.vetoEvidence ?? null },
    { header: "专家合计", width: 10, value: (r) => r.total },
    { header: "分差", width: 8, value: (r) => r.result.decision?.spread ?? null },
    {
      header: "最终得分",
      width: 10,
      value: (r) =>
        r.application.finalScoreHundredths !== null
          ? r.application.finalScoreHundredths / 100
          : r.result.complete
            ? (r.result.decision?.finalScore ?? null)
            : null,
    },
    {
      header: "评审结果",
      width: 10,
      value: (r) => {
        const passed = r.application.resultConfirmedAt
          ? r.application.resultPassed
          : r.result.complete
            ? r.result.decision?.passed
            : null;
        return passed == null ? "评审中" : passed ? "合格" : "不合格";
      },
    },
    {
      header: "确认时间",
      width: 18,
      value: (r) => (r.application.resultConfirmedAt ? formatShanghai(r.application.resultConfirmedAt) : "未确认"),
    },
  ];
  const xlsx = await writeXlsx("评分汇总", columns, rows);
  return new Response(new Uint8Array(xlsx), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`${round.name}评分汇总表.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
