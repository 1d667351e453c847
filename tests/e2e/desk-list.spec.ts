/**
 * The staff desk in the browser: the dashboard counts a round's applications and links to the list;
 * staff search the list, filter it (status, R-DATE-2 late flag), and the export with those filters
 * downloads as an .xlsx workbook that opens with the same rows.
 */
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { readRows } from "../../app/services/spreadsheet.server.ts";
import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { login, scenarioClient } from "./utils.ts";

test("staff search and filter the round's applications and export the filtered list as .xlsx", async ({ page }) => {
  const { prisma, store, close } = await scenarioClient();
  const round = await createRound(prisma, {
    enterprises: ["淄博德信精工机械有限公司", "山东鲁泰纺织机械有限公司", "淄博德盛陶瓷科技有限公司"],
  });
  const providerA = await createProvider(prisma);
  const providerB = await createProvider(prisma);
  const staff = await createUser(prisma, ["staff"]);
  const [e1, e2, e3] = round.enterprises;
  if (!e1 || !e2 || !e3) throw new Error("round without enterprises");
  const byA = { roundId: round.id, store, organisationId: providerA.organisation.id, createdById: providerA.user.id };
  const late = await createApplication(prisma, { ...byA, enterpriseId: e1.id });
  await prisma.application.update({ where: { id: late.id }, data: { completionLate: true } });
  const onTime = await createApplication(prisma, { ...byA, enterpriseId: e3.id });
  const draft = await createApplication(prisma, {
    roundId: round.id,
    store,
    organisationId: providerB.organisation.id,
    createdById: providerB.user.id,
    enterpriseId: e2.id,
    status: "draft",
  });
  await close();

  await login(page, staff);
  // The dashboard of this round: counts by status, and a link to the list of the submitted ones.
  await page.goto(`/staff?round=${round.id}`);
  await expect(page.getByTestId("status-counts").locator('[data-status="submitted"]')).toHaveText("2");
  await expect(page.getByTestId("status-counts").locator('[data-status="draft"]')).toHaveText("1");
  await expect(page.getByTestId("applications-per-provider")).toContainText(providerA.organisation.name);
  // Next steps after formal review: nothing accepted yet, so nothing waits for experts.
  const assign = page.getByTestId("next-steps").getByRole("link", { name: /待分配评审专家/ });
  await expect(assign.locator(".stat__value")).toHaveText("0");
  await expect(assign).toHaveAttribute("href", `/staff/assignments?round=${round.id}`);
  await page
    .getByTestId("status-counts")
    .getByRole("link", { name: /已提交/ })
    .click();
  await expect(page).toHaveURL(/\/staff\/applications\?.*status=submitted/);
  await expect(page.getByTestId("application-total")).toContainText("共 2 份申报");

  // Search by part of an enterprise name, across statuses.
  await page.goto(`/staff/applications?round=${round.id}`);
  await expect(page.getByTestId("application-total")).toContainText("共 3 份申报");
  await page.getByLabel("搜索").fill("淄博德");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByTestId("application-total")).toContainText("共 2 份申报（已筛选）");
  const rows = page.getByTestId("application-list").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: draft.number })).toHaveCount(0);

  // R-DATE-2: only the late one among them.
  await page.getByLabel(/诊断完成超期/).check();
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByTestId("application-total")).toContainText("共 1 份申报（已筛选）");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(late.number);
  await expect(rows.first().getByRole("link", { name: "查看" })).toHaveAttribute(
    "href",
    `/staff/applications/${late.id}`,
  );
  await expect(page.getByLabel("搜索")).toHaveValue("淄博德");

  // A longer page keeps the search and the flag; filtering again keeps the chosen size.
  const sizes = page.getByRole("navigation", { name: "每页条数" });
  await expect(sizes.locator('[aria-current="true"]')).toHaveText("20");
  await sizes.getByRole("link", { name: "每页 50 条" }).click();
  await expect(page).toHaveURL(/size=50/);
  await expect(sizes.locator('[aria-current="true"]')).toHaveText("50");
  await expect(page.getByTestId("application-total")).toContainText("共 1 份申报（已筛选）");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/size=50/);
  await expect(page.getByLabel("搜索")).toHaveValue("淄博德");

  // The export carries the same filters: one application, as a real workbook.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 Excel" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/申报列表-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  const sheet = await readRows(bytes, download.suggestedFilename());
  expect(sheet[0]).toEqual(expect.arrayContaining(["申报编号", "被诊断企业", "状态", "诊断完成超期"]));
  expect(sheet.slice(1).map((row) => row[0])).toEqual([late.number]);
  expect(sheet[1]).toContain("淄博德信精工机械有限公司");

  // A search that matches nothing shows the empty state, and clearing the filters brings all back.
  await page.getByLabel("搜索").fill("没有这家企业");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByText("没有符合条件的申报")).toBeVisible();
  await page.getByRole("link", { name: "清除筛选" }).click();
  await expect(page.getByTestId("application-total")).toContainText("共 3 份申报");
  await expect(rows.filter({ hasText: onTime.number })).toHaveCount(1);
});
