/**
 * The Express-level answers of scripts/request-errors.ts, on a real Express app wired as
 * scripts/server.ts wires it: Chinese pages with 400/415/500, no stack trace, no server path.
 */
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { portalErrorHandler, refuseNonFormBodies } from "./request-errors.ts";

let base = "";
let close: () => void = () => {};

beforeAll(async () => {
  const app = express();
  app.use(refuseNonFormBodies);
  app.get("/boom", () => {
    throw new Error(`ENOENT: no such file or directory, open '${process.cwd()}/data/secret'`);
  });
  // The catch-all in front of Remix: Express decodes its parameter, which fails on broken percent-encoding.
  app.all("*", (req, res) => {
    req.resume();
    req.on("end", () => res.type("text/plain").send(`page ${req.method}`));
  });
  app.use(portalErrorHandler);
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

function expectPortalPage(text: string) {
  expect(text).toContain("智能化改造咨询诊断补助申报平台");
  expect(text).toContain("返回首页");
  expect(text).not.toMatch(/at [\w.]+ \(|URIError|Error:|node_modules|\/work\//);
}

describe("requests the portal cannot serve", () => {
  it("a malformed percent-encoded path gets the portal's Chinese 400 page, not Express's stack trace", async () => {
    const response = await fetch(`${base}/notice/%E0%A4%A`, { headers: { Accept: "text/html" } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
    const text = await response.text();
    expectPortalPage(text);
    expect(text).toContain("网址格式有误");
    expect(text).toMatch(/<title>[^<]+<\/title>/);
  });

  it.each([
    ["application/json", '{"email":"a@b.c"}'],
    ["application/xml", "<login><email>a@b.c</email></login>"],
    ["text/plain", "email=a@b.c"],
  ])("a %s body sent to a page is refused with 415 and a Chinese message", async (type, body) => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": type, Accept: "text/html" },
      body,
    });
    expect(response.status).toBe(415);
    const text = await response.text();
    expectPortalPage(text);
    expect(text).toContain("提交的内容不是表单");
  });

  it("forms, empty posts and the material uploader's raw body pass through", async () => {
    const form = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ email: "a@b.c" }) });
    expect([form.status, await form.text()]).toEqual([200, "page POST"]);
    const multipart = new FormData();
    multipart.set("name", "值");
    expect((await fetch(`${base}/register`, { method: "POST", body: multipart })).status).toBe(200);
    expect((await fetch(`${base}/logout`, { method: "POST" })).status).toBe(200);
    const upload = await fetch(`${base}/resources/applications/abc/materials?material=M1`, {
      method: "POST",
      headers: { "Content-Type": "application/pdf" },
      body: "%PDF-1.4",
    });
    expect(upload.status).toBe(200);
  });

  it("an error that reaches Express answers 500 in Chinese without the message's path; text clients get text", async () => {
    // The server's log keeps the error (asserted here, so the test setup does not count it as unexpected).
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const page = await fetch(`${base}/boom`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(500);
    expectPortalPage(await page.text());
    const text = await fetch(`${base}/boom`, { headers: { Accept: "application/json" } });
    expect(text.status).toBe(500);
    expect(await text.text()).toBe("系统出现错误，请稍后再试；如问题持续，请联系区工信局。");
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining("/data/secret"),
      expect.stringContaining("/data/secret"),
    ]);
    logged.mockClear();
  });
});
