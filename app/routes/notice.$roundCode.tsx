import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { publicNotice } from "~/models/public-notice.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && "roundName" in data ? `${data.roundName} ` : ""}评审结果公示 · 智能化改造咨询诊断补助申报平台` },
];

const ParamsSchema = z.object({ roundCode: z.string().trim().max(12) });

/**
 * 公示: public, no login. While the notice is open: the passed enterprises, their providers and amounts,
 * the notice period and how to object. Nothing else about an application; a plain page otherwise.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw new Response("没有这个批次的公示。", { status: 404 });
  const notice = await publicNotice(parsed.data.roundCode);
  if (notice.state === "missing") throw new Response("没有这个批次的公示。", { status: 404 });
  return notice;
}

export default function PublicNotice() {
  const notice = useLoaderData<typeof loader>();
  if (notice.state !== "open") {
    return (
      <section className="card card--narrow" data-testid="notice-closed">
        <h1>{notice.roundName} 评审结果公示</h1>
        <p>
          {notice.state === "not_yet" && notice.period
            ? `公示将于 ${notice.period.opens}（北京时间）开始，届时请再访问本页。`
            : notice.state === "closed" && notice.period
              ? `公示期（${notice.period.opens} 至 ${notice.period.closes}，北京时间）已结束。`
              : "本批次的评审结果尚未公示。"}
        </p>
      </section>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>{notice.roundName} 评审结果公示</h1>
      </div>
      <section className="card">
        <p>
          经服务商申报、形式审查和专家评审，以下 {notice.entries.length}{" "}
          家企业的智能化改造咨询诊断项目评审合格，拟予补助，现予公示。
        </p>
        <p>
          <strong>公示期：</strong>
          {notice.period?.opens} 至 {notice.period?.closes}（北京时间）
        </p>
        <div className="table-wrap" tabIndex={0}>
          <table className="table" data-testid="notice-entries">
            <thead>
              <tr>
                <th>序号</th>
                <th>被诊断企业</th>
                <th>诊断服务商</th>
                <th className="num">拟补助金额（元）</th>
                <th>大写金额</th>
              </tr>
            </thead>
            <tbody>
              {notice.entries.length === 0 ? (
                <tr>
                  <td colSpan={5} className="empty">
                    暂无评审合格的企业。
                  </td>
                </tr>
              ) : (
                notice.entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{e.enterpriseName}</td>
                    <td>{e.providerName}</td>
                    <td className="num">{e.amountText}</td>
                    <td>{e.amountCapital}</td>
                  </tr>
                ))
              )}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={3}>合计</td>
                <td className="num">{notice.total.text}</td>
                <td>{notice.total.capital}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>异议方式</h2>
        <p style={{ whiteSpace: "pre-wrap" }} data-testid="notice-objection">
          {notice.objectionText}
        </p>
        <p className="notice-signature" data-testid="notice-signature">
          {notice.authority}
          <br />
          {notice.issuedOn}
        </p>
        <div className="actions">
          <a href={`/resources/notice/${notice.code}/pdf`} download>
            下载公示（PDF）
          </a>
          <a href={`/resources/notice/${notice.code}/docx`} download>
            下载公示（Word）
          </a>
        </div>
      </section>
    </>
  );
}
