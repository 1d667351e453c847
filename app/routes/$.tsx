import type { MetaFunction } from "@remix-run/node";

import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";

export const meta: MetaFunction = () => [{ title: "页面不存在 · 智能化改造咨询诊断补助申报平台" }];

export async function loader() {
  throw new Response("页面不存在或已被删除。", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
