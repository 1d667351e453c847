import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";

import { FormMessage, TextareaField } from "~/components/forms.tsx";
import { CONFLICT_KIND_LABELS, type ConflictKind, normalisePartyName } from "~/domain/conflicts.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { declareConflicts, expertDeclaration, partyNames } from "~/models/expert.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "利益关系声明 · 智能化改造咨询诊断补助申报平台" }];

const names = z
  .array(z.string().trim().min(1).max(100, "单位名称不超过 100 字").superRefine(refuseHostileCharacters("单位名称")))
  .optional();
const lines = z
  .string()
  .max(5000, "内容过长")
  .optional()
  .transform((text) =>
    (text ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.every((name) => name.length >= 2 && name.length <= 100),
    "每行填写一个单位全称（2 至 100 字）",
  );

const DeclareSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("none") }),
  z.object({
    intent: z.literal("declare"),
    providers: names,
    enterprises: names,
    otherProviders: lines,
    otherEnterprises: lines,
  }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  const [declaration, parties] = await Promise.all([expertDeclaration(user.id), partyNames()]);
  return {
    name: user.name,
    parties,
    declaredAt: declaration.declaredAt ? formatShanghai(declaration.declaredAt) : null,
    conflicts: declaration.conflicts.map((c) => ({
      id: c.id,
      kind: c.kind,
      partyName: c.partyName,
      declaredBy: c.declaredBy,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  const submission = parseWithZod(await readFormData(request), { schema: DeclareSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const value = submission.value;
  const entries: { kind: ConflictKind; partyName: string }[] =
    value.intent === "none"
      ? []
      : [
          ...[...(value.providers ?? []), ...value.otherProviders].map((partyName) => ({
            kind: "provider" as const,
            partyName,
          })),
          ...[...(value.enterprises ?? []), ...value.otherEnterprises].map((partyName) => ({
            kind: "enterprise" as const,
            partyName,
          })),
        ];
  if (value.intent === "declare" && entries.length === 0) {
    return data(
      submission.reply({
        formErrors: ["请勾选或填写与您存在利益关系的单位；如均不存在，请点击“与以上单位均不存在利益关系”。"],
      }),
      { status: 400 },
    );
  }
  await declareConflicts({ id: user.id, name: user.name }, entries);
  throw redirect("/expert");
}

function PartyChecklist({
  kind,
  names,
  declared,
  fieldName,
}: {
  kind: ConflictKind;
  names: string[];
  declared: Set<string>;
  fieldName: string;
}) {
  const [filter, setFilter] = useState("");
  const shown = names.filter((n) => !filter || n.includes(filter.trim()));
  const label = CONFLICT_KIND_LABELS[kind];
  return (
    <fieldset className="field">
      <legend style={{ fontWeight: 600 }}>
        {label}（{names.length} 家）
      </legend>
      <input
        type="search"
        aria-label={`筛选${label}`}
        placeholder={`输入名称筛选${label}`}
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <div
        style={{
          maxHeight: "16rem",
          overflowY: "auto",
          border: "1px solid #ddd",
          padding: "0.5rem",
          marginTop: "0.5rem",
        }}
      >
        {shown.length === 0 ? <p className="empty small">没有符合条件的{label}。</p> : null}
        {names.map((name) => {
          const already = declared.has(`${kind}:${normalisePartyName(name)}`);
          return (
            <label key={name} style={{ display: shown.includes(name) ? "block" : "none", fontWeight: "normal" }}>
              <input type="checkbox" name={fieldName} value={name} defaultChecked={already} disabled={already} /> {name}
              {already ? <span className="small muted">（已声明）</span> : null}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

export default function ExpertConflicts() {
  const { name, parties, declaredAt, conflicts } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "declare",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeclareSchema }),
    shouldValidate: "onSubmit",
  });
  const declared = new Set(conflicts.map((c) => `${c.kind}:${normalisePartyName(c.partyName)}`));
  const busy = navigation.state === "submitting";
  return (
    <section className="card">
      <h1>利益关系声明</h1>
      <p>
        {name}，您好。根据评审纪律，专家不得评审与其存在利益关系的服务商或被诊断企业的申报。
        {declaredAt ? `您已于 ${declaredAt} 作出声明，可随时补充。` : "首次登录请先完成声明。"}
      </p>
      {conflicts.length ? (
        <>
          <h2>已声明的回避单位</h2>
          <ul>
            {conflicts.map((c) => (
              <li key={c.id}>
                {CONFLICT_KIND_LABELS[c.kind]}：{c.partyName}
                {c.declaredBy === "staff" ? <span className="small muted">（区工信局登记）</span> : null}
              </li>
            ))}
          </ul>
          <p className="small muted">如需删除已声明的单位，请联系区工信局。</p>
        </>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <h2>我与以下单位存在利益关系</h2>
        <p className="small muted">
          名单取自正在进行的申报批次。
          勾选存在利益关系（任职、兼职、顾问、持股、亲属关系等）的单位；名单中没有的，可在下方逐行填写全称。
          声明后，已分配给您的相关申报会自动撤回。
        </p>
        <FormMessage message={form.errors?.[0]} />
        <div className="two-col" style={{ gridTemplateColumns: "1fr 1fr" }}>
          <PartyChecklist kind="provider" names={parties.providers} declared={declared} fieldName="providers" />
          <PartyChecklist kind="enterprise" names={parties.enterprises} declared={declared} fieldName="enterprises" />
        </div>
        <TextareaField
          label="其他服务商（每行一个，选填）"
          textareaProps={{ ...getTextareaProps(fields.otherProviders), rows: 2 }}
          errors={fields.otherProviders?.errors}
        />
        <TextareaField
          label="其他被诊断企业（每行一个，选填）"
          textareaProps={{ ...getTextareaProps(fields.otherEnterprises), rows: 2 }}
          errors={fields.otherEnterprises?.errors}
        />
        <div className="actions">
          <button type="submit" name="intent" value="declare" disabled={busy}>
            提交声明
          </button>
          <button type="submit" name="intent" value="none" className="button--secondary" disabled={busy}>
            与以上单位均不存在利益关系
          </button>
        </div>
      </Form>
    </section>
  );
}
