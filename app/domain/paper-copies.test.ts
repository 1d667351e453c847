import { describe, expect, it } from "vitest";

import { paperCopiesAcceptError, paperCopiesLate } from "./paper-copies.ts";

describe("paper copies (R-MAT-3)", () => {
  it("R-MAT-3 a round that requires them refuses 受理 until they are recorded", () => {
    expect(paperCopiesAcceptError({ required: true, receivedOn: null })).toContain("纸质材料");
    expect(paperCopiesAcceptError({ required: true, receivedOn: "2022-12-19" })).toBeNull();
    expect(paperCopiesAcceptError({ required: false, receivedOn: null })).toBeNull();
  });

  it("R-MAT-3 a receipt after the deadline day is flagged; on the day is not", () => {
    expect(paperCopiesLate("2022-12-20", "2022-12-20")).toBe(false);
    expect(paperCopiesLate("2022-12-21", "2022-12-20")).toBe(true);
    expect(paperCopiesLate(null, "2022-12-20")).toBe(false);
  });
});
