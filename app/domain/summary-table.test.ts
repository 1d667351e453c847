import { describe, expect, it } from "vitest";

import { addedSince, checkCode, idsFromJson, staleMessage, summaryKey } from "./summary-table.ts";

describe("M7 summary table (R-MAT-2)", () => {
  it("the key is the sorted ids, so the order of filing does not change the digest", () => {
    expect(summaryKey(["b", "a", "c"])).toBe("a\nb\nc");
    expect(summaryKey(["c", "a", "b"])).toBe(summaryKey(["a", "b", "c"]));
  });

  it("R-MAT-2 an application filed after generation makes the table stale", () => {
    expect(addedSince(["a", "b"], ["a", "b"])).toEqual([]);
    expect(addedSince(["a", "b"], ["a", "b", "c"])).toEqual(["c"]);
    expect(staleMessage(["YS-0003"], "2022-12-01 10:00")).toContain("YS-0003");
  });

  it("prints a check code of the digest", () => {
    expect(checkCode("0123456789abcdef0123")).toBe("0123-4567-89AB-CDEF");
  });

  it("reads stored ids defensively", () => {
    expect(idsFromJson(["a", 1, "b"])).toEqual(["a", "b"]);
    expect(idsFromJson(null)).toEqual([]);
  });
});
