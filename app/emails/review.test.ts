import { describe, expect, test } from "vitest";

import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";
import { conflictHandedBackMail, resultMailLine, reviewReopenedMail, reviewResultMail } from "./review.ts";

describe("review mails", () => {
  test("R-REV-5 a conflict hands the assignment back: the officer is asked to reassign, with the recorded reason", () => {
    const mail = conflictHandedBackMail({
      officerName: "王科长",
      expertName: "李专家",
      applicationNumber: "ZD2022-0007",
      reason: "专家申报利益冲突（服务商：某科技公司）：本人近三年曾受聘于该服务商",
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}专家申报回避，请重新分配 ZD2022-0007`);
    expect(mail.text.split("\n")).toEqual([
      "王科长：",
      "",
      "评审专家 李专家 对申报 ZD2022-0007 申报回避，该评审任务已退回，请重新分配评审专家。",
      "专家申报利益冲突（服务商：某科技公司）：本人近三年曾受聘于该服务商",
      "",
      "本邮件由系统自动发送，请勿直接回复。",
    ]);
  });

  test("R-REV-5 a reopened score tells the expert why and where to correct it", () => {
    const mail = reviewReopenedMail({
      expertName: "李",
      applicationNumber: "ZD2022-0003",
      reportTitle: "某机械公司智能化改造评估诊断报告",
      reason: "项目测算得分与评语不符",
      link: "https://portal.example/expert/reviews/a1",
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}评分退回修改 ZD2022-0003`);
    expect(mail.text).toContain("李专家：");
    expect(mail.text).toContain(
      "您对申报 ZD2022-0003《某机械公司智能化改造评估诊断报告》提交的评分已被区工信局退回修改。",
    );
    expect(mail.text).toContain("退回原因：项目测算得分与评语不符");
    expect(mail.text).toContain("请登录平台修改后重新提交：https://portal.example/expert/reviews/a1");
  });

  test("R-REV-4 / R-REV-3 result lines: the score when passed or failed on score, no score when vetoed", () => {
    const application = { number: "ZD2022-0001", enterpriseName: "某机械公司", reportTitle: "诊断报告" };
    expect(resultMailLine(application, { passed: true, finalScore: 78.5 }, [])).toBe(
      "ZD2022-0001　某机械公司《诊断报告》\n  评审结果：合格　最终得分：78.50 分",
    );
    expect(resultMailLine(application, { passed: false, finalScore: 59.99 }, ["得分低于60分"])).toBe(
      "ZD2022-0001　某机械公司《诊断报告》\n  评审结果：不合格　最终得分：59.99 分\n  原因：得分低于60分",
    );
    const vetoed = resultMailLine(application, { passed: false, finalScore: 95 }, [
      "一票否决：报告存在明显雷同、抄袭，不予通过",
      "扣分：1 位评审专家认定报告借机推销自身产品和解决方案，各扣 20 分",
    ]);
    expect(vetoed).toContain("评审结果：不合格（一票否决）");
    expect(vetoed).not.toContain("95");
    expect(vetoed).toContain("原因：一票否决：报告存在明显雷同、抄袭，不予通过；扣分：");
  });

  test("R-REV-4 the results mail lists each application and says how the final score is made, naming no expert", () => {
    const mail = reviewResultMail({
      providerName: "某科技公司",
      roundName: "2022年智能化改造诊断",
      lines: ["ZD2022-0001　甲《报告一》\n  评审结果：合格　最终得分：78.00 分", "ZD2022-0002　乙《报告二》"],
      scoreAggregation: "mean",
      passMark: 60,
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}评审结果通知（2022年智能化改造诊断）`);
    expect(mail.text.startsWith("某科技公司：\n\n贵单位在“2022年智能化改造诊断”中申报")).toBe(true);
    expect(mail.text).toContain("ZD2022-0001　甲《报告一》\n  评审结果：合格　最终得分：78.00 分\nZD2022-0002");
    expect(mail.text).toContain("最终得分为各评审专家评分的平均分");
    expect(mail.text).toContain("最终得分不低于 60 分的评定为合格");
    expect(mail.text).not.toContain("专家：");
    const median = reviewResultMail({
      providerName: "x",
      roundName: "r",
      lines: [],
      scoreAggregation: "median",
      passMark: 70,
    });
    expect(median.text).toContain("评分的中位数");
    expect(median.text).toContain("不低于 70 分");
  });

  test("review mails keep their closing line (not the signature)", () => {
    const mail = reviewReopenedMail({
      expertName: "x",
      applicationNumber: "n",
      reportTitle: "t",
      reason: "r",
      link: "l",
    });
    expect(mail.text.endsWith("本邮件由系统自动发送，请勿直接回复。")).toBe(true);
    expect(mail.text).not.toContain(SIGNATURE);
  });
});
