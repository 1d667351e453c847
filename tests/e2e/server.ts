/**
 * The portal as the browser tests see it: a fresh PostgreSQL database, a fresh data folder, demo data
 * (whose generated passwords land in DATA_DIR/demo-accounts.txt), then scripts/server.ts itself.
 */
import fs from "node:fs";
import pg from "pg";
import { E2E_DATA_DIR, E2E_DATABASE, E2E_PORT, E2E_SESSION_SECRET, e2eDatabaseUrl } from "./env.ts";

const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${E2E_DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${E2E_DATABASE}`);
await admin.end();
fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
fs.mkdirSync(E2E_DATA_DIR, { recursive: true });

Object.assign(process.env, {
  DATABASE_URL: e2eDatabaseUrl(),
  DATA_DIR: E2E_DATA_DIR,
  DEMO: "1",
  PORT: String(E2E_PORT),
  HOST: "127.0.0.1",
  PUBLIC_URL: `http://127.0.0.1:${E2E_PORT}`,
  SESSION_SECRET: E2E_SESSION_SECRET,
  MAIL_WORKER_INTERVAL_MS: "300",
  NODE_ENV: "production",
});
await import("../../scripts/server.ts");
