import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "评审任务 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  return { name: user.name };
}

export default function ExpertHome() {
  const { name } = useLoaderData<typeof loader>();
  return (
    <section className="card">
      <h1>评审任务</h1>
      <p>{name}，您好。</p>
      <div className="empty">
        <p>目前没有分配给您的评审任务。</p>
        <p className="muted">区工信局分配任务后，您会收到邮件通知。</p>
      </div>
    </section>
  );
}
