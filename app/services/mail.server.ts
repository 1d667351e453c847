/**
 * Mail: a transactional outbox. A change that sends mail writes its OutboxMessage rows in the same
 * transaction (enqueueMail(tx, ...)); the worker claims due rows with FOR UPDATE SKIP LOCKED (so several
 * instances share the work), sends them through nodemailer and retries with backoff, so an outage of the
 * mail server delays mail and loses none.
 * Transport: SMTP when SMTP_URL is set; otherwise each message is written as an .eml file to
 * DATA_DIR/mail (the local outbox a developer can open).
 */
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

import type { Transporter } from "nodemailer";
import nodemailer from "nodemailer";
import { z } from "zod";

import { now } from "~/utils/clock.server.ts";
import type { Db, Tx } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";

import { logger } from "./logger.server.ts";
import { objectStore } from "./storage.server.ts";
import { startWorkerLoop } from "./worker-loop.server.ts";

const attachmentSchema = z.array(z.object({ filename: z.string(), storageKey: z.string(), contentType: z.string() }));
export type MailAttachment = z.infer<typeof attachmentSchema>[number];
export type Mail = { to: string; subject: string; text: string; attachments?: MailAttachment[] };

export async function enqueueMail(tx: Tx, mail: Mail) {
  await tx.outboxMessage.create({
    data: {
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments ?? [],
      nextAttemptAt: now(),
    },
  });
}

export function mailTransport(): { transporter: Transporter; kind: "smtp" | "folder" } {
  const e = env();
  if (e.SMTP_URL) return { transporter: nodemailer.createTransport(e.SMTP_URL), kind: "smtp" };
  return {
    transporter: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    kind: "folder",
  };
}

/**
 * Retries: fast at first (5 s, 10 s, 20 s … for about ten minutes), then every 15 minutes for as long as it
 * takes. A message is never given up (README decision 4: a mail outage loses no mail); the ones that are
 * late or failing are listed for staff at /staff/mail, who can send one again at once.
 */
export const RETRY_CAP_MS = 15 * 60_000;
export const retryDelayMs = (attempts: number) => Math.min(RETRY_CAP_MS, 5_000 * 2 ** Math.max(0, attempts - 1));
const LEASE_MS = 5 * 60_000;

type Claimed = { id: string; to: string; subject: string; text: string; attachments: unknown; attempts: number };

/**
 * Delivers the messages that are due. Returns how many were sent and how many failed this time.
 * A claimed row is leased (nextAttemptAt moved ahead) so a crashed sender's rows come back later.
 * Each message's attempt is one line in the log.
 */
export async function deliverDueMail(
  prisma: Db,
  transport = mailTransport(),
  options: { limit?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const at = now();
  const claimed = await prisma.$queryRaw<Claimed[]>`
    UPDATE "OutboxMessage" SET status = 'sending', attempts = attempts + 1,
      "nextAttemptAt" = ${new Date(at.getTime() + LEASE_MS)}
    WHERE id IN (
      SELECT id FROM "OutboxMessage"
      WHERE status IN ('pending', 'sending') AND "nextAttemptAt" <= ${at}
      ORDER BY "createdAt" LIMIT ${options.limit ?? 20}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, "to", subject, text, attachments, attempts`;
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    const started = performance.now();
    try {
      const attachments = await Promise.all(
        attachmentSchema.parse(message.attachments).map(async (a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: await readAll(await objectStore().get(a.storageKey)),
        })),
      );
      const info = await transport.transporter.sendMail({
        from: env().MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        attachments,
      });
      if (transport.kind === "folder") await writeEml(message.id, info);
      await prisma.outboxMessage.update({
        where: { id: message.id },
        data: { status: "sent", sentAt: now(), lastError: null },
      });
      sent++;
      logger().info(
        {
          job: "mail",
          messageId: message.id,
          attempt: message.attempts,
          outcome: "sent",
          durationMs: Math.round(performance.now() - started),
        },
        "job",
      );
    } catch (error) {
      failed++;
      const nextAttemptAt = new Date(now().getTime() + retryDelayMs(message.attempts));
      await prisma.outboxMessage.update({
        where: { id: message.id },
        data: {
          status: "pending",
          lastError: error instanceof Error ? error.message.slice(0, 1000) : String(error),
          nextAttemptAt,
        },
      });
      logger().warn(
        {
          job: "mail",
          messageId: message.id,
          attempt: message.attempts,
          outcome: "retry",
          nextAttemptAt,
          err: error,
          durationMs: Math.round(performance.now() - started),
        },
        "job",
      );
    }
  }
  return { sent, failed };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function writeEml(id: string, info: unknown) {
  const message: unknown = info && typeof info === "object" ? Reflect.get(info, "message") : undefined;
  if (!(message instanceof Buffer)) return;
  const dir = path.resolve(env().DATA_DIR, "mail");
  await fs.promises.mkdir(dir, { recursive: true });
  const stamp = now().toISOString().replace(/[:.]/g, "-");
  await fs.promises.writeFile(path.join(dir, `${stamp}-${id}.eml`), message);
}

/**
 * Delivers due mail in the background until stopped: one batch per interval (MAIL_WORKER_INTERVAL_MS),
 * so a burst of notices is paced rather than sent all at once.
 */
export function startMailWorker(
  getDb: () => Promise<Db>,
  intervalMs = env().MAIL_WORKER_INTERVAL_MS,
  transport = mailTransport(),
) {
  return startWorkerLoop({
    name: "mail worker",
    intervalMs,
    firstDelayMs: 200,
    runBatch: async () => {
      await deliverDueMail(await getDb(), transport);
      return false;
    },
    onStop: () => transport.transporter.close(),
  });
}
