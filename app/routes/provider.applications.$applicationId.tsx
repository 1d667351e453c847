import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { ApplicationResult } from "~/components/application-result.tsx";
import { ContractFields } from "~/components/contract-fields.tsx";
import { DueDateNotice } from "~/components/due-date.tsx";
import { Field, FormMessage } from "~/components/forms.tsx";
import { MaterialUploader } from "~/components/material-uploader.tsx";
import { APPLICATION_STATUSES, providerCanEdit } from "~/domain/application-status.ts";
import { noticeItemsFrom } from "~/domain/formal-review.ts";
import { isPhotoTag, MATERIAL_IDS, MATERIALS } from "~/domain/materials.ts";
import { fenToYuanString, formatFen } from "~/domain/money.ts";
import { formatShanghai, isBeforeDeadline, shanghaiDate } from "~/domain/shanghai-time.ts";
import {
  attachMaterial,
  getOwnApplication,
  materialChecklist,
  NotEditableError,
  openSupplement,
  removeMaterial,
  resubmitApplication,
  submitApplication,
  tagPhoto,
  updateApplicationData,
  withdrawDraft,
} from "~/models/application.server.ts";
import { providerResult } from "~/models/review-result.server.ts";
import { storageUnavailable } from "~/services/multipart.server.ts";
import { StorageUnavailableError } from "~/services/storage.server.ts";
import { applicationDataSchema } from "~/utils/application-form.ts";
import { now } from "~/utils/clock.server.ts";
import { env } from "~/utils/env.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "申报详情 · 智能化改造咨询诊断补助申报平台" }];

