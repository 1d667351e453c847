/** R-REV-5: the expert's submitted score, final unless staff reopen it, with the score sheet to sign. */
import { RUBRIC_DEDUCTION, RUBRIC_MATERIALS, RUBRIC_SECTION_LIST, RUBRIC_VETO } from "~/domain/rubric.ts";
import { expertTotal, type ReviewInput } from "~/domain/scoring.ts";

function scoreText(score: number | null | undefined): string {
  return score == null ? "" : String(score);
}

export function SubmittedReview({
  data: d,
}: {
  data: { review: { input: ReviewInput }; submittedAt: string | null; reviewId: string | null };
}) {
  const input = d.review.input;
  const total = expertTotal({
    sections: {
      basics: { score: input.sections?.basics?.score ?? 0, comment: "" },
      recommendations: { score: input.sections?.recommendations?.score ?? 0, comment: "" },
      estimates: { score: input.sections?.estimates?.score ?? 0, comment: "" },
    },
    deduction: input.deduction ?? false,
  });
  return (
    <>
      <h2 style={{ marginTop: 0 }}>我的评分（已提交）</h2>
      <p className="notice notice--success" data-testid="review-submitted">
        评分已于 {d.submittedAt} 提交，不能再修改。如需更正，请联系区工信局退回。
      </p>
      <dl className="facts">
        <dt>{RUBRIC_MATERIALS.name}</dt>
        <dd>{input.materialsComplete ? "齐全" : `不齐全：${input.materialsNote ?? ""}`}</dd>
        {RUBRIC_SECTION_LIST.map((s) => (
          <div key={s.key} style={{ display: "contents" }}>
            <dt>
              {s.name}（{s.max} 分）
            </dt>
            <dd>
              <strong>{scoreText(input.sections?.[s.key]?.score)}</strong> 分 · {input.sections?.[s.key]?.comment}
            </dd>
          </div>
        ))}
        <dt>{RUBRIC_DEDUCTION.name}</dt>
        <dd>{input.deduction ? `扣 ${RUBRIC_DEDUCTION.points} 分：${input.deductionReason}` : "无"}</dd>
        <dt>{RUBRIC_VETO.name}</dt>
        <dd>{input.veto ? `否决：${input.vetoEvidence}` : "无"}</dd>
        <dt>合计</dt>
        <dd data-testid="submitted-total">
          <strong>{total}</strong> 分
        </dd>
      </dl>
      {d.reviewId ? (
        <p>
          <a className="button button--secondary" href={`/resources/reviews/${d.reviewId}/score-sheet`}>
            下载专家评分表（PDF，签字用）
          </a>
        </p>
      ) : null}
    </>
  );
}
