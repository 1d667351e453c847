/** R-REV-5: each expert's number of assignments in the round (and declared conflicts), linked to the expert. */
import { Link } from "@remix-run/react";

export type ExpertLoad = { id: string; name: string; load: number; conflicts: number };

export function ExpertLoads({ experts }: { experts: ExpertLoad[] }) {
  return (
    <section className="card" style={{ marginTop: "1rem" }}>
      <h2 style={{ marginTop: 0 }}>专家任务数</h2>
      <table className="table" aria-label="专家任务数">
        <thead>
          <tr>
            <th>专家</th>
            <th>本批次任务</th>
          </tr>
        </thead>
        <tbody>
          {experts.length === 0 ? (
            <tr>
              <td colSpan={2} className="empty">
                专家库为空，请先<Link to="/staff/experts">邀请专家</Link>。
              </td>
            </tr>
          ) : (
            experts.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/staff/experts/${e.id}`}>{e.name}</Link>
                  {e.conflicts ? <span className="small muted">（回避 {e.conflicts}）</span> : null}
                </td>
                <td>{e.load}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
