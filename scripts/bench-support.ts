/**
 * What the benchmarks share: a fresh PostgreSQL database of their own (or none, for PGlite), migrating
 * it as the portal does, the portal's production V8 flags, a free loopback port, and waiting for a URL to
 * answer.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");

/** The PostgreSQL server the benchmarks may make databases on (TEST_POSTGRES_URL, else DATABASE_URL). */
/**
 * The V8 flags production starts the portal with: the NODE_OPTIONS of package.json's `serve` script
 * (what `npm start` runs), read from there so that a benchmark measures the same process.
 */
function productionNodeFlags(): string[] {
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const serve: unknown = Reflect.get(Reflect.get(Object(manifest), "scripts") ?? {}, "serve");
  const options = typeof serve === "string" ? /NODE_OPTIONS="([^"$]*)/.exec(serve)?.[1] : undefined;
  if (options === undefined) throw new Error('package.json\'s "serve" script sets no NODE_OPTIONS');
  return options.split(/\s+/).filter(Boolean);
}

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
  // FORCE ends the portal's connections, but not an autovacuum worker still busy with the rows the
  // benchmark wrote ("must be a member of the role whose process is being terminated"): try again.
  const drop = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  return { url: url.toString(), drop };
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

/**
 * The portal's production build on loopback, as `npm run serve` starts it (its V8 flags included), in a
 * process of its own; answering once `/healthz` does. `env` is added to the benchmark's own environment;
 * `nodeArgs` go before the script (a CPU profile, say).
 */
export async function startPortal(options: {
  port: number;
  env: Record<string, string>;
  nodeArgs?: string[];
}): Promise<ChildProcess> {
  const portal = spawn(
    process.execPath,
    [...productionNodeFlags(), ...(options.nodeArgs ?? []), "--import", "tsx", "scripts/server.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(options.port),
        HOST: "127.0.0.1",
        PUBLIC_URL: `http://127.0.0.1:${options.port}`,
        NODE_ENV: "production",
        ...options.env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  try {
    await waitFor(`http://127.0.0.1:${options.port}/healthz`, 120_000);
  } catch (error) {
    portal.kill("SIGKILL");
    throw error;
  }
  return portal;
}
