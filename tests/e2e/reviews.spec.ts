/**
 * The formal review end to end (R-REV-1, R-REV-2, R-REV-4, R-REV-5, R-MAT-2): three experts each confirm they have no
 * conflict and score one application side by side with its report (one takes the −20 deduction, and
 * a draft is autosaved while typing); staff see the spread flag and confirm; the provider sees its
 * result and gets one e-mail, neither naming an expert. An expert cannot open an application that
 * was not assigned to it, by URL.
 */
import { expect, type Page, test } from "@playwright/test";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { inbox, login, logout, scenarioClient } from "./utils.ts";

type Account = { email: string; password: string; name: string };

let roundId = "";
let applicationNumber = "";
let applicationId = "";
let provider: Account;
let staff: Account;
const experts: (Account & { assignmentId: string })[] = [];
let strangerAssignmentId = "";
let stranger: Account;
let recused: Account;
let flaggedNumber = "";

test.beforeAll(async () => {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    roundId = round.id;
    await prisma.round.update({
      where: { id: round.id },
      data: { reviewDeadline: new Date(Date.now() + 7 * 86_400_000) },
    });
    const p = await createProvider(prisma);
    provider = { email: p.email, password: p.password, name: p.organisation.name };
    const s = await createUser(prisma, ["staff"], { name: "结果确认员" });
    staff = { email: s.email, password: s.password, name: s.user.name };
    const application = await createApplication(prisma, {
      roundId,
      enterpriseId: round.enterprises[0]?.id ?? "",
      organisationId: p.organisation.id,
      createdById: p.user.id,
      store,
      status: "under_review",
      reportTitle: "某机械公司智能化改造评估诊断报告",
    });
    applicationNumber = application.number;
    applicationId = application.id;
    for (const name of ["评审甲专家", "评审乙专家", "评审丙专家"]) {
      const e = await createUser(prisma, ["expert"], { name: `${name}${round.code}` });
      const assignment = await assignExpert(prisma, {
        applicationId: application.id,
        expertId: e.user.id,
        assignedById: s.user.id,
      });
      experts.push({ email: e.email, password: e.password, name: e.user.name, assignmentId: assignment.id });
    }
    // Another application, assigned to a fourth expert only.
    const other = await createApplication(prisma, {
      roundId,
      enterpriseId: round.enterprises[1]?.id ?? "",
      organisationId: p.organisation.id,
      createdById: p.user.id,
      store,
      status: "under_review",
    });
    const d = await createUser(prisma, ["expert"], { name: `评审丁专家${round.code}` });
    stranger = { email: d.email, password: d.password, name: d.user.name };
    strangerAssignmentId = (
      await assignExpert(prisma, { applicationId: other.id, expertId: d.user.id, assignedById: s.user.id })
    ).id;
    const r = await createUser(prisma, ["expert"], { name: `评审戊专家${round.code}` });
    recused = { email: r.email, password: r.password, name: r.user.name };
    await assignExpert(prisma, { applicationId: other.id, expertId: r.user.id, assignedById: s.user.id });

    // R-REV-3: another provider's application whose site photo the copy check matched with a third
    // application, scored (submitted review written as the expert form stores it) and waiting for staff.
    const p2 = await createProvider(prisma);
    const base2 = { roundId, organisationId: p2.organisation.id, createdById: p2.user.id, store };
    const flagged = await createApplication(prisma, {
      ...base2,
      enterpriseId: round.enterprises[2]?.id ?? "",
      status: "under_review",
    });
    const twin = await createApplication(prisma, { ...base2, enterpriseId: round.enterprises[3]?.id ?? "" });
    flaggedNumber = flagged.number;
    const f = await createUser(prisma, ["expert"], { name: `评审己专家${round.code}` });
    const fa = await assignExpert(prisma, { applicationId: flagged.id, expertId: f.user.id, assignedById: s.user.id });
    await prisma.review.create({
      data: {
        assignmentId: fa.id,
        applicationId: flagged.id,
        expertId: f.user.id,
        status: "submitted",
        submittedAt: new Date(),
        materialsComplete: true,
        basicsHalfPoints: 50,
        basicsComment: "基本情况介绍完整",
        recommendationsHalfPoints: 70,
        recommendationsComment: "建议具体可行",
        estimatesHalfPoints: 50,
        estimatesComment: "测算合理",
      },
    });
    await prisma.application.update({ where: { id: flagged.id }, data: { status: "reviewed" } });
    const photo = (applicationId: string) =>
      prisma.applicationMaterial.findFirstOrThrow({ where: { applicationId, material: "M5" } });
    const [fp, tp] = [await photo(flagged.id), await photo(twin.id)];
    await prisma.similarityMatch.create({
      data: {
        kind: "photo",
        applicationAId: flagged.id,
        fileAId: fp.fileId,
        applicationBId: twin.id,
        fileBId: tp.fileId,
        score: 1,
      },
    });
  } finally {
    await close();
  }
});

