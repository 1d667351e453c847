/**
 * R-REV-5 and R-REV-1..4 on the staff application page: the experts assigned to this application, whether
 * each confirmed it has no conflict and how far its review is, with links to the assignment board and the
 * scores.
 */
import { Link } from "@remix-run/react";

export type AssignmentRow = {
  id: string;
  expertName: string;
  assignedAt: string;
  noConflictConfirmedAt: string | null;
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
  reviewStatus: "draft" | "submitted" | null;
};

const REVIEW_STATUS = { draft: "评分中（草稿）", submitted: "已提交评分" } as const;

export function ExpertAssignmentsSection({
  applicationId,
  applicationNumber,
  assignments,
  canAssign,
}: {
  applicationId: string;
  applicationNumber: string;
  assignments: AssignmentRow[];
  canAssign: boolean;
}) {
  const active = assignments.filter((a) => !a.withdrawn);
  const submitted = active.filter((a) => a.reviewStatus === "submitted").length;
  return (
    <section className="card" aria-labelledby="assignments-heading" data-testid="application-assignments">
      <h2 id="assignments-heading" style={{ marginTop: 0 }}>
        专家评审
      </h2>
      {assignments.length === 0 ? (
        <p className="empty">
          尚未分配评审专家。
          {canAssign ? (
            <>
              {" "}
              <Link to={`/staff/assignments?q=${encodeURIComponent(applicationNumber)}`}>去分配评审专家</Link>
            </>
          ) : null}
        </p>
      ) : (
        <>
          <p>
            已分配 {active.length} 位专家，{submitted} 位已提交评分。{" "}
            <Link to={`/staff/results/${applicationId}`}>查看评分与评审结果</Link>
            {" · "}
            <Link to={`/staff/assignments?q=${encodeURIComponent(applicationNumber)}`}>调整专家分配</Link>
          </p>
          <div className="table-wrap" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th>专家</th>
                  <th>分配时间</th>
                  <th>利益冲突确认</th>
                  <th>评分</th>
                </tr>
              </thead>
              <tbody>
                {assignments.map((a) => (
                  <tr key={a.id} className={a.withdrawn ? "muted" : undefined}>
                    <td>{a.expertName}</td>
                    <td>{a.assignedAt}</td>
                    <td>
                      {a.noConflictConfirmedAt
                        ? `已确认无利益冲突（${a.noConflictConfirmedAt}）`
                        : a.withdrawn
                          ? "—"
                          : "待专家确认"}
                    </td>
                    <td>
                      {a.withdrawn
                        ? `已撤回（${a.withdrawnAt ?? ""}${a.withdrawnReason ? `，${a.withdrawnReason}` : ""}）`
                        : a.reviewStatus
                          ? REVIEW_STATUS[a.reviewStatus]
                          : "未开始"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
