/**
 * An expert's review against the rubric (R-REV-1..3), its total (R-REV-4) and the decision on an
 * application from all its reviews (R-REV-4, R-MAT-2).
 *
 * Scores are whole points, or half points when the round allows them. All arithmetic is done on
 * integer numbers of half points, so sums, means and comparisons with the pass mark are exact.
 */
import { RUBRIC_DEDUCTION, RUBRIC_SECTION_KEYS, RUBRIC_SECTIONS, type RubricSectionKey } from "./rubric.ts";

export type SectionScore = { score: number; comment: string };

/** A complete review, as submitted. */
export type Review = {
  /** R-MAT-2: the expert's judgement of the 诊断资料 row. */
  materialsComplete: boolean;
  materialsNote?: string;
  sections: Record<RubricSectionKey, SectionScore>;
  /** R-REV-2: 扣20分. */
  deduction: boolean;
  deductionReason?: string;
  /** R-REV-3: 一票否决. */
  veto: boolean;
  vetoEvidence?: string;
};

/** A review as a form holds it: a draft may leave anything out. */
export type ReviewInput = {
  materialsComplete?: boolean | null;
  materialsNote?: string | null;
  sections?: Partial<Record<RubricSectionKey, { score?: number | null; comment?: string | null } | undefined>>;
  deduction?: boolean | null;
  deductionReason?: string | null;
  veto?: boolean | null;
  vetoEvidence?: string | null;
};

export type ReviewMode = "draft" | "submit";
export type ValidateReviewOptions = { allowHalfPoints: boolean; mode?: ReviewMode };

/** Field names as the form names them (conform's dotted paths). */
export type ReviewField =
  | "materialsComplete"
  | "materialsNote"
  | `sections.${RubricSectionKey}.score`
  | `sections.${RubricSectionKey}.comment`
  | "deductionReason"
  | "vetoEvidence";
export type ReviewErrors = Partial<Record<ReviewField, string[]>>;
export type ReviewValidation<T> = { ok: true; review: T } | { ok: false; errors: ReviewErrors };

function text(value: string | null | undefined): string {
  return (value ?? "").trim();
}

/** R-REV-1: a score is within 0..max, and a whole point (or a half point when allowed). */
function scoreError(key: RubricSectionKey, score: number, allowHalfPoints: boolean): string | null {
  const { name, max } = RUBRIC_SECTIONS[key];
  if (!Number.isFinite(score)) return `“${name}”得分须为数字`;
  if (score < 0 || score > max) return `“${name}”得分须在 0 至 ${max} 分之间`;
  if (allowHalfPoints && !Number.isInteger(score * 2)) return `“${name}”得分须以 0.5 分为单位`;
  if (!allowHalfPoints && !Number.isInteger(score)) return `“${name}”得分须为整数`;
  return null;
}

/**
 * R-REV-1 / R-REV-2 / R-REV-3 / R-MAT-2: check a review. A draft may be incomplete, but a score it
 * holds is never out of range or off-step. Submitting needs every score, every comment, the materials
 * judgement (with a note when incomplete), a reason for a deduction and evidence for a veto.
 */
