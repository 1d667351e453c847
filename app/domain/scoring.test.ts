import { describe, expect, it } from "vitest";

import {
  decideApplication,
  expertTotal,
  fromStoredReview,
  isVetoed,
  providerReasons,
  type Review,
  type ReviewInput,
  runningTotal,
  toStoredReview,
  validateReview,
} from "./scoring.ts";

/** A complete review whose section scores add up to `total` (split 30/40/30 as far as it goes). */
function review(total: number, overrides: Partial<Review> = {}): Review {
  const basics = Math.min(30, total);
  const recommendations = Math.min(40, total - basics);
  const estimates = total - basics - recommendations;
  return {
    materialsComplete: true,
    sections: {
      basics: { score: basics, comment: "基本情况介绍完整" },
      recommendations: { score: recommendations, comment: "建议具体可行" },
      estimates: { score: estimates, comment: "测算基本合理" },
    },
    deduction: false,
    veto: false,
    ...overrides,
  };
}

function totals(values: readonly number[]): Review[] {
  return values.map((total) => review(total));
}

const complete: ReviewInput = review(80);

describe("validateReview", () => {
  it("R-REV-1 accepts a complete review and returns it with trimmed texts", () => {
    const input: ReviewInput = { ...complete, deduction: true, deductionReason: "  推销自有MES  " };
    const result = validateReview(input, { allowHalfPoints: false });
    expect(result).toEqual({ ok: true, review: { ...review(80), deduction: true, deductionReason: "推销自有MES" } });
  });

  it("R-REV-1 refuses a score above the section maximum or below 0, naming the section", () => {
    const input: ReviewInput = {
      ...complete,
      sections: {
        basics: { score: 31, comment: "好" },
        recommendations: { score: -1, comment: "好" },
        estimates: { score: 30, comment: "好" },
      },
    };
    const result = validateReview(input, { allowHalfPoints: true });
    expect(result).toEqual({
      ok: false,
      errors: {
        "sections.basics.score": ["“基本情况”得分须在 0 至 30 分之间"],
        "sections.recommendations.score": ["“诊断建议”得分须在 0 至 40 分之间"],
      },
    });
  });

  it("R-REV-1 accepts the bounds 0 and the maximum", () => {
    const input: ReviewInput = {
      ...complete,
      sections: {
        basics: { score: 0, comment: "缺失" },
        recommendations: { score: 40, comment: "好" },
        estimates: { score: 30, comment: "好" },
      },
    };
    expect(validateReview(input, { allowHalfPoints: false }).ok).toBe(true);
  });

  it("R-REV-1 refuses half points unless the round allows them, and anything finer than a half", () => {
    const withScore = (score: number): ReviewInput => ({
      ...complete,
      sections: { ...review(80).sections, estimates: { score, comment: "好" } },
    });
    expect(validateReview(withScore(12.5), { allowHalfPoints: false })).toEqual({
      ok: false,
      errors: { "sections.estimates.score": ["“项目测算”得分须为整数"] },
    });
    expect(validateReview(withScore(12.5), { allowHalfPoints: true }).ok).toBe(true);
    for (const score of [12.3, 12.25, 0.1]) {
      expect(validateReview(withScore(score), { allowHalfPoints: true }), String(score)).toEqual({
        ok: false,
        errors: { "sections.estimates.score": ["“项目测算”得分须以 0.5 分为单位"] },
      });
    }
    expect(validateReview(withScore(Number.NaN), { allowHalfPoints: true })).toEqual({
      ok: false,
      errors: { "sections.estimates.score": ["“项目测算”得分须为数字"] },
    });
  });

  it("R-REV-1 submitting needs every score and every comment", () => {
    const input: ReviewInput = {
      materialsComplete: true,
      sections: { basics: { score: 20, comment: "  " }, recommendations: { comment: "好" } },
    };
    expect(validateReview(input, { allowHalfPoints: false, mode: "submit" })).toEqual({
      ok: false,
      errors: {
        "sections.basics.comment": ["请填写“基本情况”的评语"],
        "sections.recommendations.score": ["请为“诊断建议”打分"],
        "sections.estimates.score": ["请为“项目测算”打分"],
        "sections.estimates.comment": ["请填写“项目测算”的评语"],
      },
    });
  });

  it("R-REV-1 a draft may be incomplete but never out of range", () => {
    expect(validateReview({}, { allowHalfPoints: false, mode: "draft" })).toEqual({ ok: true, review: {} });
    const partial: ReviewInput = { sections: { basics: { score: 12 } }, deduction: true, veto: true };
    expect(validateReview(partial, { allowHalfPoints: false, mode: "draft" })).toEqual({ ok: true, review: partial });
    const outOfRange: ReviewInput = { sections: { recommendations: { score: 41 }, estimates: { score: 7.5 } } };
    expect(validateReview(outOfRange, { allowHalfPoints: false, mode: "draft" })).toEqual({
      ok: false,
      errors: {
        "sections.recommendations.score": ["“诊断建议”得分须在 0 至 40 分之间"],
        "sections.estimates.score": ["“项目测算”得分须为整数"],
      },
    });
  });

  it("R-REV-2 a deduction needs a reason", () => {
    const result = validateReview({ ...complete, deduction: true, deductionReason: " " }, { allowHalfPoints: false });
    expect(result).toEqual({ ok: false, errors: { deductionReason: ["扣 20 分须填写扣分理由"] } });
  });

  it("R-REV-3 a veto needs evidence", () => {
    const result = validateReview({ ...complete, veto: true }, { allowHalfPoints: false });
    expect(result).toEqual({ ok: false, errors: { vetoEvidence: ["一票否决须指明雷同或抄袭的依据"] } });
  });

  it("R-MAT-2 submitting needs the materials judgement, and a note when incomplete", () => {
    expect(validateReview({ ...complete, materialsComplete: null }, { allowHalfPoints: false })).toEqual({
      ok: false,
      errors: { materialsComplete: ["请判定诊断资料是否齐全"] },
    });
    expect(validateReview({ ...complete, materialsComplete: false }, { allowHalfPoints: false })).toEqual({
      ok: false,
      errors: { materialsNote: ["请注明缺少或不符合要求的材料"] },
    });
    const noted = validateReview(
      { ...complete, materialsComplete: false, materialsNote: "缺少签到表" },
      { allowHalfPoints: false },
    );
    expect(noted).toEqual({
      ok: true,
      review: { ...review(80), materialsComplete: false, materialsNote: "缺少签到表" },
    });
  });
});

