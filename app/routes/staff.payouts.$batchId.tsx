import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";

import { Field, FormMessage, TextareaField } from "~/components/forms.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { capitalYuan, formatFen } from "~/domain/money.ts";
import { groupAccountNumber } from "~/domain/payee.ts";
import { batchTotals, checkPaidOn } from "~/domain/payout.ts";
import { formatShanghai, parseCalendarDate, shanghaiDate } from "~/domain/shanghai-time.ts";
import {
  approveBatch,
  markBatchPaid,
  prepareBatch,
  returnBatch,
  reversePayment,
} from "~/models/payout-batch.server.ts";
import { getBatch } from "~/models/payout-batch-queries.server.ts";
import { now } from "~/utils/clock.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters, versionField } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "拨付批次 · 智能化改造咨询诊断补助申报平台" }];

const ActionSchema = z.discriminatedUnion("intent", [
  // R-PAY-2: the approver confirms the total it was shown, in figures and in capitals.
  z.object({ intent: z.literal("approve"), version: versionField, confirmedTotalFen: z.coerce.number().int() }),
  z.object({
    intent: z.literal("return"),
    version: versionField,
    reason: z
      .string({ error: "请填写退回理由" })
      .trim()
      .min(2, "请填写退回理由（至少 2 个字）")
      .max(500, "退回理由不超过 500 字")
      .superRefine(refuseHostileCharacters("退回理由", { multiline: true })),
  }),
  z.object({
    intent: z.literal("paid"),
    version: versionField,
    paidOn: z
      .string({ error: "请选择拨付日期" })
      .trim()
      .refine((v) => parseCalendarDate(v) !== null, "拨付日期格式应为 年-月-日"),
    voucherRef: z
      .string({ error: "请填写拨付凭证号" })
      .trim()
      .min(2, "请填写拨付凭证号")
      .max(100, "凭证号不超过 100 字")
      .superRefine(refuseHostileCharacters("凭证号")),
    /** The second step: the officer saw the date, the voucher and the total, and confirms. */
    confirmed: z.literal("yes").optional(),
    /** Back from the confirmation to the form, the values kept. */
    edit: z.literal("yes").optional(),
  }),
  z.object({ intent: z.literal("correct") }),
  z.object({
    intent: z.literal("reverse"),
    reason: z
      .string({ error: "请填写冲正原因" })
      .trim()
      .min(4, "请填写冲正原因（至少 4 个字，如：收款账户有误，资金被银行退回）")
      .max(500, "冲正原因不超过 500 字"),
  }),
]);

