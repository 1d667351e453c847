/**
 * Notice before payment, and what finance needs to pay (R-PAY-1, R-PAY-2, R-PAY-3): a passed
 * application is on the public notice (公示); an objection (异议) is recorded and holds it out of
 * payment; once resolved it goes into a batch whose draft PDF carries the 待审批 watermark; the batch is
 * approved once the notice is over (total confirmed in figures and capitals) and paid (not before the
 * approval date); the 拨付明细表 PDF carries the provider's bank details (pdftotext); a payment that
 * came back is reversed (冲正) and re-issued. A change of bank details by the provider is mailed masked,
 * shown on the approved batch, and verified by staff.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, type Page, test } from "@playwright/test";

import { createApplicationWithResult } from "../utils/application-results.ts";
import { makePdf } from "../utils/files.ts";
import { createProvider, createRound, createUser } from "../utils/scenario.ts";
import { inbox, login, logout, query, scenarioClient } from "./utils.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-finance-"));
const DAY = 86_400_000;
const beijingDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * DAY).toISOString().slice(0, 10);

async function download(page: Page, link: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  const target = path.join(tmp, name);
  await file.saveAs(target);
  return target;
}
const pdfText = (file: string, options: string[] = []) =>
  execFileSync("pdftotext", [...options, file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");

test("notice → objection → resolved → batch approved → paid, with the bank details on the PDF; then 冲正 and re-issue", async ({
  page,
}) => {
  const code = `F${crypto.randomInt(10_000_000, 99_999_999)}`;
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
      contractFen: 876_540,
      scoreHundredths: 7600,
    });
    // 审核通过后公示: the notice is open now.
    await prisma.round.update({
      where: { id: round.id },
      data: {
        noticeOpensAt: new Date(Date.now() - DAY),
        noticeClosesAt: new Date(Date.now() + 5 * DAY),
        noticeObjectionText: `异议请致电 2869847（${code}）`,
      },
    });
    return { round, provider, staff, approver, number: app.number, enterprise: app.enterprise.name };
  })().finally(() => client.close());
  const account = setup.provider.organisation.payeeAccountNumber ?? "";
  expect(account).toMatch(/^\d{19}$/);

  // The notice, as posted: the authority and date line; the PDF for the website.
  await page.goto(`/notice/${code}`);
  await expect(page.getByTestId("notice-entries")).toContainText(setup.enterprise);
  await expect(page.getByTestId("notice-signature")).toContainText(/张店区工业和信息化局\s*\d{4}年\d{1,2}月\d{1,2}日/);
  const noticePdf = pdfText(await download(page, "下载公示（PDF）", "notice.pdf"));
  for (const needle of [setup.enterprise, "8,765.40", "捌仟柒佰陆拾伍元肆角", "张店区工业和信息化局"])
    expect(noticePdf).toContain(needle);

  // Staff record an objection received during the notice: a wrong number is refused at its field.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(`/staff/objections?round=${setup.round.id}`);
  await expect(page.getByTestId("notice-state")).toContainText("公示中");
  await page.getByLabel("申报编号").fill(`${code}-9999`);
  await page.getByLabel("收到日期").fill(beijingDay());
  await page.getByLabel(/异议人/).fill("某企业 张先生 13800000000");
  await page.getByLabel("异议内容").fill("该企业未实际接受诊断服务");
  await page.getByRole("button", { name: "登记异议" }).click();
  await expect(page.getByText("本批次没有这个申报编号")).toBeVisible();
  await expect(page.getByLabel("异议内容")).toHaveValue("该企业未实际接受诊断服务");
  await page.getByLabel("申报编号").fill(setup.number);
  await page.getByRole("button", { name: "登记异议" }).click();
  await expect(page.getByText("异议已登记")).toBeVisible();

  // The application is held out of payment, and says why.
  await page.goto(`/staff/payouts?round=${setup.round.id}`);
  await expect(page.getByTestId("blockers").locator("tr", { hasText: setup.number })).toContainText("公示异议未处理");
  await expect(page.getByRole("checkbox", { name: new RegExp(setup.enterprise) })).toBeDisabled();

  // Resolved: not upheld.
  await page.goto(`/staff/objections?round=${setup.round.id}`);
  const objection = page.getByRole("article", { name: `异议 ${setup.number}` });
  await objection.getByRole("button", { name: "登记处理结果" }).click();
  await expect(objection.getByText("请选择处理结果")).toBeVisible();
  await objection.getByLabel("异议不成立，继续拨付").check();
  await objection.getByLabel("处理意见").fill("经现场核实，诊断服务属实，异议不成立");
  await objection.getByRole("button", { name: "登记处理结果" }).click();
  await expect(page.getByText("异议处理结果已登记")).toBeVisible();
  await expect(objection).toContainText("异议不成立，继续拨付");

  // The batch is prepared; printed before approval, every page says 待审批.
  await page.goto(`/staff/payouts?round=${setup.round.id}`);
  await page.getByRole("button", { name: /用全部可拨付申报（1 项）编制拨付批次/ }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`拨付批次 ${code}-BF001`) })).toBeVisible();
  await expect(page.getByTestId("batch-payee")).toContainText(account.replace(/(\d{4})(?=\d)/g, "$1 "));
  const batchUrl = page.url();
  const draft = await download(page, "下载拨付明细表（PDF）", "draft.pdf");
  expect(pdfText(draft, ["-raw"]).split("待审批").length - 1).toBe(2); // running header + watermark on its one page
  await logout(page);

  // The approver confirms the total in figures and capitals; refused while the notice is open.
  await login(page, { email: setup.approver.email, password: setup.approver.password });
  await page.goto(batchUrl);
  await page.getByRole("button", { name: "审批通过" }).click();
  const confirm = page.getByTestId("confirm-approve");
  await expect(confirm).toContainText("8,765.40 元");
  await expect(confirm).toContainText("捌仟柒佰陆拾伍元肆角");
  await expect(page.getByRole("heading", { name: /确认审批拨付批次/ })).toBeFocused();
  await page.getByRole("button", { name: "确认审批" }).click();
  await expect(page.getByTestId("approve-problems")).toContainText("公示期尚未结束");
  // The notice closes.
  await query(`UPDATE "Round" SET "noticeClosesAt" = now() - interval '1 minute' WHERE id = $1`, [setup.round.id]);
  await page.goto(batchUrl);
  await page.getByRole("button", { name: "审批通过" }).click();
  await page.getByRole("button", { name: "确认审批" }).click();
  await expect(page.getByText("已审批。批次内容及摘要已固定")).toBeVisible();

  // The approved 拨付明细表 carries the bank details and no watermark.
  const approved = pdfText(await download(page, "下载拨付明细表（PDF）", "approved.pdf"), ["-layout"]);
  for (const needle of [
    setup.provider.organisation.name,
    "中国工商银行淄博张店支行",
    account,
    "8,765.40",
    "捌仟柒佰陆拾伍元肆角",
  ])
    expect(approved).toContain(needle);
  expect(approved).not.toContain("待审批");
  await logout(page);

  // Staff record the payment: not before the approval date, then confirmed.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(batchUrl);
  await page.getByLabel("拨付日期").fill(beijingDay(-1));
  await page.getByLabel("拨付凭证号").fill(`张财拨${code}`);
  await page.getByRole("button", { name: "登记已拨付" }).click();
  await expect(page.getByText(/拨付日期不能早于审批日期/)).toBeVisible();
  await expect(page.getByLabel("拨付凭证号")).toHaveValue(`张财拨${code}`);
  await page.getByLabel("拨付日期").fill(beijingDay());
  await page.getByRole("button", { name: "登记已拨付" }).click();
  await expect(page.getByTestId("confirm-paid")).toContainText("捌仟柒佰陆拾伍元肆角");
  await page.getByRole("button", { name: "确认登记" }).click();
  await expect(page.getByText("已登记拨付")).toBeVisible();
  await expect(page.getByRole("heading", { name: /已拨付/ })).toBeVisible();
  await expect
    .poll(async () => (await inbox()).filter((m) => m.subject?.includes(`已拨付（${code}-BF001）`)).length)
    .toBe(1);

  // 冲正: the bank returns the payment; staff reverse it with a reason and re-issue it in a correction batch.
  await page.getByRole("checkbox", { name: `冲正 ${setup.number}` }).check();
  await page.getByRole("button", { name: "冲正并重新拨付" }).click();
  await expect(page.getByText("请填写冲正原因")).toBeVisible();
  await page.getByRole("checkbox", { name: `冲正 ${setup.number}` }).check();
  await page.getByLabel("冲正原因").fill("开户行退回：账户已销户");
  await page.getByRole("button", { name: "冲正并重新拨付" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`拨付批次 ${code}-BF002`) })).toBeVisible();
  await expect(page.getByRole("link", { name: `${code}-BF001` })).toBeVisible();
  await logout(page);
});

test("a provider's change of bank details is mailed masked, holds its payouts and shows on an approved batch until staff verify it", async ({
  page,
}) => {
  const code = `G${crypto.randomInt(10_000_000, 99_999_999)}`;
  const client = await scenarioClient();
  const setup = await (async () => {
    const { prisma, store } = client;
    const round = await createRound(prisma, { code });
    const provider = await createProvider(prisma);
    const staff = await createUser(prisma, ["staff"], { name: `经办人${code}` });
    const approver = await createUser(prisma, ["approver"], { name: `分管领导${code}` });
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const app = await createApplicationWithResult(prisma, {
        store,
        round,
        provider,
        contractFen: 1_200_000,
        scoreHundredths: 7000,
      });
      numbers.push(app.number);
    }
    await prisma.round.update({
      where: { id: round.id },
      data: {
        noticeOpensAt: new Date(Date.now() - 9 * DAY),
        noticeClosesAt: new Date(Date.now() - DAY),
        noticeObjectionText: "异议请致电",
      },
    });
    return { round, provider, staff, approver, numbers };
  })().finally(() => client.close());

  // Staff prepare, the approver approves: the old account is fixed in the batch.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(`/staff/payouts?round=${setup.round.id}`);
  await page.getByRole("button", { name: /用全部可拨付申报（2 项）编制拨付批次/ }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`拨付批次 ${code}-BF001`) })).toBeVisible();
  const batchUrl = page.url();
  await logout(page);
  await login(page, { email: setup.approver.email, password: setup.approver.password });
  await page.goto(batchUrl);
  await page.getByRole("button", { name: "审批通过" }).click();
  await page.getByRole("button", { name: "确认审批" }).click();
  await expect(page.getByText("已审批。批次内容及摘要已固定")).toBeVisible();
  await logout(page);

  // The provider changes its account: a bad number is refused at its field, nothing typed is lost.
  const proof = path.join(tmp, "开户证明.pdf");
  fs.writeFileSync(proof, await makePdf("new account proof"));
  await login(page, { email: setup.provider.email, password: setup.provider.password });
  await page.goto("/provider/payouts");
  await page.getByRole("link", { name: "查看或变更收款账户" }).click();
  await expect(page.getByTestId("payee-state")).toHaveText("收款账户已核验");
  await page.getByLabel("开户银行").fill("某农村商业银行张店支行");
  await page.getByLabel("银行账号").fill("6228 48X0 1234");
  await page.getByLabel(/开户证明/).setInputFiles(proof);
  await page.getByRole("button", { name: "提交变更" }).click();
  await expect(page.getByText("银行账号只能由数字组成")).toBeVisible();
  await expect(page.getByLabel("开户银行")).toHaveValue("某农村商业银行张店支行");
  await page.getByLabel("银行账号").fill("6228 4800 1234 5678 901");
  await page.getByRole("button", { name: "提交变更" }).click();
  await expect(page.getByText("收款账户已变更，变更通知已发送至本单位注册邮箱")).toBeVisible();
  await expect(page.getByTestId("payee-state")).toHaveText("收款账户待工信局核验");
  await logout(page);
  await expect
    .poll(
      async () =>
        (await inbox()).find(
          (m) => m.subject?.includes("收款账户已变更") && JSON.stringify(m.to).includes(setup.provider.email),
        )?.text ?? "",
    )
    .toContain("***************8901");
  const mail = (await inbox()).find(
    (m) => m.subject?.includes("收款账户已变更") && JSON.stringify(m.to).includes(setup.provider.email),
  );
  expect(mail?.text).not.toContain("6228480012345678901");

  // Staff see it on the approved batch: the digest covers the account; payment is refused.
  await login(page, { email: setup.staff.email, password: setup.staff.password });
  await page.goto(batchUrl);
  await expect(page.getByTestId("payee-changes")).toContainText("6228 4800 1234 5678 901");
  await page.getByLabel("拨付日期").fill(beijingDay());
  await page.getByLabel("拨付凭证号").fill(`张财拨${code}`);
  await page.getByRole("button", { name: "登记已拨付" }).click();
  await page.getByRole("button", { name: "确认登记" }).click();
  await expect(page.getByText(/收款账户在审批后已变更或待核验/)).toBeVisible();

  // Staff verify the new account against its proof; the change and the check are on the record.
  await page.goto(`/staff/providers/${setup.provider.organisation.id}`);
  await page.getByRole("link", { name: "核验收款账户" }).click();
  await expect(page.getByTestId("payee-state")).toHaveText("收款账户待工信局核验");
  // The proof is drawn in the page by pdf.js, beside the account it proves.
  const proofView = page.getByRole("document", { name: "预览 开户证明" });
  await expect(proofView).toHaveAttribute("data-state", "ready");
  await expect(proofView.getByRole("img", { name: "第 1 页" })).toBeVisible();
  await page.getByRole("button", { name: "核验通过" }).click();
  await expect(page.getByText("收款账户已核验，服务商已收到通知")).toBeVisible();
  const record = await query<{ action: string }>(
    `SELECT action FROM "AuditEntry" WHERE "entityId" = $1 AND action LIKE 'organisation.payee%' ORDER BY at`,
    [setup.provider.organisation.id],
  );
  expect(record.map((r) => r.action)).toEqual(["organisation.payee_change", "organisation.payee_verify"]);
  // The batch still holds the old account: it is corrected (a new batch, approved again), not paid.
  await page.goto(batchUrl);
  await expect(page.getByTestId("payee-changes")).toBeVisible();
  await expect(page.getByRole("button", { name: "编制更正批次" })).toBeVisible();
});
