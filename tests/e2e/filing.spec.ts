/**
 * A provider files an application end to end with real files made by the test (R-ELIG-3, R-MAT-1,
 * R-MAT-2, R-MAT-3, R-DATE-2; M7 once per provider and round on its own page), submits and gets the receipt on screen and by e-mail at a real SMTP server;
 * a second provider is refused the same enterprise (R-ELIG-4); a submission one second after the
 * deadline, by the server's clock, is refused and the draft stays intact (R-DATE-1).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { hash } from "@node-rs/argon2";
import { expect, type Page, test } from "@playwright/test";

import { isValidUscc } from "../../app/domain/uscc.ts";
import { makeJpeg, makePdf, makePng } from "../utils/files.ts";
import { E2E_DATA_DIR, E2E_PORT, E2E_SESSION_SECRET, E2E_SMTP_PORT, e2eDatabaseUrl } from "./env.ts";
import { demoAccount, inbox, login, logout, query } from "./utils.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-filing-"));
function code(body17: string): string {
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body17 + c)) return body17 + c;
  throw new Error("no check character");
}
async function file(name: string, bytes: Uint8Array | Buffer) {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, bytes);
  return target;
}

async function startDraft(page: Page, enterprise: string, uscc: string) {
  await page.goto("/provider/applications/new");
  await page.getByLabel("搜索企业（名称或信用代码）").fill(enterprise);
  await page.getByLabel("被诊断企业（张店区智能化改造企业名单）").selectOption({ index: 1 });
  await page.getByLabel("被诊断企业统一社会信用代码").fill(uscc);
  await page.getByLabel(/确认被诊断企业为依法设立登记/).check();
  await page.getByLabel("诊断报告名称").fill(`${enterprise}智能化改造诊断报告`);
  await page.getByLabel("合同金额（元）").fill("9,999.99");
  await page.getByLabel("合同签订日期").fill("2022-09-20");
  await page.getByLabel("诊断完成日期").fill("2022-10-25");
}

/**
 * M7 (R-MAT-2): the summary table is one per provider per round: downloaded from the provider's summary
 * page (the download records the applications it lists), signed and uploaded once there, and filed as
 * M7 of every draft of the provider. Returns to the application page.
 */
async function uploadSummaryTable(page: Page) {
  const applicationUrl = page.url();
  await expect(page.getByLabel("上传被诊断企业汇总表")).toHaveCount(0);
  await page.getByTestId("summary-link").getByRole("link", { name: "汇总表（M7）页面" }).click();
  await expect(page.getByRole("heading", { name: "被诊断企业汇总表（M7）" })).toBeVisible();
  const table = await page.request.get("/resources/provider/summary-table");
  expect(table.headers()["content-type"]).toBe("application/pdf");
  await page.reload();
  await expect(page.getByTestId("summary-state")).toContainText("校验码");
  await page
    .getByLabel("上传签字盖章后的汇总表（PDF、JPG 或 PNG）")
    .setInputFiles(await file("汇总表-盖章.pdf", await makePdf("summary")));
  await page.getByRole("button", { name: "上传汇总表" }).click();
  await expect(page.getByText(/汇总表已上传，并计入 \d+ 份申报/)).toBeVisible();
  await expect(page.getByTestId("summary-state")).toContainText("有效");
  await page.goto(applicationUrl);
  await expect(
    page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: /被诊断企业汇总表/ }) })
      .getByText("已齐全"),
  ).toBeVisible();
}

async function uploadAll(page: Page) {
  const pdf = await file("材料.pdf", await makePdf("material"));
  for (const name of [
    "服务商营业执照复印件",
    "被诊断企业营业执照复印件",
    "现场诊断咨询会签到表",
    "书面调研问卷复印件",
    "诊断合同",
    "诊断报告原件",
    "真实性承诺书",
  ]) {
    await page.getByLabel(`上传${name}`).setInputFiles(pdf);
    await expect(
      page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: new RegExp(name) }) })
        .getByText("已齐全"),
    ).toBeVisible();
  }
  const photos = page.getByTestId("material-M5");
  await photos.getByRole("combobox").last().selectOption("workshop");
  await page.getByLabel("上传现场调研照片").setInputFiles(await file("车间.jpg", await makeJpeg(3, 320)));
  await expect(photos.getByRole("link", { name: "车间.jpg" })).toBeVisible();
  await photos.locator(".dropzone select").selectOption("team");
  await page.getByLabel("上传现场调研照片").setInputFiles(await file("诊断小组.png", await makePng(5, 320)));
  await expect(photos.getByRole("link", { name: "诊断小组.png" })).toBeVisible();
  await uploadSummaryTable(page);
}

