/**
 * Request bodies over the limit (MAX_UPLOAD_MB plus room for a form's other fields) are refused with 413
 * as soon as the size is known, and the rest is not read:
 * - declared: a Content-Length over the limit is answered before the body is read; with
 *   `Expect: 100-continue` before the client sends it (the server's checkContinue, see continueCheck);
 * - counted: the upload code stops at the limit (storage.server.ts UploadTooLargeError) and the route
 *   answers 413.
 * Either way, once the answer is sent the connection reads at most DRAIN_BYTES more (or DRAIN_MS), so the
 * client can read the answer, and is then closed: a client that keeps sending does not keep the server busy.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

import type { Request, RequestHandler } from "express";

export const DRAIN_BYTES = 1024 * 1024;
export const DRAIN_MS = 5_000;
/** Room for the other fields of a multipart form around the largest file. */
export const FORM_ENVELOPE_BYTES = 256 * 1024;

function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers["content-length"];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function tooLargeMessage(maxFileBytes: number) {
  return `上传的文件超过大小上限 ${Math.round(maxFileBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`;
}

/** Answers 413 in the form the caller reads: JSON for the upload endpoints, a Chinese page otherwise. */
function refuse(req: IncomingMessage, res: ServerResponse, maxFileBytes: number) {
  const message = tooLargeMessage(maxFileBytes);
  const wantsJson = (req.url ?? "").startsWith("/resources/");
  const body = wantsJson
    ? JSON.stringify({ ok: false, error: message })
    : `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>文件过大 · 智能化改造咨询诊断补助申报平台</title></head>` +
      `<body><h1>文件过大</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`;
  res.statusCode = 413;
  res.setHeader("Content-Type", wantsJson ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

/**
 * After the answer: read at most DRAIN_BYTES more of an unfinished body (or wait DRAIN_MS), then close.
 * Called on the response's "prefinish": reading from then on keeps Node from discarding the rest of the
 * body unseen (and unbounded) as it does for a keep-alive connection on "finish".
 */
/** How long a refused connection stays half-closed before it is cut. */
const CLOSE_GRACE_MS = 1000;

export function drainBounded(req: IncomingMessage, limits = { bytes: DRAIN_BYTES, ms: DRAIN_MS }) {
  if (req.complete || req.destroyed) return;
  let drained = 0;
  const socket = req.socket;
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    clearTimeout(timer);
    // Stop reading, send FIN after the answer, and cut the connection a moment later: destroying at once
    // with unread bytes sends a reset that can make the client lose the 413 it has not read yet.
    req.pause();
    socket.end();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  };
  const timer = setTimeout(close, limits.ms);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limits.bytes) close();
  });
  req.on("end", () => clearTimeout(timer));
  req.on("error", () => clearTimeout(timer));
  req.resume();
}

export function uploadLimit(options: { maxFileBytes: number }): RequestHandler {
  const maxBodyBytes = options.maxFileBytes + FORM_ENVELOPE_BYTES;
  return (req: Request, res, next) => {
    // Whatever answered (413 here or from the route, or any early answer), unread body is bounded.
    res.on("prefinish", () => drainBounded(req));
    const declared = declaredLength(req);
    if (declared !== undefined && declared > maxBodyBytes) {
      refuse(req, res, options.maxFileBytes);
      return;
    }
    next();
  };
}

/**
 * `Expect: 100-continue`: refuse a declared oversize body before the client sends it; otherwise tell the
 * client to go on and handle the request as usual.
 */
export function continueCheck(server: Server, options: { maxFileBytes: number }) {
  const maxBodyBytes = options.maxFileBytes + FORM_ENVELOPE_BYTES;
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const declared = declaredLength(req);
    if (declared !== undefined && declared > maxBodyBytes) {
      res.setHeader("Connection", "close");
      refuse(req, res, options.maxFileBytes);
      return;
    }
    res.writeContinue();
    server.emit("request", req, res);
  });
}
