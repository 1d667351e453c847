/**
 * Payouts (R-PAY-1, R-PAY-2, R-PAY-3, R-LOG-1): the amount of every passed application, payout batches
 * prepared by one officer and approved by another (maker-checker), the disbursement documents, payment,
 * the public notice (公示) and what still blocks payment.
 *
 * Every change is one transaction with its audit entries and its mail. A batch changes state with
 * `updateMany where { id, version, status }`: of two officers approving at once, exactly one succeeds and
 * the other gets a message (never two effects, never two e-mails).
 */
import crypto from "node:crypto";

import { transition } from "~/domain/application-status.ts";
import { capitalYuan, formatFen, payoutFen } from "~/domain/money.ts";
import { type PayeeAccount, payeeState, samePayee } from "~/domain/payee.ts";
import {
  type BatchLine,
  batchTotals,
  budgetWarning,
  canonicalBatchContent,
  checkMakerChecker,
  checkNoticeCleared,
  checkPaidOn,
  eligibleForBatch,
  noticeClearance,
  paymentHold,
  PAYOUT_BATCH_STATUSES,
  type PayoutBlocker,
  payoutBlockersOf,
} from "~/domain/payout.ts";
import { countdown, formatShanghai, shanghaiDate } from "~/domain/shanghai-time.ts";
import type { Role } from "~/generated/prisma/enums.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { NO_OBJECTIONS, objectionCounts } from "~/models/objection.server.ts";
import type { DisbursementAmount, DisbursementListData } from "~/services/documents/disbursement-list.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";

export type Officer = { id: string; name: string; roles: readonly Role[] | readonly string[] };

export type Outcome<T = object> =
  | ({ ok: true } & T)
  | { ok: false; message: string; problems?: { applicationNo: string; message: string }[]; field?: "paidOn" };

const actorOf = (officer: Officer) => ({ id: officer.id, name: officer.name });

export function amountOf(fen: number): DisbursementAmount {
  return { amountFen: fen, amountText: formatFen(fen), amountCapital: capitalYuan(fen) };
}

