import { describe, expect, it } from "vitest";

import { clearanceReasonError, copyFlagBlocks, copyFlagMessage } from "./copy-gate.ts";

describe("copyFlagBlocks (R-REV-3)", () => {
  it("R-REV-3 an unflagged application is not blocked", () => {
    expect(copyFlagBlocks({ flagged: false, vetoed: false, clearance: null })).toBe(false);
  });

  it("R-REV-3 a flagged application without veto or clearance is blocked", () => {
    expect(copyFlagBlocks({ flagged: true, vetoed: false, clearance: null })).toBe(true);
    expect(copyFlagBlocks({ flagged: true, vetoed: false, clearance: "  " })).toBe(true);
  });

  it("R-REV-3 an expert's veto or a recorded clearance lets it through", () => {
    expect(copyFlagBlocks({ flagged: true, vetoed: true, clearance: null })).toBe(false);
    expect(copyFlagBlocks({ flagged: true, vetoed: false, clearance: "两份报告共用的是同一国家标准原文" })).toBe(false);
  });

  it("names the blocked applications and asks for a real reason", () => {
    expect(copyFlagMessage(["YS-0001", "YS-0002"])).toContain("YS-0001、YS-0002");
    expect(clearanceReasonError("不是")).toContain("至少 10 个字");
    expect(clearanceReasonError("两份报告共用的是同一国家标准原文")).toBeNull();
  });
});
