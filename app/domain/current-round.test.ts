import { describe, expect, it } from "vitest";

import { newestFirst, pickCurrentRound, type RoundSummary } from "./current-round.ts";

const at = new Date("2026-11-30T08:00:00Z");
const round = (name: string, status: RoundSummary["status"], deadline: string, year = 2026, createdAt = deadline) => ({
  name,
  status,
  deadline: new Date(deadline),
  year,
  createdAt: new Date(createdAt),
});

describe("the current round (R-DATE-1)", () => {
  it("is the open round whose deadline comes first, of those still taking filings", () => {
    const rounds = [
      round("later", "open", "2026-12-31T15:59:59Z"),
      round("sooner", "open", "2026-12-10T15:59:59Z"),
      round("past", "open", "2026-11-30T07:59:59Z"),
      round("draft", "draft", "2026-12-01T00:00:00Z"),
    ];
    expect(pickCurrentRound(rounds, at)?.name).toBe("sooner");
  });

  it("passes over a round whose deadline is this very instant: it takes no more filings", () => {
    const rounds = [round("now", "open", at.toISOString()), round("later", "open", "2026-12-31T15:59:59Z")];
    expect(pickCurrentRound(rounds, at)?.name).toBe("later");
  });

  it("without an open round, is the round not archived whose deadline is the latest; none when all are archived", () => {
    const rounds = [
      round("2025", "closed", "2025-10-01T00:00:00Z"),
      round("2026", "closed", "2026-10-01T00:00:00Z"),
      round("old but archived", "archived", "2027-01-01T00:00:00Z"),
    ];
    expect(pickCurrentRound(rounds, at)?.name).toBe("2026");
    expect(pickCurrentRound([round("a", "archived", "2026-01-01T00:00:00Z")], at)).toBeNull();
    expect(pickCurrentRound([], at)).toBeNull();
  });
});

describe("the round pickers' order", () => {
  it("puts the latest year first, then the round made last, and leaves archived rounds out", () => {
    const rounds = [
      round("2025", "closed", "2025-10-01T00:00:00Z", 2025, "2025-01-01T00:00:00Z"),
      round("2026 first", "closed", "2026-06-01T00:00:00Z", 2026, "2026-01-01T00:00:00Z"),
      round("2026 second", "open", "2026-12-01T00:00:00Z", 2026, "2026-03-01T00:00:00Z"),
      round("archived", "archived", "2027-01-01T00:00:00Z", 2027, "2027-01-01T00:00:00Z"),
    ];
    expect(newestFirst(rounds).map((r) => r.name)).toEqual(["2026 second", "2026 first", "2025"]);
  });
});
