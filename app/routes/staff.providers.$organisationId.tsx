import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { ProviderStanding } from "~/components/desk/provider-standing.tsx";
import { FileView } from "~/components/file-view.tsx";
import { CheckboxField, ErrorList, Field, FormMessage, TextareaField } from "~/components/forms.tsx";
import { PAYEE_STATES } from "~/domain/payee.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { shanghaiDate } from "~/domain/shanghai-time.ts";
import { providerApplicationsForDesk, recordPaperCopies } from "~/models/formal-review.server.ts";
import { decideOrganisation, getOrganisation } from "~/models/organisation.server.ts";
import { payeeOf } from "~/models/payee.server.ts";
import { liftSuspension, suspendProvider } from "~/models/provider-standing.server.ts";
import { now } from "~/utils/clock.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "服务商审核 · 智能化改造咨询诊断补助申报平台" }];

const DecisionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("verify"),
    addressConfirmed: z.literal("on", { error: "请先核对营业执照，确认注册地（住所）在张店区" }),
  }),
  z.object({
    intent: z.literal("paper-copies"),
    applicationIds: z.array(z.string().min(1)).min(1, "请至少选择一份申报"),
    receivedOn: z.string({ error: "请填写收到日期" }).trim(),
    receivedBy: z
      .string({ error: "请填写接收人" })
      .trim()
      .min(1, "请填写接收人")
      .max(50, "不超过 50 字")
      .superRefine(refuseHostileCharacters("接收人")),
  }),
  // R-ELIG-2: suspend a verified provider (运行不规范或信用记录不良), or lift the suspension.
  z.object({ intent: z.literal("suspend"), suspendReason: z.string({ error: "请填写暂停原因" }).trim() }),
  z.object({ intent: z.literal("lift"), liftNote: z.string().trim().max(500, "说明不超过 500 字").optional() }),
  z.object({
    intent: z.literal("refuse"),
    reason: z
      .string({ error: "请填写不通过的原因" })
      .trim()
      .min(4, "原因至少 4 个字")
      .max(500, "原因不超过 500 字")
      .superRefine(refuseHostileCharacters("原因", { multiline: true })),
  }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const org = await getOrganisation(params.organisationId ?? "");
  if (!org) throw new Response("服务商不存在。", { status: 404 });
  return {
    applications: await providerApplicationsForDesk(org.id),
    payee: await payeeOf(org.id),
    today: shanghaiDate(now()),
    staffName: user.name,
    org: {
      id: org.id,
      name: org.name,
      uscc: org.uscc,
      contactName: org.contactName,
      contactPhone: org.contactPhone,
      contactEmail: org.contactEmail,
      status: org.status,
      refusalReason: org.refusalReason,
      isDemo: org.isDemo,
      createdAt: formatShanghai(org.createdAt),
      declaredAt: formatShanghai(org.goodStandingDeclaredAt),
      verifiedAt: org.verifiedAt ? formatShanghai(org.verifiedAt) : null,
      verifiedBy: org.verifiedBy?.name ?? null,
      suspendedAt: org.suspendedAt ? formatShanghai(org.suspendedAt) : null,
      suspendedReason: org.suspendedReason,
      license: org.licenseFile && {
        id: org.licenseFile.id,
        fileName: org.licenseFile.fileName,
        contentType: org.licenseFile.contentType,
        size: org.licenseFile.size,
        sha256: org.licenseFile.sha256,
      },
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const submission = parseWithZod(await readFormData(request), { schema: DecisionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  if (submission.value.intent === "paper-copies") {
    // R-MAT-3: the paper copies of several applications of this provider arrived together.
    const recorded = await recordPaperCopies(
      { id: user.id, name: user.name },
      {
        organisationId: params.organisationId ?? "",
        applicationIds: submission.value.applicationIds,
        receivedOn: submission.value.receivedOn,
        receivedBy: submission.value.receivedBy,
      },
    );
    if (!recorded.ok)
      return data(submission.reply({ fieldErrors: { [recorded.field]: [recorded.message] } }), { status: 400 });
    throw redirect(`/staff/providers/${params.organisationId}?paper=${recorded.count}`);
  }
  if (submission.value.intent === "suspend" || submission.value.intent === "lift") {
    const actor = { id: user.id, name: user.name };
    const standing =
      submission.value.intent === "suspend"
        ? await suspendProvider(actor, params.organisationId ?? "", submission.value.suspendReason)
        : await liftSuspension(actor, params.organisationId ?? "", submission.value.liftNote ?? "");
    if (!standing.ok) {
      return data(
        submission.reply(
          standing.field
            ? { fieldErrors: { [standing.field]: [standing.message] } }
            : { formErrors: [standing.message] },
        ),
        { status: standing.field ? 400 : 409 },
      );
    }
    throw redirect(`/staff/providers/${params.organisationId}?standing=${submission.value.intent}`);
  }
  const outcome = await decideOrganisation(
    { id: user.id, name: user.name },
    params.organisationId ?? "",
    submission.value.intent === "verify"
      ? { verdict: "verify" }
      : { verdict: "refuse", reason: submission.value.reason },
  );
  if (!outcome.ok) return data(submission.reply({ formErrors: [outcome.message] }), { status: 409 });
  throw redirect(`/staff/providers/${params.organisationId}`);
}

export default function ProviderReview() {
  const { org, applications, today, staffName, payee } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "decision",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DecisionSchema }),
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting";
  return (
    <>
      <div className="page-head">
        <h1>
          {org.isDemo ? <span className="badge badge--demo">演示</span> : null} {org.name}
        </h1>
        <Link to="/staff/providers">返回列表</Link>
      </div>
      <div className="two-col">
        <section className="card">
          <h2 style={{ marginTop: 0 }}>营业执照</h2>
          {org.license ? (
            <>
              <div className="preview">
                <FileView fileId={org.license.id} fileName="营业执照" contentType={org.license.contentType} />
              </div>
              <p className="small muted">
                {org.license.fileName} · {(org.license.size / 1024).toFixed(0)} KB · SHA-256{" "}
                {org.license.sha256.slice(0, 16)}… · <a href={`/resources/files/${org.license.id}?download`}>下载</a>
              </p>
            </>
          ) : (
            <p className="empty">未上传营业执照。</p>
          )}
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>注册信息</h2>
          <dl className="facts">
            <dt>统一社会信用代码</dt>
            <dd>{org.uscc}</dd>
            <dt>联系人</dt>
            <dd>{org.contactName}</dd>
            <dt>联系电话</dt>
            <dd>{org.contactPhone}</dd>
            <dt>电子邮箱</dt>
            <dd>{org.contactEmail}</dd>
            <dt>注册时间</dt>
            <dd>{org.createdAt}</dd>
            <dt>申报条件承诺</dt>
            <dd>已于 {org.declaredAt} 承诺</dd>
            <dt>收款账户</dt>
            <dd data-testid="payee">
              {payee?.account
                ? `${payee.account.accountName}　${payee.account.bankName}　${payee.account.accountNumber}`
                : "未登记"}
              {payee ? <span className="badge">{PAYEE_STATES[payee.state]}</span> : null}
              {payee?.proof ? (
                <>
                  {" "}
                  · <a href={`/resources/files/${payee.proof.id}`}>开户证明</a>
                </>
              ) : null}{" "}
              ·{" "}
              <Link to={`/staff/providers/${org.id}/payee`}>
                {payee?.state === "pending" && org.status === "verified" ? "核验收款账户" : "收款账户详情"}
              </Link>
            </dd>
          </dl>
          <h2>审核</h2>
          {org.status === "pending" ? (
            <Form method="post" {...getFormProps(form)}>
              <FormMessage message={form.errors?.[0]} />
              <CheckboxField
                label="已核对营业执照：注册地（住所）位于淄博市张店区；已核对开户证明与收款账户一致"
                inputProps={{ name: "addressConfirmed", id: "addressConfirmed" }}
                errors={fields.addressConfirmed?.errors}
              />
              <button type="submit" name="intent" value="verify" disabled={busy}>
                审核通过
              </button>
              <hr style={{ margin: "1.25rem 0", border: 0, borderTop: "1px solid #eee" }} />
              <TextareaField
                label="不通过原因"
                textareaProps={{ ...getTextareaProps(fields.reason), placeholder: "例如：营业执照注册地不在张店区" }}
                errors={fields.reason?.errors}
              />
              <button type="submit" name="intent" value="refuse" className="button--danger" disabled={busy}>
                审核不通过
              </button>
            </Form>
          ) : org.status === "verified" ? (
            <>
              <p className="notice notice--success">
                已于 {org.verifiedAt} 由 {org.verifiedBy ?? "系统"} 审核通过，注册地已确认在张店区。
              </p>
              <ProviderStanding
                suspendedAt={org.suspendedAt}
                suspendedReason={org.suspendedReason}
                lastResult={lastResult}
                busy={busy}
              />
            </>
          ) : (
            <p className="notice notice--error">
              已于 {org.verifiedAt} 由 {org.verifiedBy} 审核不通过：{org.refusalReason}
            </p>
          )}
          <p className="small">
            <Link to={`/staff/audit?entityType=organisation&entityId=${org.id}`}>查看操作记录</Link>
          </p>
        </section>
      </div>
      <PaperCopiesForProvider applications={applications} today={today} staffName={staffName} />
    </>
  );
}

/** R-MAT-3: record the paper copies of several of this provider's applications at once. */
function PaperCopiesForProvider({
  applications,
  today,
  staffName,
}: {
  applications: Awaited<ReturnType<typeof loader>>["applications"];
  today: string;
  staffName: string;
}) {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "paper-copies",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DecisionSchema }),
    shouldValidate: "onSubmit",
  });
  const recorded = searchParams.get("paper");
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>纸质材料登记（一式两份）</h2>
      {recorded ? (
        <p className="notice notice--success" role="status">
          已登记 {recorded} 份申报的纸质材料。
        </p>
      ) : null}
      {applications.length === 0 ? (
        <p className="empty">该服务商还没有已提交的申报。</p>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="paper-copies" />
          <div className="table-wrap" tabIndex={0}>
            <table className="table" data-testid="paper-copies-table">
              <thead>
                <tr>
                  <th>选择</th>
                  <th>申报编号</th>
                  <th>被诊断企业</th>
                  <th>状态</th>
                  <th>纸质材料</th>
                </tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="applicationIds"
                        value={a.id}
                        defaultChecked={!a.paperCopiesReceivedOn}
                        aria-label={`选择 ${a.number}`}
                      />
                    </td>
                    <td>
                      <Link to={`/staff/applications/${a.id}`}>{a.number}</Link>
                    </td>
                    <td>{a.enterpriseName}</td>
                    <td>{a.statusLabel}</td>
                    <td>
                      {a.paperCopiesReceivedOn
                        ? `${a.paperCopiesReceivedOn} 收到（${a.paperCopiesReceivedBy}）`
                        : "未收到"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ErrorList errors={fields.applicationIds?.errors} />
          <div className="field-row">
            <Field
              label="收到日期"
              inputProps={{ name: "receivedOn", id: "paper-receivedOn", type: "date", defaultValue: today, max: today }}
              errors={fields.receivedOn?.errors}
            />
            <Field
              label="接收人"
              inputProps={{ name: "receivedBy", id: "paper-receivedBy", type: "text", defaultValue: staffName }}
              errors={fields.receivedBy?.errors}
            />
          </div>
          <button type="submit" className="button--secondary">
            登记所选申报的纸质材料
          </button>
        </Form>
      )}
    </section>
  );
}
