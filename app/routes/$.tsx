import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";

export async function loader() {
  throw new Response("页面不存在或已被删除。", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
