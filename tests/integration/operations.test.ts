/**
 * The portal as an operator runs it (issue 17): `npm start`'s production mode sends no stack trace or
 * server path to the browser; every request is one JSON log line with its id, user, route, status and
 * duration, and the id comes back in X-Request-Id and on the Chinese error page, while the error's stack
 * is logged on the server only; /healthz and /readyz answer a load balancer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "~/utils/db.server.ts";

import { killPortals, type Portal, startPortal, waitForHealth } from "../utils/portal-process.ts";
import { createUser } from "../utils/scenario.ts";
import { useFreshDatabase } from "../utils/test-database.ts";

const SECRET = "operations-test-session-secret-0123456789";
let portal: Portal;
let prisma: Db;

beforeAll(async () => {
  const fresh = await useFreshDatabase("postgres");
  prisma = fresh.prisma;
  portal = await startPortal({
    DATABASE_URL: fresh.url ?? "",
    DATA_DIR: fresh.dataDir,
    SESSION_SECRET: SECRET,
    DEMO: "0",
  });
  await waitForHealth(portal);
});
afterAll(() => killPortals());

const requestLines = () => portal.logLines().filter((l) => l.msg === "request");

describe("operations: production mode, request log, health", () => {
  it("logs one JSON line per request with its id (also in X-Request-Id), user, route, status and duration", async () => {
    const { user, email, password } = await createUser(prisma, ["staff"]);
    const login = await fetch(`${portal.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: portal.url },
      body: new URLSearchParams({ email, password }),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await fetch(`${portal.url}/staff/rounds`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const requestId = page.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => requestLines().find((l) => l.requestId === requestId))
      .toMatchObject({
        level: "info",
        userId: user.id,
        method: "GET",
        path: "/staff/rounds",
        route: "routes/staff.rounds._index",
        status: 200,
        durationMs: expect.any(Number),
      });
    // Late mail: counted on the dashboard, listed with 重新发送 on /staff/mail. After 12 failed attempts
    // it waits for its next one (15 minutes on): the portal's mail worker must not send it meanwhile.
    await prisma.outboxMessage.create({
      data: {
        to: "late@example.com",
        subject: "迟到的邮件",
        text: "x",
        attempts: 12,
        lastError: "connect ECONNREFUSED",
        nextAttemptAt: new Date(Date.now() + 15 * 60_000),
      },
    });
    const dashboard = await (await fetch(`${portal.url}/staff`, { headers: { Cookie: cookie } })).text();
    expect(dashboard).toMatch(/有 <!-- -->1<!-- --> 封邮件延迟或发送失败|有 1 封邮件延迟或发送失败/);
    const mailPage = await (await fetch(`${portal.url}/staff/mail`, { headers: { Cookie: cookie } })).text();
    expect(mailPage).toContain("late@example.com");
    expect(mailPage).toContain("迟到的邮件");
    expect(mailPage).toContain("重新发送");

    // Each request its own id.
    const again = await fetch(`${portal.url}/`);
    expect(again.headers.get("x-request-id")).not.toBe(requestId);
  });

  it("answers an unexpected error with the Chinese page and its reference, the stack only in the log", async () => {
    await prisma.$executeRawUnsafe(`ALTER TABLE "Round" RENAME TO "Round_gone"`);
    try {
      const response = await fetch(`${portal.url}/`);
      const html = await response.text();
      expect(response.status).toBe(500);
      const requestId = response.headers.get("x-request-id") ?? "";
      expect(html).toContain("系统出现错误");
      expect(html).toContain(`错误编号：<code>${requestId}</code>`);
      expect(response.headers.get("set-cookie")).toContain(`portal-error-ref=${requestId}`);
      // Production mode: no stack, no server path, no database message reaches the browser.
      expect(html).not.toMatch(/\bat [\w.<>]+ \(|\/node_modules\/|Round_gone|does not exist|Prisma/);
      expect(html).not.toContain(process.cwd());
      await expect
        .poll(() =>
          portal
            .logLines()
            .find((l) => l.level === "error" && l.requestId === requestId && l.msg === "unexpected error"),
        )
        .toBeTruthy();
      const logged = portal
        .logLines()
        .find((l) => l.level === "error" && l.requestId === requestId && l.msg === "unexpected error");
      expect(JSON.stringify(logged?.err)).toMatch(/stack/);
      await expect
        .poll(() => requestLines().find((l) => l.requestId === requestId))
        .toMatchObject({ status: 500, level: "error" });
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "Round_gone" RENAME TO "Round"`);
    }
  });

  it("/healthz answers while the process runs; /readyz checks the database, the store and the migrations", async () => {
    const health = await fetch(`${portal.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");

    const ready = await fetch(`${portal.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { database: "ok", storage: "ok", migrations: "ok", shutdown: "ok" },
    });

    // A migration the database lacks (an older database behind newer code): not ready.
    const [last] = await prisma.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = ${last?.id}`;
    const behind = await fetch(`${portal.url}/readyz`);
    expect(behind.status).toBe(503);
    expect(await behind.json()).toMatchObject({
      status: "not ready",
      checks: { database: "ok", migrations: "failed" },
    });
    await prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE id = ${last?.id}`;

    // SIGTERM: stops cleanly.
    expect(await portal.stop()).toBe(0);
  });
});