async function load(request: Request, applicationId: string | undefined) {
  const user = await requireVerifiedProvider(request);
  const scope = { userId: user.id, userName: user.name, organisationId: user.organisation.id };
  const application = await getOwnApplication(scope, applicationId ?? "");
  if (!application) throw new Response("申报不存在。", { status: 404 });
  return { user, scope, application };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { application } = await load(request, params.applicationId);
  const items = materialChecklist(application);
  const supplement = openSupplement(application);
  const supplementOpen = supplement !== null && isBeforeDeadline(now(), supplement.dueAt);
  const changeable = (id: string) =>
    application.status === "draft" || (supplementOpen && supplement.materials.some((m) => m === id));
  return {
    today: shanghaiDate(now()),
    maxUploadMb: env().MAX_UPLOAD_MB,
    supplement: supplement && {
      dueAt: formatShanghai(supplement.dueAt),
      open: supplementOpen,
      items: supplement.items.map((item) => ({
        ...item,
        name: item.material === "general" ? "其他说明" : MATERIALS[item.material].name,
      })),
      replaced: supplement.materials.filter((m) =>
        application.materials.some((row) => row.material === m && row.createdAt > supplement.issuedAt),
      ),
    },
    pastNotices: application.supplementNotices
      .filter((n) => n.resubmittedAt !== null)
      .map((n) => ({
        cycle: n.cycle,
        issuedAt: formatShanghai(n.issuedAt),
        resubmittedAt: n.resubmittedAt ? formatShanghai(n.resubmittedAt) : "",
        items: noticeItemsFrom(n.items).map((item) => ({
          ...item,
          name: item.material === "general" ? "其他说明" : MATERIALS[item.material].name,
        })),
      })),
    refusalReason: application.status === "refused" ? application.refusalReason : null,
    // R-REV-4: the confirmed result (pass/fail, final score, reasons), never who reviewed.
    result: providerResult(application),
    application: {
      id: application.id,
      number: application.number,
      status: application.status,
      statusLabel: APPLICATION_STATUSES[application.status],
      editable: providerCanEdit(application.status) && application.status === "draft",
      enterpriseName: application.enterprise.name,
      enterpriseUscc: application.enterpriseUscc,
      reportTitle: application.reportTitle,
      contractAmount: fenToYuanString(application.contractAmountFen),
      contractAmountText: formatFen(application.contractAmountFen),
      contractSignedOn: application.contractSignedOn,
      diagnosisCompletedOn: application.diagnosisCompletedOn,
      submittedAt: application.submittedAt ? formatShanghai(application.submittedAt, true) : null,
      receiptFileId: application.receiptFileId,
      roundName: application.round.name,
      deadline: formatShanghai(application.round.deadline),
      profileLicenceId: application.organisation.licenseFileId,
    },
    materials: MATERIAL_IDS.map((id) => ({
      ...MATERIALS[id],
      // M7 is uploaded once per provider and round on /provider/summary (R-MAT-2).
      changeable: id !== "M7" && changeable(id),
      toFix: supplement?.items.find((i) => i.material === id)?.reason ?? null,
      // Sent back for supplement and not yet replaced: 待补正, whatever the checklist says.
      awaitingFix:
        supplement !== null &&
        supplement.materials.some((m) => m === id) &&
        !application.materials.some((row) => row.material === id && row.createdAt > supplement.issuedAt),
      item: items.find((i) => i.material === id),
      files: application.materials
        .filter((m) => m.material === id)
        .map((m) => ({
          id: m.id,
          fileId: m.file.id,
          fileName: m.file.fileName,
          size: m.file.size,
          contentType: m.file.contentType,
          photoTag: m.photoTag,
          sha256: m.file.sha256,
        })),
    })),
    complete: items.every((i) => i.complete),
  };
}

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("remove"), rowId: z.string().min(1) }),
  z.object({
    intent: z.literal("tag"),
    rowId: z.string().min(1),
    photoTag: z.string().refine(isPhotoTag, "请选择照片类别"),
  }),
  z.object({ intent: z.literal("use-profile-licence") }),
  z.object({ intent: z.literal("submit"), attestation: z.literal("on").optional() }),
  z.object({ intent: z.literal("resubmit") }),
  z.object({ intent: z.literal("withdraw") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { scope, application } = await load(request, params.applicationId);
  const formData = await readFormData(request);
  const reply = (
    body: { formError?: string; fieldErrors?: Record<string, string[]>; result?: unknown },
    status = 400,
  ) =>
    data(
      { formError: body.formError ?? null, fieldErrors: body.fieldErrors ?? null, result: body.result ?? null },
      { status },
    );
  try {
    if (formData.get("intent") === "update") {
      const submission = parseWithZod(formData, { schema: applicationDataSchema(shanghaiDate(now())) });
      if (submission.status !== "success") return reply({ result: submission.reply() });
      await updateApplicationData(scope, application.id, {
        enterpriseUscc: submission.value.enterpriseUscc,
        reportTitle: submission.value.reportTitle,
        contractAmountFen: submission.value.contractAmount,
        contractSignedOn: submission.value.contractSignedOn,
        diagnosisCompletedOn: submission.value.diagnosisCompletedOn,
      });
      return data({ formError: null, fieldErrors: null, result: submission.reply(), saved: true });
    }
    const parsed = IntentSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return reply({ formError: "请求内容有误，请刷新页面后重试。" });
    const intent = parsed.data;
    if (intent.intent === "remove") await removeMaterial(scope, application.id, intent.rowId);
    if (intent.intent === "tag" && isPhotoTag(intent.photoTag))
      await tagPhoto(scope, application.id, intent.rowId, intent.photoTag);
    if (intent.intent === "use-profile-licence") {
      if (!application.organisation.licenseFileId) return reply({ formError: "单位资料中没有营业执照。" });
      await attachMaterial(scope, application.id, "M1", application.organisation.licenseFileId, null);
    }
    if (intent.intent === "withdraw") {
      // R-ELIG-4: the draft and its claim on the enterprise go; the audit record keeps them.
      const outcome = await withdrawDraft(scope, application.id);
      if (!outcome.ok) return reply({ formError: outcome.message }, 409);
      throw redirect(`/provider?withdrawn=${encodeURIComponent(outcome.number)}`);
    }
    if (intent.intent === "resubmit") {
      const outcome = await resubmitApplication(scope, application.id);
      if (!outcome.ok) return reply({ formError: outcome.message }, 409);
      throw redirect(`/provider/applications/${application.id}?resubmitted=1`);
    }
    if (intent.intent === "submit") {
      const outcome = await submitApplication(scope, application.id, { attested: intent.attestation === "on" });
      if (!outcome.ok) {
        return reply(
          outcome.field ? { fieldErrors: { [outcome.field]: [outcome.message] } } : { formError: outcome.message },
          409,
        );
      }
      throw redirect(`/provider/applications/${application.id}?submitted=1`);
    }
  } catch (error) {
    if (error instanceof NotEditableError) return reply({ formError: error.message }, 409);
    if (error instanceof StorageUnavailableError) throw storageUnavailable(error);
    throw error;
  }
  throw redirect(`/provider/applications/${application.id}`);
}

export default function ApplicationPage() {
  const { application, materials, complete, supplement, pastNotices, refusalReason, result, today, maxUploadMb } =
    useLoaderData<typeof loader>();
  const dataSchema = applicationDataSchema(today);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const updateResult = actionData && "saved" in actionData ? actionData.result : actionData?.result;
  const [form, fields] = useForm({
    id: `application-${application.id}`,
    lastResult:
      navigation.state === "idle" && updateResult && typeof updateResult === "object" ? updateResult : undefined,
    constraint: getZodConstraint(dataSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: dataSchema }),
    shouldValidate: "onBlur",
    defaultValue: {
      enterpriseUscc: application.enterpriseUscc,
      reportTitle: application.reportTitle,
      contractAmount: application.contractAmount,
      contractSignedOn: application.contractSignedOn,
      diagnosisCompletedOn: application.diagnosisCompletedOn,
    },
  });
  const missing = materials.filter((m) => !m.item?.complete);
  return (
    <>
      <div className="page-head">
        <h1>
          {application.enterpriseName} <span className="badge">{application.statusLabel}</span>
        </h1>
        <Link to="/provider">返回申报列表</Link>
      </div>
      <p className="muted">
        申报编号 {application.number} · {application.roundName} · 申报截止 {application.deadline}（北京时间）
      </p>
      {searchParams.get("submitted") && application.submittedAt ? (
        <div className="notice notice--success" data-testid="submitted">
          已于 {application.submittedAt}（北京时间）提交成功。提交回执已发送至您的邮箱。
          {application.receiptFileId ? (
            <>
              {" "}
              <a href={`/resources/files/${application.receiptFileId}`} target="_blank" rel="noreferrer">
                查看提交回执（PDF）
              </a>
            </>
          ) : null}
        </div>
      ) : null}
      {searchParams.get("resubmitted") ? (
        <FormMessage tone="success" message="补正材料已重新提交，请等待区工信局审查。" />
      ) : null}
      <FormMessage message={actionData?.formError} />
      {refusalReason ? (
        <p className="notice notice--error" data-testid="refused">
          经形式审查，该申报不予受理。原因：{refusalReason}
        </p>
      ) : null}
      {result ? (
        <>
          <ApplicationResult result={result} />
          {result.passed ? (
            <p className="small">
              补助拨付进度见 <Link to="/provider/payouts">补助拨付</Link>。
            </p>
          ) : null}
        </>
      ) : null}
      {supplement ? (
        <section className="notice notice--warning" data-testid="supplement-notice">
          <h2 style={{ marginTop: 0 }}>补正通知（一次性告知）</h2>
          <p>
            请于 <strong>{supplement.dueAt}</strong>（北京时间）前更换以下材料并重新提交；其他材料已审查合格，不能更改。
          </p>
          <ol>
            {supplement.items.map((item) => (
              <li key={item.material}>
                {item.material === "general" ? item.name : `${item.material} ${item.name}`}：{item.reason}
                {item.material !== "general" ? (
                  supplement.replaced.some((m) => m === item.material) ? (
                    <span className="badge badge--verified"> 已更换</span>
                  ) : (
                    <span className="badge badge--pending"> 待更换</span>
                  )
                ) : null}
              </li>
            ))}
          </ol>
          {supplement.open ? (
            <Form method="post">
              <input type="hidden" name="intent" value="resubmit" />
              <button type="submit" disabled={navigation.state === "submitting"}>
                提交补正材料
              </button>
            </Form>
          ) : (
            <p>已过补正截止时间，不能再提交补正材料，请联系区工信局。</p>
          )}
        </section>
      ) : null}

      <section className="card">
        <h2 style={{ marginTop: 0 }}>申报信息</h2>
        {application.editable ? (
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="update" />
            {actionData && "saved" in actionData ? <FormMessage tone="success" message="已保存。" /> : null}
            <div className="field-row">
              <Field
                label="被诊断企业统一社会信用代码"
                inputProps={{ ...getInputProps(fields.enterpriseUscc, { type: "text" }), maxLength: 18 }}
                errors={fields.enterpriseUscc.errors}
              />
              <Field
                label="诊断报告名称"
                inputProps={getInputProps(fields.reportTitle, { type: "text" })}
                errors={fields.reportTitle.errors}
              />
            </div>
            <ContractFields
              amount={fields.contractAmount}
              signedOn={fields.contractSignedOn}
              completedOn={fields.diagnosisCompletedOn}
            />
            <button type="submit" className="button--secondary">
              保存申报信息
            </button>
          </Form>
        ) : (
          <>
            <dl className="facts">
              <dt>被诊断企业</dt>
              <dd>
                {application.enterpriseName}（{application.enterpriseUscc}）
              </dd>
              <dt>诊断报告</dt>
              <dd>{application.reportTitle}</dd>
              <dt>合同金额</dt>
              <dd>{application.contractAmountText} 元</dd>
              <dt>合同签订 / 诊断完成</dt>
              <dd>
                {application.contractSignedOn} / {application.diagnosisCompletedOn}
              </dd>
            </dl>
            <DueDateNotice signedOn={application.contractSignedOn} completedOn={application.diagnosisCompletedOn} />
          </>
        )}
      </section>

      <section className="card">
        <div className="page-head">
          <h2 style={{ margin: 0 }}>申报材料</h2>
          <span className="small">
            <a href={`/resources/applications/${application.id}/pledge`}>下载真实性承诺书（M9，预填）</a> ·{" "}
            <Link to="/provider/summary">被诊断企业汇总表（M7）</Link>
          </span>
        </div>
        <p className="small muted">
          只接受 PDF、JPG、PNG 文件（按文件内容识别），单个文件不超过 {maxUploadMb} MB。所有复印件须加盖企业公章。
        </p>
        <ul className="checklist">
          {materials.map((m) => (
            <li key={m.id}>
              <div className="checklist__head">
                <h3>
                  {m.id} {m.name}
                </h3>
                {m.awaitingFix ? (
                  <span className="badge badge--pending">待补正</span>
                ) : m.item?.complete ? (
                  <span className="badge badge--ok">已齐全</span>
                ) : (
                  <span className="badge badge--bad">{m.item?.reason ?? "缺少"}</span>
                )}
                <span className="muted small">{m.hint}</span>
                {m.toFix ? <span className="badge badge--refused">需补正：{m.toFix}</span> : null}
                {m.id === "M1" && m.changeable && application.profileLicenceId && m.files.length === 0 ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="use-profile-licence" />
                    <button type="submit" className="button--secondary button--small">
                      使用单位资料中的营业执照
                    </button>
                  </Form>
                ) : null}
              </div>
              <MaterialUploader
                applicationId={application.id}
                material={m.id}
                name={m.name}
                multiple={m.multiple}
                accept={m.types
                  .map((t) =>
                    t === "application/pdf"
                      ? ".pdf,application/pdf"
                      : t === "image/png"
                        ? ".png,image/png"
                        : ".jpg,.jpeg,image/jpeg",
                  )
                  .join(",")}
                files={m.files}
                editable={m.changeable}
                isPhotos={m.id === "M5"}
              />
              {m.id === "M7" ? (
                <p className="small" data-testid="summary-link">
                  汇总表每批次只需上传一份，计入本单位的每份申报：请在{" "}
                  <Link to="/provider/summary">汇总表（M7）页面</Link> 下载、盖章后上传。
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {application.editable ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>提交申报</h2>
          {missing.length > 0 ? (
            <p className="notice notice--warning" data-testid="missing">
              还缺少：{missing.map((m) => `${m.id} ${m.item?.reason ?? m.name}`).join("；")}。材料齐全后才能提交。
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="submit" />
            <div className="field field--checkbox">
              <input
                type="checkbox"
                id="attestation"
                name="attestation"
                aria-invalid={actionData?.fieldErrors?.attestation ? true : undefined}
                aria-describedby={actionData?.fieldErrors?.attestation ? "attestation-error" : undefined}
              />
              <label htmlFor="attestation">
                本单位确认：以上所有复印件材料均已加盖企业公章，所填信息和材料真实有效。
              </label>
              {actionData?.fieldErrors?.attestation ? (
                <ul id="attestation-error" className="field-errors" role="alert">
                  <li>{actionData.fieldErrors.attestation[0]}</li>
                </ul>
              ) : null}
            </div>
            <button type="submit" disabled={!complete || navigation.state === "submitting"}>
              提交申报
            </button>
            <span className="muted small"> 提交后材料不可再修改。截止时间以服务器北京时间为准。</span>
          </Form>
        </section>
      ) : null}

      {application.status === "draft" ? (
        <section className="card" data-testid="withdraw-draft">
          <h2 style={{ marginTop: 0 }}>撤回草稿</h2>
          <p className="small muted">
            不再为“{application.enterpriseName}
            ”申报时可撤回本草稿：草稿及已上传的材料将删除，该企业不再由贵单位占用，其他服务商可以为其申报。撤回记入操作记录，不能恢复。
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button--danger" disabled={navigation.state === "submitting"}>
              撤回草稿
            </button>
          </Form>
        </section>
      ) : null}

      {pastNotices.length > 0 ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>补正记录</h2>
          {pastNotices.map((n) => (
            <div key={n.cycle}>
              <p className="small">
                第 {n.cycle} 轮审查于 {n.issuedAt} 退回补正，已于 {n.resubmittedAt} 重新提交：
              </p>
              <ul className="small">
                {n.items.map((item) => (
                  <li key={item.material}>
                    {item.material === "general" ? item.name : `${item.material} ${item.name}`}：{item.reason}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
