import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { ExpertProfileFields } from "~/components/expert-profile-fields.tsx";
import { FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { inviteExpert, listExperts } from "~/models/expert.server.ts";
import { currentRound } from "~/models/round.server.ts";
import { DuplicateEmailError } from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { emailField, expertProfileFields } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "评审专家 · 智能化改造咨询诊断补助申报平台" }];

const STATUS_LABELS = { active: "已激活", invited: "待激活", disabled: "已停用" } as const;
const PAGE_SIZE = 30;

const QuerySchema = z.object({
  q: z.string().trim().max(100).catch(""),
  page: z.coerce.number().int().min(1).catch(1),
});

const InviteSchema = z.object({ ...expertProfileFields, email: emailField });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse({ q: params.get("q") ?? "", page: params.get("page") ?? 1 });
  const round = await currentRound();
  const experts = await listExperts({ q: query.q, roundId: round?.id });
  const pages = Math.max(1, Math.ceil(experts.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return {
    query: { ...query, page },
    canEdit: user.roles.includes("staff"),
    pages,
    total: experts.length,
    round: round ? { id: round.id, name: round.name } : null,
    experts: experts.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((e) => ({
      id: e.id,
      name: e.name,
      email: e.email,
      status: e.status,
      isDemo: e.isDemo,
      field: e.expertProfile?.field ?? null,
      organisationName: e.expertProfile?.organisationName ?? null,
      declared: Boolean(e.expertProfile?.conflictsDeclaredAt),
      conflicts: e._count.expertConflicts,
      load: e.load,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, { roles: ["staff"] });
  const submission = parseWithZod(await readFormData(request), { schema: InviteSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), invited: null }, { status: 400 });
  try {
    await inviteExpert({ id: actor.id, name: actor.name, roles: actor.roles }, submission.value);
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      return data(
        { result: submission.reply({ fieldErrors: { email: [error.message] } }), invited: null },
        { status: 400 },
      );
    }
    throw error;
  }
  return { result: submission.reply({ resetForm: true }), invited: submission.value.email };
}

export default function ExpertPool() {
  const { experts, query, pages, total, round, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "invite-expert",
    lastResult: actionData?.result,
    constraint: getZodConstraint(InviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    shouldValidate: "onBlur",
  });
  const pageLink = (page: number) =>
    `?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), page: String(page) })}`;
  return (
    <>
      <div className="page-head">
        <h1>评审专家</h1>
        <Link to="/staff/assignments">分配评审专家</Link>
      </div>
      <div className="two-col">
        <section>
          <Form method="get" className="filters">
            <div className="field">
              <label htmlFor="q">搜索</label>
              <input id="q" name="q" defaultValue={query.q} placeholder="姓名、邮箱、专业领域或单位" />
            </div>
            <button type="submit">搜索</button>
          </Form>
          <p className="small muted">
            共 {total} 位专家。{round ? `“评审任务”为${round.name}中尚未撤回的分配数。` : "暂无批次。"}
          </p>
          <div className="table-wrap" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>专业领域</th>
                  <th>工作单位</th>
                  <th>状态</th>
                  <th>回避单位</th>
                  <th>评审任务</th>
                </tr>
              </thead>
              <tbody>
                {experts.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="empty">
                      {query.q ? "没有符合条件的专家。" : "专家库还是空的，请在右侧邀请专家。"}
                    </td>
                  </tr>
                ) : (
                  experts.map((e) => (
                    <tr key={e.id}>
                      <td>
                        {e.isDemo ? <span className="badge badge--demo">演示</span> : null}{" "}
                        <Link to={`/staff/experts/${e.id}`}>{e.name}</Link>
                        <div className="small muted">{e.email}</div>
                      </td>
                      <td>{e.field ?? "—"}</td>
                      <td>{e.organisationName ?? "—"}</td>
                      <td>
                        <span
                          className={`badge ${
                            e.status === "active"
                              ? "badge--ok"
                              : e.status === "invited"
                                ? "badge--pending"
                                : "badge--bad"
                          }`}
                        >
                          {STATUS_LABELS[e.status]}
                        </span>
                        {e.declared ? null : <div className="small muted">尚未声明回避</div>}
                      </td>
                      <td>{e.conflicts}</td>
                      <td>{e.load}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={query.page} pages={pages} href={pageLink} />
        </section>
        {canEdit ? (
          <section className="card">
            <h2 style={{ marginTop: 0 }}>邀请专家</h2>
            <p className="small muted">
              专家会收到邀请邮件，通过其中的链接设置密码（7 天内有效）；首次登录时须声明回避单位。
            </p>
            {actionData?.invited ? (
              <FormMessage tone="success" message={`已向 ${actionData.invited} 发送邀请邮件。`} />
            ) : null}
            <Form method="post" {...getFormProps(form)}>
              <FormMessage message={form.errors?.[0]} />
              <ExpertProfileFields fields={fields} />
              <button type="submit" disabled={navigation.state === "submitting"}>
                发送邀请
              </button>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}
