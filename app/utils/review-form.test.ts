import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, test } from "vitest";

import {
  confirmNoConflictSchema,
  declareConflictSchema,
  readReviewInput,
  REVIEW_TEXT_MAX,
  reviewFormSchema,
  reviewFormValue,
} from "./review-form.ts";

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
}

const complete = {
  version: "3",
  materialsComplete: "yes",
  "sections.basics.score": "25",
  "sections.basics.comment": "企业现状介绍完整",
  "sections.recommendations.score": "32，5",
  "sections.recommendations.comment": "建议具体",
  "sections.estimates.score": "20",
  "sections.estimates.comment": "测算合理",
  deduction: "on",
  deductionReason: "推销自身产品",
};

describe("the scoring form's schema (browser and action alike)", () => {
  test("R-REV-1 reads the posted form as the domain's ReviewInput: a full-width comma is a decimal point, empty is not scored", () => {
    const submission = parseWithZod(form({ ...complete, "sections.estimates.score": "" }), {
      schema: reviewFormSchema(),
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({
      version: 3,
      materialsComplete: true,
      materialsNote: "",
      sections: {
        basics: { score: 25, comment: "企业现状介绍完整" },
        recommendations: { score: 32.5, comment: "建议具体" },
        estimates: { score: null, comment: "测算合理" },
      },
      deduction: true,
      deductionReason: "推销自身产品",
      veto: false,
      vetoEvidence: "",
    });
  });

  test("without rules only the length and the version are checked; a stale or missing version is refused, never read as 0", () => {
    const long = "字".repeat(REVIEW_TEXT_MAX + 1);
    const submission = parseWithZod(form({ ...complete, vetoEvidence: long }), { schema: reviewFormSchema() });
    expect(submission.reply().error).toEqual({ vetoEvidence: [`不超过 ${REVIEW_TEXT_MAX} 字`] });
    for (const version of ["", "x", "-1"]) {
      const stale = parseWithZod(form({ ...complete, version }), { schema: reviewFormSchema() });
      expect(Object.keys(stale.reply().error ?? {})).toEqual(["version"]);
    }
    // A score out of range is the domain's business: refused only with the round's rules.
    expect(
      parseWithZod(form({ ...complete, "sections.basics.score": "35" }), { schema: reviewFormSchema() }).status,
    ).toBe("success");
  });

  test("R-REV-1 with the round's rules, a draft is refused for a score out of range or off the round's step, at the field", () => {
    const whole = reviewFormSchema({ allowHalfPoints: false, mode: "draft" });
    const submission = parseWithZod(form({ version: "0", "sections.basics.score": "35" }), { schema: whole });
    expect(submission.reply().error?.["sections.basics.score"]).toEqual(["“基本情况”得分须在 0 至 30 分之间"]);
    expect(parseWithZod(form(complete), { schema: whole }).reply().error?.["sections.recommendations.score"]).toEqual([
      "“诊断建议”得分须为整数",
    ]);
    const half = reviewFormSchema({ allowHalfPoints: true, mode: "draft" });
    expect(
      parseWithZod(form({ version: "0", "sections.basics.score": "abc" }), { schema: half }).reply().error,
    ).toEqual({
      "sections.basics.score": ["“基本情况”得分须为数字"],
    });
    // An empty draft is a draft.
    expect(parseWithZod(form({ version: "0" }), { schema: half }).status).toBe("success");
  });

  test("R-REV-2 / R-REV-3 / R-MAT-2 submitting needs every score and comment, a reason for −20 and evidence for a veto", () => {
    const schema = reviewFormSchema({ allowHalfPoints: true, mode: "submit" });
    const submission = parseWithZod(
      form({ version: "1", materialsComplete: "no", deduction: "on", veto: "on", "sections.basics.score": "10" }),
      { schema },
    );
    expect(submission.reply().error).toMatchObject({
      materialsNote: ["请注明缺少或不符合要求的材料"],
      "sections.basics.comment": ["请填写“基本情况”的评语"],
      "sections.recommendations.score": ["请为“诊断建议”打分"],
      deductionReason: ["扣 20 分须填写扣分理由"],
      vetoEvidence: ["一票否决须指明雷同或抄袭的依据"],
    });
    expect(parseWithZod(form(complete), { schema }).status).toBe("success");
  });

  test("the form's values (conform's form.value) read leniently, for the running total of a form not valid yet", () => {
    expect(
      readReviewInput({
        materialsComplete: "maybe",
        sections: { basics: { score: "35" }, estimates: { score: "12" } },
        veto: "on",
      }),
    ).toMatchObject({
      materialsComplete: null,
      sections: { basics: { score: 35 }, recommendations: { score: null }, estimates: { score: 12 } },
      veto: true,
      deduction: false,
    });
    expect(readReviewInput({ sections: "not an object" })).toEqual({});
  });

  test("a stored review becomes the form's initial values and reads back the same", () => {
    const input = {
      materialsComplete: false,
      materialsNote: "缺 M3",
      sections: {
        basics: { score: 12.5, comment: "a" },
        recommendations: { score: null, comment: "" },
        estimates: { score: 0, comment: "c" },
      },
      deduction: false,
      deductionReason: "",
      veto: true,
      vetoEvidence: "与申报 X 第3章雷同",
    };
    const value = reviewFormValue(input, 4);
    expect(value.version).toBe("4");
    expect(value.sections.estimates.score).toBe("0");
    expect(readReviewInput(value)).toEqual(input);
  });
});

describe("the conflict check's schemas (R-REV-5)", () => {
  test("confirming needs the box ticked", () => {
    expect(parseWithZod(form({}), { schema: confirmNoConflictSchema }).reply().error).toEqual({
      noConflict: ["请勾选确认与服务商、被诊断企业均不存在利益冲突"],
    });
  });

  test("declaring needs the party and a reason of at least 4 characters, without hidden characters", () => {
    expect(parseWithZod(form({ reason: "近" }), { schema: declareConflictSchema }).reply().error).toEqual({
      kind: ["请选择与哪一方存在利益冲突"],
      reason: ["请说明利益冲突的情况（至少 4 个字）"],
    });
    expect(
      parseWithZod(form({ kind: "provider", reason: "本人曾受聘\u202e于该服务商" }), { schema: declareConflictSchema })
        .status,
    ).toBe("error");
    const ok = parseWithZod(form({ kind: "enterprise", reason: " 本人亲属任职于该企业 " }), {
      schema: declareConflictSchema,
    });
    expect(ok.status === "success" && ok.value).toEqual({ kind: "enterprise", reason: "本人亲属任职于该企业" });
  });
});
