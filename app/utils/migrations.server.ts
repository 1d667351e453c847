/**
 * Which migrations the database lacks, and a lock so that several instances starting at once apply them
 * once: on PostgreSQL a session advisory lock held (on its own connection) while one instance checks and
 * migrates; the others wait, then find nothing pending. PGlite has one process per folder anyway.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

import type { Db } from "./db.server.ts";

/** The migration folders shipped with the code, in order. */
export function shippedMigrations(root: string): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return fs
    .readdirSync(dir)
    .filter((name) => fs.statSync(path.join(dir, name)).isDirectory())
    .sort();
}

/** The shipped migrations the database has not applied (all of them when it has no migrations table). */
export async function pendingMigrations(prisma: Db, root: string): Promise<string[]> {
  const wanted = shippedMigrations(root);
  try {
    const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((r) => r.migration_name));
    return wanted.filter((name) => !applied.has(name));
  } catch {
    return wanted; // no migrations table yet
  }
}

/** An arbitrary constant naming the portal's migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 72_707_370;

/** Runs `migrate` holding the PostgreSQL migration lock (waits while another instance holds it). */
export async function withMigrationLock<T>(databaseUrl: string, migrate: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    return await migrate();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Applies the pending migrations with Prisma's CLI (the database must not be open in this process on PGlite). */
export function runMigrateDeploy(root: string): { ok: boolean; output: string } {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy", "--config", "prisma/prisma.config.ts"],
    { cwd: root, env: process.env, encoding: "utf8" },
  );
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}
