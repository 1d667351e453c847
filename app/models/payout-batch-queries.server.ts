/**
 * Payout batches read (R-PAY-1, R-PAY-2, R-PAY-3): the payouts page of a round (amounts, eligibility,
 * totals per provider), the list and the detail of batches, the disbursement list for the PDF and the
 * .xlsx, what still blocks each application's payment, and a provider's own payouts. Nothing here
 * changes anything; the commands are in payout-batch.server.ts.
 */
import { capitalYuan, formatFen, payoutFen } from "~/domain/money.ts";
import { payeeState } from "~/domain/payee.ts";
import {
  batchTotals,
  budgetWarning,
  noticeClearance,
  PAYOUT_BATCH_STATUSES,
  type PayoutBlocker,
  payoutBlockersOf,
} from "~/domain/payout.ts";
import { countdown, formatShanghai, shanghaiDate } from "~/domain/shanghai-time.ts";
import { NO_OBJECTIONS, objectionCounts } from "~/models/objection.server.ts";
import {
  checkCandidate,
  linesOf,
  PASSED_APPLICATION_SELECT,
  PAYEE_SELECT,
  payeeChangesOf,
} from "~/models/payout-batch-lines.server.ts";
import type { DisbursementAmount, DisbursementListData } from "~/services/documents/disbursement-list.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

function amountOf(fen: number): DisbursementAmount {
  return { amountFen: fen, amountText: formatFen(fen), amountCapital: capitalYuan(fen) };
}

/** R-PAY-1: everything the payouts page shows for a round. */
export async function payoutOverview(roundId: string) {
  const prisma = await db();
  const round = await prisma.round.findUnique({ where: { id: roundId } });
  if (!round) return null;
  const applications = await prisma.application.findMany({
    where: { roundId, resultPassed: true },
    select: PASSED_APPLICATION_SELECT,
    orderBy: { number: "asc" },
  });
  const objections = await objectionCounts(
    prisma,
    applications.map((a) => a.id),
  );
  const rows = applications.map((a) => {
    const amountFen = payoutFen(a.contractAmountFen, round.perEnterpriseCapFen);
    const eligibility = checkCandidate(a, objections.get(a.id) ?? NO_OBJECTIONS);
    return {
      id: a.id,
      number: a.number,
      status: a.status,
      providerName: a.organisation.name,
      enterpriseName: a.enterprise.name,
      contractFen: a.contractAmountFen,
      amountFen,
      confirmed: a.resultConfirmedAt !== null,
      batch: a.payoutBatch,
      eligible: eligibility.ok,
      ineligibleReason: eligibility.ok ? null : eligibility.message,
    };
  });
  const byProvider = new Map<string, { providerName: string; count: number; totalFen: number; paidFen: number }>();
  for (const row of rows) {
    const entry = byProvider.get(row.providerName) ?? {
      providerName: row.providerName,
      count: 0,
      totalFen: 0,
      paidFen: 0,
    };
    entry.count += 1;
    entry.totalFen += row.amountFen;
    if (row.status === "paid") entry.paidFen += row.amountFen;
    byProvider.set(row.providerName, entry);
  }
  const collator = new Intl.Collator("zh-Hans-CN");
  const totalFen = rows.reduce((sum, row) => sum + row.amountFen, 0);
  const paidFen = rows.filter((r) => r.status === "paid").reduce((sum, row) => sum + row.amountFen, 0);
  const at = now();
  return {
    round: {
      id: round.id,
      name: round.name,
      code: round.code,
      budgetFen: round.budgetFen,
      perEnterpriseCapFen: round.perEnterpriseCapFen,
      disbursementDeadline: round.disbursementDeadline ? formatShanghai(round.disbursementDeadline) : null,
      disbursementCountdown: round.disbursementDeadline ? countdown(at, round.disbursementDeadline).text : null,
    },
    rows,
    providers: [...byProvider.values()].sort((a, b) => collator.compare(a.providerName, b.providerName)),
    totalFen,
    paidFen,
    overBudget: budgetWarning(totalFen, round.budgetFen),
  };
}