async function score(
  page: Page,
  expert: Account & { assignmentId: string },
  values: [number, number, number],
  options: { deductionReason?: string; tryInvalid?: boolean } = {},
) {
  const { deductionReason } = options;
  await login(page, expert);
  await page.goto("/expert");
  const row = page.getByRole("row", { name: new RegExp(applicationNumber) });
  await expect(row).toContainText("待确认无利益冲突");
  await row.getByRole("link", { name: "确认并评审" }).click();
  await expect(page.getByTestId("conflict-provider")).toHaveText(provider.name);
  await page.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突").check();
  await page.getByRole("button", { name: "确认无利益冲突，开始评审" }).click();

  // Side by side: the report (M8) in the viewer, every other material one click away.
  // (drawn in the page by pdf.js, not the browser's own PDF viewer)
  await expect(page.getByTestId("material-viewer")).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("material-viewer").locator("canvas").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: /M8/ })).toBeVisible();
  await page.getByRole("button", { name: /M2 被诊断企业营业执照复印件/ }).click();
  await expect(page.getByRole("heading", { name: /M2/ })).toBeVisible();

  const form = page.getByRole("form", { name: "评分表" });
  if (options.tryInvalid) {
    // Out of range and half points (not allowed in this round): refused at the field, in Chinese.
    await form.getByLabel(/^基本情况得分/).fill("35");
    await expect(form.getByText("“基本情况”得分须在 0 至 30 分之间")).toBeVisible();
    await form.getByLabel(/^诊断建议得分/).fill("20.5");
    await expect(form.getByText("“诊断建议”得分须为整数")).toBeVisible();
  }
  await form.getByLabel("材料齐全").check();
  await form.getByLabel(/^基本情况得分/).fill(String(values[0]));
  await form.getByLabel("基本情况评语").fill("企业现状与行业水平介绍完整");
  await form.getByLabel(/^诊断建议得分/).fill(String(values[1]));
  await form.getByLabel("诊断建议评语").fill("建议具体，含软硬件实施方案");
  await form.getByLabel(/^项目测算得分/).fill(String(values[2]));
  await form.getByLabel("项目测算评语").fill("预算与效益测算基本合理");
  if (deductionReason) {
    await form.getByLabel(/^扣分项/).check();
    await form.getByLabel(/^扣分理由/).fill(deductionReason);
  }
  const total = Math.max(0, values[0] + values[1] + values[2] - (deductionReason ? 20 : 0));
  await expect(page.getByTestId("running-total")).toHaveText(String(total));
  // The draft is saved while typing; a reload shows it.
  await expect(page.getByTestId("save-status")).toContainText("自动保存");
  await page.reload();
  await expect(form.getByLabel(/^基本情况得分/)).toHaveValue(String(values[0]));
  await expect(page.getByTestId("running-total")).toHaveText(String(total));

  page.once("dialog", (dialog) => void dialog.accept());
  await form.getByRole("button", { name: "提交评分" }).click();
  await expect(page.getByTestId("review-submitted")).toBeVisible();
  await expect(page.getByTestId("submitted-total")).toContainText(String(total));
  await page.goto("/expert");
  await expect(page.getByRole("row", { name: new RegExp(applicationNumber) })).toContainText("已提交");
  await logout(page);
}

