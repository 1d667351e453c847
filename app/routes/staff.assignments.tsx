import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { formatShanghai, tryParseShanghaiDateTime } from "~/domain/shanghai-time.ts";
import {
  addAssignment,
  applyAutoAssignment,
  assignmentBoard,
  planAutoAssignment,
  saveAssignmentSettings,
  withdrawAssignment,
} from "~/models/assignment.server.ts";
import { listExperts } from "~/models/expert.server.ts";
import { currentRound, getRound, listRounds } from "~/models/round.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "分配评审专家 · 智能化改造咨询诊断补助申报平台" }];

const k = z.coerce
  .number({ error: "请输入每份申报的评审专家人数" })
  .int("人数须为整数")
  .min(1, "每份申报至少 1 位专家")
  .max(9, "每份申报至多 9 位专家");

const QuerySchema = z.object({
  round: z.string().max(40).optional().catch(undefined),
  preview: z.literal("1").optional().catch(undefined),
  k: k.optional().catch(undefined),
  q: z.string().trim().max(100).catch(""),
  status: z.enum(["all", "accepted", "under_review"]).catch("all"),
  page: z.coerce.number().int().min(1).catch(1),
});

/** Rows of the preview table shown at most (the counts always cover the whole plan). */
const PREVIEW_ROWS = 100;

const SettingsSchema = z.object({
  intent: z.literal("settings"),
  reviewsPerApplication: k,
  reviewDeadline: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const normalised = value.replace("T", " ");
      const parsed = tryParseShanghaiDateTime(
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(normalised) ? `${normalised}:59` : normalised,
      );
      if (!parsed) {
        ctx.addIssue({ code: "custom", message: "评审截止时间格式应为 年-月-日 时:分" });
        return z.NEVER;
      }
      return parsed;
    }),
});

const ActionSchema = z.discriminatedUnion("intent", [
  SettingsSchema,
  z.object({ intent: z.literal("apply"), k, fingerprint: z.string().max(64).optional() }),
  z.object({
    intent: z.literal("add"),
    applicationId: z.string().min(1),
    expertId: z.string({ error: "请选择专家" }).min(1, "请选择专家"),
  }),
  z.object({
    intent: z.literal("withdraw"),
    applicationId: z.string().min(1),
    assignmentId: z.string().min(1),
    reason: z
      .string({ error: "请填写撤回原因" })
      .trim()
      .min(2, "撤回原因至少 2 个字")
      .max(200, "撤回原因不超过 200 字")
      .superRefine(refuseHostileCharacters("撤回原因", { multiline: true })),
  }),
]);

