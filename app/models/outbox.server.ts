/**
 * Mail that is late (README decision 4: a mail outage loses no mail, and staff see what is waiting):
 * messages not yet sent that failed at least once, or have waited longer than a few minutes. Staff may
 * send one again at once (重新发送), recorded (R-LOG-1).
 */
import type { Prisma } from "~/generated/prisma/client.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

import { type Actor, recordAudit } from "./audit.server.ts";

/** A message still unsent after this long is listed even if no attempt has failed yet. */
export const MAIL_DELAYED_AFTER_MS = 5 * 60_000;

function delayedWhere(at: Date): Prisma.OutboxMessageWhereInput {
  return {
    status: { not: "sent" },
    OR: [{ lastError: { not: null } }, { createdAt: { lt: new Date(at.getTime() - MAIL_DELAYED_AFTER_MS) } }],
  };
}

/** The late or failing messages, oldest first (at most `limit`). */
export async function delayedMail(options: { limit?: number } = {}) {
  return (await db()).outboxMessage.findMany({
    where: delayedWhere(now()),
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 200,
    select: {
      id: true,
      to: true,
      subject: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      nextAttemptAt: true,
      status: true,
    },
  });
}

export async function delayedMailCount(): Promise<number> {
  return (await db()).outboxMessage.count({ where: delayedWhere(now()) });
}

/** Makes a waiting message due now; false when it is being sent or was sent meanwhile (or does not exist). */
export async function resendMail(actor: Actor, id: string): Promise<boolean> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const at = now();
    const changed = await tx.outboxMessage.updateMany({
      // Not one being sent right now (its lease runs out by itself if that sender died).
      where: { id, status: { in: ["pending", "failed"] } },
      data: { status: "pending", nextAttemptAt: at },
    });
    if (changed.count === 0) return false;
    await recordAudit(tx, { actor, action: "mail.resend", entityType: "OutboxMessage", entityId: id });
    return true;
  });
}