describe("expertTotal", () => {
  it("R-REV-4 is the sum of the sections", () => {
    expect(expertTotal(review(87))).toBe(87);
  });

  it("R-REV-4 adds half points exactly", () => {
    const r = review(0);
    r.sections.basics.score = 10.5;
    r.sections.recommendations.score = 20.5;
    r.sections.estimates.score = 29.5;
    expect(expertTotal(r)).toBe(60.5);
  });

  it("R-REV-2 a deduction takes 20 points off", () => {
    expect(expertTotal(review(85, { deduction: true, deductionReason: "推销" }))).toBe(65);
  });

  it("R-REV-4 a deduction larger than the sections floors the total at 0", () => {
    expect(expertTotal(review(15, { deduction: true, deductionReason: "推销" }))).toBe(0);
    expect(expertTotal(review(20, { deduction: true, deductionReason: "推销" }))).toBe(0);
  });

  it("R-REV-4 refuses scores finer than half a point", () => {
    const r = review(60);
    r.sections.basics.score = 20.25;
    expect(() => expertTotal(r)).toThrow(RangeError);
  });
});

describe("decideApplication", () => {
  it("R-REV-4 exactly 60 passes", () => {
    expect(decideApplication({ reviews: totals([60, 60, 60]), aggregation: "mean" })).toMatchObject({
      finalScore: 60,
      passed: true,
      reasons: [],
    });
    // 59.5 + 60 + 60.5 = 180, a mean of exactly 60. Dividing each total by 3 first would give 59.999….
    const halves = [review(59.5), review(60), review(60.5)];
    expect(decideApplication({ reviews: halves, aggregation: "mean" })).toMatchObject({ finalScore: 60, passed: true });
  });

  it("R-REV-4 a mean just below 60 fails, however it would round", () => {
    // 59.5 + 60 + 60 = 179.5, a mean of 59.833…: rounded to whole points it would be 60.
    const three = decideApplication({ reviews: [review(59.5), review(60), review(60)], aggregation: "mean" });
    expect(three).toMatchObject({ finalScore: 59.83, passed: false, reasons: ["得分低于60分"] });
    // 100 reviews of 60 and one of 59.5: a mean of 6059.5 / 101 = 59.99504…, which rounds to 60.00 at two
    // decimals. Half points make every total exact; the comparison is on the exact fraction.
    const many = decideApplication({ reviews: [...totals(Array(100).fill(60)), review(59.5)], aggregation: "mean" });
    expect(many).toMatchObject({ finalScore: 59.99, passed: false, reasons: ["得分低于60分"] });
  });

  it("R-REV-3 a veto fails a 100-point report", () => {
    const vetoed = review(100, { veto: true, vetoEvidence: "与 ZD2022-0007 第三章雷同" });
    const decision = decideApplication({ reviews: [review(100), vetoed, review(100)], aggregation: "mean" });
    expect(decision).toMatchObject({ finalScore: 100, passed: false, reasons: ["一票否决"] });
  });

  it("R-MAT-2 one expert finding a material missing fails it regardless of scores", () => {
    const missing = review(100, { materialsComplete: false, materialsNote: "缺少现场调研照片" });
    const decision = decideApplication({ reviews: [review(100), review(100), missing], aggregation: "median" });
    expect(decision).toMatchObject({ finalScore: 100, passed: false, reasons: ["材料不全"] });
  });

  it("R-REV-4 every reason is listed", () => {
    const bad = review(30, { materialsComplete: false, materialsNote: "缺少合同", veto: true, vetoEvidence: "抄袭" });
    expect(decideApplication({ reviews: [bad], aggregation: "mean" }).reasons).toEqual([
      "材料不全",
      "一票否决",
      "得分低于60分",
    ]);
  });

  it("R-REV-4 mean and median can decide differently", () => {
    // One generous expert: the mean (65) passes, the median (55) does not.
    const reviews = totals([90, 50, 55]);
    expect(decideApplication({ reviews, aggregation: "mean" })).toMatchObject({ finalScore: 65, passed: true });
    expect(decideApplication({ reviews, aggregation: "median" })).toMatchObject({ finalScore: 55, passed: false });
    // With an even count the median is the mean of the middle two, still exact: (59.5 + 60) / 2 = 59.75.
    const even = decideApplication({ reviews: totals([40, 59.5, 60, 100]), aggregation: "median" });
    expect(even).toMatchObject({ finalScore: 59.75, passed: false });
  });

  it("R-REV-4 a spread of exactly 20 is not flagged; 20.5 and 21 are", () => {
    const at = (values: number[]) => decideApplication({ reviews: totals(values), aggregation: "mean" });
    expect(at([60, 80, 70])).toMatchObject({ spread: 20, spreadFlag: false, totals: [60, 80, 70] });
    expect(at([60, 80.5, 70])).toMatchObject({ spread: 20.5, spreadFlag: true });
    expect(at([60, 81, 70])).toMatchObject({ spread: 21, spreadFlag: true });
    expect(at([75])).toMatchObject({ spread: 0, spreadFlag: false });
  });

  it("R-REV-4 the spread is taken on totals after deduction", () => {
    const decision = decideApplication({
      reviews: [review(90), review(90, { deduction: true, deductionReason: "推销自有平台" })],
      aggregation: "mean",
    });
    expect(decision).toMatchObject({ totals: [90, 70], spread: 20, spreadFlag: false, finalScore: 80 });
  });

  it("R-REV-4 needs at least one review", () => {
    expect(() => decideApplication({ reviews: [], aggregation: "mean" })).toThrow(RangeError);
  });
});

