import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field, FormMessage } from "~/components/forms.tsx";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { ROLE_LABELS } from "~/domain/labels.ts";
import { createStaffManagedUser, DuplicateEmailError, listStaffManagedUsers } from "~/models/user.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { phoneField } from "~/utils/form-fields.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "账号管理 · 智能化改造咨询诊断补助申报平台" }];

const STATUS_LABELS = { active: "已启用", invited: "待激活", disabled: "已停用" } as const;

const InviteSchema = z.object({
  name: z.string({ error: "请输入姓名" }).trim().min(2, "姓名至少 2 个字").max(30, "姓名过长"),
  email: z.string({ error: "请输入电子邮箱" }).trim().email("请输入有效的电子邮箱地址"),
  phone: phoneField.optional(),
  roles: z
    .array(z.enum(["expert", "staff", "approver"]), { error: "请至少选择一个角色" })
    .min(1, "请至少选择一个角色"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const users = await listStaffManagedUsers();
  return {
    users: users.map((u) => ({ ...u, createdAt: formatShanghai(u.createdAt) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, { roles: ["staff"] });
  const submission = parseWithZod(await request.formData(), { schema: InviteSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), invited: null }, { status: 400 });
  try {
    await createStaffManagedUser({ id: actor.id, name: actor.name }, submission.value);
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      return data({ result: submission.reply({ fieldErrors: { email: [error.message] } }), invited: null }, { status: 400 });
    }
    throw error;
  }
  return { result: submission.reply({ resetForm: true }), invited: submission.value.email };
}

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "invite",
    lastResult: actionData?.result,
    constraint: getZodConstraint(InviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <>
      <div className="page-head">
        <h1>账号管理</h1>
      </div>
      <div className="two-col">
        <section>
          <div className="table-wrap" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>邮箱</th>
                  <th>角色</th>
                  <th>状态</th>
                  <th>创建时间</th>
                </tr>
              </thead>
              <tbody>
                {users.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="empty">
                      还没有专家或工作人员账号。
                    </td>
                  </tr>
                ) : (
                  users.map((u) => (
                    <tr key={u.id}>
                      <td>
                        {u.isDemo ? <span className="badge badge--demo">演示</span> : null} {u.name}
                      </td>
                      <td>{u.email}</td>
                      <td>{u.roles.map((r) => ROLE_LABELS[r]).join("、")}</td>
                      <td>
                        <span className={`badge ${u.status === "active" ? "badge--ok" : "badge--pending"}`}>{STATUS_LABELS[u.status]}</span>
                      </td>
                      <td>{u.createdAt}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>创建账号并发送邀请</h2>
          <p className="small muted">被邀请人会收到一封邮件，通过其中的链接自行设置密码（链接 7 天内有效）。</p>
          {actionData?.invited ? <FormMessage tone="success" message={`已向 ${actionData.invited} 发送邀请邮件。`} /> : null}
          <Form method="post" {...getFormProps(form)}>
            <FormMessage message={form.errors?.[0]} />
            <Field label="姓名" inputProps={getInputProps(fields.name, { type: "text" })} errors={fields.name.errors} />
            <Field label="电子邮箱" inputProps={getInputProps(fields.email, { type: "email" })} errors={fields.email.errors} />
            <Field label="联系电话（选填）" inputProps={getInputProps(fields.phone, { type: "tel" })} errors={fields.phone.errors} />
            <fieldset className="field" aria-describedby={fields.roles.errors ? "roles-error" : undefined}>
              <legend style={{ fontWeight: 600 }}>角色</legend>
              {(["expert", "staff", "approver"] as const).map((role) => (
                <label key={role} style={{ fontWeight: "normal", display: "block" }}>
                  <input type="checkbox" name={fields.roles.name} value={role} defaultChecked={role === "expert"} /> {ROLE_LABELS[role]}
                </label>
              ))}
              <ErrorList id="roles-error" errors={fields.roles.errors} />
            </fieldset>
            <button type="submit" disabled={navigation.state === "submitting"}>
              创建并发送邀请
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
