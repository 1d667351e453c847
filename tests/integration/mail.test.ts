/**
 * The mail outbox against both databases and a real SMTP server: mail written in the change's
 * transaction, delivered by the worker, retried after an outage, none lost.
 */
import { setTimeout as sleep } from "node:timers/promises";

import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { delayedMail, delayedMailCount, resendMail } from "~/models/outbox.server.ts";
import { deliverDueMail, enqueueMail, RETRY_CAP_MS, startMailWorker } from "~/services/mail.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { startSmtp } from "../utils/smtp-server.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("mail outbox on %s", (variant) => {
  let prisma: Db;
  beforeAll(async () => {
    ({ prisma } = await useFreshDatabase(variant));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("writes mail only when the transaction commits", async () => {
    await prisma
      .$transaction(async (tx) => {
        await enqueueMail(tx, { to: "rolled-back@example.com", subject: "x", text: "x" });
        throw new Error("abort");
      })
      .catch(() => {});
    expect(await prisma.outboxMessage.count({ where: { to: "rolled-back@example.com" } })).toBe(0);
  });

  it("delivers through SMTP; an outage delays the mail and loses none", async () => {
    await prisma.$transaction((tx) =>
      enqueueMail(tx, { to: "provider@example.com", subject: "审核通过", text: "贵单位已通过审核。" }),
    );

    // The mail server is down: the attempt fails, the message stays pending with a later retry time.
    const probe = await startSmtp();
    const deadPort = probe.port;
    await probe.stop();
    const down = { transporter: nodemailer.createTransport(`smtp://127.0.0.1:${deadPort}`), kind: "smtp" as const };
    expect(await deliverDueMail(prisma, down)).toEqual({ sent: 0, failed: 1 });
    const pending = await prisma.outboxMessage.findFirstOrThrow({ where: { to: "provider@example.com" } });
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending.lastError).toBeTruthy();
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await deliverDueMail(prisma, down)).toEqual({ sent: 0, failed: 0 }); // not due yet

    // The server is back and the retry time has come.
    const smtp = await startSmtp(deadPort);
    await prisma.outboxMessage.update({
      where: { id: pending.id },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    const up = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
    expect(await deliverDueMail(prisma, up)).toEqual({ sent: 1, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.subject).toBe("审核通过");
    expect(smtp.messages[0]?.text).toContain("贵单位已通过审核");
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "sent",
      attempts: 2,
    });
    expect(await deliverDueMail(prisma, up)).toEqual({ sent: 0, failed: 0 }); // sent once, never twice
    down.transporter.close();
    up.transporter.close();
    await smtp.stop();
  });

  it("a long outage: retried at a capped interval, never given up, listed for staff, 重新发送 delivers once the server is back", async () => {
    await prisma.$transaction((tx) =>
      enqueueMail(tx, { to: "long-outage@example.com", subject: "补正通知", text: "请补正材料。" }),
    );
    const probe = await startSmtp();
    const port = probe.port;
    await probe.stop();
    const down = { transporter: nodemailer.createTransport(`smtp://127.0.0.1:${port}`), kind: "smtp" as const };
    const message = await prisma.outboxMessage.findFirstOrThrow({ where: { to: "long-outage@example.com" } });
    // Thirty failed attempts (hours of outage, well past the fast retries): still pending, next try at most 15 min away.
    for (let attempt = 1; attempt <= 30; attempt++) {
      await prisma.outboxMessage.update({
        where: { id: message.id },
        data: { nextAttemptAt: new Date(Date.now() - 1000) },
      });
      const before = Date.now();
      expect(await deliverDueMail(prisma, down)).toMatchObject({ failed: 1 });
      const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } });
      expect(row).toMatchObject({ status: "pending", attempts: attempt });
      expect(row.nextAttemptAt.getTime() - before).toBeLessThanOrEqual(RETRY_CAP_MS + 1000);
      if (attempt >= 10) expect(row.nextAttemptAt.getTime() - before).toBeGreaterThan(RETRY_CAP_MS - 5000);
    }
    // Staff see it: recipient, subject, attempts, last error; the dashboard counts it.
    const listed = (await delayedMail()).find((m) => m.id === message.id);
    expect(listed).toMatchObject({ to: "long-outage@example.com", subject: "补正通知", attempts: 30 });
    expect(listed?.lastError).toMatch(/ECONNREFUSED/);
    expect(await delayedMailCount()).toBeGreaterThanOrEqual(1);

    // The server comes back; 重新发送 makes it due now (recorded, R-LOG-1), the worker delivers it once.
    const smtp = await startSmtp(port);
    const up = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
    expect(await deliverDueMail(prisma, up)).toEqual({ sent: 0, failed: 0 }); // not due for up to 15 minutes
    expect(await resendMail({ id: "staff-1", name: "工作人员" }, message.id)).toBe(true);
    expect(await prisma.auditEntry.count({ where: { action: "mail.resend", entityId: message.id } })).toBe(1);
    expect(await deliverDueMail(prisma, up)).toEqual({ sent: 1, failed: 0 });
    expect(smtp.messages.map((m) => m.subject)).toEqual(["补正通知"]);
    expect((await delayedMail()).find((m) => m.id === message.id)).toBeUndefined();
    expect(await resendMail({ id: "staff-1", name: "工作人员" }, message.id)).toBe(false); // sent: nothing to resend
    down.transporter.close();
    up.transporter.close();
    await smtp.stop();
  });

  it("two workers at once claim each message once (FOR UPDATE SKIP LOCKED)", async () => {
    const smtp = await startSmtp();
    for (let i = 0; i < 6; i++) {
      await prisma.$transaction((tx) =>
        enqueueMail(tx, { to: `bulk${i}@example.com`, subject: `批量 ${i}`, text: "x" }),
      );
    }
    const t1 = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
    const t2 = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
    const [a, b] = await Promise.all([
      deliverDueMail(prisma, t1, { limit: 3 }),
      deliverDueMail(prisma, t2, { limit: 3 }),
    ]);
    const rest = await deliverDueMail(prisma, t1);
    expect(a.sent + b.sent + rest.sent).toBe(6);
    expect(smtp.messages.filter((m) => m.subject?.startsWith("批量"))).toHaveLength(6);
    t1.transporter.close();
    t2.transporter.close();
    await smtp.stop();
  });

  it("the background worker delivers what is enqueued, and once stopped sends nothing more", async () => {
    const smtp = await startSmtp();
    await prisma.$transaction((tx) =>
      enqueueMail(tx, { to: "worker@example.com", subject: "受理通知", text: "贵单位的申报已受理。" }),
    );
    const transport = { transporter: nodemailer.createTransport(smtp.url), kind: "smtp" as const };
    const stop = startMailWorker(async () => prisma, 100, transport);
    await vi.waitFor(() => expect(smtp.messages.map((m) => m.subject)).toContain("受理通知"), { timeout: 10_000 });
    await stop();
    await prisma.$transaction((tx) =>
      enqueueMail(tx, { to: "after-stop@example.com", subject: "停止之后", text: "x" }),
    );
    await sleep(500); // five of the stopped worker's intervals
    expect(smtp.messages.map((m) => m.subject)).not.toContain("停止之后");
    expect(await prisma.outboxMessage.findFirstOrThrow({ where: { to: "after-stop@example.com" } })).toMatchObject({
      status: "pending",
      attempts: 0,
    });
    await smtp.stop();
  });
});
