import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { formatFen } from "~/domain/money.ts";
import { providerPayouts } from "~/models/payout-batch-queries.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "补助拨付 · 智能化改造咨询诊断补助申报平台" }];

/** The provider's own passed applications: the amount each earns (R-PAY-1) and where its payment stands. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const payouts = await providerPayouts(user.organisation.id);
  const totalFen = payouts.reduce((sum, p) => sum + p.amountFen, 0);
  const paidFen = payouts.filter((p) => p.paid).reduce((sum, p) => sum + p.amountFen, 0);
  return { organisationName: user.organisation.name, payouts, totalFen, paidFen };
}

export default function ProviderPayouts() {
  const { organisationName, payouts, totalFen, paidFen } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>补助拨付</h1>
        <span className="muted">{organisationName}</span>
      </div>
      <section className="grid">
        <div className="stat card">
          <div className="muted">合格申报</div>
          <strong>{payouts.length}</strong>
        </div>
        <div className="stat card">
          <div className="muted">应拨付合计（元）</div>
          <strong>{formatFen(totalFen)}</strong>
        </div>
        <div className="stat card">
          <div className="muted">已拨付（元）</div>
          <strong>{formatFen(paidFen)}</strong>
        </div>
      </section>
      <p className="muted">
        每家合格企业补助 1 万元，合同金额不足 1 万元的按合同金额补助。补助资金拨付至本单位登记并经核验的收款账户：
        <Link to="/provider/payee">查看或变更收款账户</Link>
      </p>
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th>申报编号</th>
              <th>批次</th>
              <th>被诊断企业</th>
              <th>合同金额（元）</th>
              <th>补助金额（元）</th>
              <th>大写金额</th>
              <th>拨付状态</th>
            </tr>
          </thead>
          <tbody>
            {payouts.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  暂无评审合格并已确认结果的申报。
                </td>
              </tr>
            ) : (
              payouts.map((p) => (
                <tr key={p.id}>
                  <td>{p.number}</td>
                  <td>{p.roundName}</td>
                  <td>{p.enterpriseName}</td>
                  <td>{formatFen(p.contractFen)}</td>
                  <td>{p.amountText}</td>
                  <td>{p.amountCapital}</td>
                  <td>{p.stage}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
