import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { formatShanghai } from "~/domain/shanghai-time.ts";
import { delayedMail, MAIL_DELAYED_AFTER_MS, resendMail } from "~/models/outbox.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "邮件发送情况 · 智能化改造咨询诊断补助申报平台" }];

const ResendSchema = z.object({ intent: z.literal("resend"), id: z.string().trim().min(1).max(40) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const messages = await delayedMail();
  return {
    delayedAfterMinutes: MAIL_DELAYED_AFTER_MS / 60_000,
    messages: messages.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      attempts: m.attempts,
      lastError: m.lastError,
      sending: m.status === "sending",
      createdAt: formatShanghai(m.createdAt),
      nextAttemptAt: formatShanghai(m.nextAttemptAt),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, { roles: ["staff"] });
  const parsed = ResendSchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return data({ message: "请求内容有误，请刷新后重试。", ok: false }, { status: 400 });
  const resent = await resendMail({ id: actor.id, name: actor.name }, parsed.data.id);
  if (!resent) return data({ message: "该邮件正在发送或已发送，无需重新发送。", ok: false }, { status: 409 });
  return { message: "已安排立即重新发送。", ok: true };
}

export default function StaffMail() {
  const { messages, delayedAfterMinutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      <div className="page-head">
        <h1>邮件发送情况</h1>
      </div>
      <p className="small">
        以下为发送失败或等待超过 {delayedAfterMinutes} 分钟仍未发出的邮件。系统会持续自动重试（起初间隔数秒，之后每 15
        分钟一次），不会丢弃；邮件服务器恢复后将自动发出。
      </p>
      {actionData ? (
        <p className={`notice ${actionData.ok ? "notice--success" : "notice--warning"}`} role="status">
          {actionData.message}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="delayed-mail">
          <thead>
            <tr>
              <th>收件人</th>
              <th>主题</th>
              <th>生成时间</th>
              <th className="num">尝试次数</th>
              <th>下次尝试</th>
              <th>最近一次错误</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {messages.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  没有延迟或发送失败的邮件。
                </td>
              </tr>
            ) : (
              messages.map((m) => (
                <tr key={m.id}>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>{m.createdAt}</td>
                  <td className="num">{m.attempts}</td>
                  <td>{m.sending ? "正在发送" : m.nextAttemptAt}</td>
                  <td className="small">{m.lastError ?? "尚未尝试"}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="id" value={m.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="resend"
                        className="button--secondary"
                        disabled={m.sending || navigation.state !== "idle"}
                      >
                        重新发送
                      </button>
                    </Form>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
