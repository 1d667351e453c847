/**
 * R-ELIG-4 in the browser: a provider withdraws its draft, staff release another provider's draft with
 * a reason; both free the enterprise and stay on the record.
 */
import { expect, test } from "@playwright/test";

import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { login, logout, query, scenarioClient } from "./utils.ts";

test("R-ELIG-4 a provider withdraws its draft; staff release a draft's claim with a reason", async ({ page }) => {
  const { prisma, store, close } = await scenarioClient();
  const round = await createRound(prisma);
  const provider = await createProvider(prisma);
  const staff = await createUser(prisma, ["staff"]);
  const [first, second] = round.enterprises;
  if (!first || !second) throw new Error("scenario");
  const base = {
    roundId: round.id,
    organisationId: provider.organisation.id,
    createdById: provider.user.id,
    store,
    status: "draft" as const,
  };
  const own = await createApplication(prisma, { ...base, enterpriseId: first.id });
  const held = await createApplication(prisma, { ...base, enterpriseId: second.id });
  await close();

  await login(page, provider);
  await page.goto(`/provider/applications/${own.id}`);
  await page.getByTestId("withdraw-draft").getByRole("button", { name: "撤回草稿" }).click();
  await expect(page.getByTestId("withdrawn")).toContainText(`已撤回申报草稿 ${own.number}`);
  expect(await query(`SELECT 1 FROM "Application" WHERE id = $1`, [own.id])).toHaveLength(0);
  await logout(page);

  await login(page, staff);
  await page.goto(`/staff/applications/${held.id}`);
  const release = page.getByTestId("release-claim");
  await release.getByLabel("释放原因").fill("服务商已停止为该企业服务");
  await release.getByRole("button", { name: "释放并撤销草稿" }).click();
  await expect(page.getByTestId("released")).toContainText(held.number);
  const entries = await query<{ action: string; reason: string }>(
    `SELECT action, reason FROM "AuditEntry" WHERE "entityId" = ANY($1) ORDER BY id`,
    [[own.id, held.id]],
  );
  expect(entries).toEqual([
    { action: "application.withdraw", reason: "服务商撤回草稿" },
    { action: "application.release_claim", reason: "服务商已停止为该企业服务" },
  ]);
  // The record names the withdrawn draft by its number, not its id.
  await page.goto("/staff/audit");
  await expect(page.getByRole("row").filter({ hasText: "区工信局释放企业占用" }).first()).toContainText(
    `申报 ${held.number}`,
  );
});
