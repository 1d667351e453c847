import { describe, expect, it } from "vitest";

import { safeRedirectTo } from "./session.server.ts";

describe("safeRedirectTo (sign-in redirect target)", () => {
  it("keeps a path of this portal with its query", () => {
    expect(safeRedirectTo("/staff/applications?status=submitted", "/")).toBe("/staff/applications?status=submitted");
    expect(safeRedirectTo("/provider/applications/abc#materials", "/")).toBe("/provider/applications/abc#materials");
  });

  it("refuses a tab or newline a browser would drop or that would break the Location header", () => {
    expect(safeRedirectTo("/\t/evil.example/", "/home")).toBe("/home");
    expect(safeRedirectTo(decodeURIComponent("%2F%09%2Fevil.example%2F"), "/home")).toBe("/home");
    expect(safeRedirectTo("/staff\r\nSet-Cookie: x=1", "/home")).toBe("/home");
    expect(safeRedirectTo("/ /evil.example", "/home")).toBe("/home");
    expect(safeRedirectTo("/\u0000x", "/home")).toBe("/home");
  });

  it("refuses other origins in every spelling", () => {
    for (const value of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/\u2028/evil.example",
      "",
    ]) {
      expect(safeRedirectTo(value, "/home")).toBe("/home");
    }
    expect(safeRedirectTo(null, "/home")).toBe("/home");
  });

  it("normalises dot segments but stays on this portal", () => {
    expect(safeRedirectTo("/../../evil.example", "/home")).toBe("/evil.example");
  });
});
