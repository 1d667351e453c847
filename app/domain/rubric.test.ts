import { describe, expect, it } from "vitest";

import {
  RUBRIC_DEDUCTION,
  RUBRIC_DEDUCTION_OR_VETO_HEADING,
  RUBRIC_MATERIALS,
  RUBRIC_MAX_TOTAL,
  RUBRIC_PASS_JUDGEMENT,
  RUBRIC_SECTION_KEYS,
  RUBRIC_SECTION_LIST,
  RUBRIC_SECTIONS,
  RUBRIC_VETO,
} from "./rubric.ts";

/** The cells of attachment 1 as printed in the gazette (policy/2022-smart-diagnosis-subsidy.zh.md). */
const SOURCE = {
  basics: {
    heading: "基本情况 (30 分)",
    cell: "1、企业自动化水平，信息化覆盖广度和深度以及企业管理水平等； 2、从国家、省、市等几个层面介绍企业所处行业的自动化和信息化水平以及企业在行业内所处的水平； 3、企业存在的问题及应对问题策略情况。",
  },
  recommendations: {
    heading: "诊断建议 (40 分)",
    cell: "1、诊断建议需提出被诊断企业需要数字化转型的具体内容或环节； 2、诊断建议应当包含简要实施方案，实施方案要包含硬件、软件两方面内容； 3、诊断建议具备指导意义和可操作性。",
  },
  estimates: {
    heading: "项目测算 (30 分)",
    cell: "1、智能化改造项目初步预算； 2、智能化改造项目建设期； 3、智能化改造初步测算改造后的经济效益。",
  },
  deductionOrVeto:
    "1、报告借机推销自身产品和解决方案，存在误导企业的，扣 20 分； 2、报告存在明显雷同、抄袭的，不予通过。",
};

/** Numbered lines joined back the way the gazette prints them in one cell. */
function asCell(lines: readonly string[]): string {
  return lines.map((line, index) => `${index + 1}、${line}`).join(" ");
}

describe("rubric (attachment 1)", () => {
  it("R-REV-1 has the three sections with maxima 30, 40 and 30, totalling 100", () => {
    expect(RUBRIC_SECTION_LIST.map((s) => [s.key, s.name, s.max])).toEqual([
      ["basics", "基本情况", 30],
      ["recommendations", "诊断建议", 40],
      ["estimates", "项目测算", 30],
    ]);
    expect(RUBRIC_MAX_TOTAL).toBe(100);
  });

  for (const key of RUBRIC_SECTION_KEYS) {
    it(`R-REV-1 ${key}: name, maximum and criteria are verbatim from attachment 1`, () => {
      const section = RUBRIC_SECTIONS[key];
      expect(section.key).toBe(key);
      expect(`${section.name} (${section.max} 分)`).toBe(SOURCE[key].heading);
      expect(asCell(section.criteria)).toBe(SOURCE[key].cell);
    });
  }

  it("R-MAT-2 the materials row: judged against the plan's list, one missing fails", () => {
    expect(RUBRIC_MATERIALS).toEqual({
      name: "诊断资料",
      criterion: "诊断资料参照实施方案中申报材料项内容。",
      judgement: "缺少 1 项即列为不合格",
    });
  });

  it("R-REV-2 R-REV-3 deduction and veto texts are verbatim, and the deduction is 20 points", () => {
    expect(RUBRIC_DEDUCTION_OR_VETO_HEADING).toBe("扣分或否决项");
    expect(asCell([RUBRIC_DEDUCTION.text, RUBRIC_VETO.text])).toBe(SOURCE.deductionOrVeto);
    expect(RUBRIC_DEDUCTION.points).toBe(20);
    expect(RUBRIC_DEDUCTION.text).toContain(`扣 ${RUBRIC_DEDUCTION.points} 分`);
  });

  it("R-REV-4 the pass judgement names the 60-point pass mark and the veto", () => {
    expect(RUBRIC_PASS_JUDGEMENT).toBe("严格按标准打分， 不满 60 分或一票否决的评定为不合格");
  });
});