test("R-REV-1 R-REV-2 R-REV-4 R-REV-5 three experts score (one deducts 20), staff see the spread and confirm, the provider sees the result without expert names", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const [first, second, third] = experts;
  if (!first || !second || !third) throw new Error("scenario not ready");

  await score(page, first, [28, 38, 28]);
  await score(page, second, [30, 40, 30], { deductionReason: "报告第5章大篇幅推销本公司MES产品" });
  await score(page, third, [20, 25, 15], { tryInvalid: true });

  // Staff: 94, 80 (100 − 20) and 60: spread 34 is flagged; mean 78 passes.
  await login(page, staff);
  await page.goto(`/staff/results?round=${roundId}`);
  const row = page.getByTestId(`result-${applicationNumber}`);
  await expect(row).toContainText("3/3 位专家已提交");
  await expect(row.getByTestId("spread-flag")).toContainText("34");
  await expect(row).toContainText("78.00");
  await row.getByRole("link", { name: "详情" }).click();
  await expect(page.getByTestId(`expert-review-${second.name}`)).toContainText("报告第5章大篇幅推销本公司MES产品");
  await expect(page.getByTestId(`expert-review-${second.name}`).getByTestId("expert-total")).toHaveText("80");
  await page.goBack();
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "确认所选结果" }).click();
  await expect(page.getByText(/已确认 1 项申报的评审结果，已向 1 家服务商发送结果通知邮件/)).toBeVisible();
  await expect(row).toContainText("已确认");

  // The score sheet (.xlsx, per application, expert and section) and each expert's signed PDF.
  const xlsx = await page.request.get(`/resources/rounds/${roundId}/score-sheet`);
  expect(xlsx.status()).toBe(200);
  const { readRows } = await import("../../app/services/spreadsheet.server.ts");
  const rows = await readRows(new Uint8Array(await xlsx.body()), "score-sheet.xlsx");
  expect(rows[0]).toEqual(
    expect.arrayContaining([
      "申报编号",
      "评审专家",
      "基本情况（30）",
      "诊断建议（40）",
      "项目测算（30）",
      "扣分",
      "专家合计",
      "最终得分",
    ]),
  );
  const secondRow = rows.find((r) => r.includes(second.name));
  expect(secondRow).toEqual(expect.arrayContaining([applicationNumber, "30", "40", "-20", "80", "78", "合格"]));
  await row.getByRole("link", { name: "详情" }).click();
  const pdfLink = page.getByTestId(`expert-review-${first.name}`).getByRole("link", { name: "专家评分表（PDF）" });
  const pdf = await page.request.get((await pdfLink.getAttribute("href")) ?? "");
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  // Frozen: no reopening after confirmation.
  await expect(page.getByRole("button", { name: "退回该专家修改评分" })).toHaveCount(0);
  await logout(page);

  // The provider: the result, the score and the reason, no expert's name.
  await login(page, provider);
  await page.goto("/provider");
  const result = page.getByTestId(`provider-result-${applicationNumber}`);
  await expect(result).toContainText("合格");
  await expect(result).toContainText("78.00");
  await expect(result).toContainText("扣分：1 位评审专家认定报告借机推销自身产品和解决方案");
  const body = await page.locator("body").innerText();
  for (const expert of experts) expect(body).not.toContain(expert.name);
  // The application's own page says the same, with the way to the payout.
  await page.goto(`/provider/applications/${applicationId}`);
  await expect(page.getByTestId("application-result")).toContainText("78.00");
  await expect(page.getByRole("link", { name: "补助拨付" }).last()).toHaveAttribute("href", "/provider/payouts");
  const own = await page.locator("main").innerText();
  for (const expert of experts) expect(own).not.toContain(expert.name);

  // One e-mail, without expert names.
  await expect
    .poll(
      async () =>
        (await inbox()).filter(
          (m) => m.to && JSON.stringify(m.to).includes(provider.email) && m.subject?.includes("评审结果通知"),
        ).length,
      {
        timeout: 15_000,
      },
    )
    .toBe(1);
  const mail = (await inbox()).find(
    (m) => JSON.stringify(m.to).includes(provider.email) && m.subject?.includes("评审结果通知"),
  );
  expect(mail?.text).toContain(applicationNumber);
  expect(mail?.text).toContain("评审结果：合格　最终得分：78.00 分");
  for (const expert of experts) expect(mail?.text ?? "").not.toContain(expert.name);
});