function digestOf(content: string): string {
  return crypto.createHash("sha256").update(content, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------------------
// Reading

type Candidate = {
  status: Parameters<typeof eligibleForBatch>[0]["status"];
  resultPassed: boolean | null;
  resultConfirmedAt: Date | null;
  payoutBatchId: string | null;
  organisation: { payeeAccountNumber: string | null; payeeVerifiedAt: Date | null };
};

/** R-PAY-3: whether an application may go into a batch: eligible, no objection holding it, a verified payee account. */
function checkCandidate(
  a: Candidate,
  objections: { open: number; upheld: number },
  batch: { fromBatchId?: string | null } = {},
) {
  const fromOriginal = batch.fromBatchId ?? null;
  const movedFromOriginal = a.payoutBatchId !== null && a.payoutBatchId === fromOriginal;
  const check = eligibleForBatch({
    status: movedFromOriginal ? "passed" : a.status,
    passed: a.resultPassed === true,
    resultConfirmed: a.resultConfirmedAt !== null,
    batchId: movedFromOriginal ? null : a.payoutBatchId,
  });
  if (!check.ok) return check;
  return paymentHold({ objections, payee: payeeState(a.organisation) });
}

function payeeOfOrganisation(org: {
  payeeAccountName: string | null;
  payeeBankName: string | null;
  payeeAccountNumber: string | null;
}): PayeeAccount | null {
  if (!org.payeeAccountName || !org.payeeBankName || !org.payeeAccountNumber) return null;
  return { accountName: org.payeeAccountName, bankName: org.payeeBankName, accountNumber: org.payeeAccountNumber };
}

const PASSED_APPLICATION_SELECT = {
  id: true,
  number: true,
  status: true,
  version: true,
  contractAmountFen: true,
  payoutAmountFen: true,
  resultPassed: true,
  resultConfirmedAt: true,
  finalScoreHundredths: true,
  payoutBatchId: true,
  organisationId: true,
  organisation: {
    select: {
      name: true,
      uscc: true,
      payeeAccountName: true,
      payeeBankName: true,
      payeeAccountNumber: true,
      payeeVerifiedAt: true,
    },
  },
  enterprise: { select: { name: true } },
  enterpriseUscc: true,
  payoutBatch: { select: { id: true, number: true, status: true } },
} as const;

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
                  payeeAccountName: true,
                  payeeBankName: true,
                  payeeAccountNumber: true,
                  payeeVerifiedAt: true,
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

type StoredLine = {
  applicationId: string;
  applicationNo: string;
  providerName: string;
  enterpriseName: string;
  amountFen: number;
  payeeAccountName: string | null;
  payeeBankName: string | null;
  payeeAccountNumber: string | null;
};

function linePayee(l: StoredLine): PayeeAccount | null {
  return payeeOfOrganisation(l);
}

function linesOf(batch: { lines: StoredLine[] }): BatchLine[] {
  return batch.lines.map((l) => ({
    applicationId: l.applicationId,
    applicationNo: l.applicationNo,
    providerName: l.providerName,
    enterpriseName: l.enterpriseName,
    amountFen: l.amountFen,
    payee: linePayee(l),
  }));
}

/**
 * R-PAY-3: the providers whose payee account today differs from the one fixed in the batch (at
 * preparation, covered by the digest at approval), or is awaiting verification: shown on the batch
 * page, refused at approval and payment.
 */
function payeeChangesOf(
  lines: (StoredLine & {
    application: {
      organisation: {
        payeeAccountName: string | null;
        payeeBankName: string | null;
        payeeAccountNumber: string | null;
        payeeVerifiedAt: Date | null;
      };
    };
  })[],
) {
  const changes = new Map<
    string,
    { providerName: string; inBatch: PayeeAccount | null; current: PayeeAccount | null; verified: boolean }
  >();
  for (const line of lines) {
    const org = line.application.organisation;
    const inBatch = linePayee(line);
    const current = payeeOfOrganisation(org);
    const verified = org.payeeVerifiedAt !== null;
    if (samePayee(inBatch, current) && verified) continue;
    changes.set(line.providerName, { providerName: line.providerName, inBatch, current, verified });
  }
  return [...changes.values()];
}

/** The digest of a batch's stored content; a batch approved before payout-batch/v2 (no payee in its lines) checks as v1. */
function storedDigestMatches(batch: {
  number: string;
  roundId: string;
  digest: string | null;
  lines: StoredLine[];
}): boolean {
  const lines = linesOf(batch);
  if (digestOf(canonicalBatchContent({ batchNo: batch.number, roundId: batch.roundId, lines })) === batch.digest)
    return true;
  const legacy = batch.lines.every((l) => l.payeeAccountNumber === null);
  return (
    legacy &&
    digestOf(
      canonicalBatchContent({ batchNo: batch.number, roundId: batch.roundId, lines, format: "payout-batch/v1" }),
    ) === batch.digest
  );
}

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

// ---------------------------------------------------------------------------------------------------------
// Preparing

type Selection = { all: true } | { all: false; applicationIds: string[] };

async function nextBatchNumber(tx: Tx, round: { id: string; code: string }): Promise<string> {
  const count = await tx.payoutBatch.count({ where: { roundId: round.id } });
  return `${round.code}-BF${String(count + 1).padStart(3, "0")}`;
}

/**
 * Takes the applications of a batch (those `release` accepts) out of it again: back to 合格, each on
 * the record with the reason (a returned batch, or an approved one replaced by a correction). Returns
 * how many.
 */
async function releaseFromBatch(
  tx: Tx,
  officer: Officer,
  batchId: string,
  reason: string,
  release: (applicationId: string) => boolean = () => true,
): Promise<number> {
  const applications = (
    await tx.application.findMany({ where: { payoutBatchId: batchId }, select: { id: true, status: true } })
  ).filter((a) => release(a.id));
  for (const a of applications) {
    const moved = transition(a.status, "remove_from_batch");
    if (!moved.ok) throw new Error(moved.message);
    await tx.application.update({
      where: { id: a.id },
      data: { status: moved.to, payoutBatchId: null, version: { increment: 1 } },
    });
    await recordAudit(tx, {
      actor: actorOf(officer),
      action: "application.remove_from_batch",
      entityType: "application",
      entityId: a.id,
      before: { status: a.status, payoutBatchId: batchId },
      after: { status: moved.to, payoutBatchId: null },
      reason,
    });
  }
  return applications.length;
}

/**
 * R-PAY-3: prepare a batch from confirmed, passed applications in no other live batch (all of them or a
 * selection). An ineligible application refuses the whole batch, with the reason per application.
 * `correctsBatchId`: the batch is a correction of an approved or paid batch; the applications of an
 * approved (unpaid) original may be taken into it, and the original is then never paid itself.
 */
export async function prepareBatch(
  officer: Officer,
  input: { roundId: string; selection: Selection; correctsBatchId?: string | null },
): Promise<Outcome<{ batchId: string; number: string }>> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以编制拨付批次" };
  const prisma = await db();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const round = await tx.round.findUnique({
          where: { id: input.roundId },
          select: { id: true, code: true, perEnterpriseCapFen: true },
        });
        if (!round) return { ok: false as const, message: "批次不存在" };
        const original = input.correctsBatchId
          ? await tx.payoutBatch.findUnique({
              where: { id: input.correctsBatchId },
              include: { corrections: { select: { id: true } } },
            })
          : null;
        if (input.correctsBatchId) {
          if (!original || original.roundId !== round.id)
            return { ok: false as const, message: "要更正的拨付批次不存在" };
          if (original.status !== "approved" && original.status !== "paid") {
            return { ok: false as const, message: "只有已审批或已拨付的批次需要更正；待审批的批次请退回后重新编制" };
          }
          if (original.status === "approved" && original.corrections.length > 0) {
            return { ok: false as const, message: "该批次已有更正批次，请更正最新的批次" };
          }
        }
        const fromOriginal = original?.status === "approved" ? original.id : null;
        const where = input.selection.all
          ? {
              roundId: round.id,
              resultPassed: true,
              resultConfirmedAt: { not: null },
              status: "passed" as const,
              payoutBatchId: null,
            }
          : { roundId: round.id, id: { in: input.selection.applicationIds } };
        const found = await tx.application.findMany({
          where,
          select: PASSED_APPLICATION_SELECT,
          orderBy: { number: "asc" },
        });
        const objections = await objectionCounts(
          tx,
          found.map((a) => a.id),
        );
        // "All eligible" leaves out what an objection or the payee account holds (R-PAY-3); a selection is refused instead.
        const applications = input.selection.all
          ? found.filter(
              (a) => checkCandidate(a, objections.get(a.id) ?? NO_OBJECTIONS, { fromBatchId: fromOriginal }).ok,
            )
          : found;
        if (!input.selection.all) {
          const found = new Set(applications.map((a) => a.id));
          if (input.selection.applicationIds.some((id) => !found.has(id)))
            return { ok: false as const, message: "所选申报不存在或不属于本批次" };
        }
        if (applications.length === 0)
          return {
            ok: false as const,
            message: "没有可以编入拨付批次的申报（须评审合格、结果已确认且未编入其他批次）",
          };
        const problems: { applicationNo: string; message: string }[] = [];
        for (const a of applications) {
          const check = checkCandidate(a, objections.get(a.id) ?? NO_OBJECTIONS, { fromBatchId: fromOriginal });
          if (!check.ok) problems.push({ applicationNo: a.number, message: check.message });
        }
        if (problems.length > 0) {
          return {
            ok: false as const,
            message: `有 ${problems.length} 项申报不能编入拨付批次，未编制任何批次`,
            problems,
          };
        }
        const at = now();
        const number = await nextBatchNumber(tx, round);
        const lines = applications.map((a) => ({
          applicationId: a.id,
          applicationNo: a.number,
          providerName: a.organisation.name,
          enterpriseName: a.enterprise.name,
          contractFen: a.contractAmountFen,
          // R-PAY-1: the amount fixed when the result was confirmed (never the cap as it stands today).
          amountFen: a.payoutAmountFen ?? payoutFen(a.contractAmountFen, round.perEnterpriseCapFen),
          // R-PAY-3: the verified payee account at preparation, covered by the digest at approval.
          payeeAccountName: a.organisation.payeeAccountName,
          payeeBankName: a.organisation.payeeBankName,
          payeeAccountNumber: a.organisation.payeeAccountNumber,
        }));
        const totals = batchTotals(lines);
        const batch = await tx.payoutBatch.create({
          data: {
            roundId: round.id,
            number,
            preparedById: officer.id,
            preparedAt: at,
            totalFen: totals.totalFen,
            correctsBatchId: original?.id ?? null,
            lines: { create: lines },
          },
        });
        for (const a of applications) {
          const movedFromOriginal = a.payoutBatchId !== null && a.payoutBatchId === fromOriginal;
          if (!movedFromOriginal) {
            const moved = transition(a.status, "add_to_batch");
            if (!moved.ok) throw new Error(moved.message);
          }
          const updated = await tx.application.updateMany({
            where: { id: a.id, version: a.version, status: a.status, payoutBatchId: a.payoutBatchId },
            data: { status: "in_batch", payoutBatchId: batch.id, version: { increment: 1 } },
          });
          if (updated.count !== 1)
            throw new ConcurrentChange(`申报 ${a.number} 刚被其他人员修改或编入其他批次，请刷新后重试`);
          await recordAudit(tx, {
            actor: actorOf(officer),
            action: "application.add_to_batch",
            entityType: "application",
            entityId: a.id,
            before: { status: a.status, payoutBatchId: a.payoutBatchId },
            after: { status: "in_batch", payoutBatchId: batch.id, batchNumber: number },
          });
        }
        if (fromOriginal) {
          // The approved original is replaced: its applications not taken into the correction are released.
          const taken = new Set(applications.map((a) => a.id));
          await releaseFromBatch(
            tx,
            officer,
            fromOriginal,
            `拨付批次 ${original?.number ?? ""} 被更正批次 ${number} 取代`,
            (id) => !taken.has(id),
          );
        }
        await recordAudit(tx, {
          actor: actorOf(officer),
          action: original ? "payout_batch.prepare_correction" : "payout_batch.prepare",
          entityType: "payout_batch",
          entityId: batch.id,
          after: {
            number,
            status: "prepared",
            count: totals.count,
            totalFen: totals.totalFen,
            corrects: original?.number ?? null,
            lines: lines.map((l) => ({ applicationNo: l.applicationNo, amountFen: l.amountFen })),
          },
        });
        return { ok: true as const, batchId: batch.id, number };
      });
    } catch (error) {
      if (error instanceof ConcurrentChange) return { ok: false, message: error.message };
      // Two officers preparing at the same moment may pick the same number: try again.
      if (isUniqueViolation(error) && attempt < 2) continue;
      throw error;
    }
  }
  return { ok: false, message: "编制拨付批次失败，请重试" };
}

