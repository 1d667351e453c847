/**
 * Which of the rounds a page is about when it names none: the open round whose deadline comes first
 * (R-DATE-1: a round takes filings until its deadline), else the not-archived round whose deadline is
 * the latest. And the order of the round pickers: newest first.
 */
export type RoundSummary = {
  status: "draft" | "open" | "closed" | "archived";
  deadline: Date;
  year: number;
  createdAt: Date;
};

export function pickCurrentRound<R extends RoundSummary>(rounds: readonly R[], at: Date): R | null {
  let open: R | null = null;
  let latest: R | null = null;
  for (const round of rounds) {
    if (round.status === "archived") continue;
    if (round.status === "open" && round.deadline > at && (!open || round.deadline < open.deadline)) open = round;
    if (!latest || round.deadline > latest.deadline) latest = round;
  }
  return open ?? latest;
}

/** The round pickers' order: the latest year first, then the round made last. */
export function newestFirst<R extends RoundSummary>(rounds: readonly R[]): R[] {
  return [...rounds]
    .filter((round) => round.status !== "archived")
    .sort((a, b) => b.year - a.year || b.createdAt.getTime() - a.createdAt.getTime());
}
