import { describe, expect, it } from "vitest";

import { hostileCharacterProblem } from "~/domain/text.ts";

import { BROKEN_FORM_MESSAGE, readFormData } from "./form-data.server.ts";

async function refusal(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return { status: error.status, text: await error.text() };
    throw error;
  }
  throw new Error("not refused");
}

describe("reading a page's form", () => {
  it("reads a well-formed form", async () => {
    const request = new Request("http://x/", { method: "POST", body: new URLSearchParams({ name: "淄博" }) });
    expect((await readFormData(request)).get("name")).toBe("淄博");
  });

  it("answers a broken multipart body with a Chinese 400, not a 500", async () => {
    const request = new Request("http://x/", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=----abc" },
      body: '------abc\r\nContent-Disposition: form-data; name="name"\r\n\r\n值 (cut off',
    });
    expect(await refusal(readFormData(request))).toEqual({ status: 400, text: BROKEN_FORM_MESSAGE });
  });

  it("never passes a NUL character on (PostgreSQL cannot store it): it becomes U+FFFD, which the fields refuse with a Chinese message", async () => {
    const request = new Request("http://x/", { method: "POST", body: new URLSearchParams({ name: "淄博\u0000公司" }) });
    const name = String((await readFormData(request)).get("name"));
    expect(name).toBe("淄博\uFFFD公司");
    expect(hostileCharacterProblem(name)).toMatch(/控制字符/);
  });
});
