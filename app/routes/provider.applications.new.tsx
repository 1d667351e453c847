import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";

import { ContractFields } from "~/components/contract-fields.tsx";
import { CheckboxField, ErrorList, Field, FormMessage } from "~/components/forms.tsx";
import { shanghaiDate } from "~/domain/shanghai-time.ts";
import { createApplication, enterprisesForPicker } from "~/models/application.server.ts";
import { currentRound } from "~/models/round.server.ts";
import { newApplicationSchema } from "~/utils/application-form.ts";
import { now } from "~/utils/clock.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "新建申报 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const round = await currentRound();
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  return {
    round: { id: round.id, name: round.name },
    enterprises: await enterprisesForPicker(round.id, user.organisation.id),
    today: shanghaiDate(now()),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const round = await currentRound();
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  const submission = parseWithZod(await readFormData(request), { schema: newApplicationSchema(shanghaiDate(now())) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const result = await createApplication(
    { userId: user.id, userName: user.name, organisationId: user.organisation.id },
    {
      roundId: round.id,
      enterpriseId: v.enterpriseId,
      enterpriseUscc: v.enterpriseUscc,
      reportTitle: v.reportTitle,
      contractAmountFen: v.contractAmount,
      contractSignedOn: v.contractSignedOn,
      diagnosisCompletedOn: v.diagnosisCompletedOn,
    },
  );
  if (!result.ok) return data(submission.reply({ fieldErrors: { [result.field]: [result.message] } }), { status: 409 });
  throw redirect(`/provider/applications/${result.id}`);
}

export default function NewApplication() {
  const { round, enterprises, today } = useLoaderData<typeof loader>();
  const schema = newApplicationSchema(today);
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [query, setQuery] = useState("");
  const [form, fields] = useForm({
    id: "new-application",
    lastResult,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const shown = enterprises.filter(
    (e) => !query || e.name.includes(query) || (e.uscc ?? "").includes(query.toUpperCase()),
  );
  return (
    <section className="card" style={{ maxWidth: 820, margin: "0 auto" }}>
      <div className="page-head">
        <h1>新建申报</h1>
        <Link to="/provider">返回申报列表</Link>
      </div>
      <p className="muted">{round.name}：每家被诊断企业单独填报一份申报。</p>
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <div className="field">
          <label htmlFor="enterprise-search">搜索企业（名称或信用代码）</label>
          <input
            id="enterprise-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="输入关键字筛选"
          />
        </div>
        <div className="field">
          <label htmlFor={fields.enterpriseId.id}>被诊断企业（张店区智能化改造企业名单）</label>
          <select
            id={fields.enterpriseId.id}
            name={fields.enterpriseId.name}
            defaultValue={String(fields.enterpriseId.initialValue ?? "")}
            aria-invalid={fields.enterpriseId.errors ? true : undefined}
            aria-describedby={fields.enterpriseId.errors ? `${fields.enterpriseId.id}-error` : undefined}
            size={Math.min(10, Math.max(4, shown.length + 1))}
          >
            <option value="">请选择</option>
            {shown.map((e) => (
              <option key={e.id} value={e.id}>
                {e.seq}. {e.name}
                {e.taken === "other" ? "（已由其他服务商申报）" : e.taken === "own" ? "（贵单位已申报）" : ""}
              </option>
            ))}
          </select>
          <ErrorList id={`${fields.enterpriseId.id}-error`} errors={fields.enterpriseId.errors} />
        </div>
        <Field
          label="被诊断企业统一社会信用代码"
          inputProps={{ ...getInputProps(fields.enterpriseUscc, { type: "text" }), maxLength: 18 }}
          errors={fields.enterpriseUscc.errors}
        />
        <CheckboxField
          label="确认被诊断企业为依法设立登记、实际经营地和财税户管地均在张店区的民营制造业企业。"
          inputProps={getInputProps(fields.eligibility, { type: "checkbox" })}
          errors={fields.eligibility.errors}
        />
        <Field
          label="诊断报告名称"
          inputProps={getInputProps(fields.reportTitle, { type: "text" })}
          errors={fields.reportTitle.errors}
        />
        <ContractFields
          amount={fields.contractAmount}
          signedOn={fields.contractSignedOn}
          completedOn={fields.diagnosisCompletedOn}
        />
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            保存草稿并上传材料
          </button>
        </div>
      </Form>
    </section>
  );
}