export async function listBatches(roundId: string) {
  const prisma = await db();
  const batches = await prisma.payoutBatch.findMany({
    where: { roundId },
    orderBy: { preparedAt: "desc" },
    include: { _count: { select: { lines: true } }, correctsBatch: { select: { number: true } } },
  });
  const names = await userNames(batches.flatMap((b) => [b.preparedById, b.approvedById]));
  return batches.map((b) => ({
    id: b.id,
    number: b.number,
    status: b.status,
    statusLabel: PAYOUT_BATCH_STATUSES[b.status],
    lineCount: b._count.lines,
    totalFen: b.totalFen,
    preparedBy: names.get(b.preparedById) ?? "",
    preparedAt: formatShanghai(b.preparedAt),
    approvedBy: b.approvedById ? (names.get(b.approvedById) ?? "") : null,
    paidOn: b.paidOn,
    corrects: b.correctsBatch?.number ?? null,
  }));
}

async function userNames(ids: (string | null)[]) {
  const prisma = await db();
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const users = await prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

/** One batch with its lines, the people of the maker-checker chain and what may be done next. */
export async function getBatch(batchId: string) {
  const prisma = await db();
  const batch = await prisma.payoutBatch.findUnique({
    where: { id: batchId },
    include: {
      round: { select: { id: true, name: true, code: true } },
      lines: {
        orderBy: { applicationNo: "asc" },
        include: {
          application: {
            select: {
              enterpriseUscc: true,
              status: true,
              organisation: {
                select: {
                  uscc: true,
                  ...PAYEE_SELECT,
                },
              },
            },
          },
        },
      },
      correctsBatch: { select: { id: true, number: true } },
      corrections: { select: { id: true, number: true, status: true } },
    },
  });
  if (!batch) return null;
  const names = await userNames([batch.preparedById, batch.approvedById, batch.returnedById, batch.paidRecordedById]);
  const liveCorrection = batch.corrections.find((c) => c.status !== "returned") ?? null;
  return {
    ...batch,
    statusLabel: PAYOUT_BATCH_STATUSES[batch.status],
    preparedBy: names.get(batch.preparedById) ?? "",
    approvedBy: batch.approvedById ? (names.get(batch.approvedById) ?? "") : null,
    returnedBy: batch.returnedById ? (names.get(batch.returnedById) ?? "") : null,
    paidRecordedBy: batch.paidRecordedById ? (names.get(batch.paidRecordedById) ?? "") : null,
    /** An approved batch that a later correction replaces is never paid itself. */
    supersededBy:
      batch.status === "approved" && batch.corrections.length > 0
        ? (batch.corrections[batch.corrections.length - 1] ?? null)
        : null,
    liveCorrection,
    payeeChanges: payeeChangesOf(batch.lines),
  };
}
export type BatchDetail = NonNullable<Awaited<ReturnType<typeof getBatch>>>;

/** R-PAY-2 / R-PAY-3: the disbursement list of a batch (for the PDF and the .xlsx). */
export function disbursementData(batch: BatchDetail): DisbursementListData {
  const byApplication = new Map(batch.lines.map((l) => [l.applicationId, l]));
  const totals = batchTotals(linesOf(batch));
  return {
    batchNumber: batch.number,
    roundName: batch.round.name,
    preparedBy: batch.preparedBy,
    preparedOn: shanghaiDate(batch.preparedAt),
    approvedBy: batch.approvedBy ?? undefined,
    approvedOn: batch.approvedAt ? shanghaiDate(batch.approvedAt) : undefined,
    digest: batch.digest ?? undefined,
    correctsBatchNumber: batch.correctsBatch?.number,
    draft: batch.status === "prepared" || batch.status === "returned",
    groups: totals.providers.map((group) => ({
      providerName: group.providerName,
      providerCreditCode: byApplication.get(group.lines[0]?.applicationId ?? "")?.application.organisation.uscc ?? "",
      payee: group.lines[0]?.payee ?? null,
      lines: group.lines.map((line) => ({
        enterpriseName: line.enterpriseName,
        enterpriseCreditCode: byApplication.get(line.applicationId)?.application.enterpriseUscc ?? "",
        applicationNumber: line.applicationNo,
        amount: amountOf(line.amountFen),
      })),
      subtotal: amountOf(group.totalFen),
    })),
    total: amountOf(totals.totalFen),
  };
}

/**
 * R-PAY-3: for each application on its way to payment in a round (accepted or later, not failed or
 * refused, or passed, not yet paid), what still blocks its payment, in number order; the first `limit`
 * when given. For the dashboard and the payouts page.
 */
export async function payoutBlockers(roundId: string, options: { limit?: number } = {}) {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: {
      roundId,
      status: { not: "paid" },
      OR: [{ resultPassed: true }, { resultPassed: null, status: { in: ["accepted", "under_review", "reviewed"] } }],
    },
    ...(options.limit ? { take: options.limit } : {}),
    select: {
      id: true,
      number: true,
      status: true,
      resultPassed: true,
      resultConfirmedAt: true,
      round: { select: { noticeOpensAt: true, noticeClosesAt: true } },
      organisation: { select: { name: true, payeeAccountNumber: true, payeeVerifiedAt: true } },
      enterprise: { select: { name: true } },
      payoutBatch: { select: { number: true, status: true } },
      assignments: { where: { withdrawnAt: null }, select: { review: { select: { status: true } } } },
    },
    orderBy: { number: "asc" },
  });
  const objections = await objectionCounts(
    prisma,
    applications.map((a) => a.id),
  );
  const at = now();
  return applications.map((a) => {
    const reviewsMissing = a.assignments.filter((x) => x.review?.status !== "submitted").length;
    const approved = a.payoutBatch?.status === "approved";
    const blockers: PayoutBlocker[] = payoutBlockersOf({
      reviewsMissing: a.resultPassed === null && a.assignments.length === 0 ? 1 : reviewsMissing,
      resultConfirmed: a.resultConfirmedAt !== null,
      batchStatus: a.payoutBatch?.status ?? null,
      // Once approved, the notice was over; what remains is payment itself.
      notice: approved
        ? "cleared"
        : noticeClearance(
            { opensAt: a.round.noticeOpensAt, closesAt: a.round.noticeClosesAt },
            a.resultConfirmedAt,
            at,
          ),
      objections: objections.get(a.id) ?? NO_OBJECTIONS,
      payee: payeeState(a.organisation),
    });
    return {
      applicationId: a.id,
      number: a.number,
      providerName: a.organisation.name,
      enterpriseName: a.enterprise.name,
      batchNumber: a.payoutBatch?.number ?? null,
      reviewsMissing,
      blockers,
    };
  });
}

