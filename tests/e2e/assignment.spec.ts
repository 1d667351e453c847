/**
 * R-REV-5 in the browser: an expert logs in for the first time and declares a conflict with a
 * provider on /expert/conflicts; staff preview and confirm the automatic assignment of a round's
 * accepted applications; the conflicted expert is on none of that provider's applications, the loads
 * are balanced, every expert gets one e-mail; a conflicted manual choice is refused with the reason.
 */
import { expect, test } from "@playwright/test";

import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { inbox, login, logout, query, scenarioClient } from "./utils.ts";

test("R-REV-5 staff auto-assign never gives an expert an application of a provider it declared a conflict with", async ({
  page,
}) => {
  const { prisma, store, close } = await scenarioClient();
  const suffix = Date.now().toString(36);
  let roundId: string;
  let conflicted: { id: string; name: string; email: string; password: string };
  let staff: { email: string; password: string };
  let providerName: string;
  let conflictedApps: { id: string; number: string }[];
  let experts: { id: string; name: string }[];
  try {
    const round = await createRound(prisma, {
      enterprises: Array.from({ length: 4 }, (_, i) => `分配测试企业${suffix}-${i + 1}有限公司`),
    });
    roundId = round.id;
    const providers = [
      await createProvider(prisma, { name: `回避测试服务商${suffix}甲科技有限公司` }),
      await createProvider(prisma, { name: `回避测试服务商${suffix}乙科技有限公司` }),
    ];
    providerName = providers[0]?.organisation.name ?? "";
    const apps = [];
    for (const [i, enterprise] of round.enterprises.entries()) {
      const provider = providers[i < 2 ? 0 : 1];
      if (!provider) throw new Error("scenario");
      apps.push(
        await createApplication(prisma, {
          roundId: round.id,
          enterpriseId: enterprise.id,
          organisationId: provider.organisation.id,
          createdById: provider.user.id,
          store,
          status: "accepted",
        }),
      );
    }
    conflictedApps = apps.slice(0, 2).map((a) => ({ id: a.id, number: a.number }));
    staff = await createUser(prisma, ["staff"], { name: `分配人员${suffix}` });
    const created = [];
    for (let e = 0; e < 4; e++)
      created.push(await createUser(prisma, ["expert"], { name: `分配专家${suffix}-${e + 1}` }));
    experts = created.map((c) => ({ id: c.user.id, name: c.user.name }));
    const first = created[0];
    if (!first) throw new Error("scenario");
    // This expert has not logged in yet: no declaration.
    await prisma.expertProfile.update({ where: { userId: first.user.id }, data: { conflictsDeclaredAt: null } });
    conflicted = { id: first.user.id, name: first.user.name, email: first.email, password: first.password };
  } finally {
    await close();
  }

  // The expert's first login: it declares the conflict with provider 甲, picked from the list.
  await login(page, conflicted);
  await page.goto("/expert/conflicts");
  await expect(page.getByRole("heading", { name: "我与以下单位存在利益关系" })).toBeVisible();
  await page.getByRole("button", { name: "提交声明" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "请勾选或填写与您存在利益关系的单位" })).toBeVisible();
  await page.getByLabel("筛选服务商").fill(`${suffix}甲`);
  await page.getByLabel(providerName).check();
  await page.getByRole("button", { name: "提交声明" }).click();
  await expect(page).toHaveURL(/\/expert$/);
  const [declared] = await query<{ kind: string; partyName: string; declaredBy: string }>(
    `SELECT kind::text, "partyName", "declaredBy" FROM "ExpertConflict" WHERE "expertId" = $1`,
    [conflicted.id],
  );
  expect(declared).toEqual({ kind: "provider", partyName: providerName, declaredBy: "expert" });
  await logout(page);

  // Staff: preview, then confirm.
  const startedAt = new Date();
  await login(page, staff);
  await page.goto(`/staff/assignments?round=${roundId}`);
  // 评审设置 saves (it used to answer 系统出现错误: the whole form, intent included, went to the round).
  const settings = page.locator("#settings");
  await settings.getByLabel("评审截止时间（北京时间）").fill("2099-12-30T17:00");
  await settings.getByRole("button", { name: "保存设置" }).click();
  await expect(page.getByText("已保存评审设置。")).toBeVisible();
  const [saved] = await query<{ reviewDeadline: Date }>(
    `SELECT "reviewDeadline" AT TIME ZONE 'UTC' AS "reviewDeadline" FROM "Round" WHERE id = $1`,
    [roundId],
  );
  expect(saved?.reviewDeadline.toISOString()).toBe("2099-12-30T09:00:59.000Z");
  await page.getByLabel("每份申报的专家人数").fill("3");
  await page.getByRole("button", { name: "自动分配" }).click();
  const preview = page.getByRole("region", { name: "自动分配预览" });
  await expect(preview).toContainText("将新增 12 项分配");
  expect(
    await query(
      `SELECT 1 FROM "ExpertAssignment" a JOIN "Application" p ON p.id = a."applicationId" WHERE p."roundId" = $1`,
      [roundId],
    ),
  ).toHaveLength(0);
  await preview.getByRole("button", { name: "确认分配" }).click();
  await expect(page.getByText(/已新增 12 项分配，涉及 4 份申报/)).toBeVisible();

  // R-REV-5: the conflicted expert is on neither of provider 甲's applications, in the table and in the database.
  for (const app of conflictedApps) {
    const assigned = page.locator(`tr[data-application="${app.number}"] li[data-expert]`);
    await expect(assigned).toHaveCount(3);
    await expect(page.locator(`tr[data-application="${app.number}"] li[data-expert="${conflicted.name}"]`)).toHaveCount(
      0,
    );
  }
  const rows = await query<{ applicationId: string; expertId: string }>(
    `SELECT a."applicationId", a."expertId" FROM "ExpertAssignment" a JOIN "Application" p ON p.id = a."applicationId"
     WHERE p."roundId" = $1 AND a."withdrawnAt" IS NULL`,
    [roundId],
  );
  expect(rows).toHaveLength(12);
  for (const app of conflictedApps) {
    expect(rows.filter((r) => r.applicationId === app.id).map((r) => r.expertId)).not.toContain(conflicted.id);
  }
  // Balanced within one over the pool the plan saw (every expert enabled before the click).
  const pool = await query<{ id: string }>(
    `SELECT id FROM "User" WHERE 'expert' = ANY(roles) AND status <> 'disabled' AND "createdAt" <= $1`,
    [startedAt],
  );
  const loads = pool.map((e) => rows.filter((r) => r.expertId === e.id).length);
  expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  const statuses = await query<{ status: string }>(`SELECT status::text FROM "Application" WHERE "roundId" = $1`, [
    roundId,
  ]);
  expect(statuses.map((s) => s.status)).toEqual(["under_review", "under_review", "under_review", "under_review"]);

  // The staff application page lists the application's experts and links to its scores.
  await page.goto(`/staff/applications/${conflictedApps[0]?.id}`);
  const section = page.getByTestId("application-assignments");
  await expect(section.locator("tbody tr")).toHaveCount(3);
  await expect(section).not.toContainText(conflicted.name);
  await expect(section.getByRole("link", { name: "查看评分与评审结果" })).toHaveAttribute(
    "href",
    `/staff/results/${conflictedApps[0]?.id}`,
  );
  await page.goto(`/staff/assignments?round=${roundId}`);
  // The saved deadline is shown back in the settings form, as Beijing time.
  await expect(page.locator("#settings").getByLabel("评审截止时间（北京时间）")).toHaveValue("2099-12-30T17:00");

  // A second "assign all" adds nothing.
  await page.getByRole("button", { name: "自动分配" }).click();
  await expect(page.getByRole("region", { name: "自动分配预览" })).toContainText("将新增 0 项分配");
  await expect(page.getByRole("button", { name: "确认分配" })).toBeDisabled();

  // The conflicted manual choice is refused with the reason, at that row.
  const row = page.locator(`tr[data-application="${conflictedApps[0]?.number}"]`);
  await row.getByRole("combobox").selectOption(conflicted.id);
  await row.getByRole("button", { name: "分配" }).click();
  await expect(row.getByRole("alert")).toContainText(
    `专家“${conflicted.name}”已声明与服务商“${providerName}”存在利益关系，须回避，不能评审该申报`,
  );
  expect(
    await query(`SELECT 1 FROM "ExpertAssignment" WHERE "applicationId" = $1 AND "expertId" = $2`, [
      conflictedApps[0]?.id,
      conflicted.id,
    ]),
  ).toHaveLength(0);

  // Staff withdraw one assignment with a reason: struck through at its row, the row short of an expert, the
  // expert told by e-mail.
  const withdrawnRow = page.locator(`tr[data-application="${conflictedApps[1]?.number}"]`);
  const withdrawn = withdrawnRow.locator("li[data-expert]").first();
  const withdrawnName = (await withdrawn.getAttribute("data-expert")) ?? "";
  await withdrawn.locator("summary").click();
  await withdrawn.getByLabel("撤回原因").fill("专家临时出差，无法按期评审");
  await withdrawn.getByRole("button", { name: "确认撤回" }).click();
  await expect(page.getByText("已撤回该评审任务，并已通知专家。")).toBeVisible();
  await expect(withdrawnRow.locator("li.muted")).toHaveText(`${withdrawnName}（已撤回：专家临时出差，无法按期评审）`);
  await expect(withdrawnRow.locator("li[data-expert]")).toHaveCount(2);
  await expect(withdrawnRow.locator(".badge")).toHaveText("专家 2/3");
  await expect
    .poll(
      async () =>
        (await inbox()).filter(
          (m) =>
            m.subject === `【申报平台】评审任务撤回通知（${conflictedApps[1]?.number}）` &&
            m.text?.includes(`${withdrawnName}，您好`) &&
            m.text.includes("原因：专家临时出差，无法按期评审"),
        ).length,
      { timeout: 15_000 },
    )
    .toBe(1);

  // Each of our experts with assignments gets ONE e-mail listing all of them (none of 甲's for the conflicted one).
  for (const expert of experts) {
    const count = rows.filter((r) => r.expertId === expert.id).length;
    const mine = async () =>
      (await inbox()).filter(
        (m) => m.subject?.includes("评审任务分配通知") && m.text?.includes(`${expert.name}，您好`),
      );
    if (count === 0) continue;
    await expect.poll(async () => (await mine()).length, { timeout: 15_000 }).toBe(1);
    const [mail] = await mine();
    expect(mail?.subject).toContain(`（${count} 份）`);
    expect(mail?.text).toContain("/expert");
    expect(mail?.text).toContain("2099-12-30 17:00");
    if (expert.id === conflicted.id) for (const app of conflictedApps) expect(mail?.text).not.toContain(app.number);
  }

  // The expert reads the deadline staff set (it used to read 截止时间未设定).
  await logout(page);
  await login(page, conflicted);
  await page.goto("/expert");
  await expect(page.getByTestId("review-deadline")).toContainText("2099-12-30 17:00");
});