export function validateReview(
  input: ReviewInput,
  options: { allowHalfPoints: boolean; mode: "draft" },
): ReviewValidation<ReviewInput>;
export function validateReview(
  input: ReviewInput,
  options: { allowHalfPoints: boolean; mode?: "submit" },
): ReviewValidation<Review>;
export function validateReview(input: ReviewInput, options: ValidateReviewOptions): ReviewValidation<ReviewInput>;
export function validateReview(input: ReviewInput, options: ValidateReviewOptions): ReviewValidation<ReviewInput> {
  const submit = (options.mode ?? "submit") === "submit";
  const errors: ReviewErrors = {};
  const sections: Partial<Record<RubricSectionKey, SectionScore>> = {};

  for (const key of RUBRIC_SECTION_KEYS) {
    const { name } = RUBRIC_SECTIONS[key];
    const score = input.sections?.[key]?.score;
    const comment = text(input.sections?.[key]?.comment);
    const error =
      score == null ? (submit ? `请为“${name}”打分` : null) : scoreError(key, score, options.allowHalfPoints);
    if (error) errors[`sections.${key}.score`] = [error];
    if (submit && comment === "") errors[`sections.${key}.comment`] = [`请填写“${name}”的评语`];
    if (score != null && !error) sections[key] = { score, comment };
  }

  const materialsComplete = input.materialsComplete ?? null;
  const materialsNote = text(input.materialsNote);
  const deduction = input.deduction ?? false;
  const deductionReason = text(input.deductionReason);
  const veto = input.veto ?? false;
  const vetoEvidence = text(input.vetoEvidence);
  if (submit) {
    if (materialsComplete === null) errors.materialsComplete = ["请判定诊断资料是否齐全"];
    if (materialsComplete === false && materialsNote === "") errors.materialsNote = ["请注明缺少或不符合要求的材料"];
    if (deduction && deductionReason === "") errors.deductionReason = ["扣 20 分须填写扣分理由"];
    if (veto && vetoEvidence === "") errors.vetoEvidence = ["一票否决须指明雷同或抄袭的依据"];
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (!submit) return { ok: true, review: input };
  const { basics, recommendations, estimates } = sections;
  if (!basics || !recommendations || !estimates || materialsComplete === null) {
    throw new Error("validateReview: a complete review was reported without errors");
  }
  const review: Review = { materialsComplete, sections: { basics, recommendations, estimates }, deduction, veto };
  if (!materialsComplete) review.materialsNote = materialsNote;
  if (deduction) review.deductionReason = deductionReason;
  if (veto) review.vetoEvidence = vetoEvidence;
  return { ok: true, review };
}

/** Points as an integer number of half points; anything finer is a programming error. */
function toHalves(points: number): number {
  const halves = points * 2;
  if (!Number.isSafeInteger(halves)) throw new RangeError(`not a whole or half point: ${points}`);
  return halves;
}

function expertTotalHalves(review: Pick<Review, "sections" | "deduction">): number {
  let halves = 0;
  for (const key of RUBRIC_SECTION_KEYS) halves += toHalves(review.sections[key].score);
  if (review.deduction) halves -= toHalves(RUBRIC_DEDUCTION.points);
  return Math.max(0, halves);
}

/** R-REV-4 / R-REV-2: an expert's total is the sum of its section scores, less 20 for a deduction, floored at 0. */
export function expertTotal(review: Pick<Review, "sections" | "deduction">): number {
  return expertTotalHalves(review) / 2;
}

/** R-REV-4: how the experts' totals become the final score (configuration; the policy's reading is the mean). */
export type Aggregation = "mean" | "median";

export const DECISION_REASONS = {
  materials: "材料不全",
  veto: "一票否决",
  score: (passMark: number) => `得分低于${passMark}分`,
} as const;

export type Decision = {
  /** For display: the final score truncated (not rounded up) to 2 decimals, so 59.996 shows 59.99. */
  finalScore: number;
  passed: boolean;
  /** Why it failed, in Chinese; empty when it passed. */
  reasons: string[];
  /** Each review's total, in the order given. */
  totals: number[];
  /** Highest total minus lowest total. */
  spread: number;
  /** The experts disagree by more than `spreadLimit` points: staff should look before confirming. */
  spreadFlag: boolean;
};

/** A final score as an exact fraction: `numerator / denominator` half points. */
type Fraction = { numerator: number; denominator: number };

function aggregate(halves: readonly number[], aggregation: Aggregation): Fraction {
  if (aggregation === "mean") return { numerator: halves.reduce((a, b) => a + b, 0), denominator: halves.length };
  const sorted = [...halves].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  if (sorted.length % 2 === 1) return { numerator: upper, denominator: 1 };
  return { numerator: (sorted[middle - 1] ?? 0) + upper, denominator: 2 };
}

/**
 * R-REV-4 / R-MAT-2 / R-REV-3: an application passes only if every expert judged its materials
 * complete, no expert vetoed it, and its final score is at least the pass mark. The comparison is
 * exact (integer arithmetic on half points): a mean of 59.995 fails although it displays as 60.00
 * when rounded, which is why `finalScore` is truncated instead.
 */
export function decideApplication({
  reviews,
  aggregation,
  passMark = 60,
  spreadLimit = 20,
}: {
  reviews: readonly Review[];
  aggregation: Aggregation;
  passMark?: number;
  spreadLimit?: number;
}): Decision {
  if (reviews.length === 0) throw new RangeError("decideApplication needs at least one submitted review");
  const halves = reviews.map(expertTotalHalves);
  const { numerator, denominator } = aggregate(halves, aggregation);

  const reasons: string[] = [];
  if (reviews.some((review) => !review.materialsComplete)) reasons.push(DECISION_REASONS.materials);
  if (reviews.some((review) => review.veto)) reasons.push(DECISION_REASONS.veto);
  if (numerator < toHalves(passMark) * denominator) reasons.push(DECISION_REASONS.score(passMark));

  // Hundredths of a point, truncated: numerator / (2 · denominator) · 100, in integers.
  const scaled = numerator * 100;
  const divisor = 2 * denominator;
  const hundredths = (scaled - (scaled % divisor)) / divisor;
  const spreadHalves = Math.max(...halves) - Math.min(...halves);
  return {
    finalScore: hundredths / 100,
    passed: reasons.length === 0,
    reasons,
    totals: halves.map((h) => h / 2),
    spread: spreadHalves / 2,
    spreadFlag: spreadHalves > toHalves(spreadLimit),
  };
}

/**
 * A review as the database holds it: scores in integer half points (Review.*HalfPoints), so a stored
 * score is always exact. These two functions are the only translation between the two shapes.
 */
export type StoredReview = {
  materialsComplete: boolean | null;
  materialsNote: string | null;
  basicsHalfPoints: number | null;
  basicsComment: string | null;
  recommendationsHalfPoints: number | null;
  recommendationsComment: string | null;
  estimatesHalfPoints: number | null;
  estimatesComment: string | null;
  deduction: boolean;
  deductionReason: string | null;
  veto: boolean;
  vetoEvidence: string | null;
};

function optionalText(value: string | null | undefined): string | null {
  const trimmed = text(value);
  return trimmed === "" ? null : trimmed;
}

/** R-REV-1: a (validated) form input as stored; scores become integer half points. */
export function toStoredReview(input: ReviewInput): StoredReview {
  const halves = (key: RubricSectionKey) => {
    const score = input.sections?.[key]?.score;
    return score == null ? null : toHalves(score);
  };
  return {
    materialsComplete: input.materialsComplete ?? null,
    materialsNote: optionalText(input.materialsNote),
    basicsHalfPoints: halves("basics"),
    basicsComment: optionalText(input.sections?.basics?.comment),
    recommendationsHalfPoints: halves("recommendations"),
    recommendationsComment: optionalText(input.sections?.recommendations?.comment),
    estimatesHalfPoints: halves("estimates"),
    estimatesComment: optionalText(input.sections?.estimates?.comment),
    deduction: input.deduction ?? false,
    deductionReason: optionalText(input.deductionReason),
    veto: input.veto ?? false,
    vetoEvidence: optionalText(input.vetoEvidence),
  };
}

/** The stored review as a form input (scores back in points). */
export function fromStoredReview(stored: StoredReview): ReviewInput {
  const section = (halves: number | null, comment: string | null) => ({
    score: halves == null ? null : halves / 2,
    comment: comment ?? "",
  });
  return {
    materialsComplete: stored.materialsComplete,
    materialsNote: stored.materialsNote ?? "",
    sections: {
      basics: section(stored.basicsHalfPoints, stored.basicsComment),
      recommendations: section(stored.recommendationsHalfPoints, stored.recommendationsComment),
      estimates: section(stored.estimatesHalfPoints, stored.estimatesComment),
    },
    deduction: stored.deduction,
    deductionReason: stored.deductionReason ?? "",
    veto: stored.veto,
    vetoEvidence: stored.vetoEvidence ?? "",
  };
}

/**
 * R-REV-4: the running total shown while the expert types — the scores given so far, less 20 for a
 * deduction, floored at 0. A score the form would refuse counts as 0: out of range, unreadable, or off
 * the round's step (12.5 where the round takes whole points), exactly as validateReview refuses it.
 */
export function runningTotal(input: ReviewInput, options: { allowHalfPoints: boolean }): number {
  let halves = 0;
  for (const key of RUBRIC_SECTION_KEYS) {
    const score = input.sections?.[key]?.score;
    if (score == null || scoreError(key, score, options.allowHalfPoints) !== null) continue;
    halves += score * 2;
  }
  if (input.deduction) halves -= toHalves(RUBRIC_DEDUCTION.points);
  return Math.max(0, halves) / 2;
}

/**
 * R-REV-3 / R-REV-4: a vetoed report fails whatever its score, so the provider is shown 一票否决, not a
 * score (100.00 分 不合格 reads as a mistake). Read from the reasons the provider was given.
 */
export function isVetoed(reasons: readonly string[]): boolean {
  return reasons.some((reason) => reason.startsWith(DECISION_REASONS.veto));
}

/**
 * R-REV-4 / R-REV-2 / R-REV-3 / R-MAT-2: the reasons a provider is told, without naming any expert:
 * missing materials (with the experts' notes), the veto, the deductions, and a score below the pass mark.
 */
export function providerReasons(reviews: readonly Review[], decision: Decision, passMark: number): string[] {
  const reasons: string[] = [];
  const notes = [
    ...new Set(
      reviews
        .filter((r) => !r.materialsComplete)
        .map((r) => text(r.materialsNote))
        .filter((n) => n !== ""),
    ),
  ];
  if (reviews.some((r) => !r.materialsComplete)) {
    reasons.push(
      `${DECISION_REASONS.materials}（缺少 1 项即列为不合格）${notes.length ? `：${notes.join("；")}` : ""}`,
    );
  }
  if (reviews.some((r) => r.veto)) reasons.push(`${DECISION_REASONS.veto}：报告存在明显雷同、抄袭，不予通过`);
  const deductions = reviews.filter((r) => r.deduction);
  if (deductions.length > 0) {
    const why = [...new Set(deductions.map((r) => text(r.deductionReason)).filter((n) => n !== ""))];
    reasons.push(
      `扣分：${deductions.length} 位评审专家认定报告借机推销自身产品和解决方案，各扣 ${RUBRIC_DEDUCTION.points} 分${why.length ? `（${why.join("；")}）` : ""}`,
    );
  }
  if (decision.reasons.includes(DECISION_REASONS.score(passMark))) reasons.push(DECISION_REASONS.score(passMark));
  return reasons;
}

/** R-REV-4: experts disagree when their totals differ by more than this. */
export const SPREAD_LIMIT = 20;

/** A score kept in hundredths (truncated, R-REV-4), as shown: two decimals. */
export function formatHundredths(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}
