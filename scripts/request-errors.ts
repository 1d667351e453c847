/**
 * What the portal answers, at the Express level, to requests it cannot serve: always its own short
 * Chinese page or message, never Express's English stack trace or a server path.
 *   - a body that is not a form (JSON, XML, text …) sent to a page → 415;
 *   - a path that is not valid percent-encoding (`/notice/%E0%A4%A`) → 400;
 *   - a body over a limit → 413; anything else that reaches Express → 500.
 * Broken multipart bodies and NUL characters in fields are refused by the pages themselves
 * (app/utils/form-data.server.ts); a full or read-only disk by the storage (StorageUnavailableError, 503).
 */
import type { ErrorRequestHandler, RequestHandler, Response } from "express";

const PORTAL = "智能化改造咨询诊断补助申报平台";

const TITLES: Record<number, string> = {
  400: "请求有误",
  413: "内容过大",
  415: "无法识别的提交内容",
  503: "服务暂时不可用",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A complete page in the portal's words: what went wrong and the way back to the home page. */
export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? "出错了";
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${PORTAL}</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1f2328}
header{background:#1d4f91;color:#fff;padding:.8rem 1rem;font-weight:600}main{max-width:40rem;margin:2rem auto;padding:0 1rem}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem 1.25rem}a{color:#1d4f91}</style>
</head>
<body>
<header>${PORTAL}</header>
<main><section role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">返回首页</a></p></section></main>
</body>
</html>
`;
}

/** Answer with the page, or with the bare message when the client asked for something other than HTML. */
export function sendError(res: Response, status: number, message: string) {
  if (res.headersSent) return;
  res.status(status);
  if (res.req.accepts(["html", "text"]) === "html") res.type("html").send(errorPage(status, message));
  else res.type("text/plain; charset=utf-8").send(message);
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** The one route that takes a file as the raw request body (the material uploader's progress bar). */
const RAW_UPLOAD = /^\/resources\/applications\/[^/]+\/materials(\.data)?$/;

export const NOT_A_FORM_MESSAGE = "提交的内容不是表单，无法处理。请在页面上填写并提交表单。";

/**
 * Pages take forms only: a body of another type is refused with 415 before it reaches a page, whose
 * `request.formData()` would otherwise fail with a 500.
 */
export const refuseNonFormBodies: RequestHandler = (req, res, next) => {
  if (!BODY_METHODS.has(req.method) || RAW_UPLOAD.test(req.path)) return next();
  const type = (req.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const length = req.get("content-length");
  const empty = length === "0" || (length === undefined && req.get("transfer-encoding") === undefined);
  if (type === "" ? empty : FORM_TYPES.includes(type)) return next();
  sendError(res, 415, NOT_A_FORM_MESSAGE);
};

/** Express's last word: the status it carries when it is a client error, else 500; never a stack or a path. */
export const portalErrorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = statusOf(error);
  if (status >= 500) console.error(error);
  const message =
    error instanceof URIError || status === 400
      ? "网址格式有误（含有无法识别的字符），请检查后重试。"
      : status === 413
        ? "提交的内容过大。"
        : status === 415
          ? NOT_A_FORM_MESSAGE
          : status === 404
            ? "页面不存在或已被删除。"
            : "系统出现错误，请稍后再试；如问题持续，请联系区工信局。";
  sendError(res, status === 404 || status === 413 || status === 415 ? status : status < 500 ? 400 : 500, message);
};

function statusOf(error: unknown): number {
  if (error instanceof URIError) return 400;
  if (typeof error === "object" && error !== null) {
    const status: unknown = Reflect.get(error, "status") ?? Reflect.get(error, "statusCode");
    if (typeof status === "number" && status >= 400 && status < 600) return status;
  }
  return 500;
}
