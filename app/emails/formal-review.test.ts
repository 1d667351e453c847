import { describe, expect, test } from "vitest";

import { applicationAcceptedMail, applicationRefusedMail, supplementRequestedMail } from "./formal-review.ts";
import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";

const facts = {
  providerName: "某科技公司",
  enterpriseName: "某机械公司",
  applicationNumber: "ZD2022-0005",
  link: "https://portal.example/provider/applications/app1",
};

describe("formal review mails", () => {
  test("accepted: the time in Beijing, the next step and the link", () => {
    const mail = applicationAcceptedMail({ ...facts, acceptedAt: new Date("2022-12-01T02:30:00Z") });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}申报已受理 ZD2022-0005（某机械公司）`);
    expect(mail.text).toBe(
      "某科技公司：\n\n贵单位为“某机械公司”填报的申报（编号 ZD2022-0005）已通过形式审查，于 2022-12-01 10:30（北京时间）予以受理，将进入专家评审。" +
        `\n\n查看申报：${facts.link}\n${SIGNATURE}`,
    );
  });

  test("R-MAT-2 returned for supplement: every item told at once, with the due time in Beijing", () => {
    const mail = supplementRequestedMail({
      ...facts,
      items: [
        { material: "M3", reason: "签到表缺少企业人员签字" },
        { material: "general", reason: "请核对合同金额" },
      ],
      dueAt: new Date("2022-12-08T15:59:00Z"),
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}请补正材料 ZD2022-0005（某机械公司）`);
    expect(mail.text).toContain("经形式审查，以下材料需要补正（一次性告知）：\n\n1. ");
    expect(mail.text).toContain("签到表缺少企业人员签字\n2. 其他说明：请核对合同金额");
    expect(mail.text).toContain("请于 2022-12-08 23:59（北京时间）前登录平台更换上述材料并重新提交，逾期不予受理。");
    expect(mail.text.endsWith(`补正材料：${facts.link}\n${SIGNATURE}`)).toBe(true);
  });

  test("refused: the officer's reason", () => {
    const mail = applicationRefusedMail({ ...facts, reason: "被诊断企业不在名单内" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}申报不予受理 ZD2022-0005（某机械公司）`);
    expect(mail.text).toBe(
      `某科技公司：\n\n贵单位为“某机械公司”填报的申报（编号 ZD2022-0005）经形式审查，不予受理。\n\n原因：被诊断企业不在名单内\n\n查看申报：${facts.link}\n${SIGNATURE}`,
    );
  });
});
