/**
 * The forms of the expert's review page (/expert/reviews/$assignmentId), one schema each, read the same
 * way by the browser (conform, as the expert types) and by the route's action: the conflict check
 * (R-REV-5) and the scoring form (R-REV-1..3, R-MAT-2). The scoring rules themselves are the domain's
 * (validateReview): the browser applies them through `reviewFormSchema(rules)`, the review model
 * applies them again on the server with the round's own settings.
 */
import { RUBRIC_SECTION_KEYS, type RubricSectionKey } from "~/domain/rubric.ts";
import { type ReviewInput, type ReviewMode, validateReview } from "~/domain/scoring.ts";
import { refuseHostileCharacters, versionField } from "~/utils/form-fields.ts";
import { z } from "~/utils/zod.ts";

/** R-REV-5: the expert confirms it has no conflict before the report opens. */
export const confirmNoConflictSchema = z.object({
  noConflict: z.literal("on", { error: "请勾选确认与服务商、被诊断企业均不存在利益冲突" }),
});

/** R-REV-5: the expert declares a conflict with one party, in its own words; the assignment goes back to staff. */
export const declareConflictSchema = z.object({
  kind: z.enum(["provider", "enterprise"], { error: "请选择与哪一方存在利益冲突" }),
  reason: z
    .string({ error: "请说明利益冲突的情况" })
    .trim()
    .min(4, "请说明利益冲突的情况（至少 4 个字）")
    .max(500, "不超过 500 字")
    .superRefine(refuseHostileCharacters("说明", { multiline: true })),
});

/** The longest comment, note, reason or evidence an expert may write (characters). */
export const REVIEW_TEXT_MAX = 2000;

/**
 * A score as typed: empty is "not scored yet"; a full-width comma or full stop is a decimal point;
 * anything else becomes a number, NaN included (the domain refuses it, at the field).
 */
const score = z
  .string()
  .optional()
  .transform((value) => {
    const trimmed = (value ?? "").trim().replace("，", ".").replace("。", ".");
    return trimmed === "" ? null : Number(trimmed);
  });
const text = z
  .string()
  .optional()
  .transform((value) => value ?? "");
const section = z
  .object({ score, comment: text })
  .optional()
  .transform((value) => value ?? { score: null, comment: "" });
const flag = z
  .string()
  .optional()
  .transform((value) => value === "on");

/**
 * The scoring form's fields as the domain reads them (ReviewInput). It accepts whatever strings were
 * typed, so the page can show the running total of a form that is not valid yet.
 */
export const reviewInputSchema = z.object({
  materialsComplete: z
    .string()
    .optional()
    .transform((value) => (value === "yes" ? true : value === "no" ? false : null)),
  materialsNote: text,
  sections: z
    .object({ basics: section, recommendations: section, estimates: section })
    .optional()
    .transform(
      (value) =>
        value ?? {
          basics: { score: null, comment: "" },
          recommendations: { score: null, comment: "" },
          estimates: { score: null, comment: "" },
        },
    ),
  deduction: flag,
  deductionReason: text,
  veto: flag,
  vetoEvidence: text,
});

/** The form's current values (conform's `form.value`) as the domain reads them; `{}` if unreadable. */
export function readReviewInput(value: unknown): ReviewInput {
  const parsed = reviewInputSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

type TextField = "materialsNote" | `sections.${RubricSectionKey}.comment` | "deductionReason" | "vetoEvidence";

function texts(input: ReviewInput): Array<[TextField, string]> {
  return [
    ["materialsNote", input.materialsNote ?? ""],
    ...RUBRIC_SECTION_KEYS.map((key): [TextField, string] => [
      `sections.${key}.comment`,
      input.sections?.[key]?.comment ?? "",
    ]),
    ["deductionReason", input.deductionReason ?? ""],
    ["vetoEvidence", input.vetoEvidence ?? ""],
  ];
}

/**
 * The scoring form as posted: the review (ReviewInput) and the version it was edited from. Without
 * `rules` it checks only what any round refuses (text length, the version); with them, also the
 * rubric's rules (R-REV-1..3, R-MAT-2) in that mode, each message at its field.
 */
export function reviewFormSchema(rules?: { allowHalfPoints: boolean; mode: ReviewMode }) {
  return reviewInputSchema.extend({ version: versionField }).superRefine(({ version: _version, ...input }, ctx) => {
    for (const [field, value] of texts(input)) {
      if (value.length > REVIEW_TEXT_MAX)
        ctx.addIssue({ code: "custom", path: field.split("."), message: `不超过 ${REVIEW_TEXT_MAX} 字` });
    }
    if (!rules) return;
    const checked = validateReview(input, rules);
    if (checked.ok) return;
    for (const [field, messages] of Object.entries(checked.errors)) {
      for (const message of messages ?? []) ctx.addIssue({ code: "custom", path: field.split("."), message });
    }
  });
}

/** A review as the form's initial values (the inverse of reviewInputSchema). */
export function reviewFormValue(input: ReviewInput, version: number) {
  const section = (key: RubricSectionKey) => {
    const value = input.sections?.[key];
    return { score: value?.score == null ? "" : String(value.score), comment: value?.comment ?? "" };
  };
  return {
    version: String(version),
    materialsComplete: input.materialsComplete == null ? undefined : input.materialsComplete ? "yes" : "no",
    materialsNote: input.materialsNote ?? "",
    sections: {
      basics: section("basics"),
      recommendations: section("recommendations"),
      estimates: section("estimates"),
    },
    deduction: input.deduction ? "on" : undefined,
    deductionReason: input.deductionReason ?? "",
    veto: input.veto ? "on" : undefined,
    vetoEvidence: input.vetoEvidence ?? "",
  };
}
