/**
 * R-REV-3 in the browser: two providers submit near-identical diagnosis reports (real PDFs with a
 * Chinese text layer) in a round of their own; the similarity worker running inside the portal finds
 * the pair; staff open the round-wide similarity report, see the pair at or above the threshold, open
 * the side-by-side comparison with the shared passages highlighted in both texts, export the list to
 * .xlsx, and change the threshold (a wrong value is refused at the field, the input kept); staff see one
 * application's panel (reused photo with its EXIF date flagged, a scan without text layer flagged); the
 * expert of the second application sees the match beside the scoring form and cites it in a veto.
 *
 * The browser tests share one database with the demo data, and the copy check compares every photo with
 * every other: a photo of another test (or of the demo) may now and then come within the perceptual hash's
 * distance of this test's photo. So every count here is of this test's own pairs (those naming both of its
 * application numbers), never of all the pairs on the page.
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";

import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";

import type { ObjectStore } from "../../app/services/storage.server.ts";
import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { reportPdf, reportTexts, reusedCopy, scannedPdf, sitePhoto } from "../utils/similarity-fixtures.ts";
import { login, query, scenarioClient } from "./utils.ts";

type Setup = {
  roundId: string;
  first: { id: string; number: string; provider: string };
  second: { id: string; number: string; provider: string };
  scan: { id: string; number: string; provider: string };
  staff: { email: string; password: string };
  /** The expert assigned to the second application (under review). */
  expert: { email: string; password: string; assignmentId: string };
};

async function twoNearIdenticalReports(): Promise<Setup> {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    const texts = reportTexts(Date.now() % 100_000);
    const submit = async (seq: number, report: Uint8Array, status: "submitted" | "under_review" = "submitted") => {
      const provider = await createProvider(prisma);
      const enterprise = round.enterprises[seq];
      if (!enterprise) throw new Error("no enterprise");
      const app = await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: enterprise.id,
        organisationId: provider.organisation.id,
        createdById: provider.user.id,
        store,
        reportPdf: report,
        status,
      });
      return { id: app.id, number: app.number, provider: provider.organisation.name };
    };
    const first = await submit(0, await reportPdf(texts.original));
    const second = await submit(1, await reportPdf(texts.copy), "under_review");
    const scan = await submit(2, await scannedPdf());
    // The second provider also reuses the first one's site photo (resized, recompressed), which the
    // camera dated before the contract was signed (2022-09-01).
    const files: ObjectStore = store;
    const setPhoto = async (applicationId: string, bytes: Buffer) => {
      await prisma.applicationMaterial.updateMany({
        where: { applicationId, material: "M5", photoTag: "workshop" },
        data: { removedAt: new Date() },
      });
      const key = `materials/e2e-sim-${crypto.randomUUID()}.jpg`;
      await files.put(key, Readable.from([bytes]), "image/jpeg");
      const file = await prisma.storedFile.create({
        data: {
          key,
          fileName: "车间现场.jpg",
          contentType: "image/jpeg",
          size: bytes.length,
          sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
        },
      });
      await prisma.applicationMaterial.create({
        data: { applicationId, material: "M5", fileId: file.id, photoTag: "workshop" },
      });
    };
    const photo = await sitePhoto(crypto.randomInt(1_000_000), { takenAt: "2022:08:15 10:00:00" });
    await setPhoto(first.id, photo);
    await setPhoto(second.id, await reusedCopy(photo));
    const staff = await createUser(prisma, ["staff"]);
    const expert = await createUser(prisma, ["expert"]);
    const assignment = await assignExpert(prisma, {
      applicationId: second.id,
      expertId: expert.user.id,
      assignedById: staff.user.id,
    });
    return {
      roundId: round.id,
      first,
      second,
      scan,
      staff: { email: staff.email, password: staff.password },
      expert: { email: expert.email, password: expert.password, assignmentId: assignment.id },
    };
  } finally {
    await close();
  }
}

/** The worker inside the portal analyses submitted applications every few seconds. */
async function waitForPairs(a: string, b: string, kinds: string) {
  await expect
    .poll(
      async () =>
        (
          await query<{ n: string }>(
            `SELECT string_agg(kind::text, ',' ORDER BY kind) AS n FROM "SimilarityMatch" WHERE (("applicationAId" = $1 AND "applicationBId" = $2) OR ("applicationAId" = $2 AND "applicationBId" = $1))`,
            [a, b],
          )
        )[0]?.n,
      { timeout: 45_000, intervals: [1000] },
    )
    .toBe(kinds);
}

/** A scan is first read by OCR (the portal's OCR worker), then found to hold no text. */
async function waitForReportStatus(applicationId: string, status: string) {
  await expect
    .poll(
      async () =>
        (
          await query<{ s: string }>(`SELECT status::text AS s FROM "ReportText" WHERE "applicationId" = $1`, [
            applicationId,
          ])
        )[0]?.s,
      {
        timeout: 90_000,
        intervals: [1000],
      },
    )
    .toBe(status);
}

