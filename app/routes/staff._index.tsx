import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Countdown } from "~/components/countdown.tsx";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { currentRound } from "~/models/round.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "工作台 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const prisma = await db();
  const round = await currentRound();
  const [byStatus, experts, applicationsByStatus, claimAttempts] = await Promise.all([
    prisma.organisation.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.user.count({ where: { roles: { has: "expert" } } }),
    round ? prisma.application.groupBy({ by: ["status"], where: { roundId: round.id }, _count: { _all: true } }) : [],
    // R-ELIG-4: refused attempts to file for an enterprise another provider already filed for.
    round
      ? prisma.enterpriseClaimAttempt.findMany({
          where: { roundId: round.id },
          orderBy: { at: "desc" },
          take: 50,
          include: {
            organisation: { select: { name: true } },
            enterprise: { select: { name: true, applications: { select: { number: true, organisation: { select: { name: true } } } } } },
          },
        })
      : [],
  ]);
  const count = (status: string) => byStatus.find((row) => row.status === status)?._count._all ?? 0;
  return {
    isStaff: user.roles.includes("staff"),
    round: round && {
      id: round.id,
      name: round.name,
      deadline: round.deadline.toISOString(),
      isDemo: round.isDemo,
    },
    serverNow: now().toISOString(),
    providers: { pending: count("pending"), verified: count("verified"), refused: count("refused") },
    experts,
    applications: {
      draft: applicationsByStatus.find((row) => row.status === "draft")?._count._all ?? 0,
      submitted: applicationsByStatus.filter((row) => row.status !== "draft").reduce((n, row) => n + row._count._all, 0),
    },
    claimAttempts: claimAttempts.map((a) => ({
      id: a.id,
      at: formatShanghai(a.at, true),
      enterprise: a.enterprise.name,
      attemptedBy: a.organisation.name,
      filedBy: a.enterprise.applications.map((x) => `${x.organisation.name}（${x.number}）`).join("、"),
    })),
  };
}

export default function StaffDashboard() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>工作台</h1>
        {data.round ? (
          <span>
            {data.round.isDemo ? <span className="badge badge--demo">演示</span> : null} {data.round.name}
          </span>
        ) : null}
      </div>
      {data.round ? (
        <p className="notice notice--info">
          <Countdown deadline={data.round.deadline} serverNow={data.serverNow} label="申报截止" />
        </p>
      ) : (
        <p className="notice notice--warning">
          当前没有申报批次。{data.isStaff ? <Link to="/staff/rounds/new">创建批次</Link> : null}
        </p>
      )}
      <div className="grid">
        <Link to="/staff/providers?status=pending" className="stat" style={{ textDecoration: "none" }}>
          <div className="stat__value" data-testid="pending-providers">
            {data.providers.pending}
          </div>
          <div className="stat__label">待审核服务商</div>
        </Link>
        <Link to="/staff/providers?status=verified" className="stat" style={{ textDecoration: "none" }}>
          <div className="stat__value">{data.providers.verified}</div>
          <div className="stat__label">已审核通过服务商</div>
        </Link>
        <Link to="/staff/providers?status=refused" className="stat" style={{ textDecoration: "none" }}>
          <div className="stat__value">{data.providers.refused}</div>
          <div className="stat__label">审核未通过</div>
        </Link>
        <div className="stat">
          <div className="stat__value" data-testid="submitted-applications">
            {data.applications.submitted}
          </div>
          <div className="stat__label">已提交申报（另有草稿 {data.applications.draft} 份）</div>
        </div>
        <Link to="/staff/users" className="stat" style={{ textDecoration: "none" }}>
          <div className="stat__value">{data.experts}</div>
          <div className="stat__label">评审专家</div>
        </Link>
      </div>
      <h2>同一企业重复申报记录（R-ELIG-4）</h2>
      <div className="table-wrap">
        <table className="table" data-testid="claim-attempts">
          <thead>
            <tr>
              <th>时间</th>
              <th>被诊断企业</th>
              <th>已申报的服务商</th>
              <th>被拒绝的服务商</th>
            </tr>
          </thead>
          <tbody>
            {data.claimAttempts.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  没有重复申报的尝试。
                </td>
              </tr>
            ) : (
              data.claimAttempts.map((a) => (
                <tr key={a.id}>
                  <td>{a.at}</td>
                  <td>{a.enterprise}</td>
                  <td>{a.filedBy}</td>
                  <td>{a.attemptedBy}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
