/**
 * The portal as the browser tests see it: a fresh PostgreSQL database, a fresh data folder, demo data
 * (whose generated passwords land in DATA_DIR/demo-accounts.txt), then scripts/server.ts itself.
 */
import fs from "node:fs";
import path from "node:path";

import pg from "pg";
import { SMTPServer } from "smtp-server";

import { E2E_DATA_DIR, E2E_DATABASE, E2E_PORT, E2E_SESSION_SECRET, E2E_SMTP_PORT, e2eDatabaseUrl } from "./env.ts";

const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${E2E_DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${E2E_DATABASE}`);
await admin.end();
fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
fs.mkdirSync(E2E_DATA_DIR, { recursive: true });

// A real SMTP server for the portal's mail; every message lands as an .eml file the tests read.
const inbox = path.join(E2E_DATA_DIR, "inbox");
fs.mkdirSync(inbox, { recursive: true });
let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      fs.writeFileSync(path.join(inbox, `${String(++received).padStart(4, "0")}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(E2E_SMTP_PORT, "127.0.0.1", resolve));

// E2E_STORE=s3: files go to a real S3 API server (s3rver) instead of the folder store (issue 17).
if (process.env.E2E_STORE === "s3") {
  const { default: S3rver } = await import("s3rver");
  const directory = path.join(E2E_DATA_DIR, "s3");
  fs.mkdirSync(directory, { recursive: true });
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", directory, silent: true });
  const address = await s3.run();
  Object.assign(process.env, {
    S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
    S3_BUCKET: "portal-e2e",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
  });
}

Object.assign(process.env, {
  SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
  DATABASE_URL: e2eDatabaseUrl(),
  DATA_DIR: E2E_DATA_DIR,
  DEMO: "1",
  PORT: String(E2E_PORT),
  HOST: "127.0.0.1",
  PUBLIC_URL: `http://127.0.0.1:${E2E_PORT}`,
  SESSION_SECRET: E2E_SESSION_SECRET,
  MAIL_WORKER_INTERVAL_MS: "300",
  NODE_ENV: "production",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
});
await import("../../scripts/server.ts");
