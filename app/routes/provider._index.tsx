import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { ApplicationResult } from "~/components/application-result.tsx";
import { asSentence } from "~/domain/labels.ts";
import { formatFen } from "~/domain/money.ts";
import { listOwnApplications } from "~/models/application.server.ts";
import { ownSuspension } from "~/models/provider-standing.server.ts";
import { listOwnConfirmedResults, listOwnResults, type ProviderResult } from "~/models/review-result.server.ts";
import { currentRound } from "~/models/round.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "我的申报 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["provider"] });
  const round = await currentRound();
  const organisation = user.organisation;
  const applications =
    organisation?.status === "verified" && round
      ? await listOwnApplications({ userId: user.id, userName: user.name, organisationId: organisation.id }, round.id)
      : [];
  // R-REV-4: the confirmed result of each application, never the experts' names.
  const results =
    organisation?.status === "verified" && applications.length
      ? await listOwnResults(
          organisation.id,
          applications.map((a) => a.id),
        )
      : new Map<string, ProviderResult | null>();
  return {
    organisation,
    round: round && { name: round.name, isDemo: round.isDemo },
    applications: applications.map((a) => ({
      ...a,
      contractAmount: formatFen(a.contractAmountFen),
      result: results.get(a.id) ?? null,
    })),
    confirmedResults: organisation?.status === "verified" ? await listOwnConfirmedResults(organisation.id) : [],
    // R-ELIG-2: a suspended provider cannot file or submit; it is told why.
    suspension: organisation?.status === "verified" ? await ownSuspension(organisation.id) : null,
  };
}

export default function ProviderHome() {
  const { organisation, round, applications, confirmedResults, suspension } = useLoaderData<typeof loader>();
  const withdrawn = useSearchParams()[0].get("withdrawn");
  if (!organisation) {
    return (
      <section className="card">
        <h1>我的申报</h1>
        <p className="notice notice--error">该账号未关联服务商单位，请联系区工信局。</p>
      </section>
    );
  }
  if (organisation.status !== "verified") {
    return (
      <section className="card">
        <h1>{organisation.name}</h1>
        {organisation.status === "pending" ? (
          <p className="notice notice--info" data-testid="organisation-status">
            注册信息已提交，正在等待区工信局审核营业执照（核验注册地是否在张店区）。审核通过后即可填报申报材料，结果将同时以邮件通知。
          </p>
        ) : (
          <p className="notice notice--error" data-testid="organisation-status">
            注册审核未通过。原因：{asSentence(organisation.refusalReason ?? "")}如有疑问请联系区工信局两化融合科（电话
            2869847）。
          </p>
        )}
      </section>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>我的申报</h1>
        <div className="actions" style={{ marginTop: 0 }}>
          <Link className="button button--secondary" to="/provider/summary">
            汇总表（M7）
          </Link>
          <Link className="button" to="/provider/applications/new">
            新建申报
          </Link>
        </div>
      </div>
      {suspension ? (
        <p className="notice notice--error" data-testid="suspended">
          区工信局已于 {suspension.at} 暂停贵单位的申报资格，原因：{suspension.reason}
          。暂停期间不能新建或提交申报，如有异议请联系区工信局两化融合科（电话 2869847）。
        </p>
      ) : null}
      <p className="notice notice--success" data-testid="organisation-status">
        {organisation.name} 已通过审核，可以填报申报材料。{round ? `当前批次：${round.name}` : ""}
      </p>
      {withdrawn ? (
        <p className="notice notice--success" role="status" data-testid="withdrawn">
          已撤回申报草稿 {withdrawn}，该企业已释放，可由其他服务商申报。
        </p>
      ) : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="table table--cards">
          <thead>
            <tr>
              <th>编号</th>
              <th>被诊断企业</th>
              <th className="num">合同金额（元）</th>
              <th>状态</th>
              <th>尚缺材料</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {applications.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  您还没有申报记录。每家被诊断企业单独填报一份申报，请点击“新建申报”。
                </td>
              </tr>
            ) : (
              applications.map((a) => (
                <tr key={a.id}>
                  <td data-label="编号">{a.number}</td>
                  <td data-label="被诊断企业">{a.enterpriseName}</td>
                  <td data-label="合同金额（元）" className="num">
                    {a.contractAmount}
                  </td>
                  <td data-label="状态">
                    <span className="badge">{a.statusLabel}</span>
                    {a.submittedAt ? <div className="small muted">{a.submittedAt} 提交</div> : null}
                    <ApplicationResult result={a.result} compact />
                  </td>
                  <td data-label="尚缺材料" className="small">
                    {a.status === "draft" ? (a.missing.length ? a.missing.join("；") : "材料已齐全") : "—"}
                  </td>
                  <td className="table__action">
                    <Link to={`/provider/applications/${a.id}`}>{a.status === "draft" ? "继续填写" : "查看"}</Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <section className="card" style={{ marginTop: "1.5rem" }} data-testid="review-results">
        <h2 style={{ marginTop: 0 }}>评审结果</h2>
        {confirmedResults.length === 0 ? (
          <p className="empty">暂无已公布的评审结果。区工信局确认专家评审结果后，将在此显示并以邮件通知。</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th>编号</th>
                  <th>批次</th>
                  <th>被诊断企业</th>
                  <th>评审结果</th>
                </tr>
              </thead>
              <tbody>
                {confirmedResults.map((r) => (
                  <tr key={r.id} data-testid={`provider-result-${r.number}`}>
                    <td>
                      <Link to={`/provider/applications/${r.id}`}>{r.number}</Link>
                    </td>
                    <td>{r.roundName}</td>
                    <td>
                      {r.enterpriseName}
                      <div className="small muted">《{r.reportTitle}》</div>
                    </td>
                    <td>
                      <ApplicationResult result={r.result} compact />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
