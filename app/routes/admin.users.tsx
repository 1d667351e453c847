import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { ErrorList, Field, FormMessage } from "~/components/forms.tsx";
import { ROLE_LABELS } from "~/domain/labels.ts";
import { checkRoleSet, GRANTABLE_ROLES } from "~/domain/roles.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import {
  createStaffManagedUser,
  DuplicateEmailError,
  listManagedUsers,
  RoleGrantError,
  setUserRoles,
  setUserStatus,
} from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { emailField, phoneField, textField } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "账号管理 · 智能化改造咨询诊断补助申报平台" }];

const STATUS_LABELS = { active: "已启用", invited: "待激活", disabled: "已停用" } as const;

const rolesField = z
  .array(z.enum(GRANTABLE_ROLES), { error: "请至少选择一个角色" })
  .min(1, "请至少选择一个角色")
  .superRefine((roles, ctx) => {
    const check = checkRoleSet(roles);
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
  });

const InviteSchema = z.object({
  intent: z.literal("invite"),
  name: textField({ label: "姓名", min: 2, max: 30 }),
  email: emailField,
  phone: phoneField.optional(),
  roles: rolesField,
});

const RolesSchema = z.object({ intent: z.literal("roles"), userId: z.string().min(1).max(100), roles: rolesField });
const StatusSchema = z.object({
  intent: z.literal("status"),
  userId: z.string().min(1).max(100),
  status: z.enum(["active", "disabled"]),
});
const ActionSchema = z.discriminatedUnion("intent", [InviteSchema, RolesSchema, StatusSchema]);

/** R-PAY-3: only the system administrator manages accounts and roles. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const users = await listManagedUsers();
  return {
    users: users.map((u) => ({ ...u, createdBy: u.createdBy?.name ?? null, createdAt: formatShanghai(u.createdAt) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, { roles: ["admin"] });
  const officer = { id: actor.id, name: actor.name, roles: actor.roles };
  const submission = parseWithZod(await readFormData(request), { schema: ActionSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
  const value = submission.value;
  if (value.intent === "invite") {
    try {
      await createStaffManagedUser(officer, {
        name: value.name,
        email: value.email,
        phone: value.phone,
        roles: value.roles,
      });
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        return data(
          { result: submission.reply({ fieldErrors: { email: [error.message] } }), message: null },
          { status: 400 },
        );
      }
      if (error instanceof RoleGrantError) {
        return data(
          { result: submission.reply({ fieldErrors: { roles: [error.message] } }), message: null },
          { status: 400 },
        );
      }
      throw error;
    }
    return { result: submission.reply({ resetForm: true }), message: `已向 ${value.email} 发送邀请邮件。` };
  }
  const outcome = value.intent === "roles" ? await setUserRoles(officer, value) : await setUserStatus(officer, value);
  if (!outcome.ok)
    return data({ result: submission.reply({ formErrors: [outcome.message] }), message: null }, { status: 400 });
  return {
    result: submission.reply(),
    message: value.intent === "roles" ? "角色已更新，已通知全体审批领导。" : "账号状态已更新。",
  };
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
  const rowError = actionData?.result && "error" in actionData.result ? actionData.result.error?.[""]?.[0] : undefined;
  return (
    <>
      <div className="page-head">
        <h1>账号管理</h1>
      </div>
      <p className="muted small">
        系统管理员负责创建账号和授予角色，不参与拨付的编制与审批。每次授予角色都会记入操作记录，并通知全体审批领导；
        审批领导不能审批由自己创建的账号、或创建自己账号的人员所编制的拨付批次。
      </p>
      {actionData?.message ? <FormMessage tone="success" message={actionData.message} /> : null}
      {rowError ? <FormMessage message={rowError} /> : null}
      <div className="two-col">
        <section>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>邮箱</th>
                  <th>角色</th>
                  <th>状态</th>
                  <th>创建人</th>
                  <th>创建时间</th>
                </tr>
              </thead>
              <tbody>
                {users.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="empty">
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
                      <td>
                        <Form method="post" aria-label={`${u.name}的角色`}>
                          <input type="hidden" name="intent" value="roles" />
                          <input type="hidden" name="userId" value={u.id} />
                          {GRANTABLE_ROLES.map((role) => (
                            <label key={role} style={{ fontWeight: "normal", display: "block" }}>
                              <input
                                type="checkbox"
                                name="roles"
                                value={role}
                                defaultChecked={u.roles.some((r) => r === role)}
                              />{" "}
                              {ROLE_LABELS[role]}
                            </label>
                          ))}
                          <button type="submit" className="button--small" disabled={navigation.state === "submitting"}>
                            保存角色
                          </button>
                        </Form>
                      </td>
                      <td>
                        <span className={`badge ${u.status === "active" ? "badge--ok" : "badge--pending"}`}>
                          {STATUS_LABELS[u.status]}
                        </span>
                        {u.status === "invited" ? null : (
                          <Form method="post">
                            <input type="hidden" name="intent" value="status" />
                            <input type="hidden" name="userId" value={u.id} />
                            <input type="hidden" name="status" value={u.status === "active" ? "disabled" : "active"} />
                            <button type="submit" className="link-button">
                              {u.status === "active" ? "停用" : "启用"}
                            </button>
                          </Form>
                        )}
                      </td>
                      <td>{u.createdBy ?? "—"}</td>
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
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="invite" />
            <FormMessage message={form.errors?.[0]} />
            <Field label="姓名" inputProps={getInputProps(fields.name, { type: "text" })} errors={fields.name.errors} />
            <Field
              label="电子邮箱"
              inputProps={getInputProps(fields.email, { type: "email" })}
              errors={fields.email.errors}
            />
            <Field
              label="联系电话（选填）"
              inputProps={getInputProps(fields.phone, { type: "tel" })}
              errors={fields.phone.errors}
            />
            <fieldset className="field" aria-describedby={fields.roles.errors ? "roles-error" : undefined}>
              <legend style={{ fontWeight: 600 }}>角色</legend>
              {GRANTABLE_ROLES.map((role) => (
                <label key={role} style={{ fontWeight: "normal", display: "block" }}>
                  <input type="checkbox" name={fields.roles.name} value={role} defaultChecked={role === "expert"} />{" "}
                  {ROLE_LABELS[role]}
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
