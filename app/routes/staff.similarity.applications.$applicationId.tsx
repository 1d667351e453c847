import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { SimilarityPanel } from "~/components/similarity-panel.tsx";
import { getApplicationSimilarity } from "~/models/similarity.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "申报雷同检查 · 智能化改造咨询诊断补助申报平台" }];

/** R-REV-3: the copy check of one application (the same panel staff see on the application page). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const similarity = await getApplicationSimilarity(params.applicationId ?? "", { role: "staff" });
  if (!similarity) throw new Response("申报不存在。", { status: 404 });
  return { similarity };
}

export default function ApplicationSimilarity() {
  const { similarity } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>申报 {similarity.number} 的雷同检查</h1>
        <Link to="/staff/similarity">返回雷同检查</Link>
      </div>
      <SimilarityPanel similarity={similarity} />
    </>
  );
}
