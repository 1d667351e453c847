import type { LoaderFunctionArgs } from "@remix-run/node";

import { RUBRIC_DEDUCTION } from "~/domain/rubric.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { scoreSheetData } from "~/models/review-result.server.ts";
import { buildScoreSheet } from "~/services/documents/score-sheet.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/** 专家评分表: one expert's submitted review as a PDF with a signature line, for staff or the expert itself. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "expert"] });
  const found = await scoreSheetData(params.reviewId ?? "", { id: user.id, staff: user.roles.includes("staff") });
  if (!found) throw new Response("评分表不存在或评分尚未提交。", { status: 404 });
  const { row, review, total } = found;
  const pdf = await buildScoreSheet({
    roundName: row.application.round.name,
    applicationNumber: row.application.number,
    providerName: row.application.organisation.name,
    enterpriseName: row.application.enterprise.name,
    reportTitle: row.application.reportTitle,
    expertName: row.assignment.expert.name,
    sections: {
      basic: review.sections.basics,
      advice: review.sections.recommendations,
      estimate: review.sections.estimates,
    },
    deduction: review.deduction ? { points: RUBRIC_DEDUCTION.points, reason: review.deductionReason ?? "" } : null,
    veto: review.veto ? { reason: review.vetoEvidence ?? "" } : null,
    total,
    submittedAt: row.submittedAt ? formatShanghai(row.submittedAt) : undefined,
  });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`专家评分表-${row.application.number}-${row.assignment.expert.name}.pdf`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