test("R-REV-3 staff see two near-identical reports flagged, side by side with the shared passages highlighted, and export the list", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const setup = await twoNearIdenticalReports();
  await waitForPairs(setup.first.id, setup.second.id, "report,photo");

  await waitForReportStatus(setup.scan.id, "no_text");
  await login(page, setup.staff);
  await page.goto(`/staff/similarity?round=${setup.roundId}`);
  await expect(page.getByRole("heading", { name: "雷同检查" })).toBeVisible();
  const row = page
    .getByTestId("flagged-pair")
    .filter({ hasText: "诊断报告" })
    .filter({ hasText: setup.first.number })
    .filter({ hasText: setup.second.number });
  await expect(row).toHaveCount(1);
  const ownPairs = page
    .getByTestId("flagged-pair")
    .filter({ hasText: setup.first.number })
    .filter({ hasText: setup.second.number });
  await expect(ownPairs.filter({ hasText: "现场照片" })).toHaveCount(1);
  // The scan cannot be compared: it is named for the experts, never taken as original.
  await expect(page.getByTestId("unreadable-reports")).toContainText(setup.scan.number);
  await expect(row).toContainText(setup.first.provider);
  const figure = Number((await row.locator(".badge").innerText()).replace("%", ""));
  expect(figure).toBeGreaterThanOrEqual(50);

  // Search narrows the list; a search matching nothing says so.
  await page.getByLabel("搜索").fill("不存在的服务商名称");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByText("没有符合条件的疑似雷同。")).toBeVisible();
  await page.getByLabel("搜索").fill(setup.second.number);
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(ownPairs).toHaveCount(2);
  for (const pair of await page.getByTestId("flagged-pair").all())
    await expect(pair).toContainText(setup.second.number);

  // Export: the same pairs as .xlsx.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 Excel" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/雷同检查.*\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0];
  const rows = Array.from({ length: (sheet?.rowCount ?? 1) - 1 }, (_, i) => sheet?.getRow(i + 2));
  // Every exported pair is one the search asked for; this test's two pairs are there, one of each kind.
  for (const row of rows) expect([row?.getCell(3).text, row?.getCell(7).text]).toContain(setup.second.number);
  const own = rows.filter((row) => [row?.getCell(3).text, row?.getCell(7).text].includes(setup.first.number));
  expect(own.map((row) => row?.getCell(1).text).sort()).toEqual(["现场照片", "诊断报告"]);

  // Side by side: both texts, the shared passages highlighted in each.
  await row.getByRole("link", { name: "对照" }).click();
  await expect(page.getByRole("heading", { name: "诊断报告对照" })).toBeVisible();
  const left = page.getByTestId("comparison-a");
  const right = page.getByTestId("comparison-b");
  await expect(left.getByTestId("shared-passage").first()).toBeVisible();
  await expect(right.getByTestId("shared-passage").first()).toBeVisible();
  expect(await left.getByTestId("shared-passage").count()).toBeGreaterThan(3);
  // (Compared as letters and digits: the copy was typeset with full-width digits and other punctuation.)
  const content = (text: string) => text.normalize("NFKC").replace(/[^\p{L}\p{N}]/gu, "");
  const firstPassage = content(await left.getByTestId("shared-passage").first().innerText()).slice(0, 12);
  expect(firstPassage).toHaveLength(12);
  expect(content(await right.innerText())).toContain(firstPassage);

  // The threshold: a wrong value is refused at the field with the input kept; a right one hides the pair.
  await page.goto(`/staff/similarity?round=${setup.roundId}`);
  const threshold = page.getByLabel("报告相似度标记阈值（%）");
  await expect(threshold).toHaveValue("50");
  await threshold.fill("5");
  await page.getByRole("button", { name: "保存阈值" }).click();
  await expect(page.getByText("标记阈值须在 20% 到 100% 之间")).toBeVisible();
  await expect(threshold).toHaveValue("5");
  await threshold.fill("99.9");
  await page.getByRole("button", { name: "保存阈值" }).click();
  await expect(page.getByText("标记阈值已保存。")).toBeVisible();
  await expect(page.getByLabel("报告相似度标记阈值（%）")).toHaveValue("99.9");
  await expect(ownPairs).toHaveCount(1); // the photo pair stays
  await expect(ownPairs).toContainText("现场照片");
});

