import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { Pagination } from "~/components/pagination.tsx";
import { RoundField } from "~/components/round-field.tsx";
import {
  APPLICATION_FLAGS,
  type ApplicationFlag,
  applicationListSearch,
  DEFAULT_PAGE_SIZE,
  PAGE_SIZES,
  parseApplicationListQuery,
  SORT_KEYS,
  sortChange,
  type SortKey,
} from "~/domain/application-list.ts";
import { APPLICATION_STATUSES, type ApplicationStatus } from "~/domain/application-status.ts";
import { chooseRound, listApplications, providerChoices } from "~/models/application-list.server.ts";
import { roundChoices } from "~/models/round.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "申报受理 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  // An approver reads the list; the application's own page (formal review) is for staff.
  const canOpen = user.roles.includes("staff");
  const query = parseApplicationListQuery(new URL(request.url).searchParams);
  const [rounds, round] = await Promise.all([roundChoices(), chooseRound(query.round)]);
  if (!round) return { round: null, rounds, providers: [], query, list: null, canOpen };
  const [providers, list] = await Promise.all([providerChoices(round.id), listApplications(round.id, query)]);
  return {
    canOpen,
    round: { id: round.id, name: round.name, isDemo: round.isDemo },
    rounds,
    providers,
    query: { ...query, round: round.id, page: list.page },
    list,
  };
}

const STATUS_BADGE: Partial<Record<ApplicationStatus, string>> = {
  submitted: "badge--pending",
  returned: "badge--pending",
  refused: "badge--bad",
  failed: "badge--bad",
  passed: "badge--ok",
  paid: "badge--ok",
};

