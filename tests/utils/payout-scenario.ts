/**
 * Payout test data (R-PAY-3): the officers of the maker-checker chain, and batches brought to a state
 * through the payout commands themselves (so every rule on the way is exercised, never bypassed). The
 * rounds and applications they start from are in tests/utils/application-results.ts. Each call makes
 * its own rows: a test that makes its own round depends on no other test.
 */
import { shanghaiDate } from "../../app/domain/shanghai-time.ts";
import type { Officer } from "../../app/models/officer.server.ts";
import { approveBatch, markBatchPaid, prepareBatch } from "../../app/models/payout-batch.server.ts";
import type { Db } from "../../app/utils/db.server.ts";
import { createUser } from "./scenario.ts";

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