describe("stored reviews", () => {
  it("R-REV-1 stores scores as integer half points and reads them back", () => {
    const input: ReviewInput = {
      ...review(80),
      sections: { ...review(80).sections, basics: { score: 20.5, comment: " 好 " } },
    };
    const stored = toStoredReview(input);
    expect(stored).toMatchObject({
      basicsHalfPoints: 41,
      basicsComment: "好",
      recommendationsHalfPoints: 80,
      estimatesHalfPoints: 20,
    });
    expect(fromStoredReview(stored).sections?.basics).toEqual({ score: 20.5, comment: "好" });
  });

  it("R-REV-1 an empty draft stores nulls", () => {
    expect(toStoredReview({})).toMatchObject({
      materialsComplete: null,
      basicsHalfPoints: null,
      deduction: false,
      veto: false,
    });
  });
});

describe("runningTotal", () => {
  const halves = { allowHalfPoints: true };
  const whole = { allowHalfPoints: false };
  it("R-REV-4 adds the scores given so far and ignores out-of-range ones", () => {
    expect(runningTotal({ sections: { basics: { score: 25 }, recommendations: { score: 41 } } }, halves)).toBe(25);
    expect(runningTotal({ sections: { basics: { score: 25.5 }, estimates: { score: 10 } } }, halves)).toBe(35.5);
  });

  it("R-REV-4 counts only scores the round accepts: 12.5 is no score where the round takes whole points", () => {
    expect(runningTotal({ sections: { basics: { score: 12.5 }, estimates: { score: 10 } } }, whole)).toBe(10);
    expect(runningTotal({ sections: { basics: { score: 12.25 }, estimates: { score: 10 } } }, halves)).toBe(10);
    expect(validateReview({ sections: { basics: { score: 12.5 } } }, { ...whole, mode: "draft" }).ok).toBe(false);
  });

  it("R-REV-2 / R-REV-4 the deduction floors the running total at 0", () => {
    expect(runningTotal({ sections: { basics: { score: 15 } }, deduction: true }, whole)).toBe(0);
    expect(runningTotal({ sections: { basics: { score: 30 } }, deduction: true }, whole)).toBe(10);
  });
});

