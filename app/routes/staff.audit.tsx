import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { Pagination } from "~/components/pagination.tsx";
import { auditActionLabel } from "~/domain/audit-actions.ts";
import { auditEntityLabel, auditIds, auditPairs } from "~/domain/audit-view.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { auditNames, listAudit } from "~/models/audit.server.ts";
import { db } from "~/utils/db.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "操作记录 · 智能化改造咨询诊断补助申报平台" }];

const PAGE_SIZE = 50;
const QuerySchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  entityType: z.string().max(40).optional().catch(undefined),
  entityId: z.string().max(60).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff", "approver", "admin"] });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = QuerySchema.parse(params);
  const prisma = await db();
  const { entries, total } = await listAudit(prisma, { ...query, pageSize: PAGE_SIZE });
  // R-LOG-1 as people read it: Chinese field names, Beijing time, application numbers and names, not ids.
  const names = await auditNames(
    prisma,
    entries.flatMap((e) => auditIds(e)),
  );
  return {
    query,
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    entries: entries.map((e) => ({
      id: String(e.id),
      at: formatShanghai(e.at, true),
      actor: e.actorName ?? "系统",
      action: auditActionLabel(e.action),
      entity: auditEntityLabel(e, names),
      before: auditPairs(e.before, names, e.entityType),
      after: auditPairs(e.after, names, e.entityType),
      reason: e.reason ?? "",
    })),
  };
}

export default function Audit() {
  const { entries, total, pages, query } = useLoaderData<typeof loader>();
  const link = (page: number) => {
    const params = new URLSearchParams();
    if (query.entityType) params.set("entityType", query.entityType);
    if (query.entityId) params.set("entityId", query.entityId);
    params.set("page", String(page));
    return `?${params}`;
  };
  return (
    <>
      <div className="page-head">
        <h1>操作记录</h1>
        <span className="muted">共 {total} 条，只增不改</span>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="entityType">对象类型</label>
          <select id="entityType" name="entityType" defaultValue={query.entityType ?? ""}>
            <option value="">全部</option>
            <option value="organisation">服务商</option>
            <option value="user">账号</option>
            <option value="round">批次</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="entityId">对象编号</label>
          <input id="entityId" name="entityId" defaultValue={query.entityId ?? ""} />
        </div>
        <button type="submit">筛选</button>
      </Form>
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>操作</th>
              <th>对象</th>
              <th>之前</th>
              <th>之后</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  没有记录。
                </td>
              </tr>
            ) : (
              entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.at}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td className="small">{e.entity}</td>
                  <td>
                    <AuditPairs pairs={e.before} />
                  </td>
                  <td>
                    <AuditPairs pairs={e.after} />
                  </td>
                  <td>{e.reason}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={query.page} pages={pages} href={link} />
    </>
  );
}

function AuditPairs({ pairs }: { pairs: { label: string; value: string }[] }) {
  if (pairs.length === 0) return null;
  return (
    <dl className="audit-pairs small">
      {pairs.map((pair, i) => (
        <div key={`${pair.label}-${i}`}>
          <dt>{pair.label}</dt>
          <dd>{pair.value}</dd>
        </div>
      ))}
    </dl>
  );
}
