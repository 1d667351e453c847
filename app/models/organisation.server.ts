/**
 * Provider organisations: registration (R-ELIG-1, R-ELIG-2, R-ELIG-5) and verification by staff.
 */
import { registrationRefusedMail, registrationVerifiedMail } from "~/emails/provider.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import { hashPassword } from "~/utils/password.server.ts";

export type Registration = {
  organisationName: string;
  uscc: string;
  contactName: string;
  contactPhone: string;
  email: string;
  password: string;
  licenseFileId: string;
  /** The payee account (收款账户) and the stored id of its proof (开户证明), checked by staff at verification. */
  payee?: { accountName: string; bankName: string; accountNumber: string; proofFileId: string };
};

export type RegistrationResult =
  | { ok: true; userId: string; organisationId: string }
  | { ok: false; field: Exclude<keyof Registration, "payee"> | "payeeProofFileId"; message: string };

export async function registerProvider(input: Registration): Promise<RegistrationResult> {
  const prisma = await db();
  const email = input.email.trim().toLowerCase();
  // Friendly messages for the common duplicates; the unique indexes settle races.
  const [byName, byCode, byEmail, listed, licence] = await Promise.all([
    prisma.organisation.findUnique({ where: { name: input.organisationName }, select: { id: true } }),
    prisma.organisation.findUnique({ where: { uscc: input.uscc }, select: { name: true } }),
    prisma.user.findUnique({ where: { email }, select: { id: true } }),
    prisma.roundProvider.count({ where: { name: input.organisationName, round: { status: { not: "archived" } } } }),
    prisma.storedFile.findUnique({ where: { id: input.licenseFileId }, include: { organisationLicense: true } }),
  ]);
  if (listed === 0) {
    return { ok: false, field: "organisationName", message: "该单位不在服务商名单中，请从名单中选择。" };
  }
  if (byName)
    return {
      ok: false,
      field: "organisationName",
      message: "该服务商已注册账号，请直接登录；如需找回账号请联系区工信局。",
    };
  if (byCode) return { ok: false, field: "uscc", message: `该统一社会信用代码已被“${byCode.name}”注册。` };
  if (byEmail) return { ok: false, field: "email", message: "该邮箱已注册，请直接登录或更换邮箱。" };
  if (!licence || licence.organisationLicense || licence.uploadedById) {
    return { ok: false, field: "licenseFileId", message: "请重新上传营业执照。" };
  }
  if (input.payee) {
    const proof = await prisma.storedFile.findUnique({
      where: { id: input.payee.proofFileId },
      include: { organisationLicense: true, payeeProofOf: true },
    });
    if (
      !proof ||
      proof.organisationLicense ||
      proof.payeeProofOf ||
      proof.uploadedById ||
      proof.id === input.licenseFileId
    ) {
      return { ok: false, field: "payeeProofFileId", message: "请重新上传开户证明。" };
    }
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const organisation = await tx.organisation.create({
        data: {
          name: input.organisationName,
          uscc: input.uscc,
          contactName: input.contactName,
          contactPhone: input.contactPhone,
          contactEmail: email,
          goodStandingDeclaredAt: now(),
          licenseFileId: input.licenseFileId,
          ...(input.payee
            ? {
                payeeAccountName: input.payee.accountName,
                payeeBankName: input.payee.bankName,
                payeeAccountNumber: input.payee.accountNumber,
                payeeProofFileId: input.payee.proofFileId,
                payeeChangedAt: now(),
              }
            : {}),
        },
      });
      const user = await tx.user.create({
        data: {
          name: input.contactName,
          email,
          phone: input.contactPhone,
          passwordHash,
          roles: ["provider"],
          organisationId: organisation.id,
        },
      });
      await tx.storedFile.update({ where: { id: input.licenseFileId }, data: { uploadedById: user.id } });
      if (input.payee)
        await tx.storedFile.update({ where: { id: input.payee.proofFileId }, data: { uploadedById: user.id } });
      await recordAudit(tx, {
        actor: { id: user.id, name: user.name },
        action: "organisation.register",
        entityType: "organisation",
        entityId: organisation.id,
        after: {
          name: organisation.name,
          uscc: organisation.uscc,
          contactName: organisation.contactName,
          email,
          ...(input.payee
            ? {
                payeeAccountName: input.payee.accountName,
                payeeBankName: input.payee.bankName,
                payeeAccountNumber: input.payee.accountNumber,
              }
            : {}),
        },
      });
      return { ok: true as const, userId: user.id, organisationId: organisation.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return { ok: false, field: "organisationName", message: "该服务商或邮箱刚刚已被注册，请直接登录。" };
    }
    throw error;
  }
}

export async function listOrganisations(status?: "pending" | "verified" | "refused") {
  const prisma = await db();
  return prisma.organisation.findMany({
    where: status ? { status } : {},
    orderBy: { createdAt: "desc" },
    include: { licenseFile: { select: { id: true, fileName: true, contentType: true } } },
  });
}

export async function getOrganisation(id: string) {
  const prisma = await db();
  return prisma.organisation.findUnique({
    where: { id },
    include: {
      licenseFile: true,
      payeeProofFile: { select: { id: true, fileName: true } },
      users: { select: { id: true, name: true, email: true } },
      verifiedBy: { select: { name: true } },
    },
  });
}

/** R-ELIG-1: staff confirm the registered address is in 张店区 against the licence, then verify. */
export async function decideOrganisation(
  actor: NonNullable<Actor>,
  organisationId: string,
  decision: { verdict: "verify" } | { verdict: "refuse"; reason: string },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const org = await tx.organisation.findUnique({ where: { id: organisationId }, include: { users: true } });
    if (!org) return { ok: false, message: "服务商不存在。" };
    // Optimistic: only a pending organisation can be decided; two staff at once → one outcome.
    const updated = await tx.organisation.updateMany({
      where: { id: organisationId, status: "pending" },
      data:
        decision.verdict === "verify"
          ? {
              status: "verified",
              registeredInZhangdianConfirmed: true,
              verifiedById: actor.id,
              verifiedAt: now(),
              refusalReason: null,
              // R-PAY-3: the payee account entered at registration is checked with the registration.
              ...(org.payeeAccountNumber ? { payeeVerifiedAt: now(), payeeVerifiedById: actor.id } : {}),
            }
          : { status: "refused", refusalReason: decision.reason, verifiedById: actor.id, verifiedAt: now() },
    });
    if (updated.count !== 1) return { ok: false, message: "该服务商已被其他工作人员处理，请刷新页面查看结果。" };
    await recordAudit(tx, {
      actor,
      action: decision.verdict === "verify" ? "organisation.verify" : "organisation.refuse",
      entityType: "organisation",
      entityId: organisationId,
      before: { status: org.status },
      after:
        decision.verdict === "verify"
          ? { status: "verified", registeredInZhangdian: true, payeeAccountVerified: org.payeeAccountNumber ?? null }
          : { status: "refused" },
      reason: decision.verdict === "refuse" ? decision.reason : undefined,
    });
    for (const user of org.users) {
      await enqueueMail(tx, {
        to: user.email,
        ...(decision.verdict === "verify"
          ? registrationVerifiedMail({ organisationName: org.name, loginLink: `${env().publicUrl}/login` })
          : registrationRefusedMail({
              organisationName: org.name,
              reason: decision.reason,
              loginLink: `${env().publicUrl}/login`,
            })),
      });
    }
    return { ok: true };
  });
}
