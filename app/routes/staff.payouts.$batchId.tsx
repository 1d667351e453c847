import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage, TextareaField } from "~/components/forms.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { capitalYuan, formatFen } from "~/domain/money.ts";
import { batchTotals } from "~/domain/payout.ts";
import { formatShanghai, parseCalendarDate } from "~/domain/shanghai-time.ts";
import { approveBatch, getBatch, markBatchPaid, prepareBatch, returnBatch } from "~/models/payout.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "拨付批次 · 智能化改造咨询诊断补助申报平台" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), version: z.coerce.number().int() }),
  z.object({
    intent: z.literal("return"),
    version: z.coerce.number().int(),
    reason: z.string({ error: "请填写退回理由" }).trim().min(2, "请填写退回理由（至少 2 个字）").max(500, "退回理由不超过 500 字"),
  }),
  z.object({
    intent: z.literal("paid"),
    version: z.coerce.number().int(),
    paidOn: z
      .string({ error: "请选择拨付日期" })
      .trim()
      .refine((v) => parseCalendarDate(v) !== null, "拨付日期格式应为 年-月-日"),
    voucherRef: z.string({ error: "请填写拨付凭证号" }).trim().min(2, "请填写拨付凭证号").max(100, "凭证号不超过 100 字"),
  }),
  z.object({ intent: z.literal("correct") }),
]);

type FieldErrors = Partial<Record<"reason" | "paidOn" | "voucherRef", string[]>>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const batch = await getBatch(params.batchId ?? "");
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const totals = batchTotals(batch.lines);
  const isPreparer = batch.preparedById === user.id;
  return {
    batch: {
      id: batch.id,
      number: batch.number,
      status: batch.status,
      statusLabel: batch.statusLabel,
      version: batch.version,
      roundId: batch.round.id,
      roundName: batch.round.name,
      preparedBy: batch.preparedBy,
      preparedAt: formatShanghai(batch.preparedAt),
      approvedBy: batch.approvedBy,
      approvedAt: batch.approvedAt ? formatShanghai(batch.approvedAt) : null,
      returnedBy: batch.returnedBy,
      returnedAt: batch.returnedAt ? formatShanghai(batch.returnedAt) : null,
      returnedReason: batch.returnedReason,
      paidOn: batch.paidOn,
      voucherRef: batch.voucherRef,
      paidRecordedBy: batch.paidRecordedBy,
      digest: batch.digest,
      correctsBatch: batch.correctsBatch,
      corrections: batch.corrections,
      supersededBy: batch.supersededBy,
      lines: batch.lines.map((l) => ({ id: l.id, applicationId: l.applicationId, applicationNo: l.applicationNo, providerName: l.providerName, enterpriseName: l.enterpriseName, contractFen: l.contractFen, amountFen: l.amountFen, applicationStatus: l.application.status })),
    },
    providers: totals.providers.map((p) => ({ providerName: p.providerName, count: p.count, totalFen: p.totalFen })),
    total: { fen: totals.totalFen, capital: capitalYuan(totals.totalFen) },
    can: {
      approve: batch.status === "prepared" && user.roles.includes("approver") && !isPreparer,
      isPreparer,
      markPaid: batch.status === "approved" && user.roles.includes("staff") && !batch.supersededBy,
      correct: user.roles.includes("staff") && batch.status === "approved" && !batch.supersededBy,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const officer = { id: user.id, name: user.name, roles: user.roles };
  const batchId = params.batchId ?? "";
  const formData = await request.formData();
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "reason" || key === "paidOn" || key === "voucherRef") (fieldErrors[key] ??= []).push(issue.message);
    }
    return data({ intent: String(formData.get("intent") ?? ""), message: Object.keys(fieldErrors).length ? null : "请求无效，请刷新页面。", fieldErrors }, { status: 400 });
  }
  const v = parsed.data;
  if (v.intent === "approve") {
    const outcome = await approveBatch(officer, { batchId, version: v.version });
    if (!outcome.ok) return data({ intent: v.intent, message: outcome.message, fieldErrors: {} }, { status: 409 });
    throw redirect(`/staff/payouts/${batchId}?done=approved`);
  }
  if (v.intent === "return") {
    const outcome = await returnBatch(officer, { batchId, version: v.version, reason: v.reason });
    if (!outcome.ok) return data({ intent: v.intent, message: outcome.message, fieldErrors: {} }, { status: 409 });
    throw redirect(`/staff/payouts/${batchId}?done=returned`);
  }
  if (v.intent === "paid") {
    const outcome = await markBatchPaid(officer, { batchId, version: v.version, paidOn: v.paidOn, voucherRef: v.voucherRef });
    if (!outcome.ok) return data({ intent: v.intent, message: outcome.message, fieldErrors: {} }, { status: 409 });
    throw redirect(`/staff/payouts/${batchId}?done=paid`);
  }
  // A correction: a new batch referencing this one, from its applications (if not yet paid) and any
  // newly eligible ones, selected on the form.
  const batch = await getBatch(batchId);
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const applicationIds = formData.getAll("applicationIds").filter((x): x is string => typeof x === "string");
  const selection = applicationIds.length > 0 ? { all: false as const, applicationIds } : null;
  if (!selection) return data({ intent: "correct", message: "请至少勾选一项申报编入更正批次。", fieldErrors: {} }, { status: 400 });
  const outcome = await prepareBatch(officer, { roundId: batch.round.id, selection, correctsBatchId: batch.id });
  if (!outcome.ok) {
    const detail = outcome.problems?.map((p) => `${p.applicationNo}：${p.message}`).join("；");
    return data({ intent: "correct", message: detail ? `${outcome.message}（${detail}）` : outcome.message, fieldErrors: {} }, { status: 400 });
  }
  throw redirect(`/staff/payouts/${outcome.batchId}?prepared=1`);
}

