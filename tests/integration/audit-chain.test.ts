/**
 * R-LOG-1 tamper evidence, on both databases: every audit entry is chained to the previous one by a hash
 * computed in the inserting transaction, also under concurrent writers; `npm run audit:verify` reports
 * the first broken link and exits non-zero after a row is altered through the owner role. On PostgreSQL
 * the runtime role (DATABASE_URL) owns no table and may only SELECT and INSERT the audit table.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { recordAudit, verifyAuditChain } from "~/models/audit.server.ts";
import { grantRuntimeRole, roleOf } from "~/utils/database-roles.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

function runtimeUrlFor(ownerUrl: string): string {
  const runtime = process.env.TEST_POSTGRES_RUNTIME_URL;
  if (!runtime)
    throw new Error("TEST_POSTGRES_RUNTIME_URL is not set: source scripts/test-postgres.sh (it creates the role)");
  const url = new URL(runtime);
  url.pathname = new URL(ownerUrl).pathname;
  return url.toString();
}

function auditVerify(databaseUrl: string) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, MIGRATION_DATABASE_URL: "" },
      encoding: "utf8",
    },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.each(VARIANTS)("R-LOG-1 audit hash chain on %s", (variant) => {
  let prisma: Db;
  let url: string | undefined;
  beforeAll(async () => {
    ({ prisma, url } = await useFreshDatabase(variant));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const write = (i: number) =>
    prisma.$transaction(async (tx) => {
      await recordAudit(tx, {
        actor: { id: "u1", name: "张三" },
        action: "round.update",
        entityType: "round",
        entityId: `r${i}`,
        before: { n: i },
        after: { n: i + 1, 名称: "批次" },
        reason: i % 2 ? undefined : "原因",
      });
    });

  it("R-LOG-1 chains entries written by concurrent transactions, in id order", async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => write(i)));
    const rows = await prisma.auditEntry.findMany({
      orderBy: { id: "asc" },
      select: { id: true, prevHash: true, hash: true },
    });
    expect(rows.length).toBeGreaterThanOrEqual(25);
    rows.forEach((row, i) => {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prevHash).toBe(i === 0 ? null : rows[i - 1]?.hash);
    });
    expect(await verifyAuditChain(prisma)).toEqual({
      ok: true,
      entries: rows.length,
      head: rows[rows.length - 1]?.hash,
    });
  });

  it("R-LOG-1 a row altered behind the triggers' back is found, with its id", async () => {
    // Its own three entries (it does not lean on the previous test's): the middle one is altered.
    for (const i of [100, 101, 102]) await write(i);
    const second = await prisma.auditEntry.findFirst({ where: { entityId: "r101" } });
    if (!second) throw new Error("no entries");
    if (variant === "postgres" && url) {
      // The runtime role owns nothing: it cannot disable the trigger, update or delete the record.
      await grantRuntimeRole(url, roleOf(runtimeUrlFor(url)));
      const runtime = runtimeUrlFor(url);
      await expect(
        query(runtime, `ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_no_update_delete"`),
      ).rejects.toThrow(/owner/);
      await expect(query(runtime, `UPDATE "AuditEntry" SET reason = 'x' WHERE id = ${second.id}`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(query(runtime, `DELETE FROM "AuditEntry" WHERE id = ${second.id}`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(query(runtime, `TRUNCATE "AuditEntry"`)).rejects.toThrow(/permission denied/);
      // It can read and append, and the appended entry is chained.
      await query(
        runtime,
        `INSERT INTO "AuditEntry" (at, action, "entityType", "entityId") VALUES (now(), 'round.update', 'round', 'by-runtime')`,
      );
      expect((await query(runtime, `SELECT count(*)::int AS n FROM "AuditEntry"`)).rows[0]).toMatchObject({
        n: expect.any(Number),
      });
      const clean = auditVerify(runtime);
      expect(clean.output).toContain("audit_chain=ok");
      expect(clean.status).toBe(0);

      // The owner can still alter a row: audit:verify (run under the runtime role) sees it.
      await query(
        url,
        `ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_no_update_delete"; UPDATE "AuditEntry" SET after = '{"n": 999}' WHERE id = ${second.id}; ALTER TABLE "AuditEntry" ENABLE TRIGGER "AuditEntry_no_update_delete"`,
      );
      const broken = auditVerify(runtime);
      expect(broken.status).toBe(1);
      expect(broken.output).toContain(`first_broken_id=${second.id}`);
    } else {
      await prisma.$executeRawUnsafe(`ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_no_update_delete"`);
      await prisma.$executeRawUnsafe(`DELETE FROM "AuditEntry" WHERE id = ${second.id}`);
      await prisma.$executeRawUnsafe(`ALTER TABLE "AuditEntry" ENABLE TRIGGER "AuditEntry_no_update_delete"`);
      const report = await verifyAuditChain(prisma);
      expect(report).toMatchObject({ ok: false });
      if (report.ok) return;
      expect(report.brokenAt).toBeGreaterThan(second.id);
      expect(report.message).toContain(`does not follow`);
    }
  });
});
