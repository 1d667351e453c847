/**
 * Express middleware: every request gets an id (X-Request-Id, in the response too) and one JSON log line
 * when it ends: request id, user id, method, path, Remix route, status, duration. A 5xx answer also sets a
 * short-lived cookie with its id, which the Chinese error page shows (the error boundary cannot read
 * response headers after a client-side navigation), so a user's report leads to the log line and its stack.
 */
import { randomUUID } from "node:crypto";

import type { RequestHandler } from "express";

import { loggablePath, logger, type RequestContext, withRequestContext } from "~/services/logger.server.ts";

import { ERROR_REFERENCE_COOKIE } from "./error-reference.ts";

const QUIET = /^\/(healthz|readyz|build\/|favicon\.ico)/;

export function requestLog(options: { trustIncomingId: boolean }): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId =
      options.trustIncomingId && incoming && /^[A-Za-z0-9._:-]{8,100}$/.test(incoming) ? incoming : randomUUID();
    // Remix reads the id from the request (the root loader hands it to the error page).
    req.headers["x-request-id"] = requestId;
    res.setHeader("X-Request-Id", requestId);
    const context: RequestContext = { requestId };
    // The whole path as the client sent it (req.path is cut short inside mounted middleware).
    const requestPath = loggablePath(req.originalUrl.split("?")[0] ?? "/");
    const started = performance.now();

    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      const status = typeof args[0] === "number" ? args[0] : res.statusCode;
      if (status >= 500 && !res.headersSent) {
        res.append("Set-Cookie", `${ERROR_REFERENCE_COOKIE}=${requestId}; Path=/; Max-Age=300; SameSite=Lax`);
      }
      return writeHead.apply(this, args);
    } as typeof res.writeHead;

    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const line = {
        requestId,
        userId: context.userId,
        method: req.method,
        path: requestPath,
        route: context.routeId,
        status,
        durationMs: Math.round(performance.now() - started),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (status >= 500) logger().error(line, "request");
      else if (QUIET.test(requestPath)) logger().debug(line, "request");
      else logger().info(line, "request");
    };
    res.on("finish", done);
    res.on("close", done);
    withRequestContext(context, () => next());
  };
}
