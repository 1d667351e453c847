import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { openNotices } from "~/models/public-notice.server.ts";
import { getSessionUser, homeFor } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "网上申报首页 · 智能化改造咨询诊断补助申报平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(homeFor(user));
  return { notices: await openNotices() };
}

export default function Index() {
  const { notices } = useLoaderData<typeof loader>();
  return (
    <>
      {notices.map((n) => (
        <p key={n.code} className="notice notice--info" data-testid="open-notice">
          <Link to={`/notice/${n.code}`}>{n.name} 评审结果公示</Link>（公示至 {n.closes}，北京时间）
        </p>
      ))}
      <section className="hero">
        <h1>智能化改造咨询诊断工程专项资金补助 · 网上申报</h1>
        <p>
          为张店区民营工业制造业企业提供智能化改造“一对一”入户诊断并形成个性化诊断报告的工业互联网服务商，经专家评估达到诊断成效的，
          按 1 万元/家给予奖励，合同金额不足 1 万元的按合同金额奖励。
        </p>
        <div className="actions">
          <Link className="button" to="/register">
            服务商注册
          </Link>
          <Link className="button button--secondary" to="/login">
            登录
          </Link>
        </div>
      </section>
      <h2>申报流程</h2>
      <ol className="steps">
        <li>服务商从名录中选择本单位并注册，上传营业执照，由区工信局审核（注册地须在张店区）。</li>
        <li>按每家被诊断企业分别填报，上传营业执照、签到表、问卷、现场照片、合同、汇总表、诊断报告和真实性承诺书。</li>
        <li>在截止时间前提交；纸质材料一式两份报送区工信局。</li>
        <li>区工信局形式审查，组织专家按评审细则评分（满分 100 分，60 分合格）。</li>
        <li>审核通过后公示，由财政拨付补助资金。</li>
      </ol>
      <h2>联系方式</h2>
      <p>张店区工业和信息化局 两化融合科，电话 2869847。</p>
    </>
  );
}
