/**
 * Payout test data (R-PAY-3): a round whose public notice is over, applications whose review result is
 * in (by default passed and confirmed before the notice opened: ready for a payout batch), the officers
 * of the maker-checker chain, and batches brought to a state through the payout commands themselves
 * (so every rule on the way is exercised, never bypassed). Each call makes its own rows: a test that
 * makes its own round with createPayoutRound depends on no other test.
 */
import { shanghaiDate } from "../../app/domain/shanghai-time.ts";
import type { Officer } from "../../app/models/officer.server.ts";
import { approveBatch, markBatchPaid, prepareBatch } from "../../app/models/payout-batch.server.ts";
import type { ObjectStore } from "../../app/services/storage.server.ts";
import type { Db } from "../../app/utils/db.server.ts";
import { createApplication, createRound, createUser } from "./scenario.ts";

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

/** A member of the bureau with the given roles, as the payout commands take it. */
export async function createOfficer(
  prisma: Db,
  roles: ("staff" | "approver" | "admin")[],
  name: string,
  createdById?: string,
): Promise<Officer> {
  const { user } = await createUser(prisma, roles, { name, createdById });
  return { id: user.id, name: user.name, roles: user.roles };
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
    data: {
      status: confirmedAt ? (passed ? "passed" : "failed") : "reviewed",
      resultPassed: passed,
      finalScoreHundredths: passed ? 7500 : 4000,
      resultConfirmedAt: confirmedAt,
    },
  });
}

/** A batch of exactly these applications, prepared by `preparer` (prepareBatch): the stored row. */
export async function preparedBatch(prisma: Db, preparer: Officer, roundId: string, applicationIds: string[]) {
  const outcome = await prepareBatch(preparer, { roundId, selection: { all: false, applicationIds } });
  if (!outcome.ok) throw new Error(outcome.message);
  return prisma.payoutBatch.findUniqueOrThrow({ where: { id: outcome.batchId } });
}

/** A batch prepared by `officers.preparer` and approved by `officers.approver` (approveBatch). */
export async function approvedBatch(
  prisma: Db,
  officers: { preparer: Officer; approver: Officer },
  roundId: string,
  applicationIds: string[],
) {
  const prepared = await preparedBatch(prisma, officers.preparer, roundId, applicationIds);
  const outcome = await approveBatch(officers.approver, { batchId: prepared.id, version: prepared.version });
  if (!outcome.ok) throw new Error(outcome.message);
  return prisma.payoutBatch.findUniqueOrThrow({ where: { id: prepared.id } });
}

/** An approved batch then marked paid today (Beijing) by the preparer (markBatchPaid). */
export async function paidBatch(
  prisma: Db,
  officers: { preparer: Officer; approver: Officer },
  roundId: string,
  applicationIds: string[],
  voucherRef = "张财拨〔2022〕1号",
) {
  const approved = await approvedBatch(prisma, officers, roundId, applicationIds);
  const outcome = await markBatchPaid(officers.preparer, {
    batchId: approved.id,
    version: approved.version,
    paidOn: shanghaiDate(new Date()),
    voucherRef,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return prisma.payoutBatch.findUniqueOrThrow({ where: { id: approved.id } });
}
