/**
 * The data this branch's migration carries over, on PGlite and PostgreSQL: each provider's latest
 * per-application M7 becomes its provider-level summary table, listing the applications filed up to
 * that upload (a later one makes it stale) (R-MAT-2); results already confirmed as passed get their
 * payout stored (R-PAY-1); the 2022 and demo rounds require the paper copies (R-MAT-3).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { migrationAdapter } from "~/utils/database-adapter.server.ts";

import { adminQuery, PG_PREFIX, postgresUrlFor, TMP } from "../utils/test-database.ts";

const MIGRATION = "20261130093000_plan_parameters_summary_suspension";
const migrationsDir = path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations");
const database = `${PG_PREFIX}planmigration`;
const dir = path.join(TMP, "data-plan-migration");

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

const scriptOf = (name: string) => fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
const earlier = fs
  .readdirSync(migrationsDir)
  .filter((name) => fs.existsSync(path.join(migrationsDir, name, "migration.sql")) && name < MIGRATION)
  .sort();

const BEFORE = `
INSERT INTO "Round" (id, name, year, deadline, code, "perEnterpriseCapFen", "updatedAt", "isDemo")
  VALUES ('r2022', '2022年批次', 2022, '2022-12-20T15:59:59Z', '2022', 1000000, now(), false),
         ('rdemo', '演示批次', 2026, '2026-12-20T15:59:59Z', 'YS', 1000000, now(), true),
         ('rother', '另一批次', 2023, '2023-12-20T15:59:59Z', '2023', 800000, now(), false);
INSERT INTO "Organisation" (id, name, uscc, "contactName", "contactPhone", "contactEmail", "goodStandingDeclaredAt", "updatedAt")
  VALUES ('org', '服务商甲', '913703030000000001', '张三', '13800000000', 'a@example.test', now(), now());
INSERT INTO "RoundEnterprise" (id, "roundId", seq, name)
  VALUES ('e1', 'r2022', 1, '企业一'), ('e2', 'r2022', 2, '企业二'), ('e3', 'r2022', 3, '企业三'), ('e4', 'rother', 1, '企业四');
INSERT INTO "Application" (id, number, "roundId", "organisationId", "enterpriseId", "enterpriseUscc", "eligibilityConfirmedAt", "reportTitle",
    "contractAmountFen", "contractSignedOn", "diagnosisCompletedOn", "createdById", "createdAt", "updatedAt", "resultPassed", "resultConfirmedAt")
  VALUES ('a1', '2022-0001', 'r2022', 'org', 'e1', 'U1', now(), '报告', 1500000, '2022-09-01', '2022-09-20', 'u', '2022-11-01T00:00:00Z', now(), true, now()),
         ('a2', '2022-0002', 'r2022', 'org', 'e2', 'U2', now(), '报告', 500000, '2022-09-01', '2022-09-20', 'u', '2022-11-02T00:00:00Z', now(), NULL, NULL),
         ('a3', '2022-0003', 'r2022', 'org', 'e3', 'U3', now(), '报告', 500000, '2022-09-01', '2022-09-20', 'u', '2022-11-10T00:00:00Z', now(), NULL, NULL),
         ('a4', '2023-0001', 'rother', 'org', 'e4', 'U4', now(), '报告', 900000, '2022-09-01', '2022-09-20', 'u', '2022-11-01T00:00:00Z', now(), true, now());
INSERT INTO "StoredFile" (id, key, "fileName", "contentType", size, sha256, "createdAt")
  VALUES ('f1', 'k1', 'M7-早.pdf', 'application/pdf', 1, 'x', '2022-11-03T00:00:00Z'),
         ('f2', 'k2', 'M7-晚.pdf', 'application/pdf', 1, 'x', '2022-11-05T00:00:00Z');
INSERT INTO "ApplicationMaterial" (id, "applicationId", material, "fileId", "createdAt")
  VALUES ('m1', 'a1', 'M7', 'f1', '2022-11-03T00:00:00Z'), ('m2', 'a2', 'M7', 'f2', '2022-11-05T00:00:00Z');`;

describe.each(["pglite", "postgres"] as const)("the plan migration's data on %s", (variant) => {
  it("R-MAT-2 R-PAY-1 R-MAT-3 carries M7, confirmed payouts and the paper-copy requirement over", async () => {
    if (variant === "postgres") {
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await adminQuery(`CREATE DATABASE ${database}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const adapter = await (
      await migrationAdapter(variant === "postgres" ? postgresUrlFor(database) : undefined, dir)
    ).connect();
    try {
      for (const name of earlier) await adapter.executeScript(scriptOf(name));
      await adapter.executeScript(BEFORE);
      await adapter.executeScript(scriptOf(MIGRATION));
      const rows = async (sql: string) => (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows;

      // One table for the provider in the 2022 round: the latest M7 (f2), listing a1 and a2 (a3 came later).
      const tables = await rows(
        `SELECT "roundId", "fileId", "applicationIds"::text, digest FROM "ProviderSummaryTable" ORDER BY "roundId"`,
      );
      expect(tables).toHaveLength(1);
      const [roundId, fileId, ids, digest] = tables[0] ?? [];
      expect([roundId, fileId]).toEqual(["r2022", "f2"]);
      expect(JSON.parse(String(ids))).toEqual(["a1", "a2"]);
      expect(digest).toBe(crypto.createHash("sha256").update("a1\na2").digest("hex"));
      // The per-application rows stay as they were filed.
      expect(
        await rows(`SELECT count(*)::int FROM "ApplicationMaterial" WHERE material = 'M7' AND "removedAt" IS NULL`),
      ).toEqual([[2]]);

      // R-PAY-1: each round's own cap.
      expect(await rows(`SELECT id, "payoutAmountFen" FROM "Application" ORDER BY id`)).toEqual([
        ["a1", 1_000_000],
        ["a2", null],
        ["a3", null],
        ["a4", 800_000],
      ]);
      // R-MAT-3: the 2022 and demo rounds require the paper copies; others do not.
      expect(await rows(`SELECT id, "paperCopiesRequired" FROM "Round" ORDER BY id`)).toEqual([
        ["r2022", true],
        ["rdemo", true],
        ["rother", false],
      ]);
    } finally {
      await adapter.dispose();
    }
  });
});