class ConcurrentChange extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Approving, returning, paying

async function conflictMessage(batchId: string, wanted: string): Promise<string> {
  const batch = await getBatch(batchId);
  if (!batch) return "拨付批次不存在";
  if (batch.status === "approved" || batch.status === "paid") {
    return `该拨付批次已由 ${batch.approvedBy ?? "其他人员"} 于 ${batch.approvedAt ? formatShanghai(batch.approvedAt) : ""} 审批，不能再${wanted}（当前状态：${batch.statusLabel}）`;
  }
  if (batch.status === "returned") {
    return `该拨付批次已由 ${batch.returnedBy ?? "其他人员"} 退回，不能再${wanted}`;
  }
  return `该拨付批次刚被其他人员修改，请刷新页面后再${wanted}`;
}

function mailRecipients(lines: { application: { organisation: { contactEmail: string; name: string } } }[]) {
  const byEmail = new Map<string, string>();
  for (const line of lines) byEmail.set(line.application.organisation.contactEmail, line.application.organisation.name);
  return byEmail;
}

async function linesForMail(tx: Tx, batchId: string) {
  return tx.payoutLine.findMany({
    where: { batchId },
    orderBy: { applicationNo: "asc" },
    include: { application: { select: { organisation: { select: { contactEmail: true, name: true } } } } },
  });
}

