/**
 * The expert's scoring form on a phone (390 px) and by keyboard alone (R-REV-1..3, R-MAT-2): every
 * message is Chinese and at the field that caused it (aria-invalid, aria-describedby), nothing typed is
 * lost, a submission the rules refuse is stopped in the browser with the focus on the first field to fix,
 * and a draft the server refuses leaves the stored draft as it was. Each test has its own application
 * and expert, so no other test's data can change what it sees.
 */
import { expect, type Locator, type Page, test } from "@playwright/test";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { login, query, scenarioClient } from "./utils.ts";

type Expert = { email: string; password: string; assignmentId: string };

test.use({ viewport: { width: 390, height: 844 } });

let keyboardExpert: Expert;
let draftExpert: Expert;

test.beforeAll(async () => {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    await prisma.round.update({
      where: { id: round.id },
      data: { reviewDeadline: new Date(Date.now() + 7 * 86_400_000) },
    });
    const p = await createProvider(prisma);
    const s = await createUser(prisma, ["staff"], { name: `评分表分配员${round.code}` });
    const experts: Expert[] = [];
    for (const [i, name] of ["键盘专家", "草稿专家"].entries()) {
      const application = await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: round.enterprises[i]?.id ?? "",
        organisationId: p.organisation.id,
        createdById: p.user.id,
        store,
        status: "under_review",
      });
      const e = await createUser(prisma, ["expert"], { name: `${name}${round.code}` });
      const assignment = await assignExpert(prisma, {
        applicationId: application.id,
        expertId: e.user.id,
        assignedById: s.user.id,
      });
      experts.push({ email: e.email, password: e.password, assignmentId: assignment.id });
    }
    const [first, second] = experts;
    if (!first || !second) throw new Error("scenario not ready");
    keyboardExpert = first;
    draftExpert = second;
  } finally {
    await close();
  }
});

/** The field's message, found the way a screen reader finds it: through aria-describedby. */
async function expectMessageAt(page: Page, field: Locator, message: string | RegExp) {
  await expect(field).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  await expect(page.locator(`[id="${describedBy}"]`)).toContainText(message);
}

async function typeInto(page: Page, field: Locator, text: string) {
  await field.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
}