test("a provider files, uploads with progress, submits and receives the receipt by e-mail", async ({ page }) => {
  await login(page, demoAccount("provider"));
  // The demo provider already has the demo scenario's applications (seeds/demo-scenario.server.ts).
  await expect(page.getByRole("row", { name: /YS-0001/ })).toContainText("草稿");
  await startDraft(page, "山东联美弹簧科技股份有限公司", code("91370303MA3FL0001"));
  // R-DATE-2: 20 working days after 2022-09-20 across National Day is 2022-10-21; 10-25 is late.
  await expect(page.getByTestId("due-date")).toContainText("应于 2022-10-21 前完成诊断");
  await expect(page.getByTestId("due-date")).toContainText("晚于到期日");
  // Bad input at the field, nothing lost: three decimals.
  await page.getByLabel("合同金额（元）").fill("10000.001");
  await page.getByRole("button", { name: "保存草稿并上传材料" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "两位小数" })).toBeVisible();
  await expect(page.getByLabel("诊断报告名称")).toHaveValue("山东联美弹簧科技股份有限公司智能化改造诊断报告");
  await page.getByLabel("合同金额（元）").fill("9,999.99");
  await page.getByRole("button", { name: "保存草稿并上传材料" }).click();
  await expect(page).toHaveURL(/\/provider\/applications\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("missing")).toContainText("M1");

  // R-MAT-3: a fake PDF is refused by content with its reason; nothing else changes.
  await page
    .getByLabel("上传诊断报告原件")
    .setInputFiles(await file("fake.pdf", Buffer.from("<html>not a pdf</html>")));
  await expect(page.getByTestId("material-M8").getByRole("alert")).toContainText("实际内容不是 PDF");
  // The refused file's bar is gone (nothing of it was kept), and its message can be dismissed.
  await expect(page.getByTestId("material-M8").locator("progress")).toHaveCount(0);
  await page.getByTestId("material-M8").getByRole("button", { name: "关闭 fake.pdf 的提示" }).click();
  await expect(page.getByTestId("material-M8").getByRole("alert")).toHaveCount(0);
  // The hint names the limit.
  await expect(page.getByText("单个文件不超过 50 MB")).toBeVisible();

  await uploadAll(page);
  await expect(page.getByTestId("missing")).toHaveCount(0);
  // The pre-filled pledge (M9) downloads as a PDF.
  const pledge = await page.request.get(
    page.url().replace(/\/provider\/applications\//, "/resources/applications/") + "/pledge",
  );
  expect(pledge.headers()["content-type"]).toBe("application/pdf");

  // R-MAT-1: the seal attestation is required.
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.getByText(/加盖企业公章/).last()).toBeVisible();
  await page.getByLabel(/以上所有复印件材料均已加盖企业公章/).check();
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.getByTestId("submitted")).toContainText("提交成功");
  const receiptLink = page.getByRole("link", { name: "查看提交回执（PDF）" });
  const receipt = await page.request.get((await receiptLink.getAttribute("href")) ?? "");
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()["content-type"]).toBe("application/pdf");
  // Read-only after submission.
  await expect(page.getByLabel("上传诊断报告原件")).toHaveCount(0);

  // The receipt e-mail arrives at the SMTP server with the PDF attached.
  await expect
    .poll(async () => (await inbox()).filter((m) => m.subject?.includes("提交回执")).length, { timeout: 20_000 })
    .toBe(1);
  const mail = (await inbox()).find((m) => m.subject?.includes("提交回执"));
  expect(mail?.to && "text" in mail.to ? mail.to.text : "").toContain("provider@demo.local");
  expect(mail?.attachments.map((a) => a.contentType)).toEqual(["application/pdf"]);
  expect(mail?.attachments[0]?.content.subarray(0, 5).toString()).toBe("%PDF-");

  await page.goto("/provider");
  await expect(page.getByRole("row", { name: /山东联美弹簧科技股份有限公司/ })).toContainText("已提交");
  await expect(page.getByRole("row", { name: /山东联美弹簧科技股份有限公司/ })).toContainText("9,999.99");
});

