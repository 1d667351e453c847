import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { requestPasswordReset } from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { loginEmailField } from "~/utils/form-fields.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "忘记密码 · 智能化改造咨询诊断补助申报平台" }];

const ForgotSchema = z.object({
  email: loginEmailField,
});

/**
 * "忘记密码": mails a single-use link (1 hour) that sets a new password and lifts a sign-in lockout. The
 * answer is the same whether or not the address has an account.
 */
export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: ForgotSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });
  await requestPasswordReset(submission.value);
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <section className="card card--narrow">
      <h1>忘记密码</h1>
      <p className="muted">
        输入登录邮箱，我们会发送一封重设密码的邮件（链接 1
        小时内有效，仅可使用一次）。账号因多次密码错误暂停登录时，重设密码后即可立即登录。
      </p>
      {actionData?.sent ? (
        <FormMessage tone="success" message="如果该邮箱已注册，重设密码的邮件已发出，请查收。" />
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <Field
          label="登录邮箱"
          inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "username" }}
          errors={fields.email.errors}
        />
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            发送重设邮件
          </button>
          <Link to="/login">返回登录</Link>
        </div>
      </Form>
    </section>
  );
}
