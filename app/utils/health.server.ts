/**
 * Health endpoints for a load balancer or an orchestrator (README, "Operations"):
 * - GET /healthz: the process answers (liveness). No database, so a slow database does not get
 *   healthy instances restarted.
 * - GET /readyz: this instance can serve (readiness): the database answers, the file store is reachable,
 *   every shipped migration is applied, and the process is not shutting down. 200 or 503, with a JSON body
 *   naming each check; the reasons of a failure go to the log, not to the caller.
 */
import { Router } from "express";

import { logError } from "~/services/logger.server.ts";
import { objectStore } from "~/services/storage.server.ts";

import { db } from "./db.server.ts";
import { pendingMigrations } from "./migrations.server.ts";

type Check = "ok" | "failed";

const CHECK_TIMEOUT_MS = 3_000;

async function check(name: string, run: () => Promise<boolean>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} check timed out after ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    return (await Promise.race([run(), timeout])) ? "ok" : "failed";
  } catch (error) {
    logError(error, `readiness: ${name}`);
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(options: { root: string; draining: () => boolean }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  router.get("/readyz", async (_req, res) => {
    const [database, storage, migrations] = await Promise.all([
      check("database", async () => {
        await (
          await db()
        ).$queryRaw`SELECT 1`;
        return true;
      }),
      check("storage", async () => {
        await objectStore().checkReachable();
        return true;
      }),
      check("migrations", async () => {
        const pending = await pendingMigrations(await db(), options.root);
        if (pending.length > 0) logError(new Error(`pending: ${pending.join(", ")}`), "readiness: migrations");
        return pending.length === 0;
      }),
    ]);
    const checks = { database, storage, migrations, shutdown: options.draining() ? "failed" : "ok" };
    const ready = Object.values(checks).every((c) => c === "ok");
    res
      .status(ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}