export default function ApplicationList() {
  const { round, rounds, providers, query, list, canOpen } = useLoaderData<typeof loader>();
  const released = useSearchParams()[0].get("released");
  const filtered = Boolean(query.q || query.status || query.provider || query.flag.length > 0);
  const sortHeader = (key: SortKey) => {
    const active = query.sort === key;
    const arrow = active ? (query.dir === "asc" ? " ↑" : " ↓") : "";
    return (
      <th aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link to={applicationListSearch(query, sortChange(query, key))}>
          {SORT_KEYS[key]}
          {arrow}
        </Link>
      </th>
    );
  };
  return (
    <>
      <div className="page-head">
        <h1>申报受理</h1>
        {round ? (
          <span>
            {round.isDemo ? <span className="badge badge--demo">演示</span> : null} {round.name}
          </span>
        ) : null}
      </div>
      {released ? (
        <p className="notice notice--success" role="status" data-testid="released">
          已释放申报草稿 {released} 对企业的占用，服务商已收到邮件通知。
        </p>
      ) : null}
      {!round || !list ? (
        <p className="notice notice--warning">当前没有申报批次。</p>
      ) : (
        <>
          <Form method="get" className="filters" aria-label="筛选申报">
            <RoundField rounds={rounds} value={round.id} />
            <div className="field">
              <label htmlFor="q">搜索</label>
              <input
                id="q"
                name="q"
                type="search"
                defaultValue={query.q}
                placeholder="企业、服务商、信用代码或申报编号"
              />
            </div>
            <div className="field">
              <label htmlFor="status">状态</label>
              <select id="status" name="status" defaultValue={query.status ?? ""}>
                <option value="">全部状态</option>
                {(Object.keys(APPLICATION_STATUSES) as ApplicationStatus[]).map((status) => (
                  <option key={status} value={status}>
                    {APPLICATION_STATUSES[status]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="provider">服务商</label>
              <select id="provider" name="provider" defaultValue={query.provider ?? ""}>
                <option value="">全部服务商</option>
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 600, fontSize: "0.95rem" }}>标记</legend>
              <div style={{ display: "flex", gap: "0.75rem", flexWrap: "wrap" }}>
                {(Object.keys(APPLICATION_FLAGS) as ApplicationFlag[]).map((flag) => (
                  <label key={flag} style={{ fontWeight: "normal" }}>
                    <input type="checkbox" name="flag" value={flag} defaultChecked={query.flag.includes(flag)} />{" "}
                    {APPLICATION_FLAGS[flag]}
                  </label>
                ))}
              </div>
            </fieldset>
            {query.sort !== "number" ? <input type="hidden" name="sort" value={query.sort} /> : null}
            {query.dir !== "asc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
            {query.size !== DEFAULT_PAGE_SIZE ? <input type="hidden" name="size" value={query.size} /> : null}
            <button type="submit">筛选</button>
            {filtered ? (
              <Link
                to={applicationListSearch({
                  ...query,
                  q: "",
                  status: undefined,
                  provider: undefined,
                  flag: [],
                  page: 1,
                })}
              >
                清除筛选
              </Link>
            ) : null}
          </Form>
          <div className="page-head">
            <span data-testid="application-total">
              共 {list.total} 份申报{filtered ? "（已筛选）" : ""}
            </span>
            <nav className="page-size" aria-label="每页条数">
              每页
              {PAGE_SIZES.map((size) =>
                size === query.size ? (
                  <span key={size} aria-current="true">
                    {size}
                  </span>
                ) : (
                  <Link key={size} to={applicationListSearch(query, { size, page: 1 })} aria-label={`每页 ${size} 条`}>
                    {size}
                  </Link>
                ),
              )}
              条
            </nav>
            <a
              className="button button--secondary button--small"
              href={`/resources/staff/applications-export${applicationListSearch({ ...query, page: 1 })}`}
              download
            >
              导出 Excel
            </a>
          </div>
          <div className="table-wrap" tabIndex={0}>
            <table className="table table--cards" data-testid="application-list">
              <thead>
                <tr>
                  {sortHeader("number")}
                  {sortHeader("enterprise")}
                  <th>统一社会信用代码</th>
                  {sortHeader("provider")}
                  {sortHeader("submitted")}
                  {sortHeader("status")}
                  <th>标记</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.rows.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="empty">
                      {filtered ? "没有符合条件的申报，请调整搜索或筛选条件。" : "本批次还没有申报。"}
                    </td>
                  </tr>
                ) : (
                  list.rows.map((a) => (
                    <tr key={a.id}>
                      <td data-label="编号">
                        {canOpen ? <Link to={`/staff/applications/${a.id}`}>{a.number}</Link> : a.number}
                      </td>
                      <td data-label="被诊断企业">{a.enterpriseName}</td>
                      <td data-label="统一社会信用代码">{a.enterpriseUscc}</td>
                      <td data-label="服务商">{a.providerName}</td>
                      <td data-label="提交时间">{a.submittedAt ?? <span className="muted">未提交</span>}</td>
                      <td data-label="状态">
                        <span className={`badge ${STATUS_BADGE[a.status] ?? ""}`}>{a.statusLabel}</span>
                      </td>
                      <td data-label="标记">
                        {a.completionLate ? <span className="badge badge--bad">{APPLICATION_FLAGS.late}</span> : null}{" "}
                        {a.supplementOverdue ? (
                          <span className="badge badge--bad">{APPLICATION_FLAGS.supplement_overdue}</span>
                        ) : null}{" "}
                        {a.status !== "draft" && a.paperCopiesReceivedOn === null ? (
                          <span className="badge">{APPLICATION_FLAGS.no_paper}</span>
                        ) : null}{" "}
                        {a.providerSuspended ? (
                          <span className="badge badge--bad" data-testid="provider-suspended">
                            {APPLICATION_FLAGS.provider_suspended}
                          </span>
                        ) : null}
                      </td>
                      <td className="table__action">
                        {canOpen ? <Link to={`/staff/applications/${a.id}`}>查看</Link> : null}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={list.page} pages={list.pageCount} href={(page) => applicationListSearch(query, { page })} />
        </>
      )}
    </>
  );
}
