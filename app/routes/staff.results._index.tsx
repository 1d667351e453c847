import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { RESULT_FILTERS, type ResultFilter } from "~/domain/labels.ts";
import { formatHundredths, SPREAD_LIMIT } from "~/domain/scoring.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { confirmResults, listRoundResults } from "~/models/review-result.server.ts";
import { currentRound, listRounds } from "~/models/round.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "评审结果 · 智能化改造咨询诊断补助申报平台" }];

const PAGE_SIZE = 50;
const FILTER_KEYS = Object.keys(RESULT_FILTERS) as [ResultFilter, ...ResultFilter[]];

const QuerySchema = z.object({
  round: z.string().trim().max(60).catch(""),
  filter: z.enum(FILTER_KEYS).catch("all"),
  q: z.string().trim().max(100).catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const ConfirmSchema = z.object({
  roundId: z.string().min(1),
  scope: z.enum(["all", "selected"]),
  applicationId: z.array(z.string()).default([]),
});

async function resolveRound(roundId: string) {
  const rounds = await listRounds();
  const round = rounds.find((r) => r.id === roundId) ?? (await currentRound()) ?? rounds[0] ?? null;
  return { rounds, round };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse(Object.fromEntries(params));
  const { rounds, round } = await resolveRound(query.round);
  const listed = round
    ? await listRoundResults(round.id, { filter: query.filter, q: query.q, page: query.page, pageSize: PAGE_SIZE })
    : null;
  return {
    query,
    rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
    round: round && {
      id: round.id,
      name: round.name,
      passMark: round.passMark,
      aggregation: round.scoreAggregation === "median" ? "中位数" : "平均分",
      reviewDeadline: round.reviewDeadline ? formatShanghai(round.reviewDeadline) : null,
    },
    counts: listed?.counts ?? { total: 0, ready: 0, copyBlocked: 0, confirmed: 0 },
    matching: listed?.matching ?? 0,
    pages: Math.max(1, Math.ceil((listed?.matching ?? 0) / PAGE_SIZE)),
    rows: (listed?.rows ?? []).map(({ application, result, copy }) => ({
      id: application.id,
      number: application.number,
      providerName: application.organisation.name,
      enterpriseName: application.enterprise.name,
      statusLabel: APPLICATION_STATUSES[application.status],
      assigned: result.assigned,
      submitted: result.submitted,
      complete: result.complete,
      finalScore:
        application.finalScoreHundredths !== null
          ? formatHundredths(application.finalScoreHundredths)
          : result.decision
            ? result.decision.finalScore.toFixed(2)
            : null,
      totals: result.decision?.totals ?? [],
      spread: result.decision?.spread ?? null,
      spreadFlag: result.decision?.spreadFlag ?? false,
      passed: application.resultConfirmedAt ? application.resultPassed : (result.decision?.passed ?? null),
      reasons:
        application.resultConfirmedAt && Array.isArray(application.resultReasons)
          ? application.resultReasons.map(String)
          : result.reasons,
      confirmedAt: application.resultConfirmedAt ? formatShanghai(application.resultConfirmedAt) : null,
      // R-REV-3: flagged by the copy check; blocks confirmation until vetoed or cleared with a reason.
      copy: {
        flagged: copy.flagged,
        blocks: copy.blocks && !application.resultConfirmedAt,
        vetoed: copy.vetoed,
        cleared: copy.clearance !== null,
      },
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const formData = await readFormData(request);
  const parsed = ConfirmSchema.safeParse({
    roundId: formData.get("roundId"),
    scope: formData.get("scope"),
    applicationId: formData.getAll("applicationId").filter((v): v is string => typeof v === "string"),
  });
  if (!parsed.success) return data({ ok: false as const, message: "请求无效，请刷新页面后重试。" }, { status: 400 });
  const outcome = await confirmResults(
    { id: user.id, name: user.name },
    parsed.data.roundId,
    parsed.data.scope === "all" ? { all: true } : { all: false, applicationIds: parsed.data.applicationId },
  );
  if (!outcome.ok) return data({ ok: false as const, message: outcome.message }, { status: 409 });
  return {
    ok: true as const,
    message:
      `已确认 ${outcome.confirmed} 项申报的评审结果，已向 ${outcome.mails} 家服务商发送结果通知邮件。` +
      (outcome.skipped - outcome.copyBlocked.length > 0
        ? `另有 ${outcome.skipped - outcome.copyBlocked.length} 项尚有专家未提交评分，未确认。`
        : "") +
      (outcome.copyBlocked.length ? `${outcome.copyBlocked.join("、")} 被雷同检查标记且未记录理由，未确认。` : ""),
  };
}

export default function ResultsPage() {
  const { query, rounds, round, counts, matching, pages, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <div className="page-head">
        <h1>评审结果</h1>
        {round ? (
          <a className="button button--secondary" href={`/resources/rounds/${round.id}/score-sheet`}>
            导出评分汇总表（.xlsx）
          </a>
        ) : null}
      </div>
      <Form method="get" className="filters">
        <RoundField rounds={rounds} value={round?.id ?? ""} />
        <div className="field">
          <label htmlFor="filter">筛选</label>
          <select id="filter" name="filter" defaultValue={query.filter}>
            {Object.entries(RESULT_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" defaultValue={query.q} placeholder="编号、服务商或企业" />
        </div>
        <button type="submit">筛选</button>
      </Form>
      {round ? (
        <p className="small muted">
          {round.name}：最终得分取各专家得分的{round.aggregation}，合格分数线 {round.passMark} 分；专家得分相差超过{" "}
          {SPREAD_LIMIT} 分时标记“分差大”。
          {round.reviewDeadline ? ` 评审截止：${round.reviewDeadline}。` : ""} 共 {counts.total} 项，待确认{" "}
          {counts.ready} 项，已确认 {counts.confirmed} 项。
        </p>
      ) : null}
      <FormMessage message={actionData?.message} tone={actionData?.ok ? "success" : "error"} />
      <Form method="post" id="confirm-form">
        <input type="hidden" name="roundId" value={round?.id ?? ""} />
        <div className="table-wrap" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th aria-label="选择" />
                <th>编号</th>
                <th>服务商</th>
                <th>被诊断企业</th>
                <th>评分进度</th>
                <th>各专家得分</th>
                <th className="num">最终得分</th>
                <th>结果</th>
                <th>确认</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={10} className="empty">
                    {counts.total === 0 ? "本批次还没有分配评审专家的申报。" : "没有符合条件的申报。"}
                  </td>
                </tr>
              ) : (
                rows.map((r) => (
                  <tr key={r.id} data-testid={`result-${r.number}`}>
                    <td>
                      {!r.confirmedAt && r.complete ? (
                        <input type="checkbox" name="applicationId" value={r.id} aria-label={`选择 ${r.number}`} />
                      ) : null}
                    </td>
                    <td>
                      {r.number}
                      {r.copy.flagged ? (
                        <div>
                          <span
                            className={`badge ${r.copy.blocks ? "badge--bad" : "badge--pending"}`}
                            data-testid="copy-flag"
                          >
                            {r.copy.blocks
                              ? "雷同标记：待处理"
                              : r.copy.vetoed
                                ? "雷同标记：专家否决"
                                : "雷同标记：已说明理由"}
                          </span>
                        </div>
                      ) : null}
                    </td>
                    <td>{r.providerName}</td>
                    <td>{r.enterpriseName}</td>
                    <td>
                      {r.submitted}/{r.assigned} 位专家已提交
                      <div className="small muted">{r.statusLabel}</div>
                    </td>
                    <td className="small">
                      {r.totals.length ? r.totals.join("、") : "—"}
                      {r.spreadFlag ? (
                        <div>
                          <span className="badge badge--pending" data-testid="spread-flag">
                            分差大（{r.spread} 分）
                          </span>
                        </div>
                      ) : null}
                    </td>
                    <td className="num">{r.finalScore ?? "—"}</td>
                    <td>
                      {r.passed === null ? (
                        "—"
                      ) : r.passed ? (
                        <span className="badge badge--verified">合格</span>
                      ) : (
                        <span className="badge badge--refused">不合格</span>
                      )}
                      {r.reasons.length ? <div className="small muted">{r.reasons.join("；")}</div> : null}
                      {!r.complete && r.passed !== null && !r.confirmedAt ? (
                        <div className="small muted">（按已提交评分暂算）</div>
                      ) : null}
                    </td>
                    <td className="small">
                      {r.confirmedAt ? `已确认 ${r.confirmedAt}` : r.complete ? "待确认" : "评审中"}
                    </td>
                    <td>
                      <Link to={`/staff/results/${r.id}`}>详情</Link>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pagination page={query.page} pages={pages} total={`${matching} 项`} />
        {round && counts.copyBlocked > 0 ? (
          <p className="notice notice--warning" data-testid="copy-blocked">
            {counts.copyBlocked} 项申报被雷同检查标记且无专家否决，须在评审详情页记录非抄袭的理由后才能确认。
          </p>
        ) : null}
        {round && counts.ready + counts.copyBlocked > 0 ? (
          <div className="actions">
            <button type="submit" name="scope" value="selected" className="button--secondary" disabled={busy}>
              确认所选结果
            </button>
            <button type="submit" name="scope" value="all" disabled={busy}>
              确认全部可确认的结果（{counts.ready} 项）
            </button>
            <span className="small muted">确认后结果冻结，并向每家服务商发送一封结果通知邮件（不含专家姓名）。</span>
          </div>
        ) : null}
      </Form>
    </>
  );
}