test("a second provider is refused the same enterprise (R-ELIG-4), and staff can see the attempt", async ({ page }) => {
  // A second verified provider (made directly: registration itself is covered by registration.spec.ts).
  const [org] = await query<{ id: string }>(
    `INSERT INTO "Organisation" (id, name, uscc, "contactName", "contactPhone", "contactEmail", status, "goodStandingDeclaredAt", "registeredInZhangdianConfirmed", "updatedAt")
     VALUES ('org-e2e-2', '山东智物联网络科技有限公司', $1, '宗皓', '15553306468', 'zhiwu@example.com', 'verified', now(), true, now()) RETURNING id`,
    [code("91370303MA3FL0002")],
  );
  await query(
    `INSERT INTO "User" (id, email, name, "passwordHash", roles, status, "organisationId", "updatedAt")
     VALUES ('user-e2e-2', 'zhiwu@example.com', '宗皓', $1, '{provider}', 'active', $2, now())`,
    [await hash("zhiwu2022"), org?.id],
  );
  await login(page, { email: "zhiwu@example.com", password: "zhiwu2022" });
  await startDraft(page, "山东联美弹簧科技股份有限公司", code("91370303MA3FL0003"));
  await page.getByRole("button", { name: "保存草稿并上传材料" }).click();
  await expect(page.getByText(/已由其他服务商申报，同一企业每批次只能补助一次/)).toBeVisible();
  // What was typed is still there.
  await expect(page.getByLabel("诊断报告名称")).toHaveValue("山东联美弹簧科技股份有限公司智能化改造诊断报告");
  const attempts = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "EnterpriseClaimAttempt" WHERE "organisationId" = 'org-e2e-2'`,
  );
  expect(attempts[0]?.n).toBe(1);
  const applications = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Application" WHERE "organisationId" = 'org-e2e-2'`,
  );
  expect(applications[0]?.n).toBe(0);
  await logout(page);

  // Staff see both: who filed and who was refused.
  await login(page, demoAccount("staff"));
  const row = page.getByTestId("claim-attempts").getByRole("row", { name: /山东联美弹簧科技股份有限公司/ });
  await expect(row).toContainText("山东智物联网络科技有限公司");
  await expect(row).toContainText("中国联合网络通信有限公司淄博分公司");
});

test("a submission one second after the deadline, by the server's clock, is refused and the draft stays intact (R-DATE-1)", async ({
  page,
}) => {
  // A complete draft of the second provider, filed while the round is open…
  await login(page, { email: "zhiwu@example.com", password: "zhiwu2022" });
  await startDraft(page, "山东恒昌医疗科技股份有限公司", code("91370303MA3FL0004"));
  await page.getByRole("button", { name: "保存草稿并上传材料" }).click();
  await expect(page).toHaveURL(/\/provider\/applications\/(?!new$)[a-z0-9]+$/);
  const applicationPath = new URL(page.url()).pathname;
  await uploadAll(page);
  await expect(page.getByTestId("missing")).toHaveCount(0);
  await logout(page);

  // …submitted to the portal whose server clock stands one second after the round's deadline
  // (CLOCK_START: configuration, not sleeping; the browser's own clock and zone play no part).
  const [round] = await query<{ deadline: Date }>(`SELECT deadline FROM "Round" WHERE "isDemo" = true`);
  const late = new Date((round?.deadline ?? new Date()).getTime() + 1000);
  const port = E2E_PORT + 1;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("scripts/server.ts")],
    {
      env: {
        ...process.env,
        DATABASE_URL: e2eDatabaseUrl(),
        DATA_DIR: E2E_DATA_DIR,
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: base,
        SESSION_SECRET: E2E_SESSION_SECRET,
        NODE_ENV: "production",
        CLOCK_START: late.toISOString(),
        SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      },
      stdio: "ignore",
    },
  );
  try {
    await expect
      .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
      .toBe(200);
    await page.goto(`${base}/login`);
    await page.getByLabel("登录邮箱").fill("zhiwu@example.com");
    await page.getByLabel("密码").fill("zhiwu2022");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(`${base}/provider`);
    // (Other browser tests leave open rounds of their own, so the header's current round is not asserted here.)
    await page.goto(`${base}${applicationPath}`);
    await page.getByLabel(/以上所有复印件材料均已加盖企业公章/).check();
    await page.getByRole("button", { name: "提交申报" }).click();
    await expect(page.getByText(/已过申报截止时间（.*北京时间），逾期不予受理。草稿已保留。/)).toBeVisible();
    const [draft] = await query<{ status: string; materials: number }>(
      `SELECT a.status, (SELECT count(*)::int FROM "ApplicationMaterial" m WHERE m."applicationId" = a.id AND m."removedAt" IS NULL) AS materials
       FROM "Application" a WHERE a."organisationId" = 'org-e2e-2'`,
    );
    expect(draft).toEqual({ status: "draft", materials: 10 });
  } finally {
    server.kill("SIGTERM");
  }
});
