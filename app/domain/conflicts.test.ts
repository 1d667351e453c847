import { describe, expect, it } from "vitest";

import { conflictedPartyIds, conflictHits, normalisePartyName } from "./conflicts.ts";

describe("R-REV-5 conflicts by name", () => {
  it("R-REV-5 treats full-width brackets, spaces and letter case as the same name", () => {
    expect(normalisePartyName(" 淄博某某（集团）有限公司 ")).toBe(normalisePartyName("淄博某某(集团)有限公司"));
    expect(normalisePartyName("ＡＢＣ 科技")).toBe(normalisePartyName("abc科技"));
    expect(normalisePartyName("甲公司")).not.toBe(normalisePartyName("乙公司"));
  });

  it("R-REV-5 resolves named conflicts to the ids of one round's providers and enterprises, by kind", () => {
    const ids = conflictedPartyIds(
      [
        { kind: "provider", partyName: "山东甲科技有限公司" },
        { kind: "enterprise", partyName: "淄博乙（机械）有限公司" },
        { kind: "enterprise", partyName: "山东甲科技有限公司" },
      ],
      {
        providers: [
          { id: "org-1", name: "山东甲科技有限公司" },
          { id: "org-2", name: "淄博乙(机械)有限公司" },
        ],
        enterprises: [
          { id: "ent-1", name: "淄博乙(机械)有限公司" },
          { id: "ent-2", name: "淄博丙有限公司" },
        ],
      },
    );
    // The enterprise conflict does not make org-2 (a provider of the same name) conflicted, and vice versa.
    expect(ids.sort()).toEqual(["ent-1", "org-1"]);
  });

  it("R-REV-5 tells whether a conflict hits an application", () => {
    const app = { providerName: "山东甲科技有限公司", enterpriseName: "淄博乙有限公司" };
    expect(conflictHits({ kind: "provider", partyName: "山东甲科技有限公司 " }, app)).toBe(true);
    expect(conflictHits({ kind: "enterprise", partyName: "淄博乙有限公司" }, app)).toBe(true);
    expect(conflictHits({ kind: "enterprise", partyName: "山东甲科技有限公司" }, app)).toBe(false);
  });
});
