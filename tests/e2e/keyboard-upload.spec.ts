/**
 * Issue 14 item 4: a provider who uses only the keyboard uploads a material (R-MAT-2). Tab reaches the
 * upload control of each material, the focus is visible, and Space opens the file chooser.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { makePdf } from "../utils/files.ts";
import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { login, scenarioClient } from "./utils.ts";

let account = { email: "", password: "" };
let applicationId = "";

test.beforeAll(async () => {
  const { prisma, store, close } = await scenarioClient();
  try {
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    account = { email: provider.email, password: provider.password };
    const application = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: round.enterprises[0]?.id ?? "",
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "draft",
      without: ["M8"],
    });
    applicationId = application.id;
  } finally {
    await close();
  }
});

test("every material's upload control is reached with Tab, shows its focus, and uploads with Space (R-MAT-2)", async ({
  page,
}) => {
  await login(page, account);
  await page.goto(`/provider/applications/${applicationId}`);
  await expect(page.getByTestId("missing")).toContainText("M8");

  // Tab from the top of the page until the report's upload control has the focus; every material's
  // control is passed on the way or after it.
  const reached = new Set<string>();
  let onReport = false;
  for (let i = 0; i < 200 && !onReport; i++) {
    await page.keyboard.press("Tab");
    const label = await page.evaluate(() =>
      document.activeElement instanceof HTMLInputElement && document.activeElement.type === "file"
        ? document.activeElement.getAttribute("aria-label")
        : null,
    );
    if (label) reached.add(label);
    onReport = label === "上传诊断报告原件";
  }
  expect(onReport).toBe(true);
  expect([...reached]).toEqual(
    expect.arrayContaining([
      "上传服务商营业执照复印件",
      "上传被诊断企业营业执照复印件",
      "上传现场诊断咨询会签到表",
      "上传诊断报告原件",
    ]),
  );

  // The focus is visible: the button around the control draws an outline.
  const outline = await page.evaluate(() => {
    const button = document.activeElement?.closest("label");
    return button ? getComputedStyle(button).outlineStyle : "none";
  });
  expect(outline).not.toBe("none");

  // Space opens the chooser; the file is uploaded and the material is complete.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyboard-upload-"));
  const file = path.join(dir, "诊断报告.pdf");
  fs.writeFileSync(file, await makePdf("report"));
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
  await chooser.setFiles(file);
  await expect(page.getByTestId("material-M8").getByRole("link", { name: "诊断报告.pdf" })).toBeVisible();
  await expect(page.getByTestId("missing")).toHaveCount(0);
});
