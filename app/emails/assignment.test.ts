import { describe, expect, test } from "vitest";

import { parseShanghaiDateTime } from "~/domain/shanghai-time.ts";

import { assignmentNotice, withdrawalNotice } from "./assignment.ts";

const applications = [
  { number: "ZD2026-0001", enterprise: "淄博甲机械有限公司", provider: "乙咨询有限公司" },
  { number: "ZD2026-0007", enterprise: "淄博丙化工有限公司", provider: "丁智能科技有限公司" },
];

describe("assignment mails (R-REV-5)", () => {
  test("the assignment notice lists every application, the deadline in Beijing time and the link", () => {
    const mail = assignmentNotice({
      expertName: "王专家",
      roundName: "2026 年第一批",
      applications,
      reviewDeadline: parseShanghaiDateTime("2026-12-10 17:00:00"),
      portalUrl: "https://portal.example",
    });
    expect(mail.subject).toBe("【申报平台】评审任务分配通知（2 份）");
    expect(mail.text).toMatch(/^王专家，您好：/);
    expect(mail.text).toContain("“2026 年第一批”的以下 2 份申报分配给您评审");
    expect(mail.text).toContain("1. 申报编号 ZD2026-0001　被诊断企业：淄博甲机械有限公司　服务商：乙咨询有限公司");
    expect(mail.text).toContain("2. 申报编号 ZD2026-0007　被诊断企业：淄博丙化工有限公司　服务商：丁智能科技有限公司");
    expect(mail.text).toContain("请于 2026-12-10 17:00（北京时间）前提交评审意见。");
    expect(mail.text).toContain("如有，请在平台上声明回避。");
    expect(mail.text).toContain("登录平台查看评审任务：https://portal.example/expert");
    expect(mail.text).toMatch(/\n\n张店区工业和信息化局$/);
  });

  test("without a review deadline the notice says it will follow", () => {
    const mail = assignmentNotice({
      expertName: "王专家",
      roundName: "2026 年第一批",
      applications: applications.slice(0, 1),
      reviewDeadline: null,
      portalUrl: "http://localhost:3000",
    });
    expect(mail.subject).toBe("【申报平台】评审任务分配通知（1 份）");
    expect(mail.text).toContain("评审截止时间另行通知。");
    expect(mail.text).not.toContain("北京时间");
    expect(mail.text).not.toContain("2. 申报编号");
  });

  test("the withdrawal notice names the application, its enterprise and the reason", () => {
    const mail = withdrawalNotice({
      expertName: "李专家",
      applicationNumber: "ZD2026-0003",
      enterprise: "淄博戊纺织有限公司",
      reason: "专家所在单位与服务商有合作",
    });
    expect(mail.subject).toBe("【申报平台】评审任务撤回通知（ZD2026-0003）");
    expect(mail.text).toBe(
      "李专家，您好：\n\n区工信局已撤回申报 ZD2026-0003（被诊断企业：淄博戊纺织有限公司）的评审任务。\n原因：专家所在单位与服务商有合作\n\n张店区工业和信息化局",
    );
  });
});
