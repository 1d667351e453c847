/**
 * Payout batches changed (R-PAY-1, R-PAY-3, R-LOG-1): prepared by one officer and approved or returned
 * by another (maker-checker), marked paid, payments reversed (冲正) and corrected. What is read for
 * pages and exports is in payout-batch-queries.server.ts; the public notice is public-notice.server.ts.
 *
 * Every change is one transaction with its audit entries and its mail. A batch changes state with
 * `updateMany where { id, version, status }`: of two officers approving at once, exactly one succeeds and
 * the other gets a message (never two effects, never two e-mails).
 */
import crypto from "node:crypto";

import { transition } from "~/domain/application-status.ts";
import { payoutFen } from "~/domain/money.ts";
import { payeeAccountOf, payeeState, samePayee } from "~/domain/payee.ts";
import {
  batchTotals,
  canonicalBatchContent,
  checkMakerChecker,
  checkNoticeCleared,
  checkPaidOn,
  noticeClearance,
  paymentHold,
} from "~/domain/payout.ts";
import { formatShanghai, shanghaiDate } from "~/domain/shanghai-time.ts";
import type { MailText } from "~/emails/mail-text.ts";
import { paymentReversedMail, payoutApprovedMail, type PayoutMailLine, payoutPaidMail } from "~/emails/payout.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { NO_OBJECTIONS, objectionCounts } from "~/models/objection.server.ts";
import { actorOf, type Officer, type Outcome } from "~/models/officer.server.ts";
import {
  checkCandidate,
  linesOf,
  PASSED_APPLICATION_SELECT,
  PAYEE_SELECT,
  payeeChangesOf,
  type StoredLine,
} from "~/models/payout-batch-lines.server.ts";
import { getBatch } from "~/models/payout-batch-queries.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";

function digestOf(content: string): string {
  return crypto.createHash("sha256").update(content, "utf8").digest("hex");
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
// Approving, returning, paying, reversing

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

/** R-PAY-3: one mail to each provider in a batch, about its own lines (in number order). */
async function mailEachProvider(
  tx: Tx,
  batchId: string,
  mailText: (provider: { providerName: string; lines: PayoutMailLine[] }) => MailText,
) {
  const lines = await tx.payoutLine.findMany({
    where: { batchId },
    orderBy: { applicationNo: "asc" },
    include: { application: { select: { organisation: { select: { contactEmail: true, name: true } } } } },
  });
  const byEmail = new Map<string, { providerName: string; lines: PayoutMailLine[] }>();
  for (const line of lines) {
    const { contactEmail, name } = line.application.organisation;
    const provider = byEmail.get(contactEmail) ?? { providerName: name, lines: [] };
    provider.providerName = name;
    provider.lines.push(line);
    byEmail.set(contactEmail, provider);
  }
  for (const [to, provider] of byEmail) await enqueueMail(tx, { to, ...mailText(provider) });
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
 * R-PAY-3: why `officer` may not approve or return (`decision`) the batch as it was at `version`
 * (maker-checker, or a batch decided or changed meanwhile); null when they may.
 */
async function refusalToDecide(
  officer: Officer,
  batch: { id: string; preparedById: string; status: string; version: number },
  version: number,
  decision: "审批" | "退回",
): Promise<string | null> {
  const allowed = checkMakerChecker({
    preparedBy: batch.preparedById,
    approver: officer.id,
    approverRoles: officer.roles,
    ...(await creatorsOf(batch.preparedById, officer.id)),
  });
  if (!allowed.ok) return allowed.message.replace("审批", decision);
  if (batch.status !== "prepared" || batch.version !== version) return conflictMessage(batch.id, decision);
  return null;
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
  const refusal = await refusalToDecide(officer, current, input.version, "审批");
  if (refusal) return { ok: false, message: refusal };
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
    await mailEachProvider(tx, current.id, (provider) =>
      payoutApprovedMail({ ...provider, roundName: current.round.name, batchNumber: current.number }),
    );
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
          select: PAYEE_SELECT,
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
    const changed = samePayee(payeeAccountOf(line), payeeAccountOf(a.organisation))
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
  const refusal = await refusalToDecide(officer, current, input.version, "退回");
  if (refusal) return { ok: false, message: refusal };
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
                select: PAYEE_SELECT,
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
    await mailEachProvider(tx, current.id, (provider) =>
      payoutPaidMail({
        ...provider,
        roundName: current.round.name,
        batchNumber: current.number,
        paidOn: input.paidOn,
      }),
    );
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
          ...paymentReversedMail({
            providerName: name,
            roundName: batch.round.name,
            batchNumber: batch.number,
            reason: input.reason,
            applicationNumbers: numbers,
          }),
        });
      }
      return { ok: true as const, count: applications.length };
    })
    .catch((error: unknown) => {
      if (error instanceof ConcurrentChange) return { ok: false as const, message: error.message };
      throw error;
    });
}