test("R-REV-3 staff see one application's copy check: the closest report with highlighted passages, the reused photo side by side with its EXIF date flagged, and a scan flagged as having no text", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const setup = await twoNearIdenticalReports();
  await waitForPairs(setup.first.id, setup.second.id, "report,photo");
  await login(page, setup.staff);

  // On the application's own page (the same panel as the round report's per-application page below).
  await page.goto(`/staff/applications/${setup.second.id}`);
  const panel = page.getByTestId("similarity-panel");
  const match = panel.getByTestId("report-match").filter({ hasText: setup.first.number });
  await expect(match).toHaveCount(1);
  await expect(match).toContainText(setup.first.number);
  await expect(match).toContainText(setup.first.provider); // staff see the other provider
  await expect(match).toContainText("疑似雷同");
  await expect(match.getByTestId("shared-passage").first()).toBeVisible();
  expect(await match.getByTestId("shared-passage").count()).toBeGreaterThanOrEqual(2);

  const photos = panel.getByTestId("photo-match").filter({ hasText: setup.first.number });
  await expect(photos).toHaveCount(1);
  await expect(photos).toContainText("同一照片");
  await expect(photos).toContainText("2022-08-15 10:00:00");
  await expect(photos.getByTestId("photo-date-flag")).toHaveText("拍摄于合同签订之前");
  const images = photos.getByRole("img");
  await expect(images).toHaveCount(2);
  for (const image of await images.all()) {
    await image.scrollIntoViewIfNeeded();
    await expect
      .poll(() => image.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0)))
      .toBeGreaterThan(0);
  }

  await waitForReportStatus(setup.scan.id, "no_text");
  await page.goto(`/staff/similarity/applications/${setup.scan.id}`);
  await expect(page.getByTestId("report-no-text")).toContainText("无文字层");
  await expect(page.getByTestId("report-match")).toHaveCount(0);
});

test("R-REV-3 the expert of the second application sees the match with highlighted passages beside the scoring form and cites it in a veto", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const setup = await twoNearIdenticalReports();
  await waitForPairs(setup.first.id, setup.second.id, "report,photo");
  await login(page, setup.expert);
  await page.goto(`/expert/reviews/${setup.expert.assignmentId}`);
  await page.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突").check();
  await page.getByRole("button", { name: "确认无利益冲突，开始评审" }).click();

  await expect(page.getByTestId("similarity-alert")).toBeVisible();
  await page.getByTestId("similarity-alert").getByRole("button", { name: "查看雷同检查" }).click();
  const panel = page.getByTestId("similarity-panel");
  const match = panel.getByTestId("report-match").filter({ hasText: setup.first.number });
  await expect(match).toHaveCount(1);
  await expect(match).toContainText(setup.first.number);
  await expect(match).toContainText("疑似雷同");
  await expect(match.getByTestId("shared-passage").first()).toBeVisible();
  // The expert is shown the other application's number and passages, never its provider.
  await expect(panel).not.toContainText(setup.first.provider);
  const photoPair = panel.getByTestId("photo-match").filter({ hasText: setup.first.number });
  await expect(photoPair).toHaveCount(1);
  // Both photos of the pair load for the expert (its own and the other application's, nothing more).
  for (const image of await photoPair.getByRole("img").all()) {
    await image.scrollIntoViewIfNeeded();
    await expect
      .poll(() => image.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0)))
      .toBeGreaterThan(0);
  }

  const form = page.getByRole("form", { name: "评分表" });
  await match.getByRole("button", { name: `引用与 ${setup.first.number} 的雷同为否决依据` }).click();
  const evidence = form.locator("#veto-evidence");
  await expect(evidence).toHaveValue(new RegExp(`申报编号 ${setup.first.number} 的诊断报告明显雷同：相似度 \\d+%`));
  await expect(evidence).toHaveValue(/相同段落示例：“.{10,}/);
  await expect(form.locator("#veto")).toBeChecked();

  await form.getByLabel("材料齐全").check();
  await form.getByLabel(/^基本情况得分/).fill("20");
  await form.getByLabel("基本情况评语").fill("内容与另一份报告雷同");
  await form.getByLabel(/^诊断建议得分/).fill("20");
  await form.getByLabel("诊断建议评语").fill("内容与另一份报告雷同");
  await form.getByLabel(/^项目测算得分/).fill("20");
  await form.getByLabel("项目测算评语").fill("内容与另一份报告雷同");
  page.once("dialog", (dialog) => void dialog.accept());
  await form.getByRole("button", { name: "提交评分" }).click();
  await expect(page.getByTestId("review-submitted")).toBeVisible();

  const [review] = await query<{ veto: boolean; vetoEvidence: string; status: string }>(
    `SELECT veto, "vetoEvidence", status::text AS status FROM "Review" WHERE "assignmentId" = $1`,
    [setup.expert.assignmentId],
  );
  expect(review?.status).toBe("submitted");
  expect(review?.veto).toBe(true);
  expect(review?.vetoEvidence).toContain(setup.first.number);
  expect(review?.vetoEvidence).toContain("相同段落示例");
});
