import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { ORGANISATION_STATUS_LABELS } from "~/domain/labels.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { listOrganisations } from "~/models/organisation.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "服务商审核 · 智能化改造咨询诊断补助申报平台" }];

const QuerySchema = z.object({
  status: z.enum(["pending", "verified", "refused", "all"]).catch("pending"),
  q: z.string().trim().max(100).catch(""),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse({ status: params.get("status") ?? "pending", q: params.get("q") ?? "" });
  const all = await listOrganisations(query.status === "all" ? undefined : query.status);
  const q = query.q.toUpperCase();
  const organisations = all
    .filter((o) => !q || o.name.includes(query.q) || o.uscc.includes(q) || o.contactName.includes(query.q))
    .map((o) => ({
      id: o.id,
      name: o.name,
      uscc: o.uscc,
      contactName: o.contactName,
      contactPhone: o.contactPhone,
      status: o.status,
      isDemo: o.isDemo,
      createdAt: formatShanghai(o.createdAt),
    }));
  return { organisations, query };
}

export default function ProviderReviewList() {
  const { organisations, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>服务商审核</h1>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="status">状态</label>
          <select id="status" name="status" defaultValue={query.status}>
            <option value="pending">待审核</option>
            <option value="verified">已通过</option>
            <option value="refused">未通过</option>
            <option value="all">全部</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" defaultValue={params.get("q") ?? ""} placeholder="名称、信用代码或联系人" />
        </div>
        <button type="submit">筛选</button>
      </Form>
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th>服务商</th>
              <th>统一社会信用代码</th>
              <th>联系人</th>
              <th>注册时间</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {organisations.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  {query.status === "pending" ? "没有待审核的服务商。" : "没有符合条件的服务商。"}
                </td>
              </tr>
            ) : (
              organisations.map((o) => (
                <tr key={o.id}>
                  <td>
                    {o.isDemo ? <span className="badge badge--demo">演示</span> : null} {o.name}
                  </td>
                  <td>{o.uscc}</td>
                  <td>
                    {o.contactName} {o.contactPhone}
                  </td>
                  <td>{o.createdAt}</td>
                  <td>
                    <span className={`badge badge--${o.status}`}>{ORGANISATION_STATUS_LABELS[o.status]}</span>
                  </td>
                  <td>
                    <Link to={`/staff/providers/${o.id}`}>{o.status === "pending" ? "审核" : "查看"}</Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
