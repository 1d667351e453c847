/**
 * Periodic cleaning, at start and every hour: the `*.part` files of uploads that never finished (a process
 * killed mid-upload) are removed when older than an hour; the embedded database's planner statistics are
 * refreshed (db.server.ts `analyseEmbeddedDatabase`: PGlite has no autovacuum). Each logged as a job when
 * it did something.
 */
import { analyseEmbeddedDatabase } from "~/utils/db.server.ts";

import { logError, logger } from "./logger.server.ts";
import { FolderStore, type ObjectStore } from "./storage.server.ts";

export const STALE_PART_AGE_MS = 60 * 60_000;
const EVERY_MS = 60 * 60_000;

async function removeStaleParts(store: ObjectStore) {
  if (!(store instanceof FolderStore)) return;
  const started = performance.now();
  try {
    const removed = await store.removeStaleParts(STALE_PART_AGE_MS);
    if (removed > 0)
      logger().info({ job: "remove-stale-parts", removed, durationMs: Math.round(performance.now() - started) }, "job");
  } catch (error) {
    logError(error, "remove-stale-parts");
  }
}

async function analyse() {
  const started = performance.now();
  try {
    if (await analyseEmbeddedDatabase())
      logger().info({ job: "analyse", durationMs: Math.round(performance.now() - started) }, "job");
  } catch (error) {
    logError(error, "analyse");
  }
}

export function startHousekeeping(store: ObjectStore): () => void {
  const run = async () => {
    await removeStaleParts(store);
    await analyse();
  };
  void run();
  const timer = setInterval(() => void run(), EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
