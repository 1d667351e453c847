/**
 * The migration adapters: a script runs whole and atomically, and a failing script is reported as failed
 * (never recorded as applied), on PGlite and on PostgreSQL.
 */
import fs from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { migrationAdapter } from "~/utils/database-adapter.server.ts";

import { adminQuery, PG_PREFIX, postgresUrlFor, TMP } from "../utils/test-database.ts";

const database = `${PG_PREFIX}migrations`;

const dir = path.join(TMP, "data-migrations");
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

describe.each(["pglite", "postgres"] as const)("migration adapter on %s", (variant) => {
  async function connect() {
    if (variant === "postgres") {
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await adminQuery(`CREATE DATABASE ${database}`);
      return (await migrationAdapter(postgresUrlFor(database), dir)).connect();
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return (await migrationAdapter(undefined, dir)).connect();
  }

  it("runs a script with a dollar-quoted function body whole", async () => {
    const adapter = await connect();
    await adapter.executeScript(`
      CREATE TABLE t (id int);
      CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no; never'; END; $$ LANGUAGE plpgsql;
      CREATE TRIGGER t_refuse BEFORE DELETE ON t FOR EACH ROW EXECUTE FUNCTION refuse();
      INSERT INTO t VALUES (1);`);
    const rows = await adapter.queryRaw({ sql: "SELECT count(*)::int AS n FROM t", args: [], argTypes: [] });
    expect(rows.rows).toEqual([[1]]);
    await adapter.dispose();
  });

  it("reports a failing script as failed, and applies none of it", async () => {
    const adapter = await connect();
    await expect(adapter.executeScript("CREATE TABLE u (id int); SELEKT nonsense;")).rejects.toThrow();
    const rows = await adapter.queryRaw({ sql: "SELECT to_regclass('u')::text AS t", args: [], argTypes: [] });
    expect(rows.rows).toEqual([[null]]);
    await adapter.dispose();
  });
});