async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("R-REV-1..3 R-MAT-2 at 390 px by keyboard: messages at the fields, nothing typed lost, submitted once fixed", async ({
  page,
}) => {
  await login(page, keyboardExpert);
  await page.goto(`/expert/reviews/${keyboardExpert.assignmentId}`);

  // R-REV-5 first: the confirmation is refused until the box is ticked, with the message at the box.
  const confirmButton = page.getByRole("button", { name: "确认无利益冲突，开始评审" });
  await confirmButton.focus();
  await page.keyboard.press("Enter");
  const noConflict = page.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突");
  await expectMessageAt(page, noConflict, "请勾选确认与服务商、被诊断企业均不存在利益冲突");
  await noConflict.focus();
  await page.keyboard.press("Space");
  await confirmButton.focus();
  await page.keyboard.press("Enter");

  const form = page.getByRole("form", { name: "评分表" });
  const basics = form.getByLabel(/^基本情况得分/);
  await expect(basics).toBeVisible();
  await expectNoSideScroll(page);

  // R-REV-1: out of range is said at the field as it is typed, and the total ignores it.
  await typeInto(page, basics, "35");
  await expectMessageAt(page, basics, "“基本情况”得分须在 0 至 30 分之间");
  await expect(page.getByTestId("running-total")).toHaveText("0");
  await typeInto(page, basics, "28");
  await expect(basics).not.toHaveAttribute("aria-invalid", "true");
  await page.keyboard.press("Tab");
  await page.keyboard.type("企业现状与行业水平介绍完整");
  await typeInto(page, form.getByLabel(/^诊断建议得分/), "35");
  await page.keyboard.press("Tab");
  await page.keyboard.type("建议具体，含软硬件实施方案");
  await typeInto(page, form.getByLabel(/^项目测算得分/), "20");
  // R-REV-2: −20 ticked by keyboard, its reason (and the last comment) left empty for now.
  await form.getByLabel(/^扣分项/).focus();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("running-total")).toHaveText("63");
  await expect(form.getByText("扣分理由（必填）")).toBeVisible();
  await expect(page.getByTestId("save-status")).toContainText("自动保存");

  // Submitting what the rules refuse: no confirmation asked, every message at its field, focus on the first.
  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs += 1;
    void dialog.accept();
  });
  await form.getByRole("button", { name: "提交评分" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.getByText("请判定诊断资料是否齐全")).toBeVisible();
  await expectMessageAt(page, form.getByLabel("项目测算评语"), "请填写“项目测算”的评语");
  await expectMessageAt(page, form.getByLabel(/^扣分理由/), "扣 20 分须填写扣分理由");
  await expect(form.getByLabel("材料齐全")).toBeFocused();
  expect(dialogs).toBe(0);
  // Nothing typed was lost.
  await expect(basics).toHaveValue("28");
  await expect(form.getByLabel("基本情况评语")).toHaveValue("企业现状与行业水平介绍完整");
  await expect(page.getByTestId("running-total")).toHaveText("63");
  await expectNoSideScroll(page);

  // Fixing a field clears its message as it is typed.
  await page.keyboard.press("Space");
  await expect(form.getByText("请判定诊断资料是否齐全")).toHaveCount(0);
  await typeInto(page, form.getByLabel("项目测算评语"), "预算与效益测算基本合理");
  await expect(form.getByText("请填写“项目测算”的评语")).toHaveCount(0);
  await typeInto(page, form.getByLabel(/^扣分理由/), "报告第5章推销本公司MES产品");
  await expect(form.getByText("扣 20 分须填写扣分理由")).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toContainText("自动保存");

  await form.getByRole("button", { name: "提交评分" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("review-submitted")).toBeVisible();
  expect(dialogs).toBe(1);
  await expect(page.getByTestId("submitted-total")).toContainText("63");
  const [stored] = await query<{ status: string; deduction: boolean; basicsHalfPoints: number }>(
    `SELECT status, deduction, "basicsHalfPoints" FROM "Review" WHERE "assignmentId" = $1`,
    [keyboardExpert.assignmentId],
  );
  expect(stored).toEqual({ status: "submitted", deduction: true, basicsHalfPoints: 56 });
});

test("R-REV-1 a draft the server refuses is not saved: the page says so, the field says why, the stored draft stays", async ({
  page,
}) => {
  await login(page, draftExpert);
  await page.goto(`/expert/reviews/${draftExpert.assignmentId}`);
  await page.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突").check();
  await page.getByRole("button", { name: "确认无利益冲突，开始评审" }).click();
  const form = page.getByRole("form", { name: "评分表" });
  const basics = form.getByLabel(/^基本情况得分/);
  await basics.fill("20");
  await form.getByLabel("基本情况评语").fill("介绍完整");
  await expect(page.getByTestId("save-status")).toContainText("自动保存");

  // A whole-point round refuses a half point.
  await basics.fill("20.5");
  await expectMessageAt(page, basics, "“基本情况”得分须为整数");
  await expect(page.getByText("草稿未保存：请按标示修改。已保存的草稿不变。")).toBeVisible();
  await expect(basics).toHaveValue("20.5");
  await expect(form.getByLabel("基本情况评语")).toHaveValue("介绍完整");

  // R-MAT-2: the note on missing materials survives the judgement being changed back and forth.
  await form.getByLabel("缺少或不符合要求（不合格）").check();
  await form.getByLabel("缺少或不符合要求的材料").fill("缺少 M3 签到表");
  await form.getByLabel("材料齐全").check();
  await expect(form.getByLabel("缺少或不符合要求的材料")).toHaveCount(0);
  await form.getByLabel("缺少或不符合要求（不合格）").check();
  await expect(form.getByLabel("缺少或不符合要求的材料")).toHaveValue("缺少 M3 签到表");

  await page.reload();
  await expect(form.getByLabel(/^基本情况得分/)).toHaveValue("20");
  await expect(form.getByLabel("基本情况评语")).toHaveValue("介绍完整");
});
