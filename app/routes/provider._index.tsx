import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "我的申报 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["provider"] });
  return { organisation: user.organisation };
}

export default function ProviderHome() {
  const { organisation } = useLoaderData<typeof loader>();
  if (!organisation) {
    return (
      <section className="card">
        <h1>我的申报</h1>
        <p className="notice notice--error">该账号未关联服务商单位，请联系区工信局。</p>
      </section>
    );
  }
  return (
    <section className="card">
      <h1>{organisation.name}</h1>
      {organisation.status === "pending" ? (
        <p className="notice notice--info" data-testid="organisation-status">
          注册信息已提交，正在等待区工信局审核营业执照（核验注册地是否在张店区）。审核通过后即可填报申报材料，结果将同时以邮件通知。
        </p>
      ) : organisation.status === "refused" ? (
        <p className="notice notice--error" data-testid="organisation-status">
          注册审核未通过。原因：{organisation.refusalReason}。如有疑问请联系区工信局两化融合科（电话 2869847）。
        </p>
      ) : (
        <>
          <p className="notice notice--success" data-testid="organisation-status">
            贵单位已通过审核，可以填报申报材料。
          </p>
          <div className="empty">
            <p>您还没有申报记录。</p>
            <p className="muted">每家被诊断企业单独填报一份申报，在截止时间前提交。</p>
          </div>
        </>
      )}
    </section>
  );
}
