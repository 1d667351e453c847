/**
 * Applications whose review result is in, in a round whose public notice is over (R-PAY-3): the set-up
 * every payout test starts from, integration and browser tests alike. It only writes rows (no model is
 * imported), so the browser tests' process can use it too; tests/utils/payout-scenario.ts brings batches
 * to a state through the payout commands themselves.
 */
import type { ObjectStore } from "../../app/services/storage.server.ts";
import type { Db } from "../../app/utils/db.server.ts";
import { createApplication, createRound } from "./scenario.ts";

const DAY = 86_400_000;

/** When results are confirmed by default: ten days ago, before the notice of closedNotice() opened. */
export function confirmedBeforeNotice(): Date {
  return new Date(Date.now() - 10 * DAY);
}

/** R-PAY-3 审核通过后公示: a notice that opened after the results were confirmed and is over. */
export function closedNotice() {
  return {
    noticeOpensAt: new Date(Date.now() - 9 * DAY),
    noticeClosesAt: new Date(Date.now() - 2 * DAY),
    noticeObjectionText: "异议请致电 0533-0000000",
  };
}

/** A round (see createRound) whose public notice is over, so its passed applications may be paid. */
export async function createPayoutRound(prisma: Db, options: Parameters<typeof createRound>[1] = {}) {
  const round = await createRound(prisma, options);
  const notice = closedNotice();
  await prisma.round.update({ where: { id: round.id }, data: notice });
  return { ...round, ...notice };
}

/**
 * An application of `provider` for the round's next enterprise without one, whose review result is in:
 * passed (`passed: false`: failed), confirmed at `confirmedAt` (by default before the notice opened;
 * `null`: not confirmed yet, status 已评审). Passed, confirmed, and of a provider with a verified payee
 * account (createProvider's default), it is ready for a payout batch. Make them one at a time.
 */
export async function createApplicationWithResult(
  prisma: Db,
  options: {
    store: ObjectStore;
    round: { id: string };
    provider: { organisation: { id: string }; user: { id: string } };
    contractFen?: number;
    passed?: boolean;
    /** The final score in hundredths (default 75.00 passed, 40.00 failed). */
    scoreHundredths?: number;
    confirmedAt?: Date | null;
  },
) {
  const enterprise = await prisma.roundEnterprise.findFirst({
    where: { roundId: options.round.id, applications: { none: {} } },
    orderBy: { seq: "asc" },
  });
  if (!enterprise) throw new Error("no enterprise left in the round");
  const created = await createApplication(prisma, {
    roundId: options.round.id,
    enterpriseId: enterprise.id,
    organisationId: options.provider.organisation.id,
    createdById: options.provider.user.id,
    store: options.store,
    status: "accepted",
    contractAmountFen: options.contractFen ?? 1_000_000,
  });
  const passed = options.passed ?? true;
  const confirmedAt = options.confirmedAt === undefined ? confirmedBeforeNotice() : options.confirmedAt;
  return prisma.application.update({
    where: { id: created.id },
    include: { enterprise: { select: { name: true } } },
    data: {
      status: confirmedAt ? (passed ? "passed" : "failed") : "reviewed",
      resultPassed: passed,
      finalScoreHundredths: options.scoreHundredths ?? (passed ? 7500 : 4000),
      resultConfirmedAt: confirmedAt,
    },
  });
}
