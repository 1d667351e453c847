/**
 * Once per `vitest run`: migrated templates of both databases, made with the real Prisma CLI
 * (`migrate deploy`), so every database test starts from exactly what production migrations build.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

const root = path.resolve(import.meta.dirname, "..", "..");
const tmp = path.join(root, "tests", ".tmp");

function migrate(env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy", "--config", "prisma/prisma.config.ts"],
    { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
}

function migrationsHash(): string {
  const dir = path.join(root, "prisma", "migrations");
  const hash = crypto.createHash("sha256");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  process.env.TZ = "UTC";
  fs.mkdirSync(tmp, { recursive: true });
  // Each run keeps its data under run-<pid>; folders of runs that are gone are removed.
  for (const entry of fs.readdirSync(tmp)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1] ?? NaN);
    if (Number.isInteger(pid) && !pidAlive(pid)) fs.rmSync(path.join(tmp, entry), { recursive: true, force: true });
  }
  const runDir = path.join(tmp, `run-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });
  process.env.TEST_RUN_DIR = runDir;

  // PGlite template, rebuilt when the migrations change.
  const template = path.join(tmp, "pglite-template");
  const stamp = path.join(template, "migrations.sha256");
  const hash = migrationsHash();
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== hash) {
    fs.rmSync(template, { recursive: true, force: true });
    fs.mkdirSync(template, { recursive: true });
    migrate({ DATA_DIR: template, DATABASE_URL: "" });
    fs.writeFileSync(stamp, hash);
  }

  // PostgreSQL databases carry this run's prefix (pt<pid>_), so two runs on one server (two checkouts,
  // or CI beside a developer) never drop each other's; databases of runs that are gone are dropped.
  // Without TEST_POSTGRES_URL (a unit-test run by hand) the PostgreSQL variant of every database test
  // fails loudly in useFreshDatabase; `npm test` always sets it.
  const prefix = `pt${process.pid}_`;
  process.env.TEST_PG_PREFIX = prefix;
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dropDatabases = async (which: (name: string) => boolean) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^(pt[0-9]+_|portal_test_)'",
    );
    for (const row of rows)
      if (which(row.datname)) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  };
  const ownDatabase = (name: string) => name.startsWith(prefix);
  const staleDatabase = (name: string) => {
    const pid = Number(/^pt(\d+)_/.exec(name)?.[1] ?? NaN);
    return name.startsWith("portal_test_") || (Number.isInteger(pid) && !pidAlive(pid));
  };
  try {
    await dropDatabases(staleDatabase);
    await admin.query(`CREATE DATABASE ${prefix}template`);
    const url = new URL(adminUrl);
    url.pathname = `/${prefix}template`;
    migrate({ DATABASE_URL: url.toString() });
  } catch (error) {
    await admin.end();
    throw error;
  }

  return async () => {
    await dropDatabases(ownDatabase);
    await admin.end();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
