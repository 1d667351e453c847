/**
 * The payee account (收款账户) of a provider organisation (R-PAY-3: what finance needs to pay). A
 * change is the classic payment-fraud path: it clears the verification (no payout until staff check
 * the new account against its proof), is mailed to the organisation's registered address with the
 * number masked, and is on the record with the account before and after (R-LOG-1) — in one transaction.
 */
import { type PayeeAccount, payeeAccountOf, payeeState } from "~/domain/payee.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { payeeChangedMail, payeeVerifiedMail } from "~/emails/provider.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

/** A refusal names the form field it is about (as on the registration form), if any. */
type Outcome = { ok: true } | { ok: false; field?: "payeeProofFileId"; message: string };

/** An organisation's payee account, its state and proof, for its own page and the staff page. */
export async function payeeOf(organisationId: string) {
  const prisma = await db();
  const org = await prisma.organisation.findUnique({
    where: { id: organisationId },
    select: {
      payeeAccountName: true,
      payeeBankName: true,
      payeeAccountNumber: true,
      payeeProofFile: { select: { id: true, fileName: true, contentType: true } },
      payeeChangedAt: true,
      payeeVerifiedAt: true,
      payeeVerifiedById: true,
    },
  });
  if (!org) return null;
  const verifier = org.payeeVerifiedById
    ? await prisma.user.findUnique({ where: { id: org.payeeVerifiedById }, select: { name: true } })
    : null;
  return {
    account: payeeAccountOf(org),
    state: payeeState(org),
    proof: org.payeeProofFile,
    changedAt: org.payeeChangedAt ? formatShanghai(org.payeeChangedAt) : null,
    verifiedAt: org.payeeVerifiedAt ? formatShanghai(org.payeeVerifiedAt) : null,
    verifiedBy: verifier?.name ?? null,
  };
}

/**
 * A provider user changes its organisation's payee account (with a new proof, uploaded by that user).
 * The account awaits staff verification again; the registered address is told, number masked.
 */
export async function changePayeeAccount(
  actor: NonNullable<Actor>,
  organisationId: string,
  input: PayeeAccount & { proofFileId: string },
): Promise<Outcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const org = await tx.organisation.findUnique({ where: { id: organisationId } });
    if (!org) return { ok: false as const, message: "服务商不存在" };
    const proof = await tx.storedFile.findUnique({
      where: { id: input.proofFileId },
      include: { organisationLicense: true, payeeProofOf: true },
    });
    if (!proof || proof.uploadedById !== actor.id || proof.organisationLicense || proof.payeeProofOf) {
      return { ok: false as const, field: "payeeProofFileId", message: "请重新上传开户证明" };
    }
    const before = payeeAccountOf(org);
    const at = now();
    await tx.organisation.update({
      where: { id: organisationId },
      data: {
        payeeAccountName: input.accountName,
        payeeBankName: input.bankName,
        payeeAccountNumber: input.accountNumber,
        payeeProofFileId: input.proofFileId,
        payeeChangedAt: at,
        payeeVerifiedAt: null,
        payeeVerifiedById: null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "organisation.payee_change",
      entityType: "organisation",
      entityId: organisationId,
      before: before ? { ...before, verified: org.payeeVerifiedAt !== null } : { accountNumber: null },
      after: {
        accountName: input.accountName,
        bankName: input.bankName,
        accountNumber: input.accountNumber,
        proofFileId: input.proofFileId,
        verified: false,
      },
    });
    await enqueueMail(tx, {
      to: org.contactEmail,
      ...payeeChangedMail({ organisationName: org.name, at, changedBy: actor.name, account: input, before }),
    });
    return { ok: true as const };
  });
}

/** Staff check a changed payee account against its proof; payouts to it may proceed. */
export async function verifyPayeeAccount(
  actor: NonNullable<Actor>,
  organisationId: string,
  expected: { accountNumber: string },
): Promise<Outcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const org = await tx.organisation.findUnique({ where: { id: organisationId } });
    if (!org) return { ok: false as const, message: "服务商不存在" };
    const account = payeeAccountOf(org);
    if (!account) return { ok: false as const, message: "该服务商尚未登记收款账户" };
    if (org.status !== "verified")
      return { ok: false as const, message: "请先审核服务商注册信息（审核通过时一并核验收款账户）" };
    // The page showed this number: if it changed meanwhile, the officer checked another account.
    if (account.accountNumber !== expected.accountNumber)
      return { ok: false as const, message: "收款账户刚被服务商再次变更，请刷新页面后重新核验" };
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, payeeVerifiedAt: null, payeeAccountNumber: expected.accountNumber },
      data: { payeeVerifiedAt: now(), payeeVerifiedById: actor.id },
    });
    if (updated.count !== 1) return { ok: false as const, message: "该收款账户已核验，请刷新页面" };
    await recordAudit(tx, {
      actor,
      action: "organisation.payee_verify",
      entityType: "organisation",
      entityId: organisationId,
      before: { ...account, verified: false },
      after: { ...account, verified: true },
    });
    await enqueueMail(tx, { to: org.contactEmail, ...payeeVerifiedMail({ organisationName: org.name, account }) });
    return { ok: true as const };
  });
}
