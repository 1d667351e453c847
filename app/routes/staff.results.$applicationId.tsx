import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { ErrorList, FormMessage } from "~/components/forms.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { RUBRIC_SECTION_LIST } from "~/domain/rubric.ts";
import { expertTotal } from "~/domain/scoring.ts";
import { formatHundredths, SPREAD_LIMIT } from "~/domain/scoring.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { clearCopyFlag, getApplicationResult, reopenReview, submittedReview } from "~/models/review-result.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "评审详情 · 智能化改造咨询诊断补助申报平台" }];

const ClearSchema = z.object({
  intent: z.literal("clear-copy-flag"),
  clearance: z.string({ error: "请填写理由" }).trim(),
});

const ReopenSchema = z.object({
  intent: z.literal("reopen"),
  reviewId: z.string().min(1),
  reason: z
    .string({ error: "请填写退回原因" })
    .trim()
    .min(4, "请填写退回原因（至少 4 个字）")
    .max(500, "不超过 500 字")
    .superRefine(refuseHostileCharacters("退回原因", { multiline: true })),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const found = await getApplicationResult(params.applicationId ?? "");
  if (!found) throw new Response("申报不存在。", { status: 404 });
  const { application, result, copy } = found;
  return {
    // R-REV-3: the copy check's flag, and what lets a result through (a veto or a recorded clearance).
    copy: copy && { flagged: copy.flagged, vetoed: copy.vetoed, clearance: copy.clearance, blocks: copy.blocks },
    application: {
      id: application.id,
      number: application.number,
      reportTitle: application.reportTitle,
      providerName: application.organisation.name,
      enterpriseName: application.enterprise.name,
      roundId: application.round.id,
      roundName: application.round.name,
      passMark: application.round.passMark,
      aggregation: application.round.scoreAggregation === "median" ? "中位数" : "平均分",
      statusLabel: APPLICATION_STATUSES[application.status],
      confirmedAt: application.resultConfirmedAt ? formatShanghai(application.resultConfirmedAt) : null,
      confirmed:
        application.resultConfirmedAt && application.finalScoreHundredths !== null
          ? {
              finalScore: formatHundredths(application.finalScoreHundredths),
              passed: application.resultPassed === true,
              reasons: Array.isArray(application.resultReasons) ? application.resultReasons.map(String) : [],
            }
          : null,
    },
    result: {
      assigned: result.assigned,
      submitted: result.submitted,
      complete: result.complete,
      finalScore: result.decision ? result.decision.finalScore.toFixed(2) : null,
      passed: result.decision?.passed ?? null,
      spread: result.decision?.spread ?? null,
      spreadFlag: result.decision?.spreadFlag ?? false,
      reasons: result.reasons,
    },
    experts: application.assignments.map((assignment) => {
      const stored = assignment.review;
      const review = stored?.status === "submitted" ? submittedReview(stored) : null;
      return {
        assignmentId: assignment.id,
        expertName: assignment.expert.name,
        withdrawn: assignment.withdrawnAt
          ? `已撤回（${formatShanghai(assignment.withdrawnAt)}）：${assignment.withdrawnReason ?? ""}`
          : null,
        conflictConfirmed: assignment.noConflictConfirmedAt !== null,
        status: !stored
          ? "未开始"
          : stored.status === "submitted"
            ? "已提交"
            : stored.reopenedAt
              ? "已退回修改"
              : "草稿",
        reviewId: stored?.id ?? null,
        submittedAt: stored?.submittedAt ? formatShanghai(stored.submittedAt) : null,
        reopened: stored?.reopenedAt ? `${formatShanghai(stored.reopenedAt)} 退回：${stored.reopenReason ?? ""}` : null,
        review: review && {
          materials: review.materialsComplete ? "齐全" : `不齐全：${review.materialsNote ?? ""}`,
          sections: RUBRIC_SECTION_LIST.map((s) => ({
            key: s.key,
            name: s.name,
            max: s.max,
            score: review.sections[s.key].score,
            comment: review.sections[s.key].comment,
          })),
          deduction: review.deduction ? (review.deductionReason ?? "") : null,
          veto: review.veto ? (review.vetoEvidence ?? "") : null,
          total: expertTotal(review),
        },
      };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const formData = await readFormData(request);
  if (formData.get("intent") === "clear-copy-flag") {
    const clear = ClearSchema.safeParse(Object.fromEntries(formData));
    if (!clear.success)
      return data({ reviewId: "", reason: undefined, clearance: ["请填写理由"], message: undefined }, { status: 400 });
    const cleared = await clearCopyFlag(
      { id: user.id, name: user.name },
      params.applicationId ?? "",
      clear.data.clearance,
    );
    if (!cleared.ok) {
      return data(
        {
          reviewId: "",
          reason: undefined,
          clearance: cleared.field === "reason" ? [cleared.message] : undefined,
          message: cleared.field === "reason" ? undefined : cleared.message,
        },
        { status: cleared.field === "reason" ? 400 : 409 },
      );
    }
    throw redirect(`/staff/results/${params.applicationId}?cleared=1`);
  }
  const parsed = ReopenSchema.safeParse(Object.fromEntries(formData));
  const reviewId = String(formData.get("reviewId") ?? "");
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason")?.message;
    return data(
      {
        reviewId,
        reason: reason ? [reason] : undefined,
        clearance: undefined,
        message: reason ? undefined : "请求无效，请刷新页面后重试。",
      },
      { status: 400 },
    );
  }
  const outcome = await reopenReview({ id: user.id, name: user.name }, parsed.data.reviewId, parsed.data.reason);
  if (!outcome.ok)
    return data({ reviewId, reason: undefined, clearance: undefined, message: outcome.message }, { status: 409 });
  throw redirect(`/staff/results/${params.applicationId}`);
}

export default function ResultDetail() {
  const { application, result, experts, copy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <div className="page-head">
        <h1>评审详情 · {application.number}</h1>
        <Link to={`/staff/results?roundId=${application.roundId}`}>返回评审结果</Link>
      </div>
      <section className="card">
        <dl className="facts">
          <dt>诊断报告</dt>
          <dd>《{application.reportTitle}》</dd>
          <dt>服务商</dt>
          <dd>{application.providerName}</dd>
          <dt>被诊断企业</dt>
          <dd>{application.enterpriseName}</dd>
          <dt>状态</dt>
          <dd>{application.statusLabel}</dd>
          <dt>评分进度</dt>
          <dd>
            {result.submitted}/{result.assigned} 位专家已提交
          </dd>
          <dt>分差</dt>
          <dd>
            {result.spread ?? "—"}
            {result.spreadFlag ? (
              <span className="badge badge--pending" data-testid="spread-flag">
                分差超过 {SPREAD_LIMIT} 分，请复核
              </span>
            ) : null}
          </dd>
          <dt>计算结果</dt>
          <dd data-testid="computed-result">
            {result.finalScore === null
              ? "尚无已提交的评分"
              : `${result.finalScore} 分（各专家得分的${application.aggregation}，合格线 ${application.passMark} 分）· ${result.passed ? "合格" : "不合格"}`}
            {result.reasons.length ? <div className="small muted">{result.reasons.join("；")}</div> : null}
          </dd>
          <dt>确认</dt>
          <dd>
            {application.confirmed
              ? `已于 ${application.confirmedAt} 确认：${application.confirmed.passed ? "合格" : "不合格"}，最终得分 ${application.confirmed.finalScore} 分（结果已冻结）`
              : result.complete
                ? "待确认（请在评审结果列表中确认）"
                : "尚有专家未提交评分"}
          </dd>
        </dl>
        <p className="small">
          <Link to={`/staff/audit?entityType=application&entityId=${application.id}`}>查看操作记录</Link>
        </p>
      </section>
      {actionData?.message ? <FormMessage message={actionData.message} /> : null}
      {copy?.flagged ? (
        <section className="card" data-testid="copy-flag-section">
          <h2 style={{ marginTop: 0 }}>雷同检查标记</h2>
          <p className={`notice ${copy.blocks ? "notice--error" : "notice--info"}`}>
            该申报的诊断报告或现场照片被雷同检查标记（
            <Link to={`/staff/similarity/applications/${application.id}`}>查看比对</Link>）。
            {copy.vetoed
              ? "已有专家一票否决。"
              : copy.clearance
                ? `已记录非抄袭的理由：${copy.clearance}`
                : "抄袭不能默认放行：须有专家一票否决，或由工作人员记录该标记不属于抄袭的理由，才能确认结果。"}
          </p>
          {!application.confirmed && !copy.vetoed ? (
            <Form method="post">
              <input type="hidden" name="intent" value="clear-copy-flag" />
              <div className="field">
                <label htmlFor="clearance">{copy.clearance ? "更正理由" : "非抄袭的理由"}</label>
                <textarea
                  id="clearance"
                  name="clearance"
                  rows={3}
                  defaultValue={copy.clearance ?? ""}
                  aria-invalid={actionData?.clearance ? true : undefined}
                  aria-describedby={actionData?.clearance ? "clearance-error" : undefined}
                  placeholder="例如：相同段落均为国家标准原文引用，诊断建议部分无雷同"
                />
                <ErrorList id="clearance-error" errors={actionData?.clearance} />
              </div>
              <button type="submit" className="button--secondary" disabled={busy}>
                记录理由
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {experts.length === 0 ? <p className="empty">该申报尚未分配评审专家。</p> : null}
      {experts.map((e) => (
        <section className="card" key={e.assignmentId} data-testid={`expert-review-${e.expertName}`}>
          <h2 style={{ marginTop: 0 }}>
            {e.expertName} <span className="badge">{e.withdrawn ? "已撤回" : e.status}</span>
          </h2>
          {e.withdrawn ? <p className="small muted">{e.withdrawn}</p> : null}
          {!e.withdrawn && !e.conflictConfirmed ? <p className="small muted">专家尚未确认无利益冲突。</p> : null}
          {e.reopened ? <p className="small muted">{e.reopened}</p> : null}
          {e.review ? (
            <>
              <div className="table-wrap" tabIndex={0}>
                <table className="table">
                  <thead>
                    <tr>
                      <th>评审项</th>
                      <th className="num">得分</th>
                      <th>评审意见</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>诊断资料</td>
                      <td className="num">—</td>
                      <td>{e.review.materials}</td>
                    </tr>
                    {e.review.sections.map((s) => (
                      <tr key={s.key}>
                        <td>
                          {s.name}（{s.max}）
                        </td>
                        <td className="num">{s.score}</td>
                        <td>{s.comment}</td>
                      </tr>
                    ))}
                    <tr>
                      <td>扣分项</td>
                      <td className="num">{e.review.deduction !== null ? "−20" : "0"}</td>
                      <td>{e.review.deduction ?? "无"}</td>
                    </tr>
                    <tr>
                      <td>一票否决</td>
                      <td className="num">{e.review.veto !== null ? "否决" : "否"}</td>
                      <td>{e.review.veto ?? "无"}</td>
                    </tr>
                    <tr>
                      <td>
                        <strong>合计</strong>
                      </td>
                      <td className="num">
                        <strong data-testid="expert-total">{e.review.total}</strong>
                      </td>
                      <td className="small muted">提交于 {e.submittedAt}</td>
                    </tr>
                  </tbody>
                </table>
              </div>
              <p>
                <a href={`/resources/reviews/${e.reviewId}/score-sheet`}>专家评分表（PDF）</a>
              </p>
              {!application.confirmed && e.reviewId ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="reviewId" value={e.reviewId} />
                  <div className="field">
                    <label htmlFor={`reason-${e.reviewId}`}>退回原因</label>
                    <textarea
                      id={`reason-${e.reviewId}`}
                      name="reason"
                      rows={2}
                      aria-invalid={actionData?.reviewId === e.reviewId && actionData.reason ? true : undefined}
                      aria-describedby={
                        actionData?.reviewId === e.reviewId && actionData.reason
                          ? `reason-${e.reviewId}-error`
                          : undefined
                      }
                    />
                    <ErrorList
                      id={`reason-${e.reviewId}-error`}
                      errors={actionData?.reviewId === e.reviewId ? actionData.reason : undefined}
                    />
                  </div>
                  <button type="submit" name="intent" value="reopen" className="button--secondary" disabled={busy}>
                    退回该专家修改评分
                  </button>
                </Form>
              ) : null}
            </>
          ) : e.withdrawn ? null : (
            <p className="muted">尚未提交评分（专家提交前其他人看不到草稿内容）。</p>
          )}
        </section>
      ))}
    </>
  );
}
