/**
 * R-REV-3 in the browser: a report copied from an earlier year's round is found (the index is shared by
 * every round in the database), and staff narrow the copy-check list to this year or this round.
 */
import { expect, test } from "@playwright/test";

import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { reportPdf, reportTexts } from "../utils/similarity-fixtures.ts";
import { login, query, scenarioClient } from "./utils.ts";

test("R-REV-3 staff see a copy of an earlier year's report and narrow the scope to this year or this round", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { prisma, store, close } = await scenarioClient();
  let setup: {
    current: { id: string; name: string };
    earlier: { name: string };
    first: string;
    second: string;
    staff: { email: string; password: string };
  };
  try {
    const earlier = await createRound(prisma);
    await prisma.round.update({ where: { id: earlier.id }, data: { year: 2021 } });
    const current = await createRound(prisma);
    const texts = reportTexts(Date.now() % 100_000);
    const submit = async (round: typeof earlier, report: Uint8Array) => {
      const provider = await createProvider(prisma);
      const enterprise = round.enterprises[0];
      if (!enterprise) throw new Error("no enterprise");
      const app = await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: enterprise.id,
        organisationId: provider.organisation.id,
        createdById: provider.user.id,
        store,
        reportPdf: report,
      });
      return app.id;
    };
    const first = await submit(earlier, await reportPdf(texts.original));
    const second = await submit(current, await reportPdf(texts.copy));
    const staff = await createUser(prisma, ["staff"]);
    setup = {
      current: { id: current.id, name: current.name },
      earlier: { name: earlier.name },
      first,
      second,
      staff: { email: staff.email, password: staff.password },
    };
  } finally {
    await close();
  }
  await expect
    .poll(
      async () =>
        (
          await query<{ n: string }>(
            `SELECT count(*)::text AS n FROM "SimilarityMatch" WHERE kind = 'report' AND (("applicationAId" = $1 AND "applicationBId" = $2) OR ("applicationAId" = $2 AND "applicationBId" = $1))`,
            [setup.first, setup.second],
          )
        )[0]?.n,
      { timeout: 45_000, intervals: [1000] },
    )
    .toBe("1");

  await login(page, setup.staff);
  await page.goto(`/staff/similarity?round=${setup.current.id}&kind=report`);
  const rows = page.getByTestId("flagged-pair");
  // Every round by default: the pair names both rounds.
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(setup.earlier.name);
  await expect(rows).toContainText(setup.current.name);

  await page.getByLabel("比对范围").selectOption({ label: "本年度" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/scope=year/);
  await expect(page.getByText("没有符合条件的疑似雷同。")).toBeVisible();

  await page.getByLabel("比对范围").selectOption({ label: "本批次" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByText("没有符合条件的疑似雷同。")).toBeVisible();

  await page.getByLabel("比对范围").selectOption({ label: "全部批次（含往期及其他区县）" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(rows).toHaveCount(1);
  // The comparison of the pair names the earlier round too.
  await rows.getByRole("link", { name: "对照" }).click();
  await expect(page.locator("body")).toContainText(setup.earlier.name);
});
