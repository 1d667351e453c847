import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { attemptLogin } from "~/models/user.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { loginEmailField } from "~/utils/form-fields.ts";
import { clientAddress, getSessionUser, homeFor, safeRedirectTo, startSession } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "登录 · 智能化改造咨询诊断补助申报平台" }];

const LoginSchema = z.object({
  email: loginEmailField,
  password: z.string({ error: "请输入密码" }).max(200, "密码过长"),
  redirectTo: z.string().max(2000).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(homeFor(user));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await attemptLogin({ ...submission.value, address: clientAddress(request) });
  if (!result.ok) {
    return data(
      submission.reply({
        hideFields: ["password"],
        ...(result.field ? { fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message] }),
      }),
      { status: 400 },
    );
  }
  const cookie = await startSession(result.userId, request);
  throw redirect(safeRedirectTo(submission.value.redirectTo, homeFor(result)), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <section className="card card--narrow">
      <h1>登录</h1>
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label="登录邮箱"
          inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "username", autoFocus: true }}
          errors={fields.email.errors}
        />
        <Field
          label="密码"
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
          errors={fields.password.errors}
        />
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "正在登录…" : "登录"}
          </button>
          <span className="muted">
            <Link to="/forgot-password">忘记密码</Link>　还没有账号？<Link to="/register">服务商注册</Link>
          </span>
        </div>
      </Form>
    </section>
  );
}
