import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { Countdown } from "~/components/countdown.tsx";
import { PayoutBlockersTable } from "~/components/payout-blockers.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { applicationListSearch, parseApplicationListQuery } from "~/domain/application-list.ts";
import { countdown, formatShanghai } from "~/domain/shanghai-time.ts";
import { chooseRound, claimAttempts, deskCounts, roundDashboard } from "~/models/application-list.server.ts";
import { delayedMailCount } from "~/models/outbox.server.ts";
import { payoutBlockers } from "~/models/payout-batch-queries.server.ts";
import { roundChoices } from "~/models/round.server.ts";
import { now } from "~/utils/clock.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "工作台 · 智能化改造咨询诊断补助申报平台" }];

/** How many applications the dashboard lists with what blocks their payment; the payouts page lists all. */
const BLOCKERS_SHOWN = 10;

const QuerySchema = z.object({ round: z.string().trim().max(40).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const query = QuerySchema.parse({ round: new URL(request.url).searchParams.get("round") || undefined });
  const [rounds, round] = await Promise.all([roundChoices(), chooseRound(query.round)]);
  const isStaff = user.roles.includes("staff");
  const [counts, dashboard, attempts, blockers, delayedMail] = await Promise.all([
    deskCounts(),
    round ? roundDashboard(round.id) : null,
    round ? claimAttempts(round.id) : [],
    round ? payoutBlockers(round.id, { limit: BLOCKERS_SHOWN }) : [],
    isStaff ? delayedMailCount() : 0,
  ]);
  const serverNow = now();
  // R-DATE-1: days and hours to the submission deadline, from the server's clock.
  const left = round ? countdown(serverNow, round.deadline) : null;
  // Issue 6: the round's disbursement deadline (拨付截止), when staff have set one.
  const disbursementLeft = round?.disbursementDeadline ? countdown(serverNow, round.disbursementDeadline) : null;
  return {
    isStaff,
    /** Mail late or failing (README decision 4), listed at /staff/mail. */
    delayedMail,
    rounds,
    dashboard,
    deadlineLeft: left && {
      closed: left.closed,
      days: left.days,
      hours: left.hours,
      at: formatShanghai(round?.deadline ?? serverNow),
    },
    disbursementLeft: disbursementLeft &&
      round?.disbursementDeadline && {
        closed: disbursementLeft.closed,
        days: disbursementLeft.days,
        hours: disbursementLeft.hours,
        at: formatShanghai(round.disbursementDeadline),
      },
    round: round && {
      id: round.id,
      name: round.name,
      deadline: round.deadline.toISOString(),
      disbursementDeadline: round.disbursementDeadline?.toISOString() ?? null,
      isDemo: round.isDemo,
    },
    serverNow: serverNow.toISOString(),
    providers: { pending: counts.pending, verified: counts.verified, refused: counts.refused },
    experts: counts.experts,
    claimAttempts: attempts,
    blockers: blockers.filter((b) => b.blockers.length > 0),
  };
}

/** A link to the application list of this round with the given filters. */
/** Pages only staff open (an approver sees the figure without the link). */
const STAFF_ONLY = ["/staff/results", "/staff/similarity", "/staff/providers", "/staff/rounds"];

function StatLink({ to, isStaff, children }: { to: string; isStaff: boolean; children: React.ReactNode }) {
  if (!isStaff && STAFF_ONLY.some((prefix) => to.startsWith(prefix))) return <div className="stat">{children}</div>;
  return (
    <Link to={to} className="stat" style={{ textDecoration: "none" }}>
      {children}
    </Link>
  );
}

function listLink(roundId: string, filters: Record<string, string> = {}) {
  const query = parseApplicationListQuery(new URLSearchParams({ round: roundId, ...filters }));
  return `/staff/applications${applicationListSearch(query)}`;
}

/**
 * The desk's next steps after formal review, counted from the status counts already loaded: assign experts
 * to accepted applications (R-REV-5), confirm results (R-REV-4), and pay the passed ones (R-PAY-3).
 */
function nextSteps(statusCounts: { status: string; count: number }[], roundId: string) {
  const count = (...statuses: string[]) =>
    statusCounts.filter((s) => statuses.includes(s.status)).reduce((sum, s) => sum + s.count, 0);
  return [
    { to: `/staff/assignments?round=${roundId}`, count: count("accepted"), label: "已受理，待分配评审专家" },
    {
      to: `/staff/results?round=${roundId}`,
      count: count("under_review", "reviewed"),
      label: "评审中 / 待确认评审结果",
    },
    { to: `/staff/payouts?round=${roundId}`, count: count("passed", "in_batch"), label: "合格，待编入批次或待拨付" },
  ];
}

export default function StaffDashboard() {
  const data = useLoaderData<typeof loader>();
  const round = data.round;
  const dashboard = data.dashboard;
  return (
    <>
      <div className="page-head">
        <h1>工作台</h1>
        {round ? (
          <Form method="get" className="filters" style={{ marginBottom: 0 }} aria-label="选择批次">
            <RoundField rounds={data.rounds} value={round.id} />
            <button type="submit" className="button--secondary">
              切换
            </button>
          </Form>
        ) : null}
      </div>
      {data.delayedMail > 0 ? (
        <p className="notice notice--warning" data-testid="delayed-mail-count">
          有 {data.delayedMail} 封邮件延迟或发送失败，系统正在自动重试。<Link to="/staff/mail">查看邮件发送情况</Link>
        </p>
      ) : null}
      {round ? (
        <p className="notice notice--info">
          {round.isDemo ? <span className="badge badge--demo">演示</span> : null} {round.name}：
          <Countdown deadline={round.deadline} serverNow={data.serverNow} label="申报截止" />
          {round.disbursementDeadline ? (
            <>
              {"；"}
              <Countdown deadline={round.disbursementDeadline} serverNow={data.serverNow} label="拨付截止" />
            </>
          ) : null}
        </p>
      ) : (
        <p className="notice notice--warning">
          当前没有申报批次。{data.isStaff ? <Link to="/staff/rounds/new">创建批次</Link> : null}
        </p>
      )}
      {round && dashboard && data.deadlineLeft ? (
        <>
          <div className="grid">
            <div className="stat" data-testid="deadline-left">
              <div className="stat__value">
                {data.deadlineLeft.closed ? "已截止" : `${data.deadlineLeft.days} 天 ${data.deadlineLeft.hours} 小时`}
              </div>
              <div className="stat__label">距申报截止（{data.deadlineLeft.at}，以服务器时间为准）</div>
            </div>
            {data.disbursementLeft ? (
              <div className="stat" data-testid="disbursement-left">
                <div className="stat__value">
                  {data.disbursementLeft.closed
                    ? "已截止"
                    : `${data.disbursementLeft.days} 天 ${data.disbursementLeft.hours} 小时`}
                </div>
                <div className="stat__label">距拨付截止（{data.disbursementLeft.at}）</div>
              </div>
            ) : null}
            <StatLink to={listLink(round.id, { sort: "submitted", dir: "desc" })} isStaff={data.isStaff}>
              <div className="stat__value" data-testid="submitted-today">
                {dashboard.submittedToday}
              </div>
              <div className="stat__label">今日提交（北京时间 {dashboard.today}）</div>
            </StatLink>
            <StatLink to={listLink(round.id)} isStaff={data.isStaff}>
              <div className="stat__value" data-testid="submitted-applications">
                {dashboard.submitted}
              </div>
              <div className="stat__label">已提交申报（另有草稿 {dashboard.drafts} 份）</div>
            </StatLink>
          </div>
          <h2>申报状态</h2>
          <div className="grid" data-testid="status-counts">
            {dashboard.statusCounts.map((s) => (
              <StatLink key={s.status} to={listLink(round.id, { status: s.status })} isStaff={data.isStaff}>
                <div className="stat__value" data-status={s.status}>
                  {s.count}
                </div>
                <div className="stat__label">{s.label}</div>
              </StatLink>
            ))}
          </div>
          <h2>后续办理</h2>
          <div className="grid" data-testid="next-steps">
            {nextSteps(dashboard.statusCounts, round.id).map((step) => (
              <StatLink key={step.to} to={step.to} isStaff={data.isStaff}>
                <div className="stat__value">{step.count}</div>
                <div className="stat__label">{step.label}</div>
              </StatLink>
            ))}
            <StatLink to={`/staff/similarity?round=${round.id}`} isStaff={data.isStaff}>
              <div className="stat__value">查看</div>
              <div className="stat__label">诊断报告雷同检查</div>
            </StatLink>
          </div>
          {round.disbursementDeadline || data.blockers.length > 0 ? (
            <>
              <h2>拨付前尚待完成</h2>
              <PayoutBlockersTable rows={data.blockers} />
              {data.blockers.length === BLOCKERS_SHOWN ? (
                <p className="small">
                  仅列出前 {BLOCKERS_SHOWN} 份，<Link to={`/staff/payouts?round=${round.id}`}>全部见补助拨付</Link>。
                </p>
              ) : null}
            </>
          ) : null}
          <h2>各服务商申报数</h2>
          <div className="table-wrap" tabIndex={0}>
            <table className="table" data-testid="applications-per-provider">
              <thead>
                <tr>
                  <th>服务商</th>
                  <th className="num">申报总数</th>
                  <th className="num">已提交</th>
                  <th className="num">草稿</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.providers.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="empty">
                      本批次还没有服务商申报。
                    </td>
                  </tr>
                ) : (
                  dashboard.providers.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={listLink(round.id, { provider: p.id })}>{p.name}</Link>
                      </td>
                      <td className="num">{p.total}</td>
                      <td className="num">{p.submitted}</td>
                      <td className="num">{p.drafts}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h2>服务商与专家</h2>
      <div className="grid">
        <StatLink to="/staff/providers?status=pending" isStaff={data.isStaff}>
          <div className="stat__value" data-testid="pending-providers">
            {data.providers.pending}
          </div>
          <div className="stat__label">待审核服务商</div>
        </StatLink>
        <StatLink to="/staff/providers?status=verified" isStaff={data.isStaff}>
          <div className="stat__value">{data.providers.verified}</div>
          <div className="stat__label">已审核通过服务商</div>
        </StatLink>
        <StatLink to="/staff/providers?status=refused" isStaff={data.isStaff}>
          <div className="stat__value">{data.providers.refused}</div>
          <div className="stat__label">审核未通过</div>
        </StatLink>
        <StatLink to="/staff/experts" isStaff={data.isStaff}>
          <div className="stat__value">{data.experts}</div>
          <div className="stat__label">评审专家</div>
        </StatLink>
      </div>
      <h2>同一企业重复申报记录</h2>
      <div className="table-wrap" tabIndex={0}>
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
