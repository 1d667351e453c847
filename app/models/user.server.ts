/**
 * Accounts: sign-in with atomic rate limiting, accounts made by the system administrator (roles granted
 * only by an administrator, every grant recorded and mailed to all approvers, R-PAY-3), expert
 * invitations, and single-use links that set or reset a password (sent through the mail outbox).
 */
import crypto from "node:crypto";

import { ROLE_LABELS } from "~/domain/labels.ts";
import { checkRoleGrant } from "~/domain/roles.ts";
import { accountLockedMail, invitationMail, passwordResetMail, roleGrantMail } from "~/emails/account.ts";
import type { Role } from "~/generated/prisma/enums.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import { hashPassword, verifyPassword } from "~/utils/password.server.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;
const MAX_RESET_MAILS = 3;
const RESET_TTL_MS = 60 * 60 * 1000;
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
/** Roles whose owners are told by mail when their account is locked. */
const NOTIFIED_WHEN_LOCKED: readonly Role[] = ["staff", "approver", "admin"];

export type LoginResult =
  { ok: true; userId: string; roles: Role[] } | { ok: false; message: string; field?: "email" | "password" };

/**
 * Counts one attempt under `key` atomically and returns the count in the current window (a fixed window
 * starting at the first attempt). One statement (INSERT … ON CONFLICT DO UPDATE … RETURNING), so parallel
 * attempts each see a different count and at most `limit` of them go on to check a password.
 */
