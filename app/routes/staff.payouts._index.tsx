import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { PayoutBlockersTable } from "~/components/payout-blockers.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { formatFen } from "~/domain/money.ts";
import { PAYOUT_BATCH_STATUSES } from "~/domain/payout.ts";
import { prepareBatch } from "~/models/payout-batch.server.ts";
import { listBatches, payoutBlockers, payoutOverview } from "~/models/payout-batch-queries.server.ts";
import { currentRound, listRounds } from "~/models/round.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "补助拨付 · 智能化改造咨询诊断补助申报平台" }];

const PAGE_SIZE = 50;

const QuerySchema = z.object({
  round: z.string().trim().max(40).catch(""),
  q: z.string().trim().max(100).catch(""),
  show: z.enum(["all", "eligible", "in_batch", "paid"]).catch("all"),
  page: z.coerce.number().int().min(1).catch(1),
});

const PrepareSchema = z.object({
  intent: z.literal("prepare"),
  roundId: z.string().min(1),
  mode: z.enum(["all", "selected"], { error: "请选择编制方式" }),
  applicationIds: z.array(z.string().min(1)).max(5000),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse(Object.fromEntries(params));
  const rounds = await listRounds();
  const roundId = query.round || (await currentRound())?.id || rounds[0]?.id || "";
  const overview = roundId ? await payoutOverview(roundId) : null;
  if (!overview) {
    return {
      user: { canPrepare: user.roles.includes("staff") },
      rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
      query,
      overview: null,
      batches: [],
      blockers: [],
      rows: [],
      total: 0,
    };
  }
  const [batches, blockers] = await Promise.all([listBatches(roundId), payoutBlockers(roundId)]);
  const filtered = overview.rows.filter((row) => {
    if (
      query.q &&
      !row.enterpriseName.includes(query.q) &&
      !row.providerName.includes(query.q) &&
      !row.number.includes(query.q)
    )
      return false;
    if (query.show === "eligible") return row.eligible;
    if (query.show === "in_batch") return row.status === "in_batch";
    if (query.show === "paid") return row.status === "paid";
    return true;
  });
  const rows = filtered.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE);
  return {
    user: { canPrepare: user.roles.includes("staff") },
    rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
    query: { ...query, round: roundId },
    overview: {
      ...overview,
      rows: undefined,
      eligibleCount: overview.rows.filter((r) => r.eligible).length,
      count: overview.rows.length,
    },
    batches,
    blockers: blockers.filter((b) => b.blockers.length > 0),
    rows,
    total: filtered.length,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const formData = await readFormData(request);
  const parsed = PrepareSchema.safeParse({
    intent: formData.get("intent"),
    roundId: formData.get("roundId"),
    mode: formData.get("mode"),
    applicationIds: formData.getAll("applicationIds").filter((v): v is string => typeof v === "string"),
  });
  if (!parsed.success)
    return data({ message: "请求无效，请刷新页面后重试。", problems: [], selected: [] }, { status: 400 });
  const v = parsed.data;
  if (v.mode === "selected" && v.applicationIds.length === 0) {
    return data(
      { message: "请至少勾选一项申报，或选择“全部可拨付申报”。", problems: [], selected: [] },
      { status: 400 },
    );
  }
  const outcome = await prepareBatch(
    { id: user.id, name: user.name, roles: user.roles },
    {
      roundId: v.roundId,
      selection: v.mode === "all" ? { all: true } : { all: false, applicationIds: v.applicationIds },
    },
  );
  if (!outcome.ok)
    return data(
      { message: outcome.message, problems: outcome.problems ?? [], selected: v.applicationIds },
      { status: 400 },
    );
  throw redirect(`/staff/payouts/${outcome.batchId}?prepared=1`);
}

export default function Payouts() {
  const { user, rounds, query, overview, batches, blockers, rows, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const selected = new Set(actionData?.selected ?? []);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <div className="page-head">
        <h1>补助拨付</h1>
        {overview ? <Link to={`/staff/objections?round=${query.round}`}>公示与异议</Link> : null}
        <Form method="get" className="inline-form">
          <label htmlFor="round">批次</label>
          <select id="round" name="round" defaultValue={query.round}>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button--secondary button--small">
            切换
          </button>
        </Form>
      </div>
      {!overview ? (
        <p className="empty">还没有申报批次。</p>
      ) : (
        <>
          <section className="grid">
            <div className="stat card">
              <div className="muted">合格申报</div>
              <strong data-testid="passed-count">{overview.count}</strong>
            </div>
            <div className="stat card">
              <div className="muted">应拨付合计（元）</div>
              <strong data-testid="payout-total">{formatFen(overview.totalFen)}</strong>
            </div>
            <div className="stat card">
              <div className="muted">已拨付（元）</div>
              <strong>{formatFen(overview.paidFen)}</strong>
            </div>
            <div className="stat card">
              <div className="muted">预算总额（元）</div>
              <strong>{overview.round.budgetFen === null ? "未设置" : formatFen(overview.round.budgetFen)}</strong>
            </div>
            <div className="stat card">
              <div className="muted">拨付截止</div>
              <strong>{overview.round.disbursementDeadline ?? "未设置"}</strong>
              {overview.round.disbursementCountdown ? (
                <div
                  className={`countdown${overview.round.disbursementCountdown === "已截止" ? " countdown--closed" : ""}`}
                  data-testid="disbursement-countdown"
                >
                  {overview.round.disbursementCountdown}
                </div>
              ) : null}
            </div>
          </section>
          {overview.overBudget ? (
            <p className="notice notice--warning" role="alert">
              应拨付合计超出预算 {formatFen(overview.overBudget.overByFen)} 元，请核实预算或申报。
            </p>
          ) : null}
          {overview.round.budgetFen === null ? (
            <p className="notice notice--info">
              本批次尚未设置预算总额
              {user.canPrepare ? (
                <>
                  ，<Link to={`/staff/rounds/${overview.round.id}`}>前往设置</Link>
                </>
              ) : null}
              。
            </p>
          ) : null}

          <section className="card">
            <h2>各服务商合计</h2>
            <div className="table-wrap" tabIndex={0} style={{ maxHeight: 320 }}>
              <table className="table">
                <thead>
                  <tr>
                    <th>服务商</th>
                    <th>合格企业数</th>
                    <th>应拨付（元）</th>
                    <th>已拨付（元）</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.providers.length === 0 ? (
                    <tr>
                      <td colSpan={4} className="empty">
                        暂无评审合格的申报。
                      </td>
                    </tr>
                  ) : (
                    overview.providers.map((p) => (
                      <tr key={p.providerName}>
                        <td>{p.providerName}</td>
                        <td>{p.count}</td>
                        <td>{formatFen(p.totalFen)}</td>
                        <td>{formatFen(p.paidFen)}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card">
            <h2>拨付明细</h2>
            <p className="muted">
              每家合格企业补助 {formatFen(overview.round.perEnterpriseCapFen)} 元，合同金额不足的按合同金额补助。
            </p>
            <Form method="get" className="filters">
              <input type="hidden" name="round" value={query.round} />
              <div className="field">
                <label htmlFor="show">显示</label>
                <select id="show" name="show" defaultValue={query.show}>
                  <option value="all">全部合格申报</option>
                  <option value="eligible">可编入拨付批次</option>
                  <option value="in_batch">拨付中</option>
                  <option value="paid">已拨付</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="q">搜索</label>
                <input id="q" name="q" defaultValue={query.q} placeholder="企业、服务商或申报编号" />
              </div>
              <button type="submit">筛选</button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="prepare" />
              <input type="hidden" name="roundId" value={query.round} />
              {actionData?.message ? <FormMessage message={actionData.message} /> : null}
              {actionData?.problems.length ? (
                <ul className="field-errors" role="alert" data-testid="prepare-problems">
                  {actionData.problems.map((p) => (
                    <li key={p.applicationNo}>
                      {p.applicationNo}：{p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
              <div className="table-wrap" tabIndex={0}>
                <table className="table">
                  <thead>
                    <tr>
                      <th>选择</th>
                      <th>申报编号</th>
                      <th>被诊断企业</th>
                      <th>服务商</th>
                      <th>合同金额（元）</th>
                      <th>拨付金额（元）</th>
                      <th>状态</th>
                      <th>拨付批次</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.length === 0 ? (
                      <tr>
                        <td colSpan={8} className="empty">
                          {overview.count === 0
                            ? "暂无评审合格的申报。评审结果确认后将在此显示。"
                            : "没有符合条件的申报。"}
                        </td>
                      </tr>
                    ) : (
                      rows.map((row) => (
                        <tr key={row.id}>
                          <td>
                            {user.canPrepare ? (
                              <input
                                type="checkbox"
                                name="applicationIds"
                                value={row.id}
                                defaultChecked={selected.has(row.id)}
                                disabled={!row.eligible}
                                title={row.ineligibleReason ?? "可编入拨付批次"}
                                aria-label={`选择 ${row.number} ${row.enterpriseName}`}
                              />
                            ) : null}
                          </td>
                          <td>{row.number}</td>
                          <td>{row.enterpriseName}</td>
                          <td>{row.providerName}</td>
                          <td>{formatFen(row.contractFen)}</td>
                          <td>{formatFen(row.amountFen)}</td>
                          <td>
                            {APPLICATION_STATUSES[row.status]}
                            {!row.confirmed ? <span className="muted small">（结果未确认）</span> : null}
                          </td>
                          <td>
                            {row.batch ? <Link to={`/staff/payouts/${row.batch.id}`}>{row.batch.number}</Link> : "—"}
                          </td>
                        </tr>
                      ))
                    )}
                  </tbody>
                </table>
              </div>
              <Pagination page={query.page} pages={pages} total={`共 ${total} 项`} />
              {user.canPrepare ? (
                <div className="actions">
                  <button
                    type="submit"
                    name="mode"
                    value="selected"
                    disabled={navigation.state === "submitting" || overview.eligibleCount === 0}
                  >
                    用勾选的申报编制拨付批次
                  </button>
                  <button
                    type="submit"
                    name="mode"
                    value="all"
                    className="button--secondary"
                    disabled={navigation.state === "submitting" || overview.eligibleCount === 0}
                  >
                    用全部可拨付申报（{overview.eligibleCount} 项）编制拨付批次
                  </button>
                </div>
              ) : (
                <p className="muted">拨付批次由经办人员编制，由分管领导审批。</p>
              )}
            </Form>
          </section>

          <section className="card">
            <h2>拨付批次</h2>
            <div className="table-wrap" tabIndex={0}>
              <table className="table" data-testid="batches">
                <thead>
                  <tr>
                    <th>批次号</th>
                    <th>状态</th>
                    <th>笔数</th>
                    <th>金额（元）</th>
                    <th>编制人</th>
                    <th>编制时间</th>
                    <th>审批人</th>
                    <th>拨付日期</th>
                  </tr>
                </thead>
                <tbody>
                  {batches.length === 0 ? (
                    <tr>
                      <td colSpan={8} className="empty">
                        还没有拨付批次。
                      </td>
                    </tr>
                  ) : (
                    batches.map((b) => (
                      <tr key={b.id}>
                        <td>
                          <Link to={`/staff/payouts/${b.id}`}>{b.number}</Link>
                          {b.corrects ? <span className="muted small">（更正 {b.corrects}）</span> : null}
                        </td>
                        <td>{PAYOUT_BATCH_STATUSES[b.status]}</td>
                        <td>{b.lineCount}</td>
                        <td>{formatFen(b.totalFen)}</td>
                        <td>{b.preparedBy}</td>
                        <td>{b.preparedAt}</td>
                        <td>{b.approvedBy ?? "—"}</td>
                        <td>{b.paidOn ?? "—"}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card">
            <h2>待拨付事项（{blockers.length}）</h2>
            <p className="muted">
              审核通过后公示：公示期满、无未处理的公示异议、服务商收款账户已核验的申报方可审批拨付。
              <Link to={`/staff/objections?round=${query.round}`}>公示与异议</Link>
            </p>
            <PayoutBlockersTable rows={blockers} />
          </section>
        </>
      )}
    </>
  );
}