/** R-PAY-3: who created or invited the preparer's and the approver's accounts (for checkMakerChecker). */
async function creatorsOf(preparerId: string, approverId: string) {
  const prisma = await db();
  const users = await prisma.user.findMany({
    where: { id: { in: [preparerId, approverId] } },
    select: { id: true, createdById: true },
  });
  const creator = (id: string) => users.find((u) => u.id === id)?.createdById ?? null;
  return { preparerCreatedBy: creator(preparerId), approverCreatedBy: creator(approverId) };
}

/**
 * R-PAY-3: another officer with the approver role approves a prepared batch; its lines, amounts and
 * digest are then fixed. Each provider in the batch gets one e-mail.
 */
export async function approveBatch(
  officer: Officer,
  input: { batchId: string; version: number },
): Promise<Outcome<{ digest: string }>> {
  const prisma = await db();
  const current = await prisma.payoutBatch.findUnique({
    where: { id: input.batchId },
    include: { lines: true, round: { select: { name: true, noticeOpensAt: true, noticeClosesAt: true } } },
  });
  if (!current) return { ok: false, message: "拨付批次不存在" };
  const allowed = checkMakerChecker({
    preparedBy: current.preparedById,
    approver: officer.id,
    approverRoles: officer.roles,
    ...(await creatorsOf(current.preparedById, officer.id)),
  });
  if (!allowed.ok) return allowed;
  if (current.status !== "prepared" || current.version !== input.version)
    return { ok: false, message: await conflictMessage(input.batchId, "审批") };
  const problems = await approvalProblems(current);
  if (problems.length > 0)
    return { ok: false, message: `有 ${problems.length} 项申报暂不能审批拨付，请退回批次`, problems };
  const digest = digestOf(
    canonicalBatchContent({ batchNo: current.number, roundId: current.roundId, lines: linesOf(current) }),
  );
  const result = await prisma.$transaction(async (tx) => {
    const at = now();
    const updated = await tx.payoutBatch.updateMany({
      where: { id: current.id, version: input.version, status: "prepared" },
      data: { status: "approved", approvedById: officer.id, approvedAt: at, digest, version: { increment: 1 } },
    });
    if (updated.count !== 1) return false;
    await recordAudit(tx, {
      actor: actorOf(officer),
      action: "payout_batch.approve",
      entityType: "payout_batch",
      entityId: current.id,
      before: { status: "prepared", version: input.version },
      after: { status: "approved", digest, totalFen: current.totalFen, count: current.lines.length },
    });
    const lines = await linesForMail(tx, current.id);
    for (const [to, name] of mailRecipients(lines)) {
      const own = lines.filter((l) => l.application.organisation.contactEmail === to);
      const total = own.reduce((sum, l) => sum + l.amountFen, 0);
      await enqueueMail(tx, {
        to,
        subject: `【申报平台】补助资金拨付已审批（${current.number}）`,
        text: [
          `${name}：`,
          "",
          `${current.round.name}的补助资金拨付批次 ${current.number} 已审批，以下申报将予拨付：`,
          ...own.map(
            (l) =>
              `  ${l.applicationNo}　${l.enterpriseName}　${formatFen(l.amountFen)} 元（${capitalYuan(l.amountFen)}）`,
          ),
          `合计：${formatFen(total)} 元（${capitalYuan(total)}）`,
          "",
          "资金拨付后将另行通知。可登录平台“补助拨付”页面查看。",
        ].join("\n"),
      });
    }
    return true;
  });
  if (!result) return { ok: false, message: await conflictMessage(input.batchId, "审批") };
  return { ok: true, digest };
}

