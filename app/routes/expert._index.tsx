import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { countdown, formatShanghai } from "~/domain/shanghai-time.ts";
import { needsConflictDeclaration } from "~/models/expert.server.ts";
import { listOwnAssignments } from "~/models/review.server.ts";
import { now } from "~/utils/clock.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "评审任务 · 智能化改造咨询诊断补助申报平台" }];

type Progress = "confirm" | "todo" | "draft" | "submitted" | "reopened";
const PROGRESS_LABELS: Record<Progress, string> = {
  confirm: "待确认无利益冲突",
  todo: "待评分",
  draft: "评分草稿",
  submitted: "已提交",
  reopened: "已退回修改",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  // R-REV-5: an expert declares its own conflicts before it sees any assignment.
  if (await needsConflictDeclaration(user.id)) throw redirect("/expert/conflicts");
  const at = now();
  const assignments = await listOwnAssignments(user.id);
  const rows = assignments.map((a) => {
    const progress: Progress = !a.noConflictConfirmedAt
      ? "confirm"
      : !a.review
        ? "todo"
        : a.review.status === "submitted"
          ? "submitted"
          : a.review.reopenedAt
            ? "reopened"
            : "draft";
    const deadline = a.application.round.reviewDeadline;
    return {
      id: a.id,
      number: a.application.number,
      reportTitle: a.application.reportTitle,
      providerName: a.application.organisation.name,
      enterpriseName: a.application.enterprise.name,
      roundName: a.application.round.name,
      progress,
      progressLabel: PROGRESS_LABELS[progress],
      savedAt: a.review ? formatShanghai(a.review.submittedAt ?? a.review.updatedAt) : null,
      deadline: deadline ? formatShanghai(deadline) : null,
      countdown: deadline ? countdown(at, deadline).text : null,
      closed: deadline ? at.getTime() > deadline.getTime() : false,
    };
  });
  const scored = rows.filter((r) => r.progress === "submitted").length;
  const deadlines = [
    ...new Set(
      rows.filter((r) => r.progress !== "submitted" && r.deadline).map((r) => `${r.roundName}：${r.deadline}`),
    ),
  ];
  const handedBack = new URL(request.url).searchParams.has("handedBack");
  return { name: user.name, rows, scored, todo: rows.length - scored, deadlines, handedBack };
}

export default function ExpertHome() {
  const { name, rows, scored, todo, deadlines, handedBack } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>评审任务</h1>
      </div>
      {handedBack ? (
        <p className="notice notice--success" role="status">
          已申报回避，该评审任务已退回区工信局重新分配。
        </p>
      ) : null}
      <p>{name}，您好。以下为区工信局分配给您的诊断报告评审任务。打开前请先确认与服务商、被诊断企业不存在利益冲突。</p>
      <div className="grid" data-testid="review-progress">
        <div className="stat">
          <strong>{rows.length}</strong> 项任务
        </div>
        <div className="stat">
          <strong>{scored}</strong> 项已评分
        </div>
        <div className="stat">
          <strong>{todo}</strong> 项待完成
        </div>
      </div>
      {deadlines.length ? (
        <p className="notice notice--info" data-testid="review-deadline">
          评审截止时间（北京时间）：{deadlines.join("；")}。截止后不能再保存或提交评分。
        </p>
      ) : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th>编号</th>
              <th>诊断报告</th>
              <th>服务商</th>
              <th>被诊断企业</th>
              <th>进度</th>
              <th>截止时间</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  目前没有分配给您的评审任务。区工信局分配任务后，您会收到邮件通知。
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.number}</td>
                  <td>《{r.reportTitle}》</td>
                  <td>{r.providerName}</td>
                  <td>{r.enterpriseName}</td>
                  <td>
                    <span className={`badge ${r.progress === "submitted" ? "badge--verified" : "badge--pending"}`}>
                      {r.progressLabel}
                    </span>
                    {r.savedAt ? <div className="small muted">{r.savedAt}</div> : null}
                  </td>
                  <td className="small">
                    {r.deadline ?? "未设定"}
                    {r.countdown && r.progress !== "submitted" ? (
                      <div className={r.closed ? "countdown countdown--closed" : "muted"}>{r.countdown}</div>
                    ) : null}
                  </td>
                  <td>
                    <Link to={`/expert/reviews/${r.id}`}>
                      {r.progress === "submitted" ? "查看" : r.progress === "confirm" ? "确认并评审" : "评分"}
                    </Link>
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
