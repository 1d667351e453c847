/**
 * R-REV-3 in the browser, for a scanned report: one provider submits a typed report (a text PDF); a
 * second submits a copy of it printed, stamped with the enterprise's red seal and scanned (a PDF with no
 * text layer). The portal's own workers queue the scan for OCR, read it and pair it with its typed
 * original. Staff see the OCR progress on the copy-check page and both originals side by side with the
 * shared passages highlighted; the expert of the scanned application sees the report drawn in the page
 * with the shared passage highlighted where it occurs, is told the text was read by OCR and with what
 * confidence, jumps from the passage list to it, and cites it in a veto. The texts come from a random
 * seed, so no other test's reports can match them.
 */
import crypto from "node:crypto";

import { expect, test } from "@playwright/test";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { reportPdf, reportTexts, sealedScanPdf } from "../utils/similarity-fixtures.ts";
import { login, logout, query, scenarioClient } from "./utils.ts";

type Setup = {
  roundId: string;
  typed: { id: string; number: string };
  scanned: { id: string; number: string };
  staff: { email: string; password: string };
  expert: { email: string; password: string; assignmentId: string };
};

async function typedAndScannedCopy(): Promise<Setup> {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    const seed = crypto.randomInt(1_000_000);
    const texts = reportTexts(seed, 380);
    const submit = async (seq: number, report: Uint8Array, status: "submitted" | "under_review") => {
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
      return { id: app.id, number: app.number };
    };
    const typed = await submit(0, await reportPdf(texts.original), "submitted");
    const scanned = await submit(
      1,
      await sealedScanPdf(texts.copy, { seed, seal: "淄博恒泰陶瓷有限公司", layout: 1 }),
      "under_review",
    );
    const staff = await createUser(prisma, ["staff"]);
    const expert = await createUser(prisma, ["expert"]);
    const assignment = await assignExpert(prisma, {
      applicationId: scanned.id,
      expertId: expert.user.id,
      assignedById: staff.user.id,
    });
    return {
      roundId: round.id,
      typed,
      scanned,
      staff: { email: staff.email, password: staff.password },
      expert: { email: expert.email, password: expert.password, assignmentId: assignment.id },
    };
  } finally {
    await close();
  }
}

/** The portal's similarity worker queues the scan, its OCR worker reads it, the similarity worker pairs it. */
async function waitForPair(a: string, b: string) {
  await expect
    .poll(
      async () =>
        (
          await query<{ id: string }>(
            `SELECT id FROM "SimilarityMatch" WHERE kind = 'report' AND (("applicationAId" = $1 AND "applicationBId" = $2) OR ("applicationAId" = $2 AND "applicationBId" = $1))`,
            [a, b],
          )
        )[0]?.id,
      { timeout: 240_000, intervals: [2000] },
    )
    .toBeTruthy();
}

test("R-REV-3 a sealed scan is read by OCR and paired with its typed original; the expert sees the passage highlighted in the scan and cites it in a veto", async ({
  page,
}) => {
  test.setTimeout(360_000);
  const setup = await typedAndScannedCopy();

  await waitForPair(setup.typed.id, setup.scanned.id);
  // Staff see the round's OCR progress (every page of the scan read) and the pair flagged.
  await login(page, setup.staff);
  await page.goto(`/staff/similarity?round=${setup.roundId}`);
  await expect(page.getByTestId("ocr-progress")).toContainText(/已识别 (\d+) \/ \1 页，已全部完成/);
  const row = page
    .getByTestId("flagged-pair")
    .filter({ hasText: setup.typed.number })
    .filter({ hasText: setup.scanned.number });
  await expect(row).toHaveCount(1);
  // Side by side: both originals drawn by pdf.js, the shared passages highlighted in each, one click jumps both.
  await row.getByRole("link", { name: "对照" }).click();
  const originals = page.getByTestId("comparison-originals");
  await expect(originals.getByTestId("original-a")).toHaveAttribute("data-state", "ready");
  await expect(originals.getByTestId("original-b")).toHaveAttribute("data-state", "ready");
  await expect(originals.getByTestId("original-a").getByTestId("report-highlight").first()).toBeAttached();
  await expect(originals.getByTestId("original-b").getByTestId("report-highlight").first()).toBeAttached();
  await originals.getByRole("button", { name: "第 1 处" }).click();
  await expect(originals.locator(".report-viewer__mark--focus").first()).toBeInViewport();
  await logout(page);

  await login(page, setup.expert);
  await page.goto(`/expert/reviews/${setup.expert.assignmentId}`);
  await page.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突").check();
  await page.getByRole("button", { name: "确认无利益冲突，开始评审" }).click();

  // The scanned report, drawn in the page, the passage shared with the typed original highlighted on it.
  const viewer = page.getByTestId("material-viewer");
  await expect(viewer).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("report-ocr")).toContainText(/文字由系统识别（OCR），识别置信度 \d+%/);
  const marks = viewer.getByTestId("report-highlight");
  await expect(marks.first()).toBeAttached();
  expect(await marks.count()).toBeGreaterThanOrEqual(2);
  const box = await marks.first().boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(20);

  // From the copy check's passage list to the passage in the scan, then cite the match in a veto.
  await page.getByRole("button", { name: "查看雷同检查并引用" }).click();
  const match = page.getByTestId("similarity-panel").getByTestId("report-match");
  await expect(match).toContainText(setup.typed.number);
  await match.getByRole("button", { name: "在报告中查看" }).first().click();
  await expect(viewer.locator(".report-viewer__mark--focus").first()).toBeInViewport();
  await page.getByRole("button", { name: /^雷同检查/ }).click();

  const form = page.getByRole("form", { name: "评分表" });
  await page
    .getByTestId("similarity-panel")
    .getByRole("button", { name: `引用与 ${setup.typed.number} 的雷同为否决依据` })
    .click();
  const evidence = form.locator("#veto-evidence");
  await expect(evidence).toHaveValue(new RegExp(`申报编号 ${setup.typed.number} 的诊断报告明显雷同：相似度 \\d+%`));
  await expect(form.locator("#veto")).toBeChecked();
  await form.getByLabel("材料齐全").check();
  for (const [section, label] of [
    ["基本情况", "基本情况评语"],
    ["诊断建议", "诊断建议评语"],
    ["项目测算", "项目测算评语"],
  ] as const) {
    await form.getByLabel(new RegExp(`^${section}得分`)).fill("15");
    await form.getByLabel(label).fill("扫描件内容与另一份报告雷同");
  }
  page.once("dialog", (dialog) => void dialog.accept());
  await form.getByRole("button", { name: "提交评分" }).click();
  await expect(page.getByTestId("review-submitted")).toBeVisible();
  const [review] = await query<{ veto: boolean; vetoEvidence: string }>(
    `SELECT veto, "vetoEvidence" FROM "Review" WHERE "assignmentId" = $1`,
    [setup.expert.assignmentId],
  );
  expect(review?.veto).toBe(true);
  expect(review?.vetoEvidence).toContain(setup.typed.number);
});
