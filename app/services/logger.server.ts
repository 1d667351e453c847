/**
 * The process's log: one JSON line per event (pino), to stdout, for whatever collects the service's output
 * (journald, docker, a log shipper). One line per HTTP request (request-log.server.ts) and one per
 * background job (mail, similarity); errors carry their stack here and never reach the browser.
 * LOG_LEVEL sets the threshold (default info; "silent" in tests that do not read the log).
 *
 * The request context (request id, user id) is kept in an AsyncLocalStorage on globalThis, so that the
 * server script and the Remix build (two copies of this module) share it, like the database client.
 */
import { AsyncLocalStorage } from "node:async_hooks";

import { type Logger, pino } from "pino";

export type RequestContext = { requestId: string; userId?: string; routeId?: string };

declare global {
  var __subsidyPortalLogger: Logger | undefined;

  var __subsidyPortalRequestContext: AsyncLocalStorage<RequestContext> | undefined;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function level(): string {
  const wanted = process.env.LOG_LEVEL?.trim().toLowerCase();
  return LEVELS.find((l) => l === wanted) ?? "info";
}

/** The process's logger. */
export function logger(): Logger {
  globalThis.__subsidyPortalLogger ??= pino({
    level: level(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return globalThis.__subsidyPortalLogger;
}

function contextStorage(): AsyncLocalStorage<RequestContext> {
  globalThis.__subsidyPortalRequestContext ??= new AsyncLocalStorage<RequestContext>();
  return globalThis.__subsidyPortalRequestContext;
}

/** Runs `handle` with `context` as the current request's log context. */
export function withRequestContext<T>(context: RequestContext, handle: () => T): T {
  return contextStorage().run(context, handle);
}

/** The current request's log context, if the code runs inside a request. */
export function requestContext(): RequestContext | undefined {
  return contextStorage().getStore();
}

/** Records who made the current request (the session lookup calls this), for the request's log line. */
export function noteRequestUser(userId: string | null | undefined) {
  const context = requestContext();
  if (context && userId) context.userId = userId;
}

/** Records which route answered the current request. */
export function noteRequestRoute(routeId: string | undefined) {
  const context = requestContext();
  if (context && routeId) context.routeId = routeId;
}

/** Secrets in paths (invitation tokens) are not written to the log. */
export function loggablePath(path: string): string {
  return path.replace(/^\/invite\/[^/]+/, "/invite/:token");
}

/** Logs an error with its stack (server side only), with the current request's id when there is one. */
export function logError(error: unknown, message: string, fields: Record<string, unknown> = {}) {
  const context = requestContext();
  logger().error({ err: error, requestId: context?.requestId, userId: context?.userId, ...fields }, message);
}

/**
 * Runs one background job and logs one line for it: its kind, what it did, how long it took and how it
 * ended. A failure is logged with its stack and rethrown.
 */
export async function loggedJob<T>(
  job: string,
  fields: Record<string, unknown>,
  run: () => Promise<T>,
  describe?: (result: T) => Record<string, unknown>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    logger().info(
      { job, ...fields, ...describe?.(result), outcome: "done", durationMs: Math.round(performance.now() - started) },
      "job",
    );
    return result;
  } catch (error) {
    logger().error(
      { job, ...fields, err: error, outcome: "error", durationMs: Math.round(performance.now() - started) },
      "job",
    );
    throw error;
  }
}
