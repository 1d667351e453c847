/**
 * Requests the portal cannot serve, sent to the real server (production build): each answers with the
 * portal's own Chinese page or message and the right status, never Express's English stack trace, a
 * server path or a 500.
 */
import { expect, test } from "@playwright/test";

const noLeak = /URIError|at [\w.]+ \(|node_modules|\/work\/|Error:/;

test("malformed URLs, bodies that are not forms, broken forms and NUL characters get Chinese 400/415 answers", async ({
  request,
  baseURL,
}) => {
  const origin = { Origin: baseURL ?? "", Accept: "text/html" };

  const malformed = await request.get("/notice/%E0%A4%A", { headers: { Accept: "text/html" } });
  expect(malformed.status()).toBe(400);
  const page = await malformed.text();
  expect(page).toContain("网址格式有误");
  expect(page).not.toMatch(noLeak);

  for (const [type, body] of [
    ["application/json", '{"email":"a@b.c","password":"x"}'],
    ["application/xml", "<login/>"],
    ["text/plain", "email=a@b.c"],
  ] as const) {
    const response = await request.post("/login", { headers: { ...origin, "Content-Type": type }, data: body });
    expect(response.status(), type).toBe(415);
    expect(await response.text()).toContain("提交的内容不是表单");
  }

  const broken = await request.post("/login", {
    headers: { ...origin, "Content-Type": "multipart/form-data; boundary=----x" },
    data: '------x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c',
  });
  expect(broken.status()).toBe(400);
  const brokenText = await broken.text();
  expect(brokenText).toContain("提交的表单内容不完整或格式有误");
  expect(brokenText).not.toMatch(noLeak);

  const nul = await request.post("/login", { headers: origin, form: { email: "a\u0000@b.c", password: "x" } });
  expect(nul.status()).toBe(400);
  expect(await nul.text()).toContain("请输入有效的邮箱地址");
});
