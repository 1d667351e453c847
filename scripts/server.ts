/**
 * The portal's process: validates configuration, takes the embedded database's lock, applies pending
 * migrations (Prisma CLI), seeds idempotently, starts the mail worker and serves the Remix build with
 * Express. SIGINT/SIGTERM close the HTTP server, the worker and the database (PGlite keeps Node alive
 * otherwise). Same shape as React Router 7's Express server (README, decision 1).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

import { startHousekeeping } from "../app/services/housekeeping.server.ts";
import { startMailWorker } from "../app/services/mail.server.ts";
import { startOcrWorker } from "../app/services/ocr.server.ts";
import { startSimilarityWorker } from "../app/services/similarity.server.ts";
import { objectStore, S3Store } from "../app/services/storage.server.ts";
import { now } from "../app/utils/clock.server.ts";
import { checkSameOrigin } from "../app/utils/csrf.server.ts";
import { acquireDataFolderLock, databaseTarget, DataFolderLockedError } from "../app/utils/database-adapter.server.ts";
import { grantRuntimeRole, roleOf } from "../app/utils/database-roles.server.ts";
import { closeDatabase, db } from "../app/utils/db.server.ts";
import { ConfigError, env } from "../app/utils/env.server.ts";
import { healthRoutes } from "../app/utils/health.server.ts";
import { pendingMigrations, withMigrationLock } from "../app/utils/migrations.server.ts";
import { requestLog } from "../app/utils/request-log.server.ts";
import { inRequestScope } from "../app/utils/request-scope.server.ts";
import { baseSecurityHeaders, dropUntrustedForwardedHeaders } from "../app/utils/security-headers.server.ts";
import { continueCheck, uploadLimit } from "../app/utils/upload-limit.server.ts";
import { loadDemoScenario } from "../seeds/demo-scenario.server.ts";
import { seed } from "../seeds/seed.server.ts";
import { portalErrorHandler, refuseNonFormBodies } from "./request-errors.ts";

// Times are Asia/Shanghai on the server, whatever the machine's zone (the holiday calendar package also
// computes wrongly west of UTC).
process.env.TZ = "Asia/Shanghai";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: ReturnType<typeof env>;
try {
  config = env();
} catch (error) {
  if (error instanceof ConfigError) fail(`配置错误 / ${error.message}`);
  throw error;
}

const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
if (target.kind === "pglite") {
  try {
    acquireDataFolderLock(target.dir);
  } catch (error) {
    if (error instanceof DataFolderLockedError) fail(error.message);
    throw error;
  }
  process.env.PORTAL_LOCK_OWNER = String(process.pid);
}

async function migrate() {
  const pending = await pendingMigrations(await db(), root);
  if (pending.length === 0) return;
  // The CLI opens the database itself: close ours first (PGlite is one instance per folder).
  await closeDatabase();
  console.log(`正在应用数据库迁移：${pending.join(", ")}`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy", "--config", "prisma/prisma.config.ts"],
    { cwd: root, env: process.env, encoding: "utf8" },
  );
  if (result.status !== 0) fail(`数据库迁移失败 / migration failed:\n${result.stdout}\n${result.stderr}`);
}

let stopping = false;

async function main() {
  // The bucket first: the demo scenario stores its files while the database is prepared.
  const store = objectStore();
  if (store instanceof S3Store) await store.ensureBucket().catch((e: unknown) => console.warn("S3 bucket check:", e));
  const prepare = async () => {
    await migrate();
    // R-LOG-1: migrations ran as the owner; the portal's own role may only read and append the audit record.
    if (config.MIGRATION_DATABASE_URL && config.DATABASE_URL)
      await grantRuntimeRole(config.MIGRATION_DATABASE_URL, roleOf(config.DATABASE_URL));
    const prisma = await db();
    const seeded = await seed(prisma, {
      demo: config.demo,
      dataDir: config.DATA_DIR,
      now: now(),
      log: (l) => console.log(l),
    });
    for (const name of seeded.created) console.log(`已载入：${name}`);
    if (config.demo) await loadDemoScenario(prisma, { log: (l) => console.log(l) });
  };
  // Several instances on one PostgreSQL: one migrates and seeds while the others wait, then find nothing to do.
  if (target.kind === "postgres") await withMigrationLock(target.url, prepare);
  else await prepare();

  const stopMail = startMailWorker(db);
  const stopSimilarity = startSimilarityWorker(db);
  const stopHousekeeping = startHousekeeping(store);
  const stopOcr = startOcrWorker(db);

  const build: ServerBuild = await import(path.join(root, "build/index.js"));
  const app = express();
  app.disable("x-powered-by");
  if (config.TRUST_PROXY) app.set("trust proxy", true);
  app.use(requestLog({ trustIncomingId: config.TRUST_PROXY }));
  app.use(uploadLimit({ maxFileBytes: config.maxUploadBytes }));
  const securityHeaders = baseSecurityHeaders({ https: config.publicUrl.startsWith("https://") });
  app.use((req, res, next) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    dropUntrustedForwardedHeaders(req.headers, config.TRUST_PROXY);
    // The client's address reaches Remix through a header only the server sets.
    req.headers["x-portal-remote-address"] = req.socket.remoteAddress ?? "unknown";
    const refusal = checkSameOrigin({
      method: req.method,
      origin: req.get("origin"),
      secFetchSite: req.get("sec-fetch-site"),
      host: req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host"),
      publicUrl: config.publicUrl,
    });
    if (refusal) {
      res.status(403).type("text/plain; charset=utf-8").send(refusal);
      return;
    }
    next();
  });
  app.use(refuseNonFormBodies);
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  // The other files of public/ (the icons) have a name with an extension; a page's path has none, so a
  // page request does not look for a file first.
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  app.use(healthRoutes({ root, draining: () => stopping }));
  const handleRequest = createRequestHandler({
    build,
    mode: config.NODE_ENV === "production" ? "production" : "development",
  });
  // Each request in its own scope, so that a page's loaders share what they look up (the session user).
  app.all("*", (req, res, next) => inRequestScope(req.method, () => handleRequest(req, res, next)));
  app.use(portalErrorHandler);

  const server = app.listen(config.PORT, config.HOST, () => {
    console.log(
      `智能化改造咨询诊断补助申报平台已启动：http://localhost:${config.PORT}` +
        `（${target.kind === "pglite" ? `嵌入式数据库 ${target.dir}` : "PostgreSQL"}，` +
        `文件存储：${store.kind === "s3" ? "S3" : path.resolve(config.DATA_DIR, "files")}，` +
        `邮件：${config.SMTP_URL ? "SMTP" : path.resolve(config.DATA_DIR, "mail")}；${Date.now() - started} ms）`,
    );
  });
  continueCheck(server, { maxFileBytes: config.maxUploadBytes });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，正在关闭……`);
    server.close();
    server.closeAllConnections();
    await stopMail();
    await stopSimilarity();
    stopHousekeeping();
    await stopOcr();
    await closeDatabase();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
