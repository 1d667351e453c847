/**
 * R-REV-1..4, R-MAT-2: the expert's scoring form — the materials judgement, the three rubric sections,
 * the −20 deduction and the veto — with the running total. It is checked as it is typed with the same
 * schema the action reads (app/utils/review-form.ts) and saved as a draft while typed; submitting makes
 * the score final.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useRef } from "react";

import { FormMessage } from "~/components/forms.tsx";
import { RUBRIC_MAX_TOTAL, RUBRIC_PASS_JUDGEMENT, RUBRIC_SECTION_LIST, RUBRIC_TITLE } from "~/domain/rubric.ts";
import { type ReviewInput, runningTotal } from "~/domain/scoring.ts";
import { readReviewInput, reviewFormSchema, reviewFormValue } from "~/utils/review-form.ts";

import { DeductionAndVeto, MaterialsJudgement, SectionScore } from "./scoring-fields.tsx";
import { useReviewAutosave } from "./use-review-autosave.ts";

export type ScoringFormData = {
  review: { input: ReviewInput; version: number };
  reopenReason: string | null;
  allowHalfPoints: boolean;
  deadline: string | null;
  countdown: string | null;
  closed: boolean;
  frozen: boolean;
};

export function ScoringForm({ data: d }: { data: ScoringFormData }) {
  const locked = d.closed || d.frozen;
  const formRef = useRef<HTMLFormElement>(null);
  const autosave = useReviewAutosave({ formRef, version: d.review.version, locked });
  // Once the expert tried to submit, the form is checked as a submission (every score and comment).
  const submitTried = useRef(false);
  const { reply } = autosave;
  const [form, fields] = useForm({
    id: "review",
    defaultValue: reviewFormValue(d.review.input, d.review.version),
    // Field errors the server found in a submission (a draft's are the ones shown as typed).
    lastResult: reply && !reply.ok && reply.intent === "submit" ? reply.result : undefined,
    shouldValidate: "onInput",
    onValidate: ({ formData }) => {
      const intent = formData.get("intent");
      if (intent === "submit") submitTried.current = true;
      const mode = intent === "submit" || (intent === null && submitTried.current) ? "submit" : "draft";
      return parseWithZod(formData, { schema: reviewFormSchema({ allowHalfPoints: d.allowHalfPoints, mode }) });
    },
    onSubmit: (event, { formData }) => {
      event.preventDefault();
      const intent = formData.get("intent") === "submit" ? "submit" : "save";
      if (intent === "submit" && !window.confirm("提交后评分不能再修改。确认提交？")) return;
      autosave.send(intent);
    },
  });
  const live = readReviewInput(form.value);
  const total = runningTotal(live, { allowHalfPoints: d.allowHalfPoints });
  const message = autosave.conflict ?? (reply && !reply.ok ? reply.message : undefined);
  const sections = fields.sections.getFieldset();
  const stopped = autosave.saving || Boolean(autosave.conflict);

  return (
    <>
      <h2 style={{ marginTop: 0 }}>{RUBRIC_TITLE}</h2>
      {d.reopenReason ? (
        <p className="notice notice--warning" data-testid="reopen-reason">
          区工信局已退回您的评分，请修改后重新提交。原因：{d.reopenReason}
        </p>
      ) : null}
      {d.deadline ? (
        <p className={`small ${d.closed ? "countdown countdown--closed" : "muted"}`} data-testid="review-deadline">
          评审截止：{d.deadline}（北京时间）{d.countdown ? ` · ${d.countdown}` : ""}
        </p>
      ) : null}
      {d.closed ? (
        <FormMessage message="评审已截止，不能再保存或提交评分；已保存的草稿保留不变。如需延期请联系区工信局。" />
      ) : null}
      {d.frozen ? <FormMessage message="该申报的评审结果已确认，评分不能再修改。" /> : null}
      <FormMessage message={message} />
      <form ref={formRef} method="post" {...getFormProps(form)} aria-label="评分表">
        <input type="hidden" name="version" value={autosave.version} />
        <fieldset disabled={locked} style={{ border: 0, padding: 0, margin: 0 }}>
          <MaterialsJudgement complete={fields.materialsComplete} note={fields.materialsNote} live={live} />
          {RUBRIC_SECTION_LIST.map((section) => {
            const { score, comment } = sections[section.key].getFieldset();
            return (
              <SectionScore
                key={section.key}
                section={section}
                score={score}
                comment={comment}
                allowHalfPoints={d.allowHalfPoints}
              />
            );
          })}
          <DeductionAndVeto
            deduction={fields.deduction}
            deductionReason={fields.deductionReason}
            veto={fields.veto}
            vetoEvidence={fields.vetoEvidence}
            live={live}
          />
          <p className="stat" aria-live="polite">
            合计（各项得分之和 − 扣分，最低 0 分）：<strong data-testid="running-total">{total}</strong> /{" "}
            {RUBRIC_MAX_TOTAL} 分{live.veto ? <span className="badge badge--refused">一票否决</span> : null}
          </p>
          <p className="small muted">{RUBRIC_PASS_JUDGEMENT}</p>
          <div className="actions">
            <button type="submit" name="intent" value="save" className="button--secondary" disabled={stopped}>
              保存草稿
            </button>
            <button type="submit" name="intent" value="submit" disabled={stopped}>
              提交评分
            </button>
            <span className="small muted" role="status" data-testid="save-status">
              {autosave.status}
            </span>
          </div>
        </fieldset>
      </form>
    </>
  );
}
