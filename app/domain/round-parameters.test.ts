import { describe, expect, it } from "vitest";

import { lockedParameterChanges } from "./round-parameters.ts";

const plan = { passMark: 60, perEnterpriseCapFen: 1_000_000 };

describe("lockedParameterChanges", () => {
  it("R-REV-4 R-PAY-1 before any submission the parameters may change", () => {
    expect(lockedParameterChanges(plan, { passMark: 70, perEnterpriseCapFen: 500_000 }, false)).toEqual([]);
  });

  it("R-REV-4 R-PAY-1 once locked, a change of either is refused with a message per field", () => {
    const changes = lockedParameterChanges(plan, { passMark: 70, perEnterpriseCapFen: 500_000 }, true);
    expect(changes.map((c) => c.parameter)).toEqual(["passMark", "perEnterpriseCapFen"]);
    expect(changes[0]?.message).toContain("合格分数线不能修改");
  });

  it("R-REV-4 saving the same values while locked is fine", () => {
    expect(lockedParameterChanges(plan, { ...plan }, true)).toEqual([]);
  });
});
