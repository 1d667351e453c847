/**
 * Payouts end to end (R-PAY-1, R-PAY-2, R-PAY-3): staff prepare a batch, a second officer with the
 * approver role approves it once the public notice (公示) is over (R-PAY-3), confirming the total in
 * figures and capitals; the disbursement list PDF downloads and its text (pdftotext) carries the lines,
 * the payee accounts and the total in capital numerals; providers are mailed; the notice shows the
 * passed enterprises to a visitor who is not logged in, and nothing else.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";

import { createApplicationWithResult } from "../utils/application-results.ts";
import { createProvider, createRound, createUser } from "../utils/scenario.ts";
import { inbox, login, logout, query, scenarioClient } from "./utils.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-payouts-"));
const squash = (text: string) => text.replace(/\s+/g, "");
const DAY = 86_400_000;
/** Today in Beijing, YYYY-MM-DD. */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

test("staff prepare, another officer approves, the 拨付明细表 PDF carries the lines and capital total; the notice is public", async ({
  page,
  browser,
}) => {
  const code = `P${crypto.randomInt(10_000_000, 99_999_999)}`;
  const client = await scenarioClient();
  const setup = await (async () => {
    const { prisma, store } = client;
    const round = await createRound(prisma, { code });
    const p1 = await createProvider(prisma);
    const p2 = await createProvider(prisma);
    const staff = await createUser(prisma, ["staff"], { name: `经办人${code}` });
    const approver = await createUser(prisma, ["approver"], { name: `分管领导${code}` });
    // Results confirmed before the notice opened (审核通过后公示).
    const make = async (provider: typeof p1, contractFen: number, passed: boolean) => {
      const app = await createApplicationWithResult(prisma, {
        store,
        round,
        provider,
        contractFen,
        passed,
        scoreHundredths: passed ? 8123 : 4567,
      });
      return { number: app.number, enterprise: app.enterprise.name };
    };
    const a = await make(p1, 999_999, true); // 9,999.99 yuan → pays 9,999.99
    const b = await make(p2, 1_000_001, true); // 10,000.01 yuan → pays 10,000.00
    const failed = await make(p2, 1_000_000, false);
    await prisma.round.update({
      where: { id: round.id },
      data: {
        noticeOpensAt: new Date(Date.now() - 3_600_000),
        noticeClosesAt: new Date(Date.now() + 7 * 86_400_000),
        noticeObjectionText: `如有异议，请于公示期内向区工信局两化融合科书面反映（${code}）。`,
      },
    });
    return { round, p1, p2, staff, approver, a, b, failed };
  })().finally(() => client.close());

  // Staff prepare the batch from every eligible application.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(`/staff/payouts?round=${setup.round.id}`);
  await expect(page.getByTestId("payout-total")).toHaveText("19,999.99");
  await page.getByRole("button", { name: /用全部可拨付申报（2 项）编制拨付批次/ }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`拨付批次 ${code}-BF001`) })).toBeVisible();
  await expect(page.getByText("本批次由您编制，须由其他具有审批权限的人员")).toBeVisible();
  await expect(page.getByRole("button", { name: "审批通过" })).toHaveCount(0);
  const batchUrl = page.url();
  await logout(page);

  // The public notice, to a visitor who is not logged in: the passed enterprises only, nothing else.
  const visitor = await browser.newContext();
  const publicPage = await visitor.newPage();
  await publicPage.goto("/"); // the home page links to every notice that is open
  await publicPage.locator(`[data-testid="open-notice"] a[href="/notice/${code}"]`).click();
  await expect(publicPage).toHaveURL(new RegExp(`/notice/${code}$`));
  const entries = publicPage.getByTestId("notice-entries");
  await expect(entries).toContainText(setup.a.enterprise);
  await expect(entries).toContainText(setup.b.enterprise);
  await expect(entries).toContainText(setup.p1.organisation.name);
  await expect(entries).toContainText("9,999.99");
  await expect(publicPage.getByTestId("notice-objection")).toContainText(code);
  await expect(publicPage.getByTestId("notice-signature")).toContainText("张店区工业和信息化局");
  const body = (await publicPage.locator("body").innerText()).replace(/\s+/g, "");
  expect(body).not.toContain(setup.failed.enterprise);
  expect(body).not.toContain(setup.a.number); // no application numbers,
  expect(body).not.toContain("81.23"); // no scores,
  expect(body).not.toContain(setup.p1.email); // no contact details
  await expect(publicPage.getByRole("button", { name: "退出" })).toHaveCount(0);
  await visitor.close();

  // A second officer with the approver role approves, once the notice is over (R-PAY-3).
  await login(page, { email: setup.approver.email, password: setup.approver.password });
  await page.goto(batchUrl);
  await page.getByRole("button", { name: "审批通过" }).click();
  await expect(page.getByTestId("confirm-approve")).toContainText("19,999.99 元");
  await expect(page.getByTestId("confirm-approve")).toContainText("壹万玖仟玖佰玖拾玖元玖角玖分");
  await page.getByRole("button", { name: "确认审批" }).click();
  await expect(page.getByTestId("approve-problems")).toContainText("公示期尚未结束");
  await query(`UPDATE "Round" SET "noticeClosesAt" = now() - interval '1 minute' WHERE id = $1`, [setup.round.id]);
  await page.goto(batchUrl);
  await page.getByRole("button", { name: "审批通过" }).click();
  await page.getByRole("button", { name: "确认审批" }).click();
  await expect(page.getByText("已审批。批次内容及摘要已固定")).toBeVisible();
  await expect(page.getByTestId("approved-by")).toContainText(`分管领导${code}`);
  await expect(page.getByTestId("batch-total")).toHaveText("19,999.99 元（壹万玖仟玖佰玖拾玖元玖角玖分）");
  // The dashboard lists what still blocks payment: approved, not yet paid (R-PAY-3).
  await page.goto(`/staff?round=${setup.round.id}`);
  const blocked = page.getByTestId("blockers").locator("tr", { hasText: setup.a.number });
  await expect(blocked).toContainText("已审批，待拨付");
  await expect(blocked).toContainText(`${code}-BF001`);
  await page.goto(batchUrl);

  // The disbursement list downloads; its text has the lines, the people and the total in capital numerals.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载拨付明细表（PDF）" }).click(),
  ]);
  const pdfPath = path.join(tmp, "list.pdf");
  await download.saveAs(pdfPath);
  const text = squash(execFileSync("pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" }));
  const payees = await query<{ payeeBankName: string; payeeAccountNumber: string }>(
    `SELECT "payeeBankName", "payeeAccountNumber" FROM "Organisation" WHERE id = ANY($1)`,
    [[setup.p1.organisation.id, setup.p2.organisation.id]],
  );
  expect(payees).toHaveLength(2);
  expect(text).not.toContain("待审批");
  for (const expected of [
    `${code}-BF001`,
    setup.a.enterprise,
    setup.a.number,
    "9,999.99",
    "玖仟玖佰玖拾玖元玖角玖分",
    setup.b.enterprise,
    "10,000.00",
    "壹万元整",
    "19,999.99",
    "壹万玖仟玖佰玖拾玖元玖角玖分",
    `经办人${code}`,
    `分管领导${code}`,
    "单位（盖章）",
    // R-PAY-3: the payee account of each provider.
    ...payees.flatMap((p) => [p.payeeBankName, p.payeeAccountNumber]),
  ]) {
    expect(text, expected).toContain(squash(expected));
  }
  expect(text).not.toContain(squash(setup.failed.enterprise));
  // The digest fixed at approval is printed on the list.
  const digest = await query<{ digest: string }>(`SELECT digest FROM "PayoutBatch" WHERE number = $1`, [
    `${code}-BF001`,
  ]);
  expect(digest[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
  expect(text).toContain(digest[0]?.digest ?? "-");

  // The same data as .xlsx.
  const [sheetDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载拨付明细表（Excel）" }).click(),
  ]);
  const xlsxPath = path.join(tmp, "list.xlsx");
  await sheetDownload.saveAs(xlsxPath);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(xlsxPath);
  const cells: unknown[][] = [];
  const sheet = workbook.worksheets[0];
  sheet?.eachRow((row) => cells.push(Array.isArray(row.values) ? row.values.slice(1) : []));
  // R-PAY-1: amounts are numbers (Excel sums them) with the 0.00 format; the payee account on each line.
  expect(cells).toContainEqual(
    expect.arrayContaining([setup.a.enterprise, setup.a.number, 9999.99, "玖仟玖佰玖拾玖元玖角玖分"]),
  );
  expect(cells).toContainEqual(expect.arrayContaining([setup.b.enterprise, setup.b.number, 10000, "壹万元整"]));
  expect(cells).toContainEqual(expect.arrayContaining(["合计", 19999.99, "壹万玖仟玖佰玖拾玖元玖角玖分"]));
  for (const p of payees)
    expect(cells).toContainEqual(expect.arrayContaining([p.payeeBankName, p.payeeAccountNumber, expect.any(Number)]));
  const amountColumn = (sheet?.getRow(1).values as unknown[]).indexOf("金额（元）");
  sheet?.eachRow((row, n) => {
    const cell = row.getCell(amountColumn);
    if (n > 1 && cell.value !== null) {
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.numFmt).toBe("0.00");
    }
  });
  await logout(page);

  // Each provider is told of the approval by e-mail.
  await expect
    .poll(async () =>
      (await inbox())
        .filter((m) => m.subject?.includes(`已审批（${code}-BF001）`))
        .map((m) => (m.to && "text" in m.to ? m.to.text : ""))
        .sort(),
    )
    .toEqual([setup.p1.email, setup.p2.email].sort());
});