/** A provider's own passed applications, their amounts and payment status. */
export async function providerPayouts(organisationId: string) {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: { organisationId, resultPassed: true, resultConfirmedAt: { not: null } },
    select: {
      id: true,
      number: true,
      status: true,
      contractAmountFen: true,
      enterprise: { select: { name: true } },
      round: { select: { name: true, perEnterpriseCapFen: true } },
      payoutBatch: { select: { number: true, status: true, approvedAt: true, paidOn: true } },
    },
    orderBy: [{ roundId: "desc" }, { number: "asc" }],
  });
  return applications.map((a) => {
    const amountFen = payoutFen(a.contractAmountFen, a.round.perEnterpriseCapFen);
    const batch = a.payoutBatch;
    const stage =
      batch?.status === "paid"
        ? `已拨付（${batch.paidOn ?? ""}）`
        : batch?.status === "approved"
          ? "已审批，待拨付"
          : batch?.status === "prepared"
            ? "拨付审批中"
            : "待编入拨付批次";
    return {
      id: a.id,
      number: a.number,
      roundName: a.round.name,
      enterpriseName: a.enterprise.name,
      contractFen: a.contractAmountFen,
      amountFen,
      amountText: formatFen(amountFen),
      amountCapital: capitalYuan(amountFen),
      stage,
      paid: batch?.status === "paid",
    };
  });
}