async function countAttempt(key: string): Promise<{ count: number; windowStartedAt: Date }> {
  const prisma = await db();
  const at = now().toISOString();
  const since = new Date(now().getTime() - LOGIN_WINDOW_MS).toISOString();
  const [row] = await prisma.$queryRaw<{ failures: number; windowStartedAt: Date }[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStartedAt", "updatedAt")
    VALUES (${key}, 1, ${at}::timestamptz AT TIME ZONE 'UTC', ${at}::timestamptz AT TIME ZONE 'UTC')
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStartedAt" <= ${since}::timestamptz AT TIME ZONE 'UTC' THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStartedAt" = CASE WHEN "LoginThrottle"."windowStartedAt" <= ${since}::timestamptz AT TIME ZONE 'UTC' THEN EXCLUDED."windowStartedAt" ELSE "LoginThrottle"."windowStartedAt" END,
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "failures", "windowStartedAt" AT TIME ZONE 'UTC' AS "windowStartedAt"`;
  if (!row) throw new Error("login throttle: no row returned");
  // Counters of windows long past are dropped now and then (a guessed address leaves one row).
  if (crypto.randomInt(200) === 0)
    await prisma.$executeRaw`DELETE FROM "LoginThrottle" WHERE "updatedAt" < ${since}::timestamptz AT TIME ZONE 'UTC'`;
  return { count: Number(row.failures), windowStartedAt: row.windowStartedAt };
}

function minutesLeft(windowStartedAt: Date): number {
  return Math.max(1, Math.ceil((windowStartedAt.getTime() + LOGIN_WINDOW_MS - now().getTime()) / 60_000));
}

export async function attemptLogin(input: { email: string; password: string; address: string }): Promise<LoginResult> {
  const prisma = await db();
  const email = input.email.trim().toLowerCase();
  // Counted before the password is checked: a check is only made within the limit (R-LOG-1 aside,
  // this is what keeps 40 parallel guesses at 5 checked).
  const account = await countAttempt(`account:${email}`);
  const address = await countAttempt(`address:${input.address}`);
  if (account.count > MAX_FAILURES_PER_ACCOUNT) {
    return {
      ok: false,
      message: `该账号登录失败次数过多，已暂停登录，请 ${minutesLeft(account.windowStartedAt)} 分钟后再试，或通过“忘记密码”重设密码后立即登录。`,
    };
  }
  if (address.count > MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, message: `登录尝试过于频繁，请 ${minutesLeft(address.windowStartedAt)} 分钟后再试。` };
  }
  const user = await prisma.user.findUnique({ where: { email } });
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false;
  if (!user || !valid) {
    if (
      user &&
      account.count === MAX_FAILURES_PER_ACCOUNT &&
      user.status === "active" &&
      user.roles.some((r) => NOTIFIED_WHEN_LOCKED.includes(r))
    ) {
      await mailLockedAccount(user);
    }
    return { ok: false, message: "邮箱或密码不正确。", field: "password" };
  }
  if (user.status === "disabled") return { ok: false, message: "该账号已停用，请联系区工信局。" };
  if (user.status === "invited") return { ok: false, message: "该账号尚未激活，请通过邀请邮件中的链接设置密码。" };
  // A successful sign-in clears the account's count and gives the address its attempt back.
  await prisma.$executeRaw`DELETE FROM "LoginThrottle" WHERE "key" = ${`account:${email}`}`;
  await prisma.$executeRaw`UPDATE "LoginThrottle" SET "failures" = GREATEST("failures" - 1, 0) WHERE "key" = ${`address:${input.address}`}`;
  return { ok: true, userId: user.id, roles: user.roles };
}

/** Staff, approvers and administrators are told when their account is locked, with a link that unlocks it. */
async function mailLockedAccount(user: { id: string; name: string; email: string }) {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "reset_password");
    await enqueueMail(tx, {
      to: user.email,
      ...accountLockedMail({
        name: user.name,
        email: user.email,
        at: now(),
        failures: MAX_FAILURES_PER_ACCOUNT,
        link: `${env().publicUrl}/reset-password/${token}`,
      }),
    });
  });
}

export class DuplicateEmailError extends Error {}
export class RoleGrantError extends Error {}

/** R-PAY-3: every role grant is mailed to every active approver, so a grant nobody expected is seen. */
async function mailApproversOfGrant(
  tx: Tx,
  input: { actor: Actor; user: { name: string; email: string }; roles: readonly Role[] },
) {
  if (input.roles.length === 0) return;
  const approvers = await tx.user.findMany({
    where: { roles: { has: "approver" }, status: "active" },
    select: { email: true, name: true },
  });
  for (const approver of approvers) {
    await enqueueMail(tx, {
      to: approver.email,
      ...roleGrantMail({
        approverName: approver.name,
        grantedBy: input.actor?.name ?? "系统",
        at: now(),
        user: input.user,
        roleLabels: input.roles.map((r) => ROLE_LABELS[r]),
      }),
    });
  }
}

/**
 * An account made by an administrator (any role but provider) or by staff (an expert, into the pool).
 * Records who made it (R-PAY-3), audits the grant and mails it to every approver; the person gets a
 * single-use link to set a password.
 */
export async function createStaffManagedUser(
  actor: { id: string; name: string; roles: readonly string[] },
  input: { name: string; email: string; phone?: string; roles: Role[] },
  /** More to write in the same transaction (an expert's profile), so that the invitation is all or nothing. */
  within?: (tx: Tx, userId: string) => Promise<void>,
): Promise<{ userId: string }> {
  const allowed = checkRoleGrant({ actorRoles: actor.roles, actorId: actor.id, targetId: null, roles: input.roles });
  if (!allowed.ok) throw new RoleGrantError(allowed.message);
  const prisma = await db();
  try {
    return await prisma.$transaction(async (tx) => {
      const { user, link } = await createInvitedAccount(tx, {
        actor,
        account: { ...input, createdById: actor.id },
        audit: { action: "user.invite", after: { createdById: actor.id } },
        within,
      });
      await enqueueMail(tx, {
        to: user.email,
        ...invitationMail({
          name: user.name,
          email: user.email,
          roleLabels: input.roles.map((r) => ROLE_LABELS[r]),
          link,
        }),
      });
      return { userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateEmailError("该邮箱已被其他账号使用。");
    throw error;
  }
}

/**
 * The first administrator of a production installation (DEMO=0 has no accounts): made from the command
 * line (`npm run admin:create`), on the record, with a single-use link to set the password (printed).
 */
export async function createFirstAdministrator(input: { name: string; email: string }): Promise<{ link: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const { link } = await createInvitedAccount(tx, {
      actor: null,
      account: { ...input, roles: ["admin"] },
      audit: { action: "user.create", after: { via: "命令行（npm run admin:create）" } },
    });
    return { link };
  });
}

/**
 * An account that waits for its owner to set a password (status invited), with the single-use link to
 * do so; the grant is on the record and mailed to every approver (R-PAY-3). `within` writes more in the
 * same transaction (an expert's profile) before the grant is mailed.
 */
async function createInvitedAccount(
  tx: Tx,
  input: {
    actor: Actor;
    account: { name: string; email: string; phone?: string; roles: Role[]; createdById?: string };
    audit: { action: "user.invite" | "user.create"; after: Record<string, string> };
    within?: (tx: Tx, userId: string) => Promise<void>;
  },
): Promise<{ user: { id: string; name: string; email: string }; link: string }> {
  const user = await tx.user.create({
    data: {
      name: input.account.name,
      email: input.account.email.trim().toLowerCase(),
      phone: input.account.phone || null,
      roles: input.account.roles,
      status: "invited",
      createdById: input.account.createdById ?? null,
    },
  });
  const token = await issueToken(tx, user.id, "set_password");
  await recordAudit(tx, {
    actor: input.actor,
    action: input.audit.action,
    entityType: "user",
    entityId: user.id,
    after: { name: user.name, email: user.email, roles: user.roles, ...input.audit.after },
  });
  if (input.within) await input.within(tx, user.id);
  await mailApproversOfGrant(tx, { actor: input.actor, user, roles: input.account.roles });
  return { user, link: `${env().publicUrl}/invite/${token}` };
}

export type AccountOutcome = { ok: true } | { ok: false; message: string };

/** R-PAY-3: an administrator changes another account's roles; added roles are mailed to every approver. */
export async function setUserRoles(
  actor: { id: string; name: string; roles: readonly string[] },
  input: { userId: string; roles: Role[] },
): Promise<AccountOutcome> {
  const allowed = checkRoleGrant({
    actorRoles: actor.roles,
    actorId: actor.id,
    targetId: input.userId,
    roles: input.roles,
  });
  if (!allowed.ok) return allowed;
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user || user.roles.includes("provider")) return { ok: false, message: "账号不存在" };
    const added = input.roles.filter((r) => !user.roles.includes(r));
    const removed = user.roles.filter((r) => !input.roles.includes(r));
    if (added.length === 0 && removed.length === 0) return { ok: true };
    await tx.user.update({ where: { id: user.id }, data: { roles: input.roles } });
    // Roles removed take effect now: the account's sessions end.
    if (removed.length > 0) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor,
      action: "user.set_roles",
      entityType: "user",
      entityId: user.id,
      before: { roles: user.roles },
      after: { roles: input.roles, added, removed },
    });
    await mailApproversOfGrant(tx, { actor, user, roles: added });
    return { ok: true };
  });
}

/** An administrator disables or re-enables another account (a disabled account's sessions end). */
export async function setUserStatus(
  actor: { id: string; name: string; roles: readonly string[] },
  input: { userId: string; status: "active" | "disabled" },
): Promise<AccountOutcome> {
  if (!actor.roles.includes("admin")) return { ok: false, message: "只有系统管理员可以停用或启用账号" };
  if (actor.id === input.userId) return { ok: false, message: "不能停用自己的账号" };
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user || user.roles.includes("provider")) return { ok: false, message: "账号不存在" };
    if (user.status === "invited") return { ok: false, message: "该账号尚未激活" };
    if (user.status === input.status) return { ok: true };
    await tx.user.update({ where: { id: user.id }, data: { status: input.status } });
    if (input.status === "disabled") await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor,
      action: input.status === "disabled" ? "user.disable" : "user.enable",
      entityType: "user",
      entityId: user.id,
      before: { status: user.status },
      after: { status: input.status },
    });
    return { ok: true };
  });
}

/**
 * A single-use link token for the user: only its hash is stored; the token itself goes into the link
 * that is mailed or printed. Setting a first password may wait 7 days, a reset 1 hour.
 */
async function issueToken(tx: Tx, userId: string, purpose: "set_password" | "reset_password"): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const ttl = purpose === "set_password" ? INVITE_TTL_MS : RESET_TTL_MS;
  await tx.userToken.create({
    data: { userId, purpose, tokenHash: sha256(token), expiresAt: new Date(now().getTime() + ttl) },
  });
  return token;
}

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

type TokenPurpose = "set_password" | "reset_password";
const tokenUser = { select: { id: true, name: true, email: true, roles: true, status: true } } as const;

/** A link that still works: of this purpose, unused, unexpired; a reset link also needs an active account. */
function usable(
  record: { purpose: string; usedAt: Date | null; expiresAt: Date; user: { status: string } } | null,
  purpose: TokenPurpose,
): boolean {
  if (!record || record.purpose !== purpose || record.usedAt || record.expiresAt <= now()) return false;
  return purpose !== "reset_password" || record.user.status === "active";
}

async function findValidToken(token: string, purpose: TokenPurpose) {
  const prisma = await db();
  const record = await prisma.userToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: tokenUser },
  });
  return record && usable(record, purpose) ? record : null;
}

export function findValidInvitation(token: string) {
  return findValidToken(token, "set_password");
}

export function findValidPasswordReset(token: string) {
  return findValidToken(token, "reset_password");
}

/** Uses a link up, once: of two requests with the same link, one gets its token and the other null. */
async function spendToken(tx: Tx, token: string, purpose: TokenPurpose) {
  const record = await tx.userToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: tokenUser } });
  if (!record || !usable(record, purpose)) return null;
  const used = await tx.userToken.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: now() } });
  return used.count === 1 ? record : null;
}

export async function acceptInvitation(token: string, password: string): Promise<{ ok: boolean; userId?: string }> {
  const prisma = await db();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const record = await spendToken(tx, token, "set_password");
    if (!record) return { ok: false };
    await tx.user.update({ where: { id: record.userId }, data: { passwordHash, status: "active" } });
    await recordAudit(tx, {
      actor: { id: record.user.id, name: record.user.name },
      action: "user.set_password",
      entityType: "user",
      entityId: record.userId,
    });
    return { ok: true, userId: record.userId };
  });
}

/**
 * "忘记密码": mails a single-use link (1 hour) that resets the password and lifts a lockout. The answer
 * is the same whether or not the address has an account; at most three mails per address a window.
 */
export async function requestPasswordReset(input: { email: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const { count } = await countAttempt(`reset:${email}`);
  if (count > MAX_RESET_MAILS) return;
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || user.status !== "active") return;
  await prisma.$transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "reset_password");
    await recordAudit(tx, {
      actor: null,
      action: "user.request_password_reset",
      entityType: "user",
      entityId: user.id,
    });
    await enqueueMail(tx, {
      to: user.email,
      ...passwordResetMail({ name: user.name, email: user.email, link: `${env().publicUrl}/reset-password/${token}` }),
    });
  });
}

/** Sets a new password from a reset link: the link is used up, other sessions end, the lockout is lifted. */
export async function resetPassword(
  token: string,
  password: string,
): Promise<{ ok: true; userId: string } | { ok: false }> {
  const prisma = await db();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const record = await spendToken(tx, token, "reset_password");
    if (!record) return { ok: false };
    // Every other reset link of the account is used up with it.
    await tx.userToken.updateMany({
      where: { userId: record.userId, purpose: "reset_password", usedAt: null },
      data: { usedAt: now() },
    });
    await tx.user.update({ where: { id: record.userId }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: record.userId } });
    await tx.$executeRaw`DELETE FROM "LoginThrottle" WHERE "key" = ${`account:${record.user.email}`}`;
    await recordAudit(tx, {
      actor: { id: record.user.id, name: record.user.name },
      action: "user.reset_password",
      entityType: "user",
      entityId: record.userId,
    });
    return { ok: true, userId: record.userId };
  });
}

/** The accounts an administrator manages (everyone but providers), with who made each. */
export async function listManagedUsers() {
  const prisma = await db();
  return prisma.user.findMany({
    where: { NOT: { roles: { has: "provider" } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      email: true,
      roles: true,
      status: true,
      createdAt: true,
      isDemo: true,
      createdBy: { select: { name: true } },
    },
  });
}
