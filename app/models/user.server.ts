/**
 * Accounts: login with rate limiting, staff-created accounts, expert invitations (a single-use link that
 * sets the password, sent through the mail outbox).
 */
import crypto from "node:crypto";
import { ROLE_LABELS } from "~/domain/labels.ts";
import type { Role } from "~/generated/prisma/enums.ts";
import { recordAudit, type Actor } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation, type Tx } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import { hashPassword, verifyPassword } from "~/utils/password.server.ts";


const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;

export type LoginResult =
  | { ok: true; userId: string; roles: Role[] }
  | { ok: false; message: string; field?: "email" | "password" };

export async function attemptLogin(input: { email: string; password: string; address: string }): Promise<LoginResult> {
  const prisma = await db();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now().getTime() - WINDOW_MS);
  const [accountFailures, addressFailures] = await Promise.all([
    prisma.loginAttempt.count({ where: { key: `account:${email}`, success: false, at: { gt: since } } }),
    prisma.loginAttempt.count({ where: { key: `address:${input.address}`, success: false, at: { gt: since } } }),
  ]);
  if (accountFailures >= MAX_FAILURES_PER_ACCOUNT || addressFailures >= MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, message: "登录失败次数过多，请 15 分钟后再试。" };
  }
  const user = await prisma.user.findUnique({ where: { email } });
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false;
  const at = now();
  await prisma.loginAttempt.createMany({
    data: [
      { key: `account:${email}`, success: valid, at },
      { key: `address:${input.address}`, success: valid, at },
    ],
  });
  if (!user || !valid) return { ok: false, message: "邮箱或密码不正确。", field: "password" };
  if (user.status === "disabled") return { ok: false, message: "该账号已停用，请联系区工信局。" };
  if (user.status === "invited") return { ok: false, message: "该账号尚未激活，请通过邀请邮件中的链接设置密码。" };
  return { ok: true, userId: user.id, roles: user.roles };
}

export class DuplicateEmailError extends Error {}

export async function createStaffManagedUser(
  actor: Actor,
  input: { name: string; email: string; phone?: string; roles: Role[] },
  /** More to write in the same transaction (an expert's profile), so that the invitation is all or nothing. */
  within?: (tx: Tx, userId: string) => Promise<void>,
): Promise<{ userId: string }> {
  const prisma = await db();
  const token = crypto.randomBytes(32).toString("base64url");
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          name: input.name,
          email: input.email.trim().toLowerCase(),
          phone: input.phone || null,
          roles: input.roles,
          status: "invited",
        },
      });
      await tx.userToken.create({
        data: {
          userId: user.id,
          purpose: "set_password",
          tokenHash: sha256(token),
          expiresAt: new Date(now().getTime() + 7 * 24 * 3600 * 1000),
        },
      });
      await recordAudit(tx, {
        actor,
        action: "user.invite",
        entityType: "user",
        entityId: user.id,
        after: { name: user.name, email: user.email, roles: user.roles },
      });
      if (within) await within(tx, user.id);
      const link = `${env().publicUrl}/invite/${token}`;
      await enqueueMail(tx, {
        to: user.email,
        subject: "【智能化改造诊断补助申报平台】账号邀请",
        text:
          `${user.name}，您好：\n\n区工信局已为您创建${input.roles.map((r) => ROLE_LABELS[r]).join("、")}账号（登录邮箱 ${user.email}）。` +
          `\n请在 7 天内打开以下链接设置登录密码：\n${link}\n\n如非本人操作，请忽略本邮件。\n张店区工业和信息化局`,
      });
      return { userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateEmailError("该邮箱已被其他账号使用。");
    throw error;
  }
}

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export async function findValidInvitation(token: string) {
  const prisma = await db();
  const record = await prisma.userToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { select: { id: true, name: true, email: true, roles: true } } },
  });
  if (!record || record.purpose !== "set_password" || record.usedAt || record.expiresAt <= now()) return null;
  return record;
}

export async function acceptInvitation(token: string, password: string): Promise<{ ok: boolean; userId?: string }> {
  const prisma = await db();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const record = await tx.userToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
    if (!record || record.usedAt || record.expiresAt <= now()) return { ok: false };
    const used = await tx.userToken.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: now() } });
    if (used.count !== 1) return { ok: false };
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

export async function listStaffManagedUsers() {
  const prisma = await db();
  return prisma.user.findMany({
    where: { NOT: { roles: { equals: ["provider"] } } },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, email: true, roles: true, status: true, createdAt: true, isDemo: true },
  });
}
