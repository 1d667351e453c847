/**
 * Periodic cleaning: the `*.part` files of uploads that never finished (a process killed mid-upload)
 * are removed when older than an hour, at start and every hour. Logged as a job when it removed any.
 */
import { logError, logger } from "./logger.server.ts";
import { FolderStore, type ObjectStore } from "./storage.server.ts";

export const STALE_PART_AGE_MS = 60 * 60_000;
const EVERY_MS = 60 * 60_000;

export function startHousekeeping(store: ObjectStore): () => void {
  if (!(store instanceof FolderStore)) return () => {};
  const run = async () => {
    const started = performance.now();
    try {
      const removed = await store.removeStaleParts(STALE_PART_AGE_MS);
      if (removed > 0)
        logger().info(
          { job: "remove-stale-parts", removed, durationMs: Math.round(performance.now() - started) },
          "job",
        );
    } catch (error) {
      logError(error, "remove-stale-parts");
    }
  };
  void run();
  const timer = setInterval(() => void run(), EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
