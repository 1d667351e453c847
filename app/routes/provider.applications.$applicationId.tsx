import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ContractFields } from "~/components/contract-fields.tsx";
import { DueDateNotice } from "~/components/due-date.tsx";
import { Field, FormMessage } from "~/components/forms.tsx";
import { MaterialUploader } from "~/components/material-uploader.tsx";
import { APPLICATION_STATUSES, providerCanEdit } from "~/domain/application-status.ts";
import { isMaterialId, isPhotoTag, MATERIAL_IDS, MATERIALS } from "~/domain/materials.ts";
import { fenToYuanString, formatFen } from "~/domain/money.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { receiptPdf } from "~/models/application-documents.server.ts";
import {
  attachMaterial,
  getOwnApplication,
  materialChecklist,
  NotEditableError,
  removeMaterial,
  submitApplication,
  tagPhoto,
  updateApplicationData,
} from "~/models/application.server.ts";
import { objectStore, storeUpload } from "~/services/storage.server.ts";
import { ApplicationDataSchema } from "~/utils/application-form.ts";
import { now } from "~/utils/clock.server.ts";
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
  return {
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
  z.object({ intent: z.literal("tag"), rowId: z.string().min(1), photoTag: z.string().refine(isPhotoTag, "请选择照片类别") }),
  z.object({ intent: z.literal("use-profile-licence") }),
  z.object({ intent: z.literal("submit"), attestation: z.literal("on").optional() }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, scope, application } = await load(request, params.applicationId);
  const formData = await request.formData();
  const reply = (body: { formError?: string; fieldErrors?: Record<string, string[]>; result?: unknown }, status = 400) =>
    data({ formError: body.formError ?? null, fieldErrors: body.fieldErrors ?? null, result: body.result ?? null }, { status });
  try {
    if (formData.get("intent") === "update") {
      const submission = parseWithZod(formData, { schema: ApplicationDataSchema });
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
    if (intent.intent === "tag" && isPhotoTag(intent.photoTag)) await tagPhoto(scope, application.id, intent.rowId, intent.photoTag);
    if (intent.intent === "use-profile-licence") {
      if (!application.organisation.licenseFileId) return reply({ formError: "单位资料中没有营业执照。" });
      await attachMaterial(scope, application.id, "M1", application.organisation.licenseFileId, null);
    }
    if (intent.intent === "submit") {
      const at = now();
      const pdf = await receiptPdf(application, at);
      const receipt = await storeUpload({
        body: [pdf],
        fileName: `受理回执-${application.number}.pdf`,
        purpose: "receipts",
        accepted: ["application/pdf"],
      });
      const outcome = await submitApplication(scope, application.id, {
        attested: intent.attestation === "on",
        at,
        receipt,
        mailTo: user.email,
        mailText:
          `${application.organisation.name}：\n\n贵单位为“${application.enterprise.name}”填报的申报（编号 ${application.number}）已于 ` +
          `${formatShanghai(at, true)}（北京时间）提交成功，受理回执见附件。\n请将纸质材料一式两份报送区工信局。\n张店区工业和信息化局`,
      });
      if (!outcome.ok) {
        await objectStore().delete(receipt.key);
        return reply(outcome.field ? { fieldErrors: { attestation: [outcome.message] } } : { formError: outcome.message }, 409);
      }
      throw redirect(`/provider/applications/${application.id}?submitted=1`);
    }
  } catch (error) {
    if (error instanceof NotEditableError) return reply({ formError: error.message }, 409);
    throw error;
  }
  throw redirect(`/provider/applications/${application.id}`);
}

export default function ApplicationPage() {
  const { application, materials, complete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const updateResult = actionData && "saved" in actionData ? actionData.result : actionData?.result;
  const [form, fields] = useForm({
    id: `application-${application.id}`,
    lastResult: navigation.state === "idle" && updateResult && typeof updateResult === "object" ? updateResult : undefined,
    constraint: getZodConstraint(ApplicationDataSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ApplicationDataSchema }),
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
          已于 {application.submittedAt}（北京时间）提交成功。受理回执已发送至您的邮箱。
          {application.receiptFileId ? (
            <>
              {" "}
              <a href={`/resources/files/${application.receiptFileId}`} target="_blank" rel="noreferrer">
                查看受理回执（PDF）
              </a>
            </>
          ) : null}
        </div>
      ) : null}
      <FormMessage message={actionData?.formError} />

      <section className="card">
        <h2 style={{ marginTop: 0 }}>申报信息</h2>
        {application.editable ? (
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="update" />
            {actionData && "saved" in actionData ? <FormMessage tone="success" message="已保存。" /> : null}
            <div className="field-row">
              <Field label="被诊断企业统一社会信用代码" inputProps={{ ...getInputProps(fields.enterpriseUscc, { type: "text" }), maxLength: 18 }} errors={fields.enterpriseUscc.errors} />
              <Field label="诊断报告名称" inputProps={getInputProps(fields.reportTitle, { type: "text" })} errors={fields.reportTitle.errors} />
            </div>
            <ContractFields amount={fields.contractAmount} signedOn={fields.contractSignedOn} completedOn={fields.diagnosisCompletedOn} />
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
            <a href="/resources/provider/summary-table">下载被诊断企业汇总表（M7）</a>
          </span>
        </div>
        <p className="small muted">只接受 PDF、JPG、PNG 文件（按文件内容识别），单个文件不超过上限。所有复印件须加盖企业公章。</p>
        <ul className="checklist">
          {materials.map((m) => (
            <li key={m.id}>
              <div className="checklist__head">
                <h3>
                  {m.id} {m.name}
                </h3>
                {m.item?.complete ? <span className="badge badge--ok">已齐全</span> : <span className="badge badge--bad">{m.item?.reason ?? "缺少"}</span>}
                <span className="muted small">{m.hint}</span>
                {m.id === "M1" && application.editable && application.profileLicenceId && m.files.length === 0 ? (
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
                accept={m.types.map((t) => (t === "application/pdf" ? ".pdf,application/pdf" : t === "image/png" ? ".png,image/png" : ".jpg,.jpeg,image/jpeg")).join(",")}
                files={m.files}
                editable={application.editable}
                isPhotos={m.id === "M5"}
              />
            </li>
          ))}
        </ul>
      </section>

      {application.editable ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>提交申报</h2>
          {missing.length > 0 ? (
            <p className="notice notice--warning" data-testid="missing">
              还缺少：{missing.map((m) => `${m.id} ${m.item?.reason ?? m.name}`).join("；")}。材料齐全后才能提交（R-MAT-2）。
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
              <label htmlFor="attestation">本单位确认：以上所有复印件材料均已加盖企业公章，所填信息和材料真实有效（R-MAT-1）。</label>
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
    </>
  );
}