async function resolveRound(roundId: string | undefined) {
  const round = roundId ? await getRound(roundId) : await currentRound();
  if (roundId && !round) throw new Response("批次不存在。", { status: 404 });
  return round;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse(Object.fromEntries(params));
  const round = await resolveRound(query.round);
  const rounds = (await listRounds()).map((r) => ({ id: r.id, name: r.name }));
  if (!round) {
    return { canEdit: false, rounds, round: null, query, board: [], total: 0, pages: 1, experts: [], preview: null };
  }
  const canEdit = user.roles.includes("staff");
  const [board, experts, preview] = await Promise.all([
    assignmentBoard(round.id, { q: query.q, status: query.status }, query.page),
    listExperts({ roundId: round.id }),
    canEdit && query.preview ? planAutoAssignment(round.id, query.k ?? round.reviewsPerApplication) : null,
  ]);
  return {
    canEdit,
    rounds,
    query: { ...query, page: board.page },
    total: board.total,
    pages: board.pages,
    preview: preview && {
      ...preview,
      added: preview.added.slice(0, PREVIEW_ROWS),
      addedApplications: preview.added.length,
    },
    round: {
      id: round.id,
      name: round.name,
      reviewsPerApplication: round.reviewsPerApplication,
      reviewDeadline: round.reviewDeadline ? formatShanghai(round.reviewDeadline).slice(0, 16).replace(" ", "T") : "",
      reviewDeadlineText: round.reviewDeadline ? formatShanghai(round.reviewDeadline) : null,
    },
    experts: experts
      .filter((e) => e.status !== "disabled")
      .map((e) => ({
        id: e.id,
        name: e.name,
        field: e.expertProfile?.field ?? null,
        load: e.load,
        conflicts: e._count.expertConflicts,
      })),
    board: board.applications.map((a) => ({
      id: a.id,
      number: a.number,
      status: a.status,
      provider: a.organisation.name,
      enterprise: a.enterprise.name,
      assignments: a.assignments.map((x) => ({
        id: x.id,
        expertId: x.expert.id,
        expert: x.expert.name,
        withdrawnReason: x.withdrawnAt ? (x.withdrawnReason ?? "已撤回") : null,
        reviewStatus: x.review?.status ?? null,
      })),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const actor = { id: user.id, name: user.name };
  const round = await resolveRound(new URL(request.url).searchParams.get("round") ?? undefined);
  if (!round) throw new Response("没有批次。", { status: 404 });
  const submission = parseWithZod(await readFormData(request), { schema: ActionSchema });
  const rowOf = (payload: Record<string, unknown>) =>
    typeof payload.applicationId === "string" ? payload.applicationId : null;
  if (submission.status !== "success") {
    return data(
      {
        intent: String(submission.payload.intent ?? ""),
        row: rowOf(submission.payload),
        result: submission.reply(),
        notice: null,
      },
      { status: 400 },
    );
  }
  const value = submission.value;
  const reply = (
    intent: string,
    outcome: { ok: true; notice: string } | { ok: false; message: string },
    row: string | null = null,
  ) =>
    outcome.ok
      ? { intent, row, result: submission.reply({ resetForm: true }), notice: outcome.notice }
      : data(
          { intent, row, result: submission.reply({ formErrors: [outcome.message] }), notice: null },
          { status: 409 },
        );
  switch (value.intent) {
    case "settings": {
      const outcome = await saveAssignmentSettings(actor, round.id, value);
      return reply("settings", outcome.ok ? { ok: true, notice: "已保存评审设置。" } : outcome);
    }
    case "apply": {
      const outcome = await applyAutoAssignment(actor, round.id, value.k, value.fingerprint);
      if (!outcome.ok) return reply("apply", outcome);
      const { view } = outcome;
      const notice =
        view.addedCount === 0
          ? "没有需要新增的分配：所有申报均已分配足额专家（或无可分配的专家）。"
          : `已新增 ${view.addedCount} 项分配，涉及 ${view.added.length} 份申报，已向 ${outcome.mailed} 位专家发送通知邮件。` +
            (view.shortages.length
              ? `仍有 ${view.shortages.length} 份申报专家不足：${view.shortages.map((s) => s.number).join("、")}。`
              : "");
      return reply("apply", { ok: true, notice });
    }
    case "add": {
      const outcome = await addAssignment(actor, value.applicationId, value.expertId);
      return reply(
        "add",
        outcome.ok ? { ok: true, notice: "已分配该专家，并已发送通知邮件。" } : outcome,
        value.applicationId,
      );
    }
    case "withdraw": {
      const outcome = await withdrawAssignment(actor, value.assignmentId, value.reason);
      return reply(
        "withdraw",
        outcome.ok ? { ok: true, notice: "已撤回该评审任务，并已通知专家。" } : outcome,
        value.applicationId,
      );
    }
  }
}

export default function Assignments() {
  const { round, rounds, query, board, total, pages, experts, preview, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [settingsForm, settings] = useForm({
    id: "settings",
    lastResult: actionData?.intent === "settings" ? actionData.result : undefined,
    constraint: getZodConstraint(SettingsSchema),
    defaultValue: {
      reviewsPerApplication: String(round?.reviewsPerApplication ?? 3),
      reviewDeadline: round?.reviewDeadline ?? "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
    shouldValidate: "onBlur",
  });
  if (!round) {
    return (
      <section className="card">
        <h1>分配评审专家</h1>
        <p className="empty">还没有批次。</p>
      </section>
    );
  }
  const roundParam = `round=${encodeURIComponent(round.id)}`;
  const pageLink = (page: number) =>
    `?${new URLSearchParams({
      round: round.id,
      ...(query.q ? { q: query.q } : {}),
      ...(query.status !== "all" ? { status: query.status } : {}),
      ...(page > 1 ? { page: String(page) } : {}),
    })}`;
  // Changes to one row come back to the same page of the board (without the preview).
  const here = pageLink(query.page);
  const formError = (intent: string, row: string | null = null) =>
    actionData && !actionData.notice && actionData.intent === intent && actionData.row === row
      ? actionData.result.error?.[""]?.[0]
      : null;
  const fieldError = (intent: string, row: string, field: string) =>
    actionData && !actionData.notice && actionData.intent === intent && actionData.row === row
      ? actionData.result.error?.[field]?.[0]
      : null;
  return (
    <>
      <div className="page-head">
        <h1>分配评审专家</h1>
        <Link to="/staff/experts">专家库</Link>
      </div>
      <Form method="get" className="filters">
        <RoundField rounds={rounds} value={round.id} />
        <div className="field">
          <label htmlFor="status">申报状态</label>
          <select id="status" name="status" defaultValue={query.status}>
            <option value="all">全部</option>
            <option value="accepted">已受理（待分配）</option>
            <option value="under_review">评审中</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" defaultValue={query.q} placeholder="申报编号、企业或服务商" />
        </div>
        <button type="submit">筛选</button>
      </Form>
      {actionData?.notice ? <FormMessage tone="success" message={actionData.notice} /> : null}
      <FormMessage message={formError("apply")} />
      <div className="two-col">
        <section>
          {preview ? (
            <section className="card" aria-label="自动分配预览" style={{ marginBottom: "1rem" }}>
              <h2 style={{ marginTop: 0 }}>自动分配预览（每份申报 {preview.k} 位专家）</h2>
              <p>
                待分配申报 {preview.applications} 份，可用专家 {preview.experts} 位；将新增 {preview.addedCount}{" "}
                项分配。 已声明回避的专家不会被分配到相关申报，各专家任务数相差不超过 1。
              </p>
              {preview.shortages.length ? (
                <div className="notice notice--warning" role="status">
                  <strong>专家不足：</strong>
                  <ul>
                    {preview.shortages.map((s) => (
                      <li key={s.number}>
                        {s.number}：{s.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {preview.conflicting.length ? (
                <div className="notice notice--error" role="status">
                  <strong>现有分配与回避声明冲突，请撤回：</strong>
                  <ul>
                    {preview.conflicting.map((c) => (
                      <li key={`${c.number}-${c.expert}`}>
                        {c.number}：{c.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {preview.added.length ? (
                <div className="table-wrap" tabIndex={0}>
                  <table className="table" aria-label="拟新增分配">
                    <thead>
                      <tr>
                        <th>申报编号</th>
                        <th>被诊断企业</th>
                        <th>服务商</th>
                        <th>拟分配专家</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.added.map((a) => (
                        <tr key={a.applicationId}>
                          <td>{a.number}</td>
                          <td>{a.enterprise}</td>
                          <td>{a.provider}</td>
                          <td>{a.experts.join("、")}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p className="empty">没有需要新增的分配。</p>
              )}
              <details>
                <summary>分配后各专家任务数</summary>
                <ul>
                  {preview.loads.map((l) => (
                    <li key={l.expertId}>
                      {l.name}：{l.load} 份{l.added ? `（新增 ${l.added}）` : ""}
                    </li>
                  ))}
                </ul>
              </details>
              {preview.addedApplications > preview.added.length ? (
                <p className="small muted">
                  仅列出前 {preview.added.length} 份申报，另有 {preview.addedApplications - preview.added.length}{" "}
                  份将一并分配。
                </p>
              ) : null}
              <div className="actions">
                <Form method="post" action={`?${roundParam}`} className="inline-form">
                  <input type="hidden" name="k" value={preview.k} />
                  <input type="hidden" name="fingerprint" value={preview.fingerprint} />
                  <button type="submit" name="intent" value="apply" disabled={busy || preview.addedCount === 0}>
                    确认分配
                  </button>
                </Form>
                <Link to={`?${roundParam}`}>取消</Link>
              </div>
            </section>
          ) : null}
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
                      {query.q || query.status !== "all" ? "没有符合条件的申报。" : "本批次还没有已受理的申报。"}
                    </td>
                  </tr>
                ) : (
                  board.map((app) => {
                    const active = app.assignments.filter((a) => a.withdrawnReason === null);
                    const open = app.status === "accepted" || app.status === "under_review";
                    return (
                      <tr key={app.id} data-application={app.number}>
                        <td>{app.number}</td>
                        <td>
                          {app.enterprise}
                          <div className="small muted">{app.provider}</div>
                        </td>
                        <td>
                          {APPLICATION_STATUSES[app.status]}
                          {open && active.length < round.reviewsPerApplication ? (
                            <div className="small badge badge--pending">
                              专家 {active.length}/{round.reviewsPerApplication}
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
                                  {a.reviewStatus === "submitted" ? (
                                    <span className="small muted">（已提交）</span>
                                  ) : null}
                                  {canEdit && open ? (
                                    <details style={{ display: "inline-block", marginLeft: "0.5rem" }}>
                                      <summary className="small">撤回</summary>
                                      <Form method="post" action={here}>
                                        <input type="hidden" name="applicationId" value={app.id} />
                                        <input type="hidden" name="assignmentId" value={a.id} />
                                        <label className="small" htmlFor={`reason-${a.id}`}>
                                          撤回原因
                                        </label>
                                        <input
                                          id={`reason-${a.id}`}
                                          name="reason"
                                          required
                                          minLength={2}
                                          maxLength={200}
                                        />
                                        <button
                                          type="submit"
                                          name="intent"
                                          value="withdraw"
                                          className="button--danger button--small"
                                          disabled={busy}
                                        >
                                          确认撤回
                                        </button>
                                      </Form>
                                    </details>
                                  ) : null}
                                </li>
                              ),
                            )}
                          </ul>
                          {fieldError("withdraw", app.id, "reason") ? (
                            <p className="field-errors">{fieldError("withdraw", app.id, "reason")}</p>
                          ) : null}
                          <FormMessage message={formError("withdraw", app.id)} />
                        </td>
                        {canEdit ? (
                          <td>
                            {open ? (
                              <Form method="post" action={here}>
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
                                <button
                                  type="submit"
                                  name="intent"
                                  value="add"
                                  className="button--small"
                                  disabled={busy}
                                >
                                  分配
                                </button>
                                {fieldError("add", app.id, "expertId") ? (
                                  <p className="field-errors">{fieldError("add", app.id, "expertId")}</p>
                                ) : null}
                                <FormMessage message={formError("add", app.id)} />
                              </Form>
                            ) : (
                              <span className="muted small">—</span>
                            )}
                          </td>
                        ) : null}
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
          <p className="small muted">共 {total} 份申报。</p>
          <Pagination page={query.page} pages={pages} href={pageLink} />
        </section>
        <section>
          {canEdit ? (
            <section className="card">
              <h2 style={{ marginTop: 0 }}>评审设置</h2>
              <Form method="post" action={`?${roundParam}`} {...getFormProps(settingsForm)}>
                <FormMessage message={settingsForm.errors?.[0]} />
                <Field
                  label="每份申报的评审专家人数"
                  inputProps={getInputProps(settings.reviewsPerApplication, { type: "number" })}
                  errors={settings.reviewsPerApplication.errors}
                />
                <Field
                  label="评审截止时间（北京时间）"
                  inputProps={getInputProps(settings.reviewDeadline, { type: "datetime-local" })}
                  errors={settings.reviewDeadline.errors}
                />
                <button type="submit" name="intent" value="settings" disabled={busy}>
                  保存设置
                </button>
              </Form>
              <h2>自动分配</h2>
              <p className="small muted">
                为所有已受理的申报（以及因撤回而专家不足的评审中申报）分配专家：避开回避单位，均衡各专家的任务数。先预览，确认后才会保存并发送邮件。
              </p>
              <Form method="get">
                <input type="hidden" name="round" value={round.id} />
                <input type="hidden" name="preview" value="1" />
                <div className="field">
                  <label htmlFor="preview-k">每份申报的专家人数</label>
                  <input
                    id="preview-k"
                    name="k"
                    type="number"
                    min={1}
                    max={9}
                    defaultValue={query.k ?? round.reviewsPerApplication}
                  />
                </div>
                <button type="submit">自动分配</button>
              </Form>
            </section>
          ) : (
            <section className="card">
              <h2 style={{ marginTop: 0 }}>评审设置</h2>
              <dl className="facts">
                <dt>每份申报专家人数</dt>
                <dd>{round.reviewsPerApplication}</dd>
                <dt>评审截止时间</dt>
                <dd>{round.reviewDeadlineText ?? "未设置"}</dd>
              </dl>
            </section>
          )}
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2 style={{ marginTop: 0 }}>专家任务数</h2>
            <table className="table" aria-label="专家任务数">
              <thead>
                <tr>
                  <th>专家</th>
                  <th>本批次任务</th>
                </tr>
              </thead>
              <tbody>
                {experts.length === 0 ? (
                  <tr>
                    <td colSpan={2} className="empty">
                      专家库为空，请先<Link to="/staff/experts">邀请专家</Link>。
                    </td>
                  </tr>
                ) : (
                  experts.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <Link to={`/staff/experts/${e.id}`}>{e.name}</Link>
                        {e.conflicts ? <span className="small muted">（回避 {e.conflicts}）</span> : null}
                      </td>
                      <td>{e.load}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </section>
        </section>
      </div>
    </>
  );
}