type FieldErrors = Partial<Record<"reason" | "paidOn" | "voucherRef", string[]>>;
type Problems = { applicationNo: string; message: string }[];
type PaidValues = { paidOn: string; voucherRef: string };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const batch = await getBatch(params.batchId ?? "");
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const totals = batchTotals(batch.lines);
  const isPreparer = batch.preparedById === user.id;
  const payeeByProvider = new Map(
    batch.lines.map((l) => [
      l.providerName,
      l.payeeAccountNumber
        ? `${l.payeeAccountName ?? ""}　${l.payeeBankName ?? ""}　${groupAccountNumber(l.payeeAccountNumber)}`
        : "未登记",
    ]),
  );
  const account = (a: { accountName: string; bankName: string; accountNumber: string } | null) =>
    a ? `${a.accountName}　${a.bankName}　${groupAccountNumber(a.accountNumber)}` : "未登记";
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
      approvedOn: batch.approvedAt ? shanghaiDate(batch.approvedAt) : null,
      payeeChanges: batch.payeeChanges.map((c) => ({
        providerName: c.providerName,
        inBatch: account(c.inBatch),
        current: account(c.current),
        verified: c.verified,
      })),
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
      lines: batch.lines.map((l) => ({
        id: l.id,
        applicationId: l.applicationId,
        applicationNo: l.applicationNo,
        providerName: l.providerName,
        enterpriseName: l.enterpriseName,
        contractFen: l.contractFen,
        amountFen: l.amountFen,
        applicationStatus: l.application.status,
      })),
    },
    providers: totals.providers.map((p) => ({
      providerName: p.providerName,
      count: p.count,
      totalFen: p.totalFen,
      payee: payeeByProvider.get(p.providerName) ?? "",
    })),
    total: { fen: totals.totalFen, capital: capitalYuan(totals.totalFen) },
    can: {
      approve: batch.status === "prepared" && user.roles.includes("approver") && !isPreparer,
      isPreparer,
      markPaid: batch.status === "approved" && user.roles.includes("staff") && !batch.supersededBy,
      correct: user.roles.includes("staff") && batch.status === "approved" && !batch.supersededBy,
      // R-PAY-3 冲正: payments of a paid batch that came back are reversed and re-issued in a correction batch.
      reverse: user.roles.includes("staff") && batch.status === "paid",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const officer = { id: user.id, name: user.name, roles: user.roles };
  const batchId = params.batchId ?? "";
  const formData = await readFormData(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "reason" || key === "paidOn" || key === "voucherRef") (fieldErrors[key] ??= []).push(issue.message);
    }
    const values: PaidValues = {
      paidOn: String(formData.get("paidOn") ?? ""),
      voucherRef: String(formData.get("voucherRef") ?? ""),
    };
    const versionIssue = parsed.error.issues.find((issue) => issue.path[0] === "version");
    const message = versionIssue?.message ?? (Object.keys(fieldErrors).length ? null : "请求无效，请刷新页面。");
    return data({ intent: String(formData.get("intent") ?? ""), message, fieldErrors, values }, { status: 400 });
  }
  const v = parsed.data;
  if (v.intent === "approve") {
    const current = await getBatch(batchId);
    if (!current) throw new Response("拨付批次不存在。", { status: 404 });
    if (current.totalFen !== v.confirmedTotalFen) {
      return data(
        { intent: v.intent, message: "批次金额与您确认的金额不一致，请刷新页面后重新确认。", fieldErrors: {} },
        { status: 409 },
      );
    }
    const outcome = await approveBatch(officer, { batchId, version: v.version });
    if (!outcome.ok)
      return data(
        { intent: v.intent, message: outcome.message, fieldErrors: {}, problems: outcome.problems ?? [] },
        { status: 409 },
      );
    throw redirect(`/staff/payouts/${batchId}?done=approved`);
  }
  if (v.intent === "return") {
    const outcome = await returnBatch(officer, { batchId, version: v.version, reason: v.reason });
    if (!outcome.ok) return data({ intent: v.intent, message: outcome.message, fieldErrors: {} }, { status: 409 });
    throw redirect(`/staff/payouts/${batchId}?done=returned`);
  }
  if (v.intent === "paid") {
    // Only staff record a payment, and only of an approved batch: refused before any confirmation step.
    if (!user.roles.includes("staff")) throw new Response("只有工信局经办人员可以登记拨付。", { status: 403 });
    const values: PaidValues = { paidOn: v.paidOn, voucherRef: v.voucherRef };
    const current = await getBatch(batchId);
    if (!current) throw new Response("拨付批次不存在。", { status: 404 });
    if (current.status !== "approved") {
      return data(
        { intent: v.intent, message: "该批次尚未审批通过或已登记拨付，不能登记拨付。", fieldErrors: {}, values },
        { status: 409 },
      );
    }
    if (v.edit) return data({ intent: v.intent, message: null, fieldErrors: {}, values });
    // R-PAY-3: never before the approval, never in the future — at the field, before the confirmation.
    const date = checkPaidOn(
      v.paidOn,
      current.approvedAt ? shanghaiDate(current.approvedAt) : null,
      shanghaiDate(now()),
    );
    if (!date.ok)
      return data(
        { intent: v.intent, message: null, fieldErrors: { paidOn: [date.message] }, values },
        { status: 400 },
      );
    if (!v.confirmed) return data({ intent: v.intent, message: null, fieldErrors: {}, values, confirmPaid: true });
    const outcome = await markBatchPaid(officer, {
      batchId,
      version: v.version,
      paidOn: v.paidOn,
      voucherRef: v.voucherRef,
    });
    if (!outcome.ok) {
      const fieldErrors: FieldErrors = outcome.field === "paidOn" ? { paidOn: [outcome.message] } : {};
      return data(
        { intent: v.intent, message: outcome.field ? null : outcome.message, fieldErrors, values },
        { status: 409 },
      );
    }
    throw redirect(`/staff/payouts/${batchId}?done=paid`);
  }
  // A correction: a new batch referencing this one, from its applications (if not yet paid) and any
  // newly eligible ones, selected on the form.
  const batch = await getBatch(batchId);
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const applicationIds = formData.getAll("applicationIds").filter((x): x is string => typeof x === "string");
  if (v.intent === "reverse") {
    if (applicationIds.length === 0)
      return data({ intent: "reverse", message: "请至少勾选一项需冲正的申报。", fieldErrors: {} }, { status: 400 });
    const reversed = await reversePayment(officer, { batchId, applicationIds, reason: v.reason });
    if (!reversed.ok) return data({ intent: "reverse", message: reversed.message, fieldErrors: {} }, { status: 409 });
    // Re-issue at once in a correction batch referencing this one (approved again before it is paid).
    const reissued = await prepareBatch(officer, {
      roundId: batch.round.id,
      selection: { all: false, applicationIds },
      correctsBatchId: batch.id,
    });
    if (!reissued.ok) {
      const detail = reissued.problems?.map((p) => `${p.applicationNo}：${p.message}`).join("；");
      return data(
        {
          intent: "reverse",
          message: `已冲正 ${reversed.count} 项，但暂不能编入更正批次：${detail ?? reissued.message}。问题解决后请在“补助拨付”页面重新编制。`,
          fieldErrors: {},
        },
        { status: 409 },
      );
    }
    throw redirect(`/staff/payouts/${reissued.batchId}?prepared=1`);
  }
  const selection = applicationIds.length > 0 ? { all: false as const, applicationIds } : null;
  if (!selection)
    return data({ intent: "correct", message: "请至少勾选一项申报编入更正批次。", fieldErrors: {} }, { status: 400 });
  const outcome = await prepareBatch(officer, { roundId: batch.round.id, selection, correctsBatchId: batch.id });
  if (!outcome.ok) {
    const detail = outcome.problems?.map((p) => `${p.applicationNo}：${p.message}`).join("；");
    return data(
      { intent: "correct", message: detail ? `${outcome.message}（${detail}）` : outcome.message, fieldErrors: {} },
      { status: 400 },
    );
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
  const problems: Problems =
    actionData && "problems" in actionData && Array.isArray(actionData.problems) ? actionData.problems : [];
  const paidValues: PaidValues | null =
    actionData?.intent === "paid" && "values" in actionData && actionData.values ? actionData.values : null;
  const confirmPaid = Boolean(actionData && "confirmPaid" in actionData && actionData.confirmPaid && paidValues);
  const confirmApprove = params.get("confirm") === "approve" && can.approve;
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The confirmation step takes the focus, so keyboard and screen-reader users land on it.
    if (confirmApprove || confirmPaid) confirmHeading.current?.focus();
  }, [confirmApprove, confirmPaid]);
  return (
    <>
      <div className="page-head">
        <h1>
          拨付批次 {batch.number} <span className="badge">{batch.statusLabel}</span>
        </h1>
        <Link to={`/staff/payouts?round=${batch.roundId}`}>返回补助拨付</Link>
      </div>
      {params.get("prepared") ? (
        <FormMessage tone="success" message="拨付批次已编制，请另一位具有审批权限的人员审批。" />
      ) : null}
      {done && DONE_MESSAGES[done] ? <FormMessage tone="success" message={DONE_MESSAGES[done]} /> : null}
      {actionData?.message ? <FormMessage message={actionData.message} /> : null}
      {problems.length > 0 ? (
        <ul className="field-errors" role="alert" data-testid="approve-problems">
          {problems.map((p) => (
            <li key={p.applicationNo}>
              {p.applicationNo}：{p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {batch.payeeChanges.length > 0 && batch.status !== "paid" ? (
        <div className="notice notice--warning" role="alert" data-testid="payee-changes">
          <p>
            <strong>收款账户已变更：</strong>
            {batch.digest
              ? "以下服务商的收款账户在本批次审批后已变更或待核验，与审批时（内容摘要所覆盖）的账户不一致，不能登记拨付，请编制更正批次。"
              : "以下服务商的收款账户在本批次编制后已变更或待核验，请退回批次后重新编制。"}
          </p>
          <ul>
            {batch.payeeChanges.map((c) => (
              <li key={c.providerName}>
                {c.providerName}：批次中为 {c.inBatch}；现为 {c.current}
                {c.verified ? "" : "（待核验）"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {batch.supersededBy ? (
        <p className="notice notice--warning">
          本批次已被更正批次 <Link to={`/staff/payouts/${batch.supersededBy.id}`}>{batch.supersededBy.number}</Link>{" "}
          取代，不再拨付。
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
            <dd style={{ margin: 0 }} data-testid="approved-by">
              {batch.approvedBy ? `${batch.approvedBy}　${batch.approvedAt ?? ""}` : "待审批"}
            </dd>
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
          {can.approve && confirmApprove ? (
            <div
              className="confirm-step"
              role="group"
              aria-labelledby="confirm-approve-heading"
              data-testid="confirm-approve"
            >
              <h3 id="confirm-approve-heading" tabIndex={-1} ref={confirmHeading}>
                确认审批拨付批次 {batch.number}
              </h3>
              <p>
                共 {batch.lines.length} 笔，拨付总额{" "}
                <strong data-testid="confirm-total">{formatFen(total.fen)} 元</strong>（大写：
                <strong>{total.capital}</strong>）。审批后，批次的申报、金额、收款账户及内容摘要即固定，不可修改。
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="version" value={batch.version} />
                <input type="hidden" name="confirmedTotalFen" value={total.fen} />
                <button type="submit" name="intent" value="approve" disabled={busy}>
                  确认审批
                </button>
                <Link to={`/staff/payouts/${batch.id}`} className="button button--secondary">
                  取消
                </Link>
              </Form>
            </div>
          ) : can.approve ? (
            <div className="two-col">
              <Form method="get">
                <input type="hidden" name="confirm" value="approve" />
                <p>审批后，批次的申报、金额、收款账户及内容摘要即固定，不可修改；如需更正，须另行编制更正批次。</p>
                <button type="submit" disabled={busy}>
                  审批通过…
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
              {can.isPreparer
                ? "本批次由您编制，须由其他具有审批权限的人员（分管领导）审批。"
                : "等待具有审批权限的人员（分管领导）审批。"}
            </p>
          )}
        </section>
      ) : null}

      {can.markPaid ? (
        <section className="card">
          <h2>登记拨付</h2>
          {confirmPaid && paidValues ? (
            <div
              className="confirm-step"
              role="group"
              aria-labelledby="confirm-paid-heading"
              data-testid="confirm-paid"
            >
              <h3 id="confirm-paid-heading" tabIndex={-1} ref={confirmHeading}>
                确认登记拨付
              </h3>
              <p>
                拨付日期 <strong>{paidValues.paidOn}</strong>，凭证号 <strong>{paidValues.voucherRef}</strong>，拨付总额{" "}
                <strong data-testid="confirm-total">{formatFen(total.fen)} 元</strong>（大写：
                <strong>{total.capital}</strong>）。登记后各服务商将收到拨付通知。
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="version" value={batch.version} />
                <input type="hidden" name="paidOn" value={paidValues.paidOn} />
                <input type="hidden" name="voucherRef" value={paidValues.voucherRef} />
                <input type="hidden" name="intent" value="paid" />
                <button type="submit" name="confirmed" value="yes" disabled={busy}>
                  确认登记
                </button>
                <button type="submit" name="edit" value="yes" className="button--secondary" disabled={busy}>
                  返回修改
                </button>
              </Form>
            </div>
          ) : (
            <Form method="post" className="field-row">
              <input type="hidden" name="version" value={batch.version} />
              <Field
                label="拨付日期"
                hint={batch.approvedOn ? `不早于审批日期 ${batch.approvedOn}` : undefined}
                inputProps={{ name: "paidOn", id: "paidOn", type: "date", defaultValue: paidValues?.paidOn ?? "" }}
                errors={errorsFor("paid", "paidOn")}
              />
              <Field
                label="拨付凭证号"
                inputProps={{
                  name: "voucherRef",
                  id: "voucherRef",
                  type: "text",
                  defaultValue: paidValues?.voucherRef ?? "",
                }}
                errors={errorsFor("paid", "voucherRef")}
              />
              <div className="field" style={{ alignSelf: "end" }}>
                <button type="submit" name="intent" value="paid" disabled={busy}>
                  登记已拨付…
                </button>
              </div>
            </Form>
          )}
        </section>
      ) : null}

      <section className="card">
        <h2>各服务商合计</h2>
        <table className="table">
          <thead>
            <tr>
              <th>服务商</th>
              <th>收款账户（批次中）</th>
              <th>笔数</th>
              <th className="num">金额（元）</th>
              <th>大写金额</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.providerName}>
                <td>{p.providerName}</td>
                <td data-testid="batch-payee">{p.payee}</td>
                <td>{p.count}</td>
                <td className="num">{formatFen(p.totalFen)}</td>
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
                  {can.correct ? <th>编入更正</th> : can.reverse ? <th>冲正</th> : null}
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
                        <input
                          type="checkbox"
                          name="applicationIds"
                          value={l.applicationId}
                          defaultChecked
                          aria-label={`编入更正 ${l.applicationNo}`}
                        />
                      </td>
                    ) : can.reverse ? (
                      <td>
                        {l.applicationStatus === "paid" ? (
                          <input
                            type="checkbox"
                            name="applicationIds"
                            value={l.applicationId}
                            aria-label={`冲正 ${l.applicationNo}`}
                          />
                        ) : (
                          <span className="muted small">已冲正</span>
                        )}
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
          {can.reverse ? (
            <div className="actions" data-testid="reverse">
              <p className="muted small">
                已拨付的资金如被银行退回（如收款账户有误），勾选相应申报并填写原因“冲正”：这些申报恢复为待拨付，并立即编入引用本批次的更正批次，经审批后重新拨付。本批次的记录保持不变。
              </p>
              <TextareaField
                label="冲正原因"
                textareaProps={{ name: "reason", id: "reverse-reason", rows: 2, defaultValue: "" }}
                errors={errorsFor("reverse", "reason")}
              />
              <button type="submit" name="intent" value="reverse" className="button--danger" disabled={busy}>
                冲正并重新拨付
              </button>
            </div>
          ) : null}
        </Form>
      </section>
    </>
  );
}
