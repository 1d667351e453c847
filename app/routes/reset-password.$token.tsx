import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormMessage } from "~/components/forms.tsx";
import { NewPasswordFields } from "~/components/new-password-fields.tsx";
import { findValidPasswordReset, resetPassword } from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { newPasswordFields, passwordsMatch } from "~/utils/form-fields.ts";
import { startSession } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "重设密码 · 智能化改造咨询诊断补助申报平台" }];

const PasswordSchema = z.object(newPasswordFields).refine(...passwordsMatch);

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findValidPasswordReset(params.token ?? "");
  return { reset: reset && { name: reset.user.name, email: reset.user.email } };
}

/** A single-use reset link: sets the password, ends every other session, lifts the lockout, signs in. */
export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: PasswordSchema });
  if (submission.status !== "success")
    return data(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });
  const outcome = await resetPassword(params.token ?? "", submission.value.password);
  if (!outcome.ok) {
    return data(
      submission.reply({
        formErrors: ["重设链接已失效或已被使用，请重新申请。"],
        hideFields: ["password", "confirmPassword"],
      }),
      { status: 400 },
    );
  }
  throw redirect("/", { headers: { "Set-Cookie": await startSession(outcome.userId, request) } });
}

export default function ResetPassword() {
  const { reset } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult,
    constraint: getZodConstraint(PasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }),
    shouldValidate: "onBlur",
  });
  if (!reset) {
    return (
      <section className="card card--narrow">
        <h1>链接已失效</h1>
        <p>该重设密码链接已过期或已被使用。</p>
        <Link to="/forgot-password">重新申请</Link>
      </section>
    );
  }
  return (
    <section className="card card--narrow">
      <h1>重设登录密码</h1>
      <p>
        {reset.name}（{reset.email}），请设置新的登录密码。设置后，其他设备上的登录将退出。
      </p>
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
        <button type="submit">设置新密码并登录</button>
      </Form>
    </section>
  );
}
