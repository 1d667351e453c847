/**
 * A provider registers, staff verify it against its licence, the provider logs in (R-ELIG-1, R-ELIG-2,
 * R-ELIG-5); bad input is refused at the field without losing what was typed or uploaded; a provider
 * cannot open staff pages or another organisation's files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { isValidUscc } from "../../app/domain/uscc.ts";
import { makePdf } from "../utils/files.ts";
import { demoAccount, login, logout, query } from "./utils.ts";

function codeWithCheck(body17: string): string {
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body17 + c)) return body17 + c;
  throw new Error("no check character");
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-files-"));

test("register → staff verify → provider logs in; bad input is refused at its field", async ({ page }) => {
  const valid = codeWithCheck("91370303MA3E2E001");
  const wrongCheck = valid.slice(0, 17) + (valid[17] === "0" ? "1" : "0");
  const licencePath = path.join(tmp, "营业执照.pdf");
  fs.writeFileSync(licencePath, await makePdf("licence"));
  const fakePdf = path.join(tmp, "fake.pdf");
  fs.writeFileSync(fakePdf, "<html><body>not a pdf</body></html>");
  const proofPath = path.join(tmp, "开户许可证.pdf");
  fs.writeFileSync(proofPath, await makePdf("account proof"));

  await page.goto("/register");
  await page.getByLabel("服务商名称（从名录中选择）").fill("山东信茂供应链软件有限公司");
  await page.getByLabel("统一社会信用代码").fill(wrongCheck);
  await page.getByLabel("联系人").fill("王艳茹");
  await page.getByLabel("联系电话").fill("15552688815");
  await page.getByLabel("电子邮箱（登录账号）").fill("xinmao@example.com");
  await page.getByLabel("密码", { exact: true }).fill("xinmao2022");
  await page.getByLabel("确认密码").fill("xinmao2022");
  await page.getByLabel("营业执照（PDF、JPG 或 PNG）").setInputFiles(fakePdf);
  // R-PAY-3: the payee account, with its proof.
  await page.getByLabel("开户名称").fill("山东信茂供应链软件有限公司");
  await page.getByLabel("开户银行").fill("中国工商银行淄博张店支行");
  await page.getByLabel("银行账号").fill("1603 001");
  await page.getByLabel("银行账号").blur();
  await expect(page.getByText("银行账号应为 8 至 30 位数字")).toBeVisible();
  await page.getByLabel(/开户证明/).setInputFiles(proofPath);
  await page.getByLabel(/本单位承诺/).check();
  await page.getByRole("button", { name: "提交注册" }).click();

  // R-ELIG-5: the wrong check character is refused at its field (checked in the browser first).
  await expect(page.getByText("统一社会信用代码校验位错误", { exact: false })).toBeVisible();
  await expect(page.getByText("银行账号应为 8 至 30 位数字")).toBeVisible();
  await expect(page.getByLabel("联系人")).toHaveValue("王艳茹");
  await page.getByLabel("银行账号").fill("1603 0012 0920 0123 456");
  await page.getByLabel("统一社会信用代码").fill(valid);
  await page.getByRole("button", { name: "提交注册" }).click();

  // R-MAT-3: the fake PDF is refused by content on the server; everything typed is still there.
  await expect(page.getByText(/实际内容不是 PDF、JPEG、PNG 格式/)).toBeVisible();
  await expect(page.getByLabel("统一社会信用代码")).toHaveValue(valid);
  await expect(page.getByLabel("电子邮箱（登录账号）")).toHaveValue("xinmao@example.com");
  await expect(page.getByLabel(/本单位承诺/)).toBeChecked();
  await expect(page.getByText("已上传：开户许可证.pdf")).toBeVisible();

  // A real licence, but the passwords no longer match: the licence is kept across the error.
  await page.getByLabel("营业执照（PDF、JPG 或 PNG）").setInputFiles(licencePath);
  await page.getByLabel("密码", { exact: true }).fill("xinmao2022");
  await page.getByLabel("确认密码").fill("different1");
  await page.getByLabel("确认密码").blur();
  await expect(page.getByText("两次输入的密码不一致")).toBeVisible();
  await page.getByLabel("确认密码").fill("xinmao2022");
  await page.getByRole("button", { name: "提交注册" }).click();

  await expect(page).toHaveURL(/\/provider$/);
  await expect(page.getByTestId("organisation-status")).toContainText("等待区工信局审核");

  // A provider cannot open staff pages (checked by URL).
  const forbidden = await page.goto("/staff/providers");
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await page.goto("/provider");
  await logout(page);

  // Staff verify it, confirming the registered address against the licence preview (R-ELIG-1).
  await login(page, demoAccount("staff"));
  await page.goto("/staff/providers");
  await page
    .getByRole("row", { name: /山东信茂供应链软件有限公司/ })
    .getByRole("link", { name: "审核" })
    .click();
  // The licence is drawn in the page by pdf.js (not a frame with the browser's own viewer).
  const licence = page.getByRole("document", { name: "预览 营业执照" });
  await expect(licence).toHaveAttribute("data-state", "ready");
  await expect(licence.getByRole("img", { name: "第 1 页" })).toBeVisible();
  await page.getByRole("button", { name: "审核通过" }).click();
  await expect(page.getByText("请先核对营业执照，确认注册地")).toBeVisible();
  await expect(page.getByTestId("payee")).toContainText("1603001209200123456");
  await expect(page.getByTestId("payee")).toContainText("收款账户待工信局核验");
  await page.getByLabel(/注册地（住所）位于淄博市张店区/).check();
  await page.getByRole("button", { name: "审核通过" }).click();
  await expect(page.getByText(/审核通过，注册地已确认在张店区/)).toBeVisible();
  await expect(page.getByTestId("payee")).toContainText("收款账户已核验");
  await logout(page);

  // The provider logs in and may now file.
  await login(page, { email: "xinmao@example.com", password: "xinmao2022" });
  await expect(page.getByTestId("organisation-status")).toContainText("已通过审核");

  // It cannot read another organisation's licence, nor a staff page for another organisation.
  const [other] = await query<{ id: string; licenseFileId: string }>(
    `SELECT o.id, f.id AS "licenseFileId" FROM "Organisation" o JOIN "StoredFile" f ON f.id = o."licenseFileId" WHERE o.name = $1`,
    ["山东信茂供应链软件有限公司"],
  );
  expect(other).toBeTruthy();
  const own = await page.request.get(`/resources/files/${other?.licenseFileId}`);
  expect(own.status()).toBe(200);
  const demoProviderLicence = await query<{ id: string }>(
    `INSERT INTO "StoredFile" (id, key, "fileName", "contentType", size, sha256) VALUES ('foreign-file', 'licences/x/foreign', 'x.pdf', 'application/pdf', 1, 'x') RETURNING id`,
  );
  const foreign = await page.request.get(`/resources/files/${demoProviderLicence[0]?.id}`);
  expect(foreign.status()).toBe(403);
  const staffPage = await page.goto(`/staff/providers/${other?.id}`);
  expect(staffPage?.status()).toBe(403);
});

test("staff refuse a registration with a reason, and the provider sees it", async ({ page }) => {
  const licencePath = path.join(tmp, "licence2.pdf");
  fs.writeFileSync(licencePath, await makePdf("licence 2"));
  await page.goto("/register");
  await page.getByLabel("服务商名称（从名录中选择）").fill("山东全晰信息技术有限公司");
  await page.getByLabel("统一社会信用代码").fill(codeWithCheck("91370303MA3E2E002"));
  await page.getByLabel("联系人").fill("王勤雁");
  await page.getByLabel("联系电话").fill("13646436468");
  await page.getByLabel("电子邮箱（登录账号）").fill("quanxi@example.com");
  await page.getByLabel("密码", { exact: true }).fill("quanxi2022");
  await page.getByLabel("确认密码").fill("quanxi2022");
  await page.getByLabel("营业执照（PDF、JPG 或 PNG）").setInputFiles(licencePath);
  await page.getByLabel("开户名称").fill("山东全晰信息技术有限公司");
  await page.getByLabel("开户银行").fill("中国建设银行淄博张店支行");
  await page.getByLabel("银行账号").fill("37050163650100000123");
  await page.getByLabel(/开户证明/).setInputFiles(licencePath);
  await page.getByLabel(/本单位承诺/).check();
  await page.getByRole("button", { name: "提交注册" }).click();
  await expect(page).toHaveURL(/\/provider$/);
  await logout(page);

  await login(page, demoAccount("staff"));
  await page.goto("/staff/providers");
  await page
    .getByRole("row", { name: /山东全晰信息技术有限公司/ })
    .getByRole("link", { name: "审核" })
    .click();
  await page.getByLabel("不通过原因").fill("营业执照注册地为淄川区，不在张店区");
  await page.getByRole("button", { name: "审核不通过" }).click();
  await expect(page.getByText(/审核不通过：营业执照注册地为淄川区/)).toBeVisible();
  await logout(page);

  await login(page, { email: "quanxi@example.com", password: "quanxi2022" });
  await expect(page.getByTestId("organisation-status")).toContainText("营业执照注册地为淄川区，不在张店区");
});

test("an anonymous visitor is sent to the login page from any role's page", async ({ page }) => {
  for (const url of ["/staff", "/staff/providers", "/provider", "/expert", "/staff/audit"]) {
    await page.goto(url);
    await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(url).replace(/\//g, "%2F")}`));
  }
});