/**
 * R-PAY-3 at approval: each application's public notice is over (审核通过后公示), no objection holds
 * it, and its provider's payee account is verified and still the one fixed in the batch.
 */
async function approvalProblems(batch: {
  lines: StoredLine[];
  round: { noticeOpensAt: Date | null; noticeClosesAt: Date | null };
}): Promise<{ applicationNo: string; message: string }[]> {
  const prisma = await db();
  const ids = batch.lines.map((l) => l.applicationId);
  const [applications, objections] = await Promise.all([
    prisma.application.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        resultConfirmedAt: true,
        organisation: {
          select: { payeeAccountName: true, payeeBankName: true, payeeAccountNumber: true, payeeVerifiedAt: true },
        },
      },
    }),
    objectionCounts(prisma, ids),
  ]);
  const byId = new Map(applications.map((a) => [a.id, a]));
  const at = now();
  const problems: { applicationNo: string; message: string }[] = [];
  for (const line of batch.lines) {
    const a = byId.get(line.applicationId);
    if (!a) continue;
    const notice = checkNoticeCleared(
      noticeClearance(
        { opensAt: batch.round.noticeOpensAt, closesAt: batch.round.noticeClosesAt },
        a.resultConfirmedAt,
        at,
      ),
    );
    const hold = paymentHold({ objections: objections.get(a.id) ?? NO_OBJECTIONS, payee: payeeState(a.organisation) });
    const changed = samePayee(linePayee(line), payeeOfOrganisation(a.organisation))
      ? null
      : "服务商收款账户在编制批次后已变更，请退回批次后重新编制";
    const message = !notice.ok ? notice.message : !hold.ok ? hold.message : changed;
    if (message) problems.push({ applicationNo: line.applicationNo, message });
  }
  return problems;
}