test("two tabs approving at once: one approval and a clear message; staff record payment; the provider sees it; staff open the notice", async ({
  page,
  browser,
}) => {
  const code = `Q${crypto.randomInt(10_000_000, 99_999_999)}`;
  const client = await scenarioClient();
  const setup = await (async () => {
    const { prisma, store } = client;
    const round = await createRound(prisma, { code });
    const provider = await createProvider(prisma);
    const staff = await createUser(prisma, ["staff"], { name: `经办人${code}` });
    const approver = await createUser(prisma, ["approver"], { name: `分管领导${code}` });
    const app = await createApplicationWithResult(prisma, {
      store,
      round,
      provider,
      contractFen: 1, // 0.01 yuan
      scoreHundredths: 7000,
    });
    // The notice ran after the result was confirmed and is over (R-PAY-3).
    await prisma.round.update({
      where: { id: round.id },
      data: {
        noticeOpensAt: new Date(Date.now() - 9 * DAY),
        noticeClosesAt: new Date(Date.now() - DAY),
        noticeObjectionText: "异议请致电",
      },
    });
    return { round, provider, staff, approver, enterprise: app.enterprise.name };
  })().finally(() => client.close());

  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(`/staff/payouts?round=${setup.round.id}`);
  await page.getByRole("button", { name: "用勾选的申报编制拨付批次" }).click();
  await expect(page.getByText("请至少勾选一项申报")).toBeVisible();
  await page.getByRole("checkbox", { name: new RegExp(setup.enterprise) }).check();
  await page.getByRole("button", { name: "用勾选的申报编制拨付批次" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`拨付批次 ${code}-BF001`) })).toBeVisible();
  const batchUrl = page.url();
  await logout(page);

  // The approver has the batch open in two tabs and approves in both.
  const approverContext = await browser.newContext();
  const tab1 = await approverContext.newPage();
  await login(tab1, { email: setup.approver.email, password: setup.approver.password });
  await tab1.goto(batchUrl);
  await tab1.getByRole("button", { name: "审批通过" }).click();
  await expect(tab1.getByTestId("confirm-approve")).toContainText("0.01 元");
  const tab2 = await approverContext.newPage();
  await tab2.goto(tab1.url());
  await tab1.getByRole("button", { name: "确认审批" }).click();
  await expect(tab1.getByText("已审批。批次内容及摘要已固定")).toBeVisible();
  await tab2.getByRole("button", { name: "确认审批" }).click();
  await expect(tab2.getByText(new RegExp(`该拨付批次已由 分管领导${code} 于 .* 审批，不能再审批`))).toBeVisible();
  await approverContext.close();
  expect(
    await query(
      `SELECT 1 FROM "AuditEntry" a JOIN "PayoutBatch" b ON b.id = a."entityId" WHERE b.number = $1 AND a.action = 'payout_batch.approve'`,
      [`${code}-BF001`],
    ),
  ).toHaveLength(1);
  await expect
    .poll(async () => (await inbox()).filter((m) => m.subject?.includes(`已审批（${code}-BF001）`)).length)
    .toBe(1);

  // Staff record the payment; a missing voucher is refused at the field.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(batchUrl);
  const today = beijingToday();
  await page.getByLabel("拨付日期").fill(today);
  await page.getByRole("button", { name: "登记已拨付" }).click();
  await expect(page.getByText("请填写拨付凭证号")).toBeVisible();
  await expect(page.getByLabel("拨付日期")).toHaveValue(today);
  await page.getByLabel("拨付凭证号").fill(`张财拨${code}`);
  await page.getByRole("button", { name: "登记已拨付" }).click();
  // R-PAY-2: a confirmation step with the total in figures and in capitals.
  await expect(page.getByTestId("confirm-paid")).toContainText("0.01 元");
  await expect(page.getByTestId("confirm-paid")).toContainText("壹分");
  await page.getByRole("button", { name: "确认登记" }).click();
  await expect(page.getByText("已登记拨付")).toBeVisible();
  await expect(page.getByText(`张财拨${code}`)).toBeVisible();

  // Staff open the public notice on the round page, where the pass mark and cap are locked (R-REV-4, R-PAY-1).
  await page.goto(`/staff/rounds/${setup.round.id}`);
  await expect(page.getByTestId("parameters-locked")).toContainText("合格分数线和补助上限已锁定");
  await expect(page.getByLabel("合格分数线")).toHaveAttribute("readonly", "");
  const opens = new Date(Date.now() - 86_400_000);
  const closes = new Date(Date.now() + 86_400_000);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
  await page.getByLabel("公示开始时间（北京时间）").fill(local(closes));
  await page.getByLabel("公示结束时间（北京时间）").fill(local(opens));
  await page.getByLabel(/异议方式/).fill("如有异议，请致电 0533-2180000。");
  await page.getByRole("button", { name: "保存公示设置" }).click();
  await expect(page.getByText("公示结束时间须晚于开始时间")).toBeVisible();
  await page.getByLabel("公示开始时间（北京时间）").fill(local(opens));
  await page.getByLabel("公示结束时间（北京时间）").fill(local(closes));
  await page.getByRole("button", { name: "保存公示设置" }).click();
  await expect(page).toHaveURL(/saved=notice/);
  await logout(page);

  // The provider sees its amount and that it was paid, and got the e-mail.
  await login(page, { email: setup.provider.email, password: setup.provider.password });
  await page.goto("/provider/payouts");
  const row = page.getByRole("row", { name: new RegExp(setup.enterprise) });
  await expect(row).toContainText("0.01");
  await expect(row).toContainText("壹分");
  await expect(row).toContainText(`已拨付（${today}）`);
  await expect
    .poll(async () => (await inbox()).filter((m) => m.subject?.includes(`已拨付（${code}-BF001）`)).length)
    .toBe(1);
  await logout(page);

  const visitor = await browser.newContext();
  const publicPage = await visitor.newPage();
  await publicPage.goto(`/notice/${code}`);
  await expect(publicPage.getByTestId("notice-entries")).toContainText(setup.enterprise);
  await expect(publicPage.getByTestId("notice-objection")).toHaveText("如有异议，请致电 0533-2180000。");
  await publicPage.goto(`/notice/${code}X`);
  await expect(publicPage.getByText("没有这个批次的公示")).toBeVisible();
  await visitor.close();
});

test("the notice page is plain when the notice is not open", async ({ page }) => {
  const client = await scenarioClient();
  const code = `R${crypto.randomInt(10_000_000, 99_999_999)}`;
  try {
    await createRound(client.prisma, { code });
  } finally {
    await client.close();
  }
  await page.goto(`/notice/${code}`);
  await expect(page.getByTestId("notice-closed")).toContainText("本批次的评审结果尚未公示");
  await expect(page.getByTestId("notice-entries")).toHaveCount(0);
  // An unknown or malformed round code is "not found", never a server error.
  for (const bad of ["ZZZZ", "x".repeat(40)]) expect((await page.request.get(`/notice/${bad}`)).status()).toBe(404);
});
