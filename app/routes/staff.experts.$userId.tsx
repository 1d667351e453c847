import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";

import { ExpertProfileFields } from "~/components/expert-profile-fields.tsx";
import { ErrorList, Field, FormMessage } from "~/components/forms.tsx";
import { APPLICATION_STATUSES } from "~/domain/application-status.ts";
import { CONFLICT_KIND_LABELS } from "~/domain/conflicts.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { addConflict, getExpert, partyNames, removeConflict, updateExpertProfile } from "~/models/expert.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { expertProfileFields, refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "专家信息 · 智能化改造咨询诊断补助申报平台" }];

const STATUS_LABELS = { active: "已激活", invited: "待激活", disabled: "已停用" } as const;

const ProfileSchema = z.object({ intent: z.literal("profile"), ...expertProfileFields });
const ConflictSchema = z.object({
  intent: z.literal("add-conflict"),
  kind: z.enum(["provider", "enterprise"], { error: "请选择单位类型" }),
  partyName: z
    .string({ error: "请输入单位名称" })
    .trim()
    .min(2, "单位名称至少 2 个字")
    .max(100, "单位名称不超过 100 字")
    .superRefine(refuseHostileCharacters("单位名称")),
  note: z
    .string()
    .trim()
    .max(200, "说明不超过 200 字")
    .superRefine(refuseHostileCharacters("说明", { multiline: true }))
    .optional(),
});
const RemoveSchema = z.object({ intent: z.literal("remove-conflict"), conflictId: z.string().min(1) });
const ActionSchema = z.discriminatedUnion("intent", [ProfileSchema, ConflictSchema, RemoveSchema]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const expert = await getExpert(params.userId ?? "");
  if (!expert) throw new Response("专家不存在。", { status: 404 });
  return {
    canEdit: user.roles.includes("staff"),
    parties: await partyNames(),
    expert: {
      id: expert.id,
      name: expert.name,
      email: expert.email,
      phone: expert.phone,
      status: expert.status,
      isDemo: expert.isDemo,
      field: expert.expertProfile?.field ?? "",
      organisationName: expert.expertProfile?.organisationName ?? "",
      declaredAt: expert.expertProfile?.conflictsDeclaredAt
        ? formatShanghai(expert.expertProfile.conflictsDeclaredAt)
        : null,
      conflicts: expert.expertConflicts.map((c) => ({
        id: c.id,
        kind: c.kind,
        partyName: c.partyName,
        note: c.note,
        declaredBy: c.declaredBy,
        createdAt: formatShanghai(c.createdAt),
      })),
      assignments: expert.assignments.map((a) => ({
        id: a.id,
        assignedAt: formatShanghai(a.assignedAt),
        withdrawnAt: a.withdrawnAt ? formatShanghai(a.withdrawnAt) : null,
        withdrawnReason: a.withdrawnReason,
        number: a.application.number,
        status: a.application.status,
        round: a.application.round.name,
        provider: a.application.organisation.name,
        enterprise: a.application.enterprise.name,
        reviewStatus: a.review?.status ?? null,
      })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const actor = { id: user.id, name: user.name };
  const expertId = params.userId ?? "";
  const submission = parseWithZod(await readFormData(request), { schema: ActionSchema });
  const form = submission.payload.intent === "profile" ? "profile" : "conflict";
  if (submission.status !== "success") return data({ form, result: submission.reply(), notice: null }, { status: 400 });
  const value = submission.value;
  if (value.intent === "profile") {
    const outcome = await updateExpertProfile(actor, expertId, value);
    if (!outcome.ok)
      return data({ form, result: submission.reply({ formErrors: [outcome.message] }), notice: null }, { status: 404 });
    return { form, result: submission.reply(), notice: "已保存专家信息。" };
  }
  if (value.intent === "add-conflict") {
    const outcome = await addConflict(actor, expertId, value, "staff");
    if (!outcome.ok)
      return data(
        { form, result: submission.reply({ fieldErrors: { partyName: [outcome.message] } }), notice: null },
        { status: 400 },
      );
    const withdrawn = outcome.withdrawn.length
      ? `已撤回其对申报 ${outcome.withdrawn.join("、")} 的评审任务，请重新分配。`
      : "";
    return {
      form,
      result: submission.reply({ resetForm: true }),
      notice: `已登记回避单位“${value.partyName}”。${withdrawn}`,
    };
  }
  const outcome = await removeConflict(actor, expertId, value.conflictId);
  if (!outcome.ok)
    return data(
      { form, result: submission.reply({ formErrors: [outcome.message ?? "删除失败"] }), notice: null },
      { status: 409 },
    );
  return { form, result: submission.reply(), notice: "已删除该回避记录。" };
}

export default function ExpertDetail() {
  const { expert, parties, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const intent = navigation.formData?.get("intent");
  const [profileForm, profile] = useForm({
    id: "profile",
    lastResult: actionData?.form === "profile" ? actionData.result : undefined,
    constraint: getZodConstraint(ProfileSchema),
    defaultValue: {
      name: expert.name,
      phone: expert.phone ?? "",
      field: expert.field,
      organisationName: expert.organisationName,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    shouldValidate: "onBlur",
  });
  const [conflictForm, conflict] = useForm({
    id: "conflict",
    lastResult: actionData?.form === "conflict" ? actionData.result : undefined,
    constraint: getZodConstraint(ConflictSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConflictSchema }),
    shouldValidate: "onSubmit",
  });
  const [kind, setKind] = useState<"provider" | "enterprise">("provider");
  return (
    <>
      <div className="page-head">
        <h1>
          {expert.isDemo ? <span className="badge badge--demo">演示</span> : null} {expert.name}
        </h1>
        <Link to="/staff/experts">返回专家库</Link>
      </div>
      {actionData?.notice ? <FormMessage tone="success" message={actionData.notice} /> : null}
      <div className="two-col">
        <section>
          <section className="card">
            <h2 style={{ marginTop: 0 }}>回避单位（利益关系）</h2>
            <p className="small muted">
              按单位名称登记，跨批次有效。
              {expert.declaredAt ? `专家已于 ${expert.declaredAt} 自行声明。` : "专家尚未登录声明。"}
            </p>
            <div className="table-wrap" tabIndex={0}>
              <table className="table">
                <thead>
                  <tr>
                    <th>类型</th>
                    <th>单位名称</th>
                    <th>说明</th>
                    <th>登记方</th>
                    <th>登记时间</th>
                    {canEdit ? <th /> : null}
                  </tr>
                </thead>
                <tbody>
                  {expert.conflicts.length === 0 ? (
                    <tr>
                      <td colSpan={6} className="empty">
                        未登记回避单位。
                      </td>
                    </tr>
                  ) : (
                    expert.conflicts.map((c) => (
                      <tr key={c.id}>
                        <td>{CONFLICT_KIND_LABELS[c.kind]}</td>
                        <td>{c.partyName}</td>
                        <td>{c.note ?? "—"}</td>
                        <td>{c.declaredBy === "expert" ? "专家声明" : "工作人员登记"}</td>
                        <td>{c.createdAt}</td>
                        {canEdit ? (
                          <td>
                            <Form method="post" className="inline-form">
                              <input type="hidden" name="conflictId" value={c.id} />
                              <button
                                type="submit"
                                name="intent"
                                value="remove-conflict"
                                className="button--secondary button--small"
                                disabled={busy}
                              >
                                删除
                              </button>
                            </Form>
                          </td>
                        ) : null}
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
            {canEdit ? (
              <Form method="post" {...getFormProps(conflictForm)}>
                <h3>登记回避单位</h3>
                <FormMessage message={conflictForm.errors?.[0]} />
                <div className="field">
                  <label htmlFor="conflict-kind">单位类型</label>
                  <select
                    id="conflict-kind"
                    name={conflict.kind.name}
                    value={kind}
                    onChange={(event) => setKind(event.target.value === "enterprise" ? "enterprise" : "provider")}
                  >
                    <option value="provider">服务商</option>
                    <option value="enterprise">被诊断企业</option>
                  </select>
                  <ErrorList errors={conflict.kind.errors} />
                </div>
                <Field
                  label="单位名称"
                  hint={`可从进行中批次的${kind === "provider" ? "服务商" : "企业"}名单中选择，也可直接输入全称`}
                  inputProps={{
                    ...getInputProps(conflict.partyName, { type: "text" }),
                    list: `parties-${kind}`,
                    autoComplete: "off",
                  }}
                  errors={conflict.partyName.errors}
                />
                <datalist id="parties-provider">
                  {parties.providers.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
                <datalist id="parties-enterprise">
                  {parties.enterprises.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
                <Field
                  label="说明（选填）"
                  inputProps={{
                    ...getInputProps(conflict.note, { type: "text" }),
                    placeholder: "例如：曾任该公司技术顾问",
                  }}
                  errors={conflict.note.errors}
                />
                <button type="submit" name="intent" value="add-conflict" disabled={busy && intent === "add-conflict"}>
                  登记回避
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2 style={{ marginTop: 0 }}>评审任务</h2>
            <div className="table-wrap" tabIndex={0}>
              <table className="table">
                <thead>
                  <tr>
                    <th>申报编号</th>
                    <th>批次</th>
                    <th>被诊断企业</th>
                    <th>服务商</th>
                    <th>分配时间</th>
                    <th>状态</th>
                  </tr>
                </thead>
                <tbody>
                  {expert.assignments.length === 0 ? (
                    <tr>
                      <td colSpan={6} className="empty">
                        暂无评审任务。
                      </td>
                    </tr>
                  ) : (
                    expert.assignments.map((a) => (
                      <tr key={a.id}>
                        <td>{a.number}</td>
                        <td>{a.round}</td>
                        <td>{a.enterprise}</td>
                        <td>{a.provider}</td>
                        <td>{a.assignedAt}</td>
                        <td>
                          {a.withdrawnAt ? (
                            <span className="badge badge--bad" title={a.withdrawnReason ?? undefined}>
                              已撤回：{a.withdrawnReason}
                            </span>
                          ) : a.reviewStatus === "submitted" ? (
                            <span className="badge badge--ok">已提交评审</span>
                          ) : (
                            <span className="badge badge--pending">{APPLICATION_STATUSES[a.status]}</span>
                          )}
                        </td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </section>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>专家信息</h2>
          <dl className="facts">
            <dt>登录邮箱</dt>
            <dd>{expert.email}</dd>
            <dt>账号状态</dt>
            <dd>{STATUS_LABELS[expert.status]}</dd>
          </dl>
          {canEdit ? (
            <Form method="post" {...getFormProps(profileForm)} style={{ marginTop: "1rem" }}>
              <FormMessage message={profileForm.errors?.[0]} />
              <ExpertProfileFields fields={profile} />
              <button type="submit" name="intent" value="profile" disabled={busy && intent === "profile"}>
                保存
              </button>
            </Form>
          ) : (
            <dl className="facts" style={{ marginTop: "1rem" }}>
              <dt>专业领域</dt>
              <dd>{expert.field || "—"}</dd>
              <dt>工作单位</dt>
              <dd>{expert.organisationName || "—"}</dd>
            </dl>
          )}
          <p className="small">
            <Link to={`/staff/audit?entityType=user&entityId=${expert.id}`}>查看操作记录</Link>
          </p>
        </section>
      </div>
    </>
  );
}
