import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { similarityComparisonUrl } from "~/components/similarity-panel.tsx";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { formatPercent } from "~/domain/similarity/evidence.ts";
import { getOcrProgress } from "~/models/ocr.server.ts";
import { currentRound, listRounds } from "~/models/round.server.ts";
import { listFlaggedPairs, setSimilarityThreshold } from "~/models/similarity.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import {
  parseSimilarityQuery,
  SIMILARITY_PAGE_SIZE,
  SIMILARITY_SCOPE_LABELS,
  similarityQueryString,
  ThresholdSchema,
} from "~/utils/similarity-query.ts";

export const meta: MetaFunction = () => [{ title: "雷同检查 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const query = parseSimilarityQuery(new URL(request.url));
  const rounds = await listRounds();
  const roundId =
    query.round && rounds.some((r) => r.id === query.round)
      ? query.round
      : ((await currentRound())?.id ?? rounds[0]?.id ?? null);
  const roundList = rounds.map((r) => ({ id: r.id, name: r.name }));
  if (!roundId) return { query, roundId: null, rounds: roundList, report: null, ocr: null, pages: 1, queryString: "" };
  const report = await listFlaggedPairs(
    { roundId, kind: query.kind, scope: query.scope, q: query.q },
    { skip: (query.page - 1) * SIMILARITY_PAGE_SIZE, take: SIMILARITY_PAGE_SIZE },
  );
  if (!report) throw new Response("批次不存在。", { status: 404 });
  return {
    ocr: await getOcrProgress(roundId),
    query,
    roundId,
    rounds: roundList,
    pages: Math.max(1, Math.ceil(report.total / SIMILARITY_PAGE_SIZE)),
    queryString: similarityQueryString(query, roundId),
    report: {
      ...report,
      rows: report.rows.map((r) => ({ ...r, createdAt: formatShanghai(r.createdAt) })),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const submission = parseWithZod(await readFormData(request), { schema: ThresholdSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const round = (await listRounds()).find((r) => r.id === submission.value.roundId);
  if (!round) throw new Response("批次不存在。", { status: 404 });
  await setSimilarityThreshold({ id: user.id, name: user.name }, round.id, submission.value.thresholdPercent);
  throw redirect(`/staff/similarity?round=${encodeURIComponent(round.id)}&saved=1`);
}

function ThresholdForm({ roundId, threshold }: { roundId: string; threshold: number }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: `similarity-threshold-${roundId}`,
    lastResult: actionData?.result,
    constraint: getZodConstraint(ThresholdSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ThresholdSchema }),
    shouldValidate: "onBlur",
    // Clear the error while typing, so the button does not move under the pointer on blur.
    shouldRevalidate: "onInput",
    defaultValue: { thresholdPercent: String(Math.round(threshold * 1000) / 10) },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="filters">
      <input type="hidden" name="intent" value="threshold" />
      <input type="hidden" name="roundId" value={roundId} />
      <Field
        label="报告相似度标记阈值（%）"
        hint="两份报告中任一份有不低于此比例的内容见于另一份，即标记为疑似雷同。照片按感知哈希判定为同一照片即标记。"
        errors={fields.thresholdPercent.errors}
        inputProps={{
          ...getInputProps(fields.thresholdPercent, { type: "text" }),
          inputMode: "decimal",
          style: { width: "8rem" },
        }}
      />
      <button type="submit" disabled={navigation.state === "submitting"}>
        保存阈值
      </button>
      {params.get("saved") ? <FormMessage tone="success" message="标记阈值已保存。" /> : null}
    </Form>
  );
}

function Side({
  side,
}: {
  side: { applicationId: string; number: string; organisationName: string; enterpriseName: string; roundName: string };
}) {
  return (
    <>
      <Link to={`/staff/similarity/applications/${side.applicationId}`} title="查看该申报的全部比对结果">
        <strong>{side.number}</strong>
      </Link>
      <div className="small">{side.organisationName}</div>
      <div className="small muted">
        {side.enterpriseName} · {side.roundName}
      </div>
    </>
  );
}

export default function SimilarityReport() {
  const { query, roundId, rounds, report, ocr, pages, queryString } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => `?${queryString}${page > 1 ? `&page=${page}` : ""}`;
  return (
    <>
      <div className="page-head">
        <h1>雷同检查</h1>
        {report ? (
          <a className="button button--secondary" href={`/resources/similarity/export?${queryString}`} download>
            导出 Excel
          </a>
        ) : null}
      </div>
      <p className="muted small">
        诊断报告与本库中所有批次（本批次、往期及其他区县的批次）的报告比对，可按比对范围筛选；现场照片与所有其他申报的照片比对（依据评审细则：明显雷同、抄袭的，不予通过）。点击“对照”查看两份材料的并排比较。
      </p>
      {!roundId || !report ? (
        <p className="empty">尚未创建申报批次。</p>
      ) : (
        <>
          <section className="card">
            <ThresholdForm key={`${roundId}-${report.threshold}`} roundId={roundId} threshold={report.threshold} />
            {report.waiting > 0 ? (
              <p className="notice notice--info">{report.waiting} 份诊断报告正在比对，结果稍后出现。</p>
            ) : null}
            {ocr && ocr.total > 0 ? (
              <p
                className={`notice ${ocr.done < ocr.total ? "notice--info" : "notice--success"}`}
                data-testid="ocr-progress"
              >
                扫描件文字识别（OCR）：已识别 {ocr.done} / {ocr.total} 页
                {ocr.reading > 0 ? `，${ocr.reading} 份诊断报告识别完成后自动比对` : "，已全部完成"}
                {ocr.failed > 0 ? `（${ocr.failed} 页无法识别）` : ""}。
                <progress value={ocr.done} max={ocr.total} aria-label="文字识别进度" />
              </p>
            ) : null}
            {report.unreadable.length > 0 ? (
              <div className="notice notice--warning" data-testid="unreadable-reports">
                以下申报的诊断报告没有可读取的文字或无法读取，系统无法比对，请评审专家人工核查：
                {report.unreadable.map((a, i) => (
                  <span key={a.applicationId}>
                    {i > 0 ? "、" : " "}
                    {a.number}（{a.organisationName}）
                  </span>
                ))}
              </div>
            ) : null}
          </section>
          <Form method="get" className="filters">
            <RoundField rounds={rounds} value={roundId} />
            <div className="field">
              <label htmlFor="kind">类型</label>
              <select id="kind" name="kind" defaultValue={query.kind}>
                <option value="all">全部</option>
                <option value="report">诊断报告</option>
                <option value="photo">现场照片</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="scope">比对范围</label>
              <select id="scope" name="scope" defaultValue={query.scope}>
                {(["all", "year", "round"] as const).map((scope) => (
                  <option key={scope} value={scope}>
                    {SIMILARITY_SCOPE_LABELS[scope]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="q">搜索</label>
              <input id="q" name="q" defaultValue={query.q} placeholder="申报编号、服务商或企业名称" />
            </div>
            <button type="submit">筛选</button>
          </Form>
          <div className="table-wrap" tabIndex={0}>
            <table className="table" aria-label="疑似雷同的材料">
              <thead>
                <tr>
                  <th>类型</th>
                  <th>相似度</th>
                  <th>申报 A</th>
                  <th>申报 B</th>
                  <th>发现时间</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {report.rows.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="empty">
                      {query.q || query.kind !== "all" || query.scope !== "all"
                        ? "没有符合条件的疑似雷同。"
                        : "本批次没有达到标记阈值的疑似雷同。"}
                    </td>
                  </tr>
                ) : (
                  report.rows.map((r) => (
                    <tr key={r.matchId} data-testid="flagged-pair">
                      <td>{r.kind === "report" ? "诊断报告" : "现场照片"}</td>
                      <td className="num">
                        <span className="badge badge--bad">{formatPercent(r.score)}</span>
                      </td>
                      <td>
                        <Side side={r.a} />
                      </td>
                      <td>
                        <Side side={r.b} />
                      </td>
                      <td className="small">{r.createdAt}</td>
                      <td>
                        <Link to={similarityComparisonUrl(r.matchId)}>对照</Link>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={query.page} pages={pages} total={`共 ${report.total} 对`} href={pageLink} />
        </>
      )}
    </>
  );
}