const DONE_MESSAGES: Record<string, string> = {
  approved: "已审批。批次内容及摘要已固定，各服务商已收到通知邮件。",
  returned: "已退回，批次中的申报已释放，可重新编制。",
  paid: "已登记拨付，各服务商已收到通知邮件。",
};

export default function PayoutBatch() {
  const { batch, providers, total, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const done = params.get("done");
  const errorsFor = (intent: string, field: "reason" | "paidOn" | "voucherRef") =>
    actionData?.intent === intent ? (actionData.fieldErrors as FieldErrors)[field] : undefined;
  return (
    <>
      <div className="page-head">
        <h1>
          拨付批次 {batch.number} <span className="badge">{batch.statusLabel}</span>
        </h1>
        <Link to={`/staff/payouts?round=${batch.roundId}`}>返回补助拨付</Link>
      </div>
      {params.get("prepared") ? <FormMessage tone="success" message="拨付批次已编制，请另一位具有审批权限的人员审批。" /> : null}
      {done && DONE_MESSAGES[done] ? <FormMessage tone="success" message={DONE_MESSAGES[done]} /> : null}
      {actionData?.message ? <FormMessage message={actionData.message} /> : null}
      {batch.supersededBy ? (
        <p className="notice notice--warning">
          本批次已被更正批次 <Link to={`/staff/payouts/${batch.supersededBy.id}`}>{batch.supersededBy.number}</Link> 取代，不再拨付。
        </p>
      ) : null}

      <section className="card">
        <dl className="grid">
          <div>
            <dt className="muted">申报批次</dt>
            <dd style={{ margin: 0 }}>{batch.roundName}</dd>
          </div>
          <div>
            <dt className="muted">编制人 / 时间</dt>
            <dd style={{ margin: 0 }}>
              {batch.preparedBy}　{batch.preparedAt}
            </dd>
          </div>
          <div>
            <dt className="muted">审批人 / 时间</dt>
            <dd style={{ margin: 0 }} data-testid="approved-by">{batch.approvedBy ? `${batch.approvedBy}　${batch.approvedAt ?? ""}` : "待审批"}</dd>
          </div>
          {batch.returnedBy ? (
            <div>
              <dt className="muted">退回</dt>
              <dd style={{ margin: 0 }}>
                {batch.returnedBy}　{batch.returnedAt}：{batch.returnedReason}
              </dd>
            </div>
          ) : null}
          {batch.paidOn ? (
            <div>
              <dt className="muted">拨付日期 / 凭证号</dt>
              <dd style={{ margin: 0 }}>
                {batch.paidOn}　{batch.voucherRef}（登记人 {batch.paidRecordedBy}）
              </dd>
            </div>
          ) : null}
          {batch.correctsBatch ? (
            <div>
              <dt className="muted">更正</dt>
              <dd style={{ margin: 0 }}>
                更正批次 <Link to={`/staff/payouts/${batch.correctsBatch.id}`}>{batch.correctsBatch.number}</Link>
              </dd>
            </div>
          ) : null}
          {batch.corrections.length > 0 ? (
            <div>
              <dt className="muted">更正批次</dt>
              <dd style={{ margin: 0 }}>
                {batch.corrections.map((c) => (
                  <Link key={c.id} to={`/staff/payouts/${c.id}`} style={{ marginRight: 8 }}>
                    {c.number}
                  </Link>
                ))}
              </dd>
            </div>
          ) : null}
          <div>
            <dt className="muted">合计</dt>
            <dd style={{ margin: 0 }} data-testid="batch-total">
              {formatFen(total.fen)} 元（{total.capital}）
            </dd>
          </div>
          {batch.digest ? (
            <div>
              <dt className="muted">内容摘要（SHA-256，审批时固定）</dt>
              <dd className="small" style={{ margin: 0, wordBreak: "break-all" }}>
                {batch.digest}
              </dd>
            </div>
          ) : null}
        </dl>
        <div className="actions">
          <a href={`/resources/payouts/${batch.id}/pdf`} download>
            下载拨付明细表（PDF）
          </a>
          <a href={`/resources/payouts/${batch.id}/xlsx`} download>
            下载拨付明细表（Excel）
          </a>
        </div>
      </section>

      {batch.status === "prepared" ? (
        <section className="card">
          <h2>审批</h2>
          {can.approve ? (
            <div className="two-col">
              <Form method="post">
                <input type="hidden" name="version" value={batch.version} />
                <p>审批后，批次的申报、金额及内容摘要即固定，不可修改；如需更正，须另行编制更正批次。</p>
                <button type="submit" name="intent" value="approve" disabled={busy}>
                  审批通过
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="version" value={batch.version} />
                <TextareaField
                  label="退回理由"
                  textareaProps={{ name: "reason", id: "reason", rows: 3, defaultValue: "" }}
                  errors={errorsFor("return", "reason")}
                />
                <button type="submit" name="intent" value="return" className="button--danger" disabled={busy}>
                  退回
                </button>
              </Form>
            </div>
          ) : (
            <p className="muted">
              {can.isPreparer ? "本批次由您编制，须由其他具有审批权限的人员（分管领导）审批。" : "等待具有审批权限的人员（分管领导）审批。"}
            </p>
          )}
        </section>
      ) : null}

      {can.markPaid ? (
        <section className="card">
          <h2>登记拨付</h2>
          <Form method="post" className="field-row">
            <input type="hidden" name="version" value={batch.version} />
            <Field label="拨付日期" inputProps={{ name: "paidOn", id: "paidOn", type: "date" }} errors={errorsFor("paid", "paidOn")} />
            <Field label="拨付凭证号" inputProps={{ name: "voucherRef", id: "voucherRef", type: "text" }} errors={errorsFor("paid", "voucherRef")} />
            <div className="field" style={{ alignSelf: "end" }}>
              <button type="submit" name="intent" value="paid" disabled={busy}>
                登记已拨付
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section className="card">
        <h2>各服务商合计</h2>
        <table className="table">
          <thead>
            <tr>
              <th>服务商</th>
              <th>笔数</th>
              <th>金额（元）</th>
              <th>大写金额</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.providerName}>
                <td>{p.providerName}</td>
                <td>{p.count}</td>
                <td>{formatFen(p.totalFen)}</td>
                <td>{capitalYuan(p.totalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card">
        <h2>明细（{batch.lines.length}）</h2>
        <Form method="post">
          <div className="table-wrap" tabIndex={0}>
            <table className="table" data-testid="batch-lines">
              <thead>
                <tr>
                  {can.correct ? <th>编入更正</th> : null}
                  <th>申报编号</th>
                  <th>被诊断企业</th>
                  <th>服务商</th>
                  <th>合同金额（元）</th>
                  <th>拨付金额（元）</th>
                  <th>大写金额</th>
                  <th>申报状态</th>
                </tr>
              </thead>
              <tbody>
                {batch.lines.map((l) => (
                  <tr key={l.id}>
                    {can.correct ? (
                      <td>
                        <input type="checkbox" name="applicationIds" value={l.applicationId} defaultChecked aria-label={`编入更正 ${l.applicationNo}`} />
                      </td>
                    ) : null}
                    <td>{l.applicationNo}</td>
                    <td>{l.enterpriseName}</td>
                    <td>{l.providerName}</td>
                    <td>{formatFen(l.contractFen)}</td>
                    <td>{formatFen(l.amountFen)}</td>
                    <td>{capitalYuan(l.amountFen)}</td>
                    <td>{APPLICATION_STATUSES[l.applicationStatus]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {can.correct ? (
            <div className="actions">
              <p className="muted small">
                已审批的批次不可修改。如有错误，勾选应拨付的申报编制更正批次（引用本批次，重新审批）；
                未勾选的申报将退出本批次，本批次不再拨付。
              </p>
              <button type="submit" name="intent" value="correct" className="button--secondary" disabled={busy}>
                编制更正批次
              </button>
            </div>
          ) : null}
        </Form>
      </section>
    </>
  );
}
