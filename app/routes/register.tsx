import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { FileField, withChosenFiles } from "~/components/file-field.tsx";
import { CheckboxField, Field, FormMessage } from "~/components/forms.tsx";
import { NewPasswordFields } from "~/components/new-password-fields.tsx";
import { PayeeFields } from "~/components/payee-fields.tsx";
import { registerProvider } from "~/models/organisation.server.ts";
import { registrableProviderNames } from "~/models/round.server.ts";
import { keptFile, parseFormWithUploads } from "~/services/multipart.server.ts";
import {
  emailField,
  newPasswordFields,
  passwordsMatch,
  payeeFields,
  payeeNameMatches,
  phoneField,
  textField,
  usccField,
} from "~/utils/form-fields.ts";
import { getSessionUser, homeFor, startSession } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "服务商注册 · 智能化改造咨询诊断补助申报平台" }];

const RegistrationSchema = z
  .object({
    organisationName: textField({ label: "服务商名称", max: 100, missing: "请从服务商名单中选择本单位" }),
    uscc: usccField("请输入统一社会信用代码"),
    contactName: textField({ label: "联系人姓名", min: 2, max: 30 }),
    contactPhone: phoneField,
    email: emailField,
    ...newPasswordFields,
    licenseFileId: z
      .string({ error: "请上传营业执照（PDF、JPG 或 PNG）" })
      .max(100, "请重新上传营业执照")
      .min(1, "请上传营业执照（PDF、JPG 或 PNG）"),
    ...payeeFields,
    declaration: z.literal("on", { error: "请确认本单位符合申报条件" }),
  })
  .refine(...passwordsMatch)
  .refine(...payeeNameMatches);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(homeFor(user));
  return { providers: await registrableProviderNames() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { formData, uploaded, uploadErrors } = await parseFormWithUploads(
    request,
    { license: { purpose: "licences" }, payeeProof: { purpose: "licences" } },
    null,
  );
  // A newly uploaded licence (or account proof) replaces the one kept from an earlier attempt.
  const license = keptFile(formData, uploaded, "license", "licenseFileId");
  const proof = keptFile(formData, uploaded, "payeeProof", "payeeProofFileId");
  const submission = parseWithZod(formData, { schema: RegistrationSchema });
  const hide = { hideFields: ["password", "confirmPassword"] };
  if (submission.status !== "success" || uploadErrors.license || uploadErrors.payeeProof) {
    const fieldErrors = {
      ...(uploadErrors.license ? { licenseFileId: [uploadErrors.license] } : {}),
      ...(uploadErrors.payeeProof ? { payeeProofFileId: [uploadErrors.payeeProof] } : {}),
    };
    return data(
      {
        result: submission.reply({ ...hide, fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : undefined }),
        license,
        proof,
      },
      { status: 400 },
    );
  }
  const v = submission.value;
  const outcome = await registerProvider({
    ...v,
    payee: {
      accountName: v.payeeAccountName,
      bankName: v.payeeBankName,
      accountNumber: v.payeeAccountNumber,
      proofFileId: v.payeeProofFileId,
    },
  });
  if (!outcome.ok) {
    return data(
      {
        result: submission.reply({ ...hide, fieldErrors: { [outcome.field]: [outcome.message] } }),
        license: outcome.field === "licenseFileId" ? null : license,
        proof: outcome.field === "payeeProofFileId" ? null : proof,
      },
      { status: 400 },
    );
  }
  const cookie = await startSession(outcome.userId, request);
  throw redirect("/provider", { headers: { "Set-Cookie": cookie } });
}

export default function Register() {
  const { providers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "register",
    lastResult: actionData?.result,
    constraint: getZodConstraint(RegistrationSchema),
    onValidate: ({ formData }) =>
      parseWithZod(withChosenFiles(formData, { license: "licenseFileId", payeeProof: "payeeProofFileId" }), {
        schema: RegistrationSchema,
      }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const license = actionData?.license ?? null;
  const proof = actionData?.proof ?? null;
  return (
    <section className="card" style={{ maxWidth: 760, margin: "0 auto" }}>
      <h1>服务商注册</h1>
      <p className="muted">
        仅限市主管部门公布的工业互联网服务商名录内、且注册地在张店区的服务商注册。注册后由区工信局核验营业执照，审核通过后方可填报。
      </p>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <Field
          label="服务商名称（从名录中选择）"
          hint="输入关键字可搜索名录中的单位"
          inputProps={{
            ...getInputProps(fields.organisationName, { type: "text" }),
            list: "provider-list",
            autoComplete: "off",
          }}
          errors={fields.organisationName.errors}
        />
        <datalist id="provider-list">
          {providers.map((p) => (
            <option key={p.name} value={p.name} />
          ))}
        </datalist>
        <Field
          label="统一社会信用代码"
          hint="18 位，含校验位"
          inputProps={{
            ...getInputProps(fields.uscc, { type: "text" }),
            maxLength: 18,
            style: { textTransform: "uppercase" },
          }}
          errors={fields.uscc.errors}
        />
        <div className="field-row">
          <Field
            label="联系人"
            inputProps={getInputProps(fields.contactName, { type: "text" })}
            errors={fields.contactName.errors}
          />
          <Field
            label="联系电话"
            inputProps={getInputProps(fields.contactPhone, { type: "tel" })}
            errors={fields.contactPhone.errors}
          />
        </div>
        <Field
          label="电子邮箱（登录账号）"
          inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "email" }}
          errors={fields.email.errors}
        />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
        <FileField name="license" label="营业执照（PDF、JPG 或 PNG）" field={fields.licenseFileId} kept={license} />
        <fieldset className="field">
          <legend>收款账户（补助资金拨付至此账户，须为本单位账户）</legend>
          <PayeeFields fields={fields} proof={proof} />
        </fieldset>
        <CheckboxField
          label="本单位承诺：运行管理规范、经营状态正常、财务制度健全、信用记录良好，所填信息真实有效。"
          inputProps={getInputProps(fields.declaration, { type: "checkbox" })}
          errors={fields.declaration.errors}
        />
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "正在提交…" : "提交注册"}
          </button>
          <span className="muted">
            已有账号？<Link to="/login">登录</Link>
          </span>
        </div>
      </Form>
    </section>
  );
}
