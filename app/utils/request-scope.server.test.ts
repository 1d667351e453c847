import { describe, expect, it } from "vitest";

import { inRequestScope, oncePerRequest } from "./request-scope.server.ts";

function counter() {
  let made = 0;
  return { make: () => ++made, made: () => made };
}

describe("what a request remembers", () => {
  it("a reading request (GET, HEAD) looks a thing up once, however many loaders ask", async () => {
    for (const method of ["GET", "HEAD"]) {
      const c = counter();
      const seen = await inRequestScope(method, async () => {
        const first = oncePerRequest("k", c.make);
        await Promise.resolve();
        return [first, oncePerRequest("k", c.make), oncePerRequest("other", c.make)];
      });
      expect(seen).toEqual([1, 1, 2]);
    }
  });

  it("each request has its own scope", () => {
    const c = counter();
    expect(inRequestScope("GET", () => oncePerRequest("k", c.make))).toBe(1);
    expect(inRequestScope("GET", () => oncePerRequest("k", c.make))).toBe(2);
  });

  it("a request with an action, and code outside any request, look again each time", () => {
    const c = counter();
    expect(inRequestScope("POST", () => [oncePerRequest("k", c.make), oncePerRequest("k", c.make)])).toEqual([1, 2]);
    expect([oncePerRequest("k", c.make), oncePerRequest("k", c.make)]).toEqual([3, 4]);
  });
});
