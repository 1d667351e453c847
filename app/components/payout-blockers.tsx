/** R-PAY-3: what still blocks payment of each application on its way to being paid (dashboard and payouts page). */
import { PAYOUT_BLOCKERS, type PayoutBlocker } from "~/domain/payout.ts";

export type PayoutBlockerRow = {
  applicationId: string;
  number: string;
  enterpriseName: string;
  providerName: string;
  blockers: PayoutBlocker[];
  reviewsMissing: number;
  batchNumber: string | null;
};

function describe(row: PayoutBlockerRow): string {
  return row.blockers
    .map((b) =>
      b === "reviews_missing" && row.reviewsMissing > 0
        ? `${PAYOUT_BLOCKERS[b]}（缺 ${row.reviewsMissing} 份）`
        : PAYOUT_BLOCKERS[b],
    )
    .join("；");
}

export function PayoutBlockersTable({ rows }: { rows: PayoutBlockerRow[] }) {
  return (
    <div className="table-wrap" tabIndex={0} style={{ maxHeight: 360 }}>
      <table className="table" data-testid="blockers">
        <thead>
          <tr>
            <th>申报编号</th>
            <th>被诊断企业</th>
            <th>服务商</th>
            <th>尚待完成</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={4} className="empty">
                没有待拨付事项。
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.applicationId}>
                <td>{row.number}</td>
                <td>{row.enterpriseName}</td>
                <td>{row.providerName}</td>
                <td>
                  {describe(row)}
                  {row.batchNumber ? `（${row.batchNumber}）` : ""}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
