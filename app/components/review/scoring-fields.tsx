/**
 * The parts of the scoring form, each wired to its conform field so its Chinese message shows at the
 * field (aria-invalid, aria-describedby): the materials judgement (R-MAT-2), a rubric section (R-REV-1),
 * and the deduction and veto (R-REV-2, R-REV-3). The veto's evidence keeps the id `veto-evidence`, which
 * the copy check's "cite" button fills (app/components/cite-veto-evidence.ts).
 */
import { type FieldMetadata, getInputProps, getTextareaProps } from "@conform-to/react";

import { ErrorList } from "~/components/forms.tsx";
import {
  RUBRIC_DEDUCTION,
  RUBRIC_DEDUCTION_OR_VETO_HEADING,
  RUBRIC_MATERIALS,
  RUBRIC_VETO,
  type RubricSection,
} from "~/domain/rubric.ts";
import type { ReviewInput } from "~/domain/scoring.ts";

type Field = FieldMetadata<string | undefined>;

/** aria-invalid and aria-describedby of an element that is not conform's own input (a radio group). */
function ariaFor(field: Field) {
  return {
    "aria-invalid": field.errors ? true : undefined,
    "aria-describedby": field.errors ? field.errorId : undefined,
  };
}

/** R-MAT-2: complete or not (不合格), with a note of what is missing; the note is kept while hidden. */
export function MaterialsJudgement({ complete, note, live }: { complete: Field; note: Field; live: ReviewInput }) {
  return (
    <>
      <div className="field">
        <span id="materials-label">
          <strong>{RUBRIC_MATERIALS.name}</strong>：{RUBRIC_MATERIALS.criterion}（{RUBRIC_MATERIALS.judgement}）
        </span>
        <div role="radiogroup" id="materialsComplete" aria-labelledby="materials-label" {...ariaFor(complete)}>
          <label>
            <input type="radio" name={complete.name} value="yes" defaultChecked={complete.initialValue === "yes"} />{" "}
            材料齐全
          </label>{" "}
          <label>
            <input type="radio" name={complete.name} value="no" defaultChecked={complete.initialValue === "no"} />{" "}
            缺少或不符合要求（不合格）
          </label>
        </div>
        <ErrorList id={complete.errorId} errors={complete.errors} />
      </div>
      {live.materialsComplete === false ? (
        <div className="field">
          <label htmlFor="materialsNote">缺少或不符合要求的材料</label>
          {/* Shown again after being hidden, it starts from what was typed (kept in the hidden field). */}
          <textarea {...getTextareaProps(note)} id="materialsNote" defaultValue={live.materialsNote ?? ""} rows={2} />
          <ErrorList id={note.errorId} errors={note.errors} />
        </div>
      ) : (
        <input type="hidden" name={note.name} value={live.materialsNote ?? ""} />
      )}
    </>
  );
}

/** R-REV-1: one section of the rubric — its criteria, a score from 0 to its maximum, and a comment. */
export function SectionScore({
  section,
  score,
  comment,
  allowHalfPoints,
}: {
  section: RubricSection;
  score: Field;
  comment: Field;
  allowHalfPoints: boolean;
}) {
  const scoreId = `score-${section.key}`;
  const commentId = `comment-${section.key}`;
  return (
    <fieldset className="card" style={{ margin: "1rem 0", padding: "0.75rem 1rem" }}>
      <legend>
        <strong>{section.name}</strong>（0–{section.max} 分）
      </legend>
      <ol className="small muted" style={{ margin: "0 0 0.5rem", paddingLeft: "1.25rem" }}>
        {section.criteria.map((criterion) => (
          <li key={criterion}>{criterion}</li>
        ))}
      </ol>
      <div className="field">
        <label htmlFor={scoreId}>
          {section.name}得分（0–{section.max}
          {allowHalfPoints ? "，可按 0.5 分" : "，整数"}）
        </label>
        <input
          {...getInputProps(score, { type: "number" })}
          id={scoreId}
          inputMode="decimal"
          min={0}
          max={section.max}
          step={allowHalfPoints ? 0.5 : 1}
          style={{ maxWidth: "8rem" }}
        />
        <ErrorList id={score.errorId} errors={score.errors} />
      </div>
      <div className="field">
        <label htmlFor={commentId}>{section.name}评语</label>
        <textarea {...getTextareaProps(comment)} id={commentId} rows={2} />
        <ErrorList id={comment.errorId} errors={comment.errors} />
      </div>
    </fieldset>
  );
}

/** R-REV-2 (−20, with a reason) and R-REV-3 (veto, with the evidence: a cited passage or the expert's words). */
export function DeductionAndVeto({
  deduction,
  deductionReason,
  veto,
  vetoEvidence,
  live,
}: {
  deduction: Field;
  deductionReason: Field;
  veto: Field;
  vetoEvidence: Field;
  live: ReviewInput;
}) {
  return (
    <fieldset className="card" style={{ margin: "1rem 0", padding: "0.75rem 1rem" }}>
      <legend>
        <strong>{RUBRIC_DEDUCTION_OR_VETO_HEADING}</strong>
      </legend>
      <div className="field field--checkbox">
        <input {...getInputProps(deduction, { type: "checkbox" })} id="deduction" />
        <label htmlFor="deduction">
          {RUBRIC_DEDUCTION.name}：{RUBRIC_DEDUCTION.text}
        </label>
      </div>
      <div className="field">
        <label htmlFor="deduction-reason">扣分理由{live.deduction ? "（必填）" : ""}</label>
        <textarea {...getTextareaProps(deductionReason)} id="deduction-reason" rows={2} />
        <ErrorList id={deductionReason.errorId} errors={deductionReason.errors} />
      </div>
      <div className="field field--checkbox">
        <input {...getInputProps(veto, { type: "checkbox" })} id="veto" />
        <label htmlFor="veto">
          {RUBRIC_VETO.name}：{RUBRIC_VETO.text}
        </label>
      </div>
      <div className="field">
        <label htmlFor="veto-evidence">否决依据（雷同或抄袭的出处）{live.veto ? "（必填）" : ""}</label>
        <textarea {...getTextareaProps(vetoEvidence)} id="veto-evidence" rows={3} />
        <ErrorList id={vetoEvidence.errorId} errors={vetoEvidence.errors} />
      </div>
    </fieldset>
  );
}
