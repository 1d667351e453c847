/**
 * The supplement loop end to end (R-MAT-1, R-MAT-2, R-LOG-1): staff return an application with one
 * itemised notice → the provider sees the rejected material and its reason, can replace only that one,
 * resubmits → staff see the old and new file side by side and accept; the provider gets both e-mails.
 * And two officers deciding the same application at the same moment: one outcome, a clear message for
 * the other, exactly one e-mail.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { type Browser, expect, type Page, test } from "@playwright/test";

import { makePdf } from "../utils/files.ts";
import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { inbox, login, query, scenarioClient } from "./utils.ts";

type Account = { email: string; password: string };
let provider: Account;
let staffA: Account;
let staffB: Account;
let supplementId = "";
let supplementNumber = "";
let raceId = "";
let raceNumber = "";
let organisationId = "";
let roundId = "";
let providerEmail = "";

test.beforeAll(async () => {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    roundId = round.id;
    const p = await createProvider(prisma);
    providerEmail = p.email;
    provider = { email: p.email, password: p.password };
    organisationId = p.organisation.id;
    staffA = await createUser(prisma, ["staff"], { name: "审查员甲" });
    staffB = await createUser(prisma, ["staff"], { name: "审查员乙" });
    const base = { roundId: round.id, organisationId: p.organisation.id, createdById: p.user.id, store };
    const one = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[0]?.id ?? "" });
    const two = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[1]?.id ?? "" });
    [supplementId, supplementNumber, raceId, raceNumber] = [one.id, one.number, two.id, two.number];
  } finally {
    await close();
  }
});

async function signedIn(browser: Browser, account: Account): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, account);
  return page;
}

const mailsAbout = async (number: string) => (await inbox()).filter((m) => m.subject?.includes(number));

test("staff return for supplement → the provider replaces only the rejected material and resubmits → staff see old/new and accept", async ({
  browser,
}) => {
  const staff = await signedIn(browser, staffA);
  await staff.goto(`/staff/applications/${supplementId}`);
  await expect(staff.getByTestId("due-date")).toContainText("诊断应于");
  // R-MAT-2: no decision before every material has a verdict; the message stands at each material.
  await staff.getByRole("button", { name: "受理（进入专家评审）" }).click();
  await expect(staff.getByTestId("review-M1").getByRole("alert")).toContainText("请给出审查意见");
  const m2 = staff.getByTestId("review-M2");
  await m2.getByLabel("不合格", { exact: true }).check();
  await m2.getByLabel("缺少公章").check();
  await m2.getByLabel(/不合格原因（其他）/).fill("第1页");
  await staff.getByRole("button", { name: "其余材料均标为合格" }).click();
  await staff.getByRole("button", { name: "退回补正" }).click();
  await expect(staff).toHaveURL(/decided=return/);
  await expect(staff.getByTestId("notice-1")).toContainText("M2 被诊断企业营业执照复印件：缺少公章；第1页");

  const providerPage = await signedIn(browser, provider);
  await providerPage.goto(`/provider/applications/${supplementId}`);
  const notice = providerPage.getByTestId("supplement-notice");
  await expect(notice).toContainText("M2 被诊断企业营业执照复印件：缺少公章；第1页");
  await expect(notice).toContainText("待更换");
  // Only the rejected material can be replaced: no upload for the others.
  await expect(providerPage.getByLabel("上传书面调研问卷复印件")).toHaveCount(0);
  await expect(providerPage.getByTestId("material-M4").getByRole("button", { name: /删除/ })).toHaveCount(0);
  const replacement = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "e2e-supplement-")), "执照-已盖章.pdf");
  fs.writeFileSync(replacement, await makePdf("licence with seal"));
  await providerPage.getByLabel("上传被诊断企业营业执照复印件").setInputFiles(replacement);
  await expect(providerPage.getByTestId("material-M2").getByRole("link", { name: "执照-已盖章.pdf" })).toBeVisible();
  await expect(notice).toContainText("已更换");
  await providerPage.getByRole("button", { name: "提交补正材料" }).click();
  await expect(providerPage.getByText("补正材料已重新提交")).toBeVisible();
  await expect(providerPage.getByTestId("material-M2").getByLabel("上传被诊断企业营业执照复印件")).toHaveCount(0);

  await staff.goto(`/staff/applications/${supplementId}`);
  const changes = staff.getByTestId("changes-1-M2");
  await expect(changes.getByTestId("old-files")).toContainText("M2.pdf");
  await expect(changes.getByTestId("new-files")).toContainText("执照-已盖章.pdf");
  // Only the replaced material is judged again (一次性告知); the others stay accepted.
  await expect(staff.getByTestId("review-M4").getByLabel("不合格", { exact: true })).toHaveCount(0);
  await staff.getByTestId("review-M2").getByLabel("合格", { exact: true }).check();
  await staff.getByRole("button", { name: "受理（进入专家评审）" }).click();
  await expect(staff).toHaveURL(/decided=accept/);
  await expect(staff.getByRole("heading", { level: 1 })).toContainText("已受理");
  await expect(staff.getByTestId("history")).toContainText("形式审查：退回补正");
  await expect(staff.getByTestId("history")).toContainText("提交补正材料");

  await expect
    .poll(
      async () =>
        (await mailsAbout(supplementNumber))
          .map((m) => m.subject ?? "")
          .sort()
          .join("|"),
      { timeout: 20_000 },
    )
    .toContain("申报已受理");
  const mails = await mailsAbout(supplementNumber);
  // Return, the confirmation of the resubmitted supplement, acceptance.
  expect(mails).toHaveLength(3);
  expect(mails.find((m) => m.subject?.includes("补正材料已提交"))?.text).toContain("重新提交");
  expect(mails.find((m) => m.subject?.includes("请补正材料"))?.text).toContain(
    "1. M2 被诊断企业营业执照复印件：缺少公章；第1页",
  );
});

test("two officers decide the same application at the same moment: one outcome, a clear message for the other, one e-mail", async ({
  browser,
}) => {
  const [a, b] = await Promise.all([signedIn(browser, staffA), signedIn(browser, staffB)]);
  await Promise.all([a.goto(`/staff/applications/${raceId}`), b.goto(`/staff/applications/${raceId}`)]);
  await a.getByRole("button", { name: "其余材料均标为合格" }).click();
  await b.getByTestId("review-M3").getByLabel("不合格", { exact: true }).check();
  await b.getByTestId("review-M3").getByLabel("无法辨认").check();
  await b.getByRole("button", { name: "其余材料均标为合格" }).click();
  await Promise.all([
    a.getByRole("button", { name: "受理（进入专家评审）" }).click(),
    b.getByRole("button", { name: "退回补正" }).click(),
  ]);
  const message = "该申报已被其他工作人员处理";
  await expect.poll(async () => (await a.getByText(message).count()) + (await b.getByText(message).count())).toBe(1);
  await expect.poll(async () => (await mailsAbout(raceNumber)).length, { timeout: 20_000 }).toBe(1);
  // The outbox holds every mail the decisions made (sent or not yet): exactly one about this application.
  const outbox = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "OutboxMessage" WHERE subject LIKE '%' || $1 || '%'`,
    [raceNumber],
  );
  expect(outbox[0]?.n).toBe(1);
  expect(await mailsAbout(raceNumber)).toHaveLength(1);
});

test("R-MAT-3 staff record the paper copies for one application and for a whole provider at once", async ({
  browser,
}) => {
  const staff = await signedIn(browser, staffA);
  await staff.goto(`/staff/applications/${raceId}`);
  await expect(staff.getByTestId("paper-copies")).toContainText("尚未登记");
  // Bad input: the message at the field, the date typed kept.
  await staff.getByLabel("收到日期").fill("2022-12-05");
  await staff.getByLabel("接收人").fill(" ");
  await staff.getByRole("button", { name: "登记收到纸质材料" }).click();
  await expect(staff.getByRole("alert").filter({ hasText: "请填写接收人" })).toBeVisible();
  await expect(staff.getByLabel("收到日期")).toHaveValue("2022-12-05");
  await staff.getByLabel("接收人").fill("王科员");
  await staff.getByRole("button", { name: "登记收到纸质材料" }).click();
  await expect(staff.getByTestId("paper-copies")).toContainText("已于 2022-12-05 收到，接收人：王科员");

  await staff.goto(`/staff/providers/${organisationId}`);
  const table = staff.getByTestId("paper-copies-table");
  await expect(table.getByRole("row")).toHaveCount(3);
  // The one already recorded is not preselected; select both and record them together.
  await expect(staff.getByLabel(`选择 ${raceNumber}`)).not.toBeChecked();
  await staff.getByLabel(`选择 ${raceNumber}`).check();
  await staff.getByLabel("接收人").fill("李科员");
  await staff.getByRole("button", { name: "登记所选申报的纸质材料" }).click();
  await expect(staff.getByText("已登记 2 份申报的纸质材料")).toBeVisible();
  await expect(table).toContainText(`李科员`);
  await expect(table.getByText("未收到")).toHaveCount(0);
});

test("R-ELIG-2 staff suspend a provider with a reason (mailed); its pending applications are flagged on the desk; lifting clears the flag", async ({
  browser,
}) => {
  const staff = await signedIn(browser, staffA);
  await staff.goto(`/staff/providers/${organisationId}`);
  // No reason: refused at the field.
  await staff.getByRole("button", { name: "暂停申报资格" }).click();
  await expect(staff.getByRole("alert").filter({ hasText: "请填写暂停原因" })).toBeVisible();
  await staff.getByLabel("暂停原因").fill("经查被列入经营异常名录");
  await staff.getByRole("button", { name: "暂停申报资格" }).click();
  await expect(staff.getByTestId("suspended")).toContainText("经查被列入经营异常名录");
  await expect
    .poll(
      async () =>
        (await inbox()).filter((m) => JSON.stringify(m.to).includes(providerEmail) && m.subject?.includes("暂停"))
          .length,
      { timeout: 20_000 },
    )
    .toBe(1);

  await staff.goto(`/staff/applications?round=${roundId}&flag=provider_suspended`);
  await expect(staff.getByTestId("provider-suspended")).toHaveCount(2);
  await staff.goto(`/staff/applications/${raceId}`);
  await expect(staff.getByTestId("provider-suspended")).toContainText("经查被列入经营异常名录");

  await staff.goto(`/staff/providers/${organisationId}`);
  await staff.getByRole("button", { name: "恢复申报资格" }).click();
  await expect(staff.getByText("已恢复该服务商的申报资格")).toBeVisible();
  await staff.goto(`/staff/applications/${raceId}`);
  await expect(staff.getByTestId("provider-suspended")).toHaveCount(0);
});
