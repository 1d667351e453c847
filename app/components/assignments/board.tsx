/**
 * R-REV-5: the assignment board — one page of the round's applications from acceptance on, each with its
 * experts (withdrawn ones struck through, with the reason) and, for staff, the forms that withdraw an
 * assignment (with a reason) or add an expert by hand while the application still takes experts.
 */
import { Form } from "@remix-run/react";

import { FormMessage } from "~/components/forms.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { APPLICATION_STATUSES, type ApplicationStatus } from "~/domain/application-status.ts";
import { isAssignable } from "~/domain/assignment.ts";

export type BoardStatusFilter = "all" | "accepted" | "under_review";

export type BoardApplication = {
  id: string;
  number: string;
  status: ApplicationStatus;
  provider: string;
  enterprise: string;
  assignments: {
    id: string;
    expertId: string;
    expert: string;
    /** Null while the assignment is active. */
    withdrawnReason: string | null;
    reviewStatus: "draft" | "submitted" | null;
  }[];
};

export type BoardExpert = { id: string; name: string; load: number };

/** The message of a refused change to one row: the form's own (`field` omitted) or a field's. */
export type RowError = (intent: "add" | "withdraw", row: string, field?: string) => string | null | undefined;

export function BoardFilters({
  rounds,
  roundId,
  status,
  q,
}: {
  rounds: readonly { id: string; name: string }[];
  roundId: string;
  status: BoardStatusFilter;
  q: string;
}) {
  return (
    <Form method="get" className="filters">
      <RoundField rounds={rounds} value={roundId} />
      <div className="field">
        <label htmlFor="status">申报状态</label>
        <select id="status" name="status" defaultValue={status}>
          <option value="all">全部</option>
          <option value="accepted">已受理（待分配）</option>
          <option value="under_review">评审中</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="q">搜索</label>
        <input id="q" name="q" defaultValue={q} placeholder="申报编号、企业或服务商" />
      </div>
      <button type="submit">筛选</button>
    </Form>
  );
}

export function AssignmentBoard({
  board,
  experts,
  reviewsPerApplication,
  canEdit,
  busy,
  filtered,
  action,
  rowError,
}: {
  board: BoardApplication[];
  experts: BoardExpert[];
  reviewsPerApplication: number;
  canEdit: boolean;
  busy: boolean;
  /** A filter is set: an empty board means nothing matched, not an empty round. */
  filtered: boolean;
  /** Where a row's forms post, so the answer comes back to the same page of the board. */
  action: string;
  rowError: RowError;
}) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="table" aria-label="申报与评审专家">
        <thead>
          <tr>
            <th>申报编号</th>
            <th>被诊断企业 / 服务商</th>
            <th>状态</th>
            <th>评审专家</th>
            {canEdit ? <th>手动分配</th> : null}
          </tr>
        </thead>
        <tbody>
          {board.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                {filtered ? "没有符合条件的申报。" : "本批次还没有已受理的申报。"}
              </td>
            </tr>
          ) : (
            board.map((app) => (
              <BoardRow
                key={app.id}
                app={app}
                experts={experts}
                reviewsPerApplication={reviewsPerApplication}
                canEdit={canEdit}
                busy={busy}
                action={action}
                rowError={rowError}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function BoardRow({
  app,
  experts,
  reviewsPerApplication,
  canEdit,
  busy,
  action,
  rowError,
}: {
  app: BoardApplication;
  experts: BoardExpert[];
  reviewsPerApplication: number;
  canEdit: boolean;
  busy: boolean;
  action: string;
  rowError: RowError;
}) {
  const active = app.assignments.filter((a) => a.withdrawnReason === null);
  const open = isAssignable(app.status);
  const withdrawReasonError = rowError("withdraw", app.id, "reason");
  const addExpertError = rowError("add", app.id, "expertId");
  return (
    <tr data-application={app.number}>
      <td>{app.number}</td>
      <td>
        {app.enterprise}
        <div className="small muted">{app.provider}</div>
      </td>
      <td>
        {APPLICATION_STATUSES[app.status]}
        {open && active.length < reviewsPerApplication ? (
          <div className="small badge badge--pending">
            专家 {active.length}/{reviewsPerApplication}
          </div>
        ) : null}
      </td>
      <td>
        {app.assignments.length === 0 ? <span className="muted">未分配</span> : null}
        <ul style={{ margin: 0, paddingLeft: "1rem" }}>
          {app.assignments.map((a) =>
            a.withdrawnReason !== null ? (
              <li key={a.id} className="muted">
                <s>{a.expert}</s>（已撤回：{a.withdrawnReason}）
              </li>
            ) : (
              <li key={a.id} data-expert={a.expert}>
                {a.expert}
                {a.reviewStatus === "submitted" ? <span className="small muted">（已提交）</span> : null}
                {canEdit && open ? (
                  <WithdrawForm applicationId={app.id} assignmentId={a.id} action={action} busy={busy} />
                ) : null}
              </li>
            ),
          )}
        </ul>
        {withdrawReasonError ? <p className="field-errors">{withdrawReasonError}</p> : null}
        <FormMessage message={rowError("withdraw", app.id)} />
      </td>
      {canEdit ? (
        <td>
          {open ? (
            <Form method="post" action={action}>
              <input type="hidden" name="applicationId" value={app.id} />
              <select name="expertId" aria-label={`为 ${app.number} 选择专家`} defaultValue="">
                <option value="">选择专家…</option>
                {experts
                  .filter((e) => !active.some((a) => a.expertId === e.id))
                  .map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.name}（{e.load} 份）
                    </option>
                  ))}
              </select>{" "}
              <button type="submit" name="intent" value="add" className="button--small" disabled={busy}>
                分配
              </button>
              {addExpertError ? <p className="field-errors">{addExpertError}</p> : null}
              <FormMessage message={rowError("add", app.id)} />
            </Form>
          ) : (
            <span className="muted small">—</span>
          )}
        </td>
      ) : null}
    </tr>
  );
}

function WithdrawForm({
  applicationId,
  assignmentId,
  action,
  busy,
}: {
  applicationId: string;
  assignmentId: string;
  action: string;
  busy: boolean;
}) {
  return (
    <details style={{ display: "inline-block", marginLeft: "0.5rem" }}>
      <summary className="small">撤回</summary>
      <Form method="post" action={action}>
        <input type="hidden" name="applicationId" value={applicationId} />
        <input type="hidden" name="assignmentId" value={assignmentId} />
        <label className="small" htmlFor={`reason-${assignmentId}`}>
          撤回原因
        </label>
        <input id={`reason-${assignmentId}`} name="reason" required minLength={2} maxLength={200} />
        <button type="submit" name="intent" value="withdraw" className="button--danger button--small" disabled={busy}>
          确认撤回
        </button>
      </Form>
    </details>
  );
}
