import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { ROUND_STATUS_LABELS } from "~/domain/labels.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { listRounds } from "~/models/round.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "批次管理 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const rounds = await listRounds();
  return {
    rounds: rounds.map((r) => ({
      id: r.id,
      name: r.name,
      isDemo: r.isDemo,
      status: ROUND_STATUS_LABELS[r.status],
      deadline: formatShanghai(r.deadline),
      enterprises: r._count.enterprises,
      providers: r._count.providers,
    })),
  };
}

export default function Rounds() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>批次管理</h1>
        <Link className="button" to="/staff/rounds/new">
          新建批次
        </Link>
      </div>
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th>批次</th>
              <th>状态</th>
              <th>申报截止（北京时间）</th>
              <th className="num">企业名单</th>
              <th className="num">服务商名单</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rounds.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  还没有批次。
                </td>
              </tr>
            ) : (
              rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.isDemo ? <span className="badge badge--demo">演示</span> : null} {r.name}
                  </td>
                  <td>{r.status}</td>
                  <td>{r.deadline}</td>
                  <td className="num">{r.enterprises}</td>
                  <td className="num">{r.providers}</td>
                  <td>
                    <Link to={`/staff/rounds/${r.id}`}>编辑</Link>
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
