/**
 * The rubric of attachment 1 (附件1 智能化改造评估诊断报告评审细则) as data, for experts to read while they
 * score and for score sheets to print. Texts are copied verbatim from the policy, spaces included
 * ("扣 20 分"); numbered lines are kept without their "1、" numeral, which the UI renders as a list.
 */

export const RUBRIC_TITLE = "智能化改造评估诊断报告评审细则";
/** The rubric's 项目 column. */
export const RUBRIC_ITEM = "智能化改造评估诊断";

export const RUBRIC_SECTION_KEYS = ["basics", "recommendations", "estimates"] as const;
export type RubricSectionKey = (typeof RUBRIC_SECTION_KEYS)[number];

export type RubricSection = {
  key: RubricSectionKey;
  /** 评审项 */
  name: string;
  /** The section's maximum score (R-REV-1). */
  max: number;
  /** 评审细则, one entry per numbered line. */
  criteria: readonly string[];
};

/** R-REV-1: the three scored sections and their maxima (30 + 40 + 30 = 100). */
export const RUBRIC_SECTIONS: Readonly<Record<RubricSectionKey, RubricSection>> = {
  basics: {
    key: "basics",
    name: "基本情况",
    max: 30,
    criteria: [
      "企业自动化水平，信息化覆盖广度和深度以及企业管理水平等；",
      "从国家、省、市等几个层面介绍企业所处行业的自动化和信息化水平以及企业在行业内所处的水平；",
      "企业存在的问题及应对问题策略情况。",
    ],
  },
  recommendations: {
    key: "recommendations",
    name: "诊断建议",
    max: 40,
    criteria: [
      "诊断建议需提出被诊断企业需要数字化转型的具体内容或环节；",
      "诊断建议应当包含简要实施方案，实施方案要包含硬件、软件两方面内容；",
      "诊断建议具备指导意义和可操作性。",
    ],
  },
  estimates: {
    key: "estimates",
    name: "项目测算",
    max: 30,
    criteria: ["智能化改造项目初步预算；", "智能化改造项目建设期；", "智能化改造初步测算改造后的经济效益。"],
  },
};

/** The sections in the rubric's order. */
export const RUBRIC_SECTION_LIST: readonly RubricSection[] = RUBRIC_SECTION_KEYS.map((key) => RUBRIC_SECTIONS[key]);

/** R-REV-1: the highest total an expert can give. */
export const RUBRIC_MAX_TOTAL = RUBRIC_SECTION_LIST.reduce((sum, section) => sum + section.max, 0);

/** R-MAT-2: the 诊断资料 row — judged complete or not, never scored. */
export const RUBRIC_MATERIALS = {
  name: "诊断资料",
  criterion: "诊断资料参照实施方案中申报材料项内容。",
  judgement: "缺少 1 项即列为不合格",
} as const;

/** R-REV-4: the 结果判定 of the scored sections. */
export const RUBRIC_PASS_JUDGEMENT = "严格按标准打分， 不满 60 分或一票否决的评定为不合格";

/** The heading of the last row, 扣分或否决项. */
export const RUBRIC_DEDUCTION_OR_VETO_HEADING = "扣分或否决项";

/** R-REV-2: selling the provider's own products in the report costs 20 points. */
export const RUBRIC_DEDUCTION = {
  name: "扣分项",
  points: 20,
  text: "报告借机推销自身产品和解决方案，存在误导企业的，扣 20 分；",
} as const;

/** R-REV-3: a report clearly the same as, or copied from, another does not pass (一票否决). */
export const RUBRIC_VETO = {
  name: "一票否决",
  text: "报告存在明显雷同、抄袭的，不予通过。",
} as const;
