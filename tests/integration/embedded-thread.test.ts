/**
 * The embedded PGlite works on a thread of its own (app/utils/pglite-thread.server.ts): while it runs a
 * query the request thread goes on serving others, and through the thread the portal sees the database as
 * it did in place: results, the driver's errors (a duplicate is still recognised as one), transactions
 * that commit or roll back, and a clear error once the database is closed.
 */
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  closeDatabase,
  type Db,
  directRows,
  type Handle,
  isUniqueViolation,
  openDatabase,
  Prisma,
} from "~/utils/db.server.ts";

import { createRound } from "../utils/scenario.ts";
import { PGLITE_TEMPLATE, TMP, useFreshDatabase } from "../utils/test-database.ts";

describe("the embedded database's thread", () => {
  let prisma: Db;
  beforeAll(async () => {
    ({ prisma } = await useFreshDatabase("pglite"));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("leaves the request thread free while a query runs", async () => {
    // A query of about a second; on the request thread, no timer could fire until it ended.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const [row] = await directRows<{ n: bigint }>(
      Prisma.sql`SELECT count(*) AS n FROM generate_series(1, 4000000) g WHERE g % 7 = 0`,
    );
    const took = performance.now() - started;
    clearInterval(timer);
    expect(row?.n).toBe(571428n);
    expect(took).toBeGreaterThan(200);
    // Timers fire all along (at least a quarter of their 10 ms slots: the machine may be busy).
    expect(ticks).toBeGreaterThan(took / 10 / 4);
  });

  it("passes the driver's errors through: a duplicate is recognised, a bad query names its SQLSTATE", async () => {
    const round = await createRound(prisma, { enterprises: ["线程测试企业"] });
    const duplicate = await prisma.round
      .create({ data: { name: round.name, code: "THREADDUP", year: 2026, status: "open", deadline: new Date() } })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(duplicate)).toBe(true);
    const division = await directRows(Prisma.sql`SELECT 1 / 0`).then(
      () => null,
      (error: unknown) => error,
    );
    expect(division).toBeInstanceOf(Error);
    expect(String((division as Error).message)).toMatch(/division by zero/);
  });

  it("commits a transaction, and rolls back one that throws", async () => {
    await prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { email: "thread-commit@example.test", name: "提交", roles: ["staff"] } });
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { email: "thread-rollback@example.test", name: "回滚", roles: ["staff"] } });
        throw new Error("撤销");
      }),
    ).rejects.toThrow("撤销");
    const emails = (await prisma.user.findMany({ where: { email: { startsWith: "thread-" } } })).map((u) => u.email);
    expect(emails).toEqual(["thread-commit@example.test"]);
  });
});

describe("a closed embedded database", () => {
  it("refuses further queries with an error instead of leaving them waiting", async () => {
    const dataDir = path.join(TMP, `thread-closed-${process.pid}`);
    fs.cpSync(path.join(PGLITE_TEMPLATE, "db"), path.join(dataDir, "db"), { recursive: true });
    const handle: Handle = await openDatabase({ dataDir });
    expect(await handle.directRows({ text: "SELECT 1 AS one", values: [] })).toEqual([{ one: 1 }]);
    await handle.close();
    await expect(handle.directRows({ text: "SELECT 1 AS one", values: [] })).rejects.toThrow(/thread exited/);
  });
});