test("R-REV-5 an expert cannot open an application not assigned to it, by URL", async ({ page }) => {
  const [first] = experts;
  if (!first) throw new Error("scenario not ready");
  await login(page, first);
  const response = await page.goto(`/expert/reviews/${strangerAssignmentId}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("评审任务不存在或未分配给您。")).toBeVisible();
});

test("Review.version: two tabs of one expert never silently overwrite each other", async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await login(first, stranger);
  await first.goto(`/expert/reviews/${strangerAssignmentId}`);
  await first.getByLabel("本人与上述服务商、被诊断企业均不存在利益冲突").check();
  await first.getByRole("button", { name: "确认无利益冲突，开始评审" }).click();
  // The declaration is saved before the second tab opens (else it would show the declaration form).
  await expect(first.getByLabel(/^基本情况得分/)).toBeVisible();
  const second = await context.newPage();
  await second.goto(`/expert/reviews/${strangerAssignmentId}`);

  await first.getByLabel(/^基本情况得分/).fill("21");
  await expect(first.getByTestId("save-status")).toContainText("自动保存");
  await second.getByLabel(/^基本情况得分/).fill("9");
  await expect(second.getByText(/该评分已在另一个窗口或标签页中修改并保存/)).toBeVisible();
  await expect(second.getByRole("button", { name: "提交评分" })).toBeDisabled();
  await second.reload();
  await expect(second.getByLabel(/^基本情况得分/)).toHaveValue("21");

  // Evidence filled in by script (as a similarity panel's "cite" button does) is saved like typing.
  await second.evaluate(() => {
    const textarea = document.getElementById("veto-evidence");
    if (!(textarea instanceof HTMLTextAreaElement)) throw new Error("no #veto-evidence");
    textarea.value = "与申报 X-0001 第3章雷同";
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect(second.getByTestId("save-status")).toContainText("自动保存");
  await second.reload();
  await expect(second.locator("#veto-evidence")).toHaveValue("与申报 X-0001 第3章雷同");
  await context.close();
});

test("R-REV-5 an expert declaring a conflict hands the application back to staff", async ({ page }) => {
  await login(page, recused);
  await page.goto("/expert");
  await page.getByRole("link", { name: "确认并评审" }).click();
  await page.getByRole("button", { name: "申报回避并退回任务" }).click();
  await expect(page.getByText("请选择与哪一方存在利益冲突")).toBeVisible();
  await page.getByLabel(/服务商：/).check();
  await page.getByLabel("利益冲突情况说明").fill("本人近三年曾受聘于该服务商");
  await page.getByRole("button", { name: "申报回避并退回任务" }).click();
  await expect(page).toHaveURL(/\/expert\?handedBack=1/);
  await expect(page.getByText("已申报回避，该评审任务已退回区工信局重新分配。")).toBeVisible();
  await expect(page.getByText("目前没有分配给您的评审任务。")).toBeVisible();
});

test("R-REV-3 an application flagged by the copy check comes first and is not confirmed until staff record why it is not copying", async ({
  page,
}) => {
  await login(page, staff);
  await page.goto(`/staff/results?round=${roundId}`);
  await expect(page.locator("tbody tr").first()).toHaveAttribute("data-testid", `result-${flaggedNumber}`);
  const row = page.getByTestId(`result-${flaggedNumber}`);
  await expect(row.getByTestId("copy-flag")).toContainText("雷同标记：待处理");
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "确认所选结果" }).click();
  await expect(page.getByText(new RegExp(`不能确认结果：${flaggedNumber}`))).toBeVisible();
  await expect(row).toContainText("待确认");

  // The reason is refused at its field when too short, and what was typed stays.
  await row.getByRole("link", { name: "详情" }).click();
  await expect(page.getByTestId("copy-flag-section")).toContainText("抄袭不能默认放行");
  await page.getByLabel("非抄袭的理由").fill("不是抄袭");
  await page.getByRole("button", { name: "记录理由" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "至少 10 个字" })).toBeVisible();
  await expect(page.getByLabel("非抄袭的理由")).toHaveValue("不是抄袭");
  const reason = "两份申报为同一园区公共区域的照片，诊断报告正文无雷同";
  await page.getByLabel("非抄袭的理由").fill(reason);
  await page.getByRole("button", { name: "记录理由" }).click();
  await expect(page.getByTestId("copy-flag-section")).toContainText(`已记录非抄袭的理由：${reason}`);

  await page.goto(`/staff/results?round=${roundId}`);
  await expect(row.getByTestId("copy-flag")).toContainText("已说明理由");
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "确认所选结果" }).click();
  await expect(page.getByText(/已确认 1 项申报的评审结果/)).toBeVisible();
  await expect(row).toContainText("已确认");
});
