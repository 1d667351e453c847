import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useContext, useEffect, useState } from "react";

import { ERROR_REFERENCE_COOKIE, readErrorReference, ServerRequestIdContext } from "~/utils/error-reference.ts";

const MESSAGES: Record<number, string> = {
  400: "请求内容有误。",
  403: "您没有权限访问此页面。",
  404: "页面不存在或已被删除。",
  409: "数据已被他人修改，请刷新后重试。",
  413: "上传的文件过大。",
  415: "提交的内容不是表单，无法处理。",
  503: "服务暂时不可用，请稍后再试。",
};

/**
 * The id the server logged this error under. On the server: this request's id. In the browser: the id
 * the server put in a short-lived cookie with its 5xx answer (the same id when the page itself was the
 * error, so hydration matches; the data request's id after a client-side navigation). The cookie is
 * cleared once read.
 */
function useErrorReference(): string | undefined {
  const onServer = useContext(ServerRequestIdContext);
  const [reference] = useState(
    () => onServer ?? (typeof document === "undefined" ? undefined : readErrorReference(document.cookie)),
  );
  useEffect(() => {
    document.cookie = `${ERROR_REFERENCE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
  }, []);
  return reference;
}

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const reference = useErrorReference();
  let status = 500;
  let message = "系统出现错误，请稍后再试；如问题持续，请联系区工信局。";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    message = (typeof error.data === "string" && error.data) || MESSAGES[status] || message;
  }
  return (
    <section className="card error-page" role="alert">
      <h1>{status === 404 ? "页面不存在" : status === 403 ? "无权访问" : "出错了"}</h1>
      <p>{message}</p>
      {status >= 500 && reference ? (
        <p className="error-page__reference">
          错误编号：<code>{reference}</code>（联系区工信局时请提供此编号）
        </p>
      ) : null}
      <p>
        <Link to="/">返回首页</Link>
      </p>
    </section>
  );
}
