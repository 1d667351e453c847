import { describe, expect, it } from "vitest";

import { checkSameOrigin } from "./csrf.server.ts";

const base = { host: "localhost:3000", publicUrl: "http://localhost:3000" };

describe("same-origin check (CSRF)", () => {
  it("lets safe methods through", () => {
    expect(
      checkSameOrigin({ ...base, method: "GET", origin: "https://evil.example", secFetchSite: "cross-site" }),
    ).toBeNull();
  });
  it("accepts a POST from our own origin", () => {
    expect(
      checkSameOrigin({ ...base, method: "POST", origin: "http://localhost:3000", secFetchSite: "same-origin" }),
    ).toBeNull();
  });
  it("refuses a cross-site POST by Origin and by Sec-Fetch-Site", () => {
    expect(
      checkSameOrigin({ ...base, method: "POST", origin: "https://evil.example", secFetchSite: undefined }),
    ).toMatch(/跨站/);
    expect(checkSameOrigin({ ...base, method: "POST", origin: undefined, secFetchSite: "cross-site" })).toMatch(/跨站/);
  });
  it("refuses Origin: null (sandboxed frames, data: URLs) with a Chinese message", () => {
    expect(checkSameOrigin({ ...base, method: "POST", origin: "null", secFetchSite: undefined })).toMatch(/来源不明/);
  });
  it("accepts our public URL behind a proxy that passes the host on (Host or X-Forwarded-Host)", () => {
    expect(
      checkSameOrigin({
        method: "POST",
        origin: "https://portal.example.gov.cn",
        secFetchSite: "same-origin",
        host: "portal.example.gov.cn",
        publicUrl: "https://portal.example.gov.cn",
      }),
    ).toBeNull();
  });
  it("names the proxy setting when a proxy drops the host (instead of Remix's 500)", () => {
    expect(
      checkSameOrigin({
        method: "POST",
        origin: "https://portal.example.gov.cn",
        secFetchSite: "same-origin",
        host: "10.0.0.5:3000",
        publicUrl: "https://portal.example.gov.cn",
      }),
    ).toMatch(/X-Forwarded-Host/);
  });
});
