/**
 * The application's data form: real calendar dates in a plausible range (R-DATE-2 needs them to
 * compute the due date), and a contract amount that fits its column, each refused at its own field.
 */
import { describe, expect, it } from "vitest";

import { applicationDataSchema } from "./application-form.ts";

const TODAY = "2022-11-30";
const valid = {
  enterpriseUscc: "91370303MA3C5A9X6B",
  reportTitle: "智能化改造评估诊断报告",
  contractAmount: "12000",
  contractSignedOn: "2022-09-01",
  diagnosisCompletedOn: "2022-09-20",
};

function errorsOf(input: Record<string, string>): Record<string, string[]> {
  const result = applicationDataSchema(TODAY).safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0]);
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

describe("the application's data form", () => {
  it("takes a valid form (credit code check aside)", () => {
    const errors = errorsOf(valid);
    expect(errors.contractSignedOn).toBeUndefined();
    expect(errors.diagnosisCompletedOn).toBeUndefined();
    expect(errors.contractAmount).toBeUndefined();
  });

  it.each(["2022-02-30", "2022-13-45", "0000-00-00", "2021-02-29"])(
    "R-DATE-2 refuses the impossible date %s at the field",
    (day) => {
      expect(errorsOf({ ...valid, contractSignedOn: day }).contractSignedOn).toEqual([
        "合同签订日期不是有效的日期，请检查年、月、日",
      ]);
      expect(errorsOf({ ...valid, diagnosisCompletedOn: day }).diagnosisCompletedOn).toContain(
        "诊断完成日期不是有效的日期，请检查年、月、日",
      );
    },
  );

  it("R-DATE-2 refuses a completion (or a signature) after today, and dates before 2004", () => {
    expect(errorsOf({ ...valid, diagnosisCompletedOn: "2022-12-01" }).diagnosisCompletedOn).toEqual([
      "诊断完成日期不能晚于今天（2022-11-30）",
    ]);
    expect(errorsOf({ ...valid, diagnosisCompletedOn: TODAY }).diagnosisCompletedOn).toBeUndefined();
    expect(
      errorsOf({ ...valid, contractSignedOn: "2023-01-01", diagnosisCompletedOn: "2023-01-02" }).contractSignedOn,
    ).toEqual(["合同签订日期不能晚于今天（2022-11-30）"]);
    expect(errorsOf({ ...valid, contractSignedOn: "1999-12-31" }).contractSignedOn).toEqual([
      "合同签订日期不能早于 2004-01-01",
    ]);
  });

  it("R-PAY-1 refuses a contract amount above 10,000,000 yuan at the field (the column holds 21,474,836.47)", () => {
    expect(errorsOf({ ...valid, contractAmount: "10000000" }).contractAmount).toBeUndefined();
    expect(errorsOf({ ...valid, contractAmount: "21474836.48" }).contractAmount).toEqual([
      "金额不能超过 10,000,000.00 元",
    ]);
  });
});
