import type { LoaderFunctionArgs } from "@remix-run/node";

import { formatShanghai } from "~/domain/shanghai-time.ts";
import { formatPercent } from "~/domain/similarity/evidence.ts";
import { getRound } from "~/models/round.server.ts";
import { type FlaggedPairRow, listFlaggedPairs } from "~/models/similarity.server.ts";
import { type Column, writeXlsx } from "~/services/spreadsheet.server.ts";
import { env } from "~/utils/env.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { parseSimilarityQuery } from "~/utils/similarity-query.ts";

/** R-REV-3 item 5: the round's flagged pairs (same filters as the page, every page) as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const query = parseSimilarityQuery(new URL(request.url));
  const round = query.round ? await getRound(query.round) : null;
  if (!round) throw new Response("请选择批次。", { status: 404 });
  const report = await listFlaggedPairs({ roundId: round.id, kind: query.kind, scope: query.scope, q: query.q }, null);
  if (!report) throw new Response("批次不存在。", { status: 404 });
  const base = env().publicUrl.replace(/\/$/, "");
  const columns: Column<FlaggedPairRow>[] = [
    { header: "类型", width: 10, value: (r) => (r.kind === "report" ? "诊断报告" : "现场照片") },
    { header: "相似度", width: 8, value: (r) => formatPercent(r.score) },
    { header: "申报编号A", width: 14, value: (r) => r.a.number },
    { header: "服务商A", width: 30, value: (r) => r.a.organisationName },
    { header: "被诊断企业A", width: 30, value: (r) => r.a.enterpriseName },
    { header: "批次A", width: 16, value: (r) => r.a.roundName },
    { header: "申报编号B", width: 14, value: (r) => r.b.number },
    { header: "服务商B", width: 30, value: (r) => r.b.organisationName },
    { header: "被诊断企业B", width: 30, value: (r) => r.b.enterpriseName },
    { header: "批次B", width: 16, value: (r) => r.b.roundName },
    { header: "发现时间", width: 18, value: (r) => formatShanghai(r.createdAt) },
    { header: "对照链接", width: 50, value: (r) => `${base}/staff/similarity/${r.matchId}` },
  ];
  const bytes = await writeXlsx("疑似雷同", columns, report.rows);
  const name = `${round.name}-雷同检查（阈值${formatPercent(report.threshold)}）.xlsx`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