/** R-PAY-3: the approver sends a prepared batch back with a reason; its applications are released. */
export async function returnBatch(
  officer: Officer,
  input: { batchId: string; version: number; reason: string },
): Promise<Outcome> {
  const prisma = await db();
  const current = await prisma.payoutBatch.findUnique({ where: { id: input.batchId } });
  if (!current) return { ok: false, message: "拨付批次不存在" };
  const allowed = checkMakerChecker({
    preparedBy: current.preparedById,
    approver: officer.id,
    approverRoles: officer.roles,
    ...(await creatorsOf(current.preparedById, officer.id)),
  });
  if (!allowed.ok) return { ok: false, message: allowed.message.replace("审批", "退回") };
  if (current.status !== "prepared" || current.version !== input.version)
    return { ok: false, message: await conflictMessage(input.batchId, "退回") };
  const done = await prisma.$transaction(async (tx) => {
    const at = now();
    const updated = await tx.payoutBatch.updateMany({
      where: { id: current.id, version: input.version, status: "prepared" },
      data: {
        status: "returned",
        returnedById: officer.id,
        returnedAt: at,
        returnedReason: input.reason,
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) return false;
    const released = await releaseFromBatch(
      tx,
      officer,
      current.id,
      `拨付批次 ${current.number} 被退回：${input.reason}`,
    );
    await recordAudit(tx, {
      actor: actorOf(officer),
      action: "payout_batch.return",
      entityType: "payout_batch",
      entityId: current.id,
      before: { status: "prepared", version: input.version },
      after: { status: "returned", released },
      reason: input.reason,
    });
    return true;
  });
  if (!done) return { ok: false, message: await conflictMessage(input.batchId, "退回") };
  return { ok: true };
}

/**
 * R-PAY-3: record that an approved batch was paid (date, voucher reference). The content is checked
 * against the digest fixed at approval first. Each provider in the batch gets one e-mail.
 */
export async function markBatchPaid(
  officer: Officer,
  input: { batchId: string; version: number; paidOn: string; voucherRef: string },
): Promise<Outcome> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以登记拨付" };
  const prisma = await db();
  const current = await prisma.payoutBatch.findUnique({
    where: { id: input.batchId },
    include: {
      lines: {
        include: {
          application: {
            select: {
              organisation: {
                select: {
                  payeeAccountName: true,
                  payeeBankName: true,
                  payeeAccountNumber: true,
                  payeeVerifiedAt: true,
                },
              },
            },
          },
        },
      },
      corrections: { select: { number: true } },
      round: { select: { name: true } },
    },
  });
  if (!current) return { ok: false, message: "拨付批次不存在" };
  if (current.status === "paid")
    return {
      ok: false,
      message: `该拨付批次已于 ${current.paidOn ?? ""} 登记拨付（凭证号 ${current.voucherRef ?? ""}）`,
    };
  if (current.status !== "approved") return { ok: false, message: "拨付批次须先经审批，才能登记拨付" };
  if (current.corrections.length > 0) {
    return {
      ok: false,
      message: `该批次已被更正批次 ${current.corrections.map((c) => c.number).join("、")} 取代，不能登记拨付`,
    };
  }
  if (current.version !== input.version) return { ok: false, message: "该拨付批次刚被其他人员修改，请刷新页面" };
  const date = checkPaidOn(
    input.paidOn,
    current.approvedAt ? shanghaiDate(current.approvedAt) : null,
    shanghaiDate(now()),
  );
  if (!date.ok) return { ...date, field: "paidOn" };
  if (!storedDigestMatches(current))
    return { ok: false, message: "批次内容与审批时的摘要不一致，已拒绝登记，请联系系统管理员" };
  const digest = current.digest;
  const changed = payeeChangesOf(current.lines);
  if (changed.length > 0) {
    return {
      ok: false,
      message: `${changed.map((c) => c.providerName).join("、")}的收款账户在审批后已变更或待核验，与审批时的账户不一致，不能登记拨付；请编制更正批次`,
    };
  }
  const done = await prisma.$transaction(async (tx) => {
    const updated = await tx.payoutBatch.updateMany({
      where: { id: current.id, version: input.version, status: "approved" },
      data: {
        status: "paid",
        paidOn: input.paidOn,
        voucherRef: input.voucherRef,
        paidRecordedById: officer.id,
        paidRecordedAt: now(),
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) return false;
    const applications = await tx.application.findMany({
      where: { payoutBatchId: current.id },
      select: { id: true, status: true },
    });
    for (const a of applications) {
      const moved = transition(a.status, "mark_paid");
      if (!moved.ok) throw new Error(moved.message);
      await tx.application.update({ where: { id: a.id }, data: { status: moved.to, version: { increment: 1 } } });
      await recordAudit(tx, {
        actor: actorOf(officer),
        action: "application.mark_paid",
        entityType: "application",
        entityId: a.id,
        before: { status: a.status },
        after: { status: moved.to, batchNumber: current.number, paidOn: input.paidOn },
      });
    }
    await recordAudit(tx, {
      actor: actorOf(officer),
      action: "payout_batch.mark_paid",
      entityType: "payout_batch",
      entityId: current.id,
      before: { status: "approved" },
      after: { status: "paid", paidOn: input.paidOn, voucherRef: input.voucherRef, digest },
    });
    const lines = await linesForMail(tx, current.id);
    for (const [to, name] of mailRecipients(lines)) {
      const own = lines.filter((l) => l.application.organisation.contactEmail === to);
      const total = own.reduce((sum, l) => sum + l.amountFen, 0);
      await enqueueMail(tx, {
        to,
        subject: `【申报平台】补助资金已拨付（${current.number}）`,
        text: [
          `${name}：`,
          "",
          `${current.round.name}的补助资金已于 ${input.paidOn} 拨付（批次 ${current.number}）：`,
          ...own.map(
            (l) =>
              `  ${l.applicationNo}　${l.enterpriseName}　${formatFen(l.amountFen)} 元（${capitalYuan(l.amountFen)}）`,
          ),
          `合计：${formatFen(total)} 元（${capitalYuan(total)}）`,
          "",
          "请注意查收。",
        ].join("\n"),
      });
    }
    return true;
  });
  if (!done) return { ok: false, message: "该拨付批次刚被其他人员登记或修改，请刷新页面" };
  return { ok: true };
}

/**
 * R-PAY-3 冲正: payments of a paid batch that came back (a wrong or closed account) are reversed — each
 * application is payable again (paid → passed), on the record with the reason, its provider told — so
 * they can be re-issued in a correction batch referencing this one. The paid batch itself is not changed.
 */
export async function reversePayment(
  officer: Officer,
  input: { batchId: string; applicationIds: string[]; reason: string },
): Promise<Outcome<{ count: number }>> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以冲正" };
  if (input.applicationIds.length === 0) return { ok: false, message: "请至少勾选一项需冲正的申报" };
  const prisma = await db();
  return prisma
    .$transaction(async (tx) => {
      const batch = await tx.payoutBatch.findUnique({
        where: { id: input.batchId },
        select: { id: true, number: true, status: true, round: { select: { name: true } } },
      });
      if (!batch) return { ok: false as const, message: "拨付批次不存在" };
      if (batch.status !== "paid")
        return { ok: false as const, message: "只有已拨付的批次可以冲正；未拨付的批次请编制更正批次" };
      const applications = await tx.application.findMany({
        where: { id: { in: input.applicationIds }, payoutBatchId: batch.id, status: "paid" },
        select: {
          id: true,
          number: true,
          status: true,
          version: true,
          organisation: { select: { name: true, contactEmail: true } },
        },
      });
      if (applications.length !== new Set(input.applicationIds).size)
        return { ok: false as const, message: "所选申报不在本批次中或已冲正，请刷新页面" };
      const lines = await tx.payoutLine.findMany({
        where: { batchId: batch.id, applicationId: { in: input.applicationIds } },
      });
      for (const a of applications) {
        const moved = transition(a.status, "reverse_payment");
        if (!moved.ok) throw new Error(moved.message);
        const updated = await tx.application.updateMany({
          where: { id: a.id, version: a.version, status: "paid" },
          data: { status: moved.to, payoutBatchId: null, version: { increment: 1 } },
        });
        if (updated.count !== 1) throw new ConcurrentChange(`申报 ${a.number} 刚被其他人员修改，请刷新后重试`);
        await recordAudit(tx, {
          actor: actorOf(officer),
          action: "application.reverse_payment",
          entityType: "application",
          entityId: a.id,
          before: { status: "paid", payoutBatchId: batch.id },
          after: { status: moved.to, payoutBatchId: null },
          reason: input.reason,
        });
      }
      await recordAudit(tx, {
        actor: actorOf(officer),
        action: "payout_batch.reverse",
        entityType: "payout_batch",
        entityId: batch.id,
        after: { reversed: lines.map((l) => ({ applicationNo: l.applicationNo, amountFen: l.amountFen })) },
        reason: input.reason,
      });
      const byEmail = new Map<string, { name: string; numbers: string[] }>();
      for (const a of applications) {
        const entry = byEmail.get(a.organisation.contactEmail) ?? { name: a.organisation.name, numbers: [] };
        entry.numbers.push(a.number);
        byEmail.set(a.organisation.contactEmail, entry);
      }
      for (const [to, { name, numbers }] of byEmail) {
        await enqueueMail(tx, {
          to,
          subject: `【申报平台】补助资金拨付冲正（${batch.number}）`,
          text: `${name}：\n\n${batch.round.name}拨付批次 ${batch.number} 中以下申报的补助资金已冲正（原因：${input.reason}），将重新拨付：\n  ${numbers.join("\n  ")}\n\n如收款账户有误，请登录平台变更收款账户，经区工信局核验后重新拨付。\n张店区工业和信息化局`,
        });
      }
      return { ok: true as const, count: applications.length };
    })
    .catch((error: unknown) => {
      if (error instanceof ConcurrentChange) return { ok: false as const, message: error.message };
      throw error;
    });
}

// ---------------------------------------------------------------------------------------------------------
// Blockers and the provider view (the public notice is app/models/public-notice.server.ts)

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
