/**
 * What the benchmarks share: a fresh PostgreSQL database of their own (or none, for PGlite), migrating
 * it as the portal does, a free loopback port, and waiting for a URL to answer.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import path from "node:path";

import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");

/** The PostgreSQL server the benchmarks may make databases on (TEST_POSTGRES_URL, else DATABASE_URL). */
export function postgresAdminUrl(): string | undefined {
  return [process.env.TEST_POSTGRES_URL, process.env.DATABASE_URL].find((url) => url?.startsWith("postgres"));
}

/**
 * A new, empty PostgreSQL database named `<prefix>_<random>` and the way to drop it; `{ url: "" }` (the
 * embedded PGlite) when no server is configured.
 */
export async function makeBenchDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) return { url: "", drop: async () => {} };
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Applies the migrations with Prisma's CLI, as `npm start` does (`env`: DATABASE_URL or DATA_DIR). */
export function migrateBenchDatabase(env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy", "--config", "prisma/prisma.config.ts"],
    { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(address && typeof address === "object" ? address.port : 0));
    });
  });
}

export async function waitFor(url: string, timeoutMs: number) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}`);
}
