import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormMessage } from "~/components/forms.tsx";
import { NewPasswordFields } from "~/components/new-password-fields.tsx";
import { acceptInvitation, findValidInvitation } from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { newPasswordFields, passwordsMatch } from "~/utils/form-fields.ts";
import { startSession } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "设置密码 · 智能化改造咨询诊断补助申报平台" }];

const PasswordSchema = z.object(newPasswordFields).refine(...passwordsMatch);

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findValidInvitation(params.token ?? "");
  return { invitation: invitation && { name: invitation.user.name, email: invitation.user.email } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: PasswordSchema });
  if (submission.status !== "success")
    return data(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });
  const outcome = await acceptInvitation(params.token ?? "", submission.value.password);
  if (!outcome.ok || !outcome.userId) {
    return data(submission.reply({ formErrors: ["邀请链接已失效或已被使用，请联系区工信局重新发送。"] }), {
      status: 400,
    });
  }
  throw redirect("/", { headers: { "Set-Cookie": await startSession(outcome.userId, request) } });
}

export default function AcceptInvitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "set-password",
    lastResult,
    constraint: getZodConstraint(PasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }),
    shouldValidate: "onBlur",
  });
  if (!invitation) {
    return (
      <section className="card card--narrow">
        <h1>链接已失效</h1>
        <p>该邀请链接已过期或已被使用。如需帮助，请联系区工信局两化融合科。</p>
        <Link to="/login">前往登录</Link>
      </section>
    );
  }
  return (
    <section className="card card--narrow">
      <h1>设置登录密码</h1>
      <p>
        {invitation.name}（{invitation.email}），请设置您的登录密码。
      </p>
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
        <button type="submit">设置密码并登录</button>
      </Form>
    </section>
  );
}