describe("providerReasons", () => {
  it("R-REV-4 a passed application has no reasons", () => {
    const reviews = totals([80, 70, 75]);
    expect(providerReasons(reviews, decideApplication({ reviews, aggregation: "mean" }), 60)).toEqual([]);
  });

  it("R-MAT-2 / R-REV-2 / R-REV-3 lists missing materials, the veto, deductions and the low score, naming no expert", () => {
    const reviews = [
      review(70, { materialsComplete: false, materialsNote: "缺少M6" }),
      review(50, { deduction: true, deductionReason: "推销自有MES" }),
      review(40, { veto: true, vetoEvidence: "与2022-0003雷同" }),
    ];
    const reasons = providerReasons(reviews, decideApplication({ reviews, aggregation: "mean" }), 60);
    expect(reasons).toEqual([
      "材料不全（缺少 1 项即列为不合格）：缺少M6",
      "一票否决：报告存在明显雷同、抄袭，不予通过",
      "扣分：1 位评审专家认定报告借机推销自身产品和解决方案，各扣 20 分（推销自有MES）",
      "得分低于60分",
    ]);
    expect(reasons.join("")).not.toContain("2022-0003");
  });
});

describe("isVetoed", () => {
  it("R-REV-3 a vetoed report is shown as 一票否决 whatever its score", () => {
    const reviews = [review(100), review(100, { veto: true, vetoEvidence: "与另一报告雷同" })];
    const decision = decideApplication({ reviews, aggregation: "mean" });
    expect(decision).toMatchObject({ passed: false, finalScore: 100 });
    expect(isVetoed(providerReasons(reviews, decision, 60))).toBe(true);
    const low = totals([40, 50]);
    expect(isVetoed(providerReasons(low, decideApplication({ reviews: low, aggregation: "mean" }), 60))).toBe(false);
  });
});
