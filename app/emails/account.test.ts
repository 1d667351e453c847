import { describe, expect, it } from "vitest";

import { accountLockedMail, invitationMail, passwordResetMail, roleGrantMail } from "./account.ts";
import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";

const person = { name: "李经办", email: "li@zhangdian.example" };
/** 2022-12-21 10:30 in Beijing (UTC+8). */
const at = new Date("2022-12-21T02:30:00Z");

describe("account mails", () => {
  it("the invitation names the roles and the link to set a password within 7 days", () => {
    const mail = invitationMail({
      ...person,
      roleLabels: ["工信局经办人员", "评审专家"],
      link: "https://sb.example/invite/t1",
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}账号邀请`);
    expect(mail.text).toBe(
      "李经办，您好：\n\n区工信局已为您创建工信局经办人员、评审专家账号（登录邮箱 li@zhangdian.example）。" +
        "\n请在 7 天内打开以下链接设置登录密码：\nhttps://sb.example/invite/t1\n\n如非本人操作，请忽略本邮件。\n" +
        SIGNATURE,
    );
  });

  it("the reset mail gives a one-hour single-use link and says the password is unchanged otherwise", () => {
    const mail = passwordResetMail({ ...person, link: "https://sb.example/reset-password/t2" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}重设密码`);
    expect(mail.text).toContain("申请重设账号 li@zhangdian.example 的登录密码。");
    expect(mail.text).toContain("请在 1 小时内打开以下链接设置新密码");
    expect(mail.text).toContain(
      "\nhttps://sb.example/reset-password/t2\n\n如非本人操作，请忽略本邮件，您的密码不会改变。",
    );
    expect(mail.text.endsWith(`\n${SIGNATURE}`)).toBe(true);
  });

  it("a locked bureau account is told when, after how many failures, and how to get in now", () => {
    const mail = accountLockedMail({ ...person, at, failures: 5, link: "https://sb.example/reset-password/t3" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}账号因多次密码错误暂停登录`);
    expect(mail.text).toContain(
      "您的账号（li@zhangdian.example）于 2022-12-21 10:30 连续 5 次密码错误，已暂停登录 15 分钟。",
    );
    expect(mail.text).toContain("重设后即可登录：\nhttps://sb.example/reset-password/t3\n\n" + SIGNATURE);
  });

  it("R-PAY-3 an approver is told who granted which roles to whom, and when", () => {
    const mail = roleGrantMail({
      approverName: "王审批",
      grantedBy: "系统管理员",
      at,
      user: person,
      roleLabels: ["审批领导"],
    });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}角色授予通知`);
    expect(mail.text).toBe(
      "王审批，您好：\n\n系统管理员 于 2022-12-21 10:30 为 李经办（li@zhangdian.example）授予了以下角色：审批领导。" +
        "\n如该授权不符合工作安排，请立即联系系统管理员核实。\n\n" +
        SIGNATURE,
    );
  });
});
