/**
 * R-REV-5: the preview of "assign all" — what would be added, which applications stay short of experts,
 * which existing assignments break a declared conflict, and each expert's load afterwards — with the
 * button that applies exactly this plan (its fingerprint) or the link that drops it.
 */
import { Form, Link } from "@remix-run/react";

export type PlanPreviewData = {
  k: number;
  applications: number;
  experts: number;
  /** The first rows of the plan only; `addedApplications` counts them all. */
  added: { applicationId: string; number: string; enterprise: string; provider: string; experts: string[] }[];
  addedApplications: number;
  addedCount: number;
  shortages: { number: string; message: string }[];
  conflicting: { number: string; expert: string; message: string }[];
  loads: { expertId: string; name: string; load: number; added: number }[];
  fingerprint: string;
};

export function PlanPreview({ preview, roundId, busy }: { preview: PlanPreviewData; roundId: string; busy: boolean }) {
  const roundQuery = `?round=${encodeURIComponent(roundId)}`;
  return (
    <section className="card" aria-label="自动分配预览" style={{ marginBottom: "1rem" }}>
      <h2 style={{ marginTop: 0 }}>自动分配预览（每份申报 {preview.k} 位专家）</h2>
      <p>
        待分配申报 {preview.applications} 份，可用专家 {preview.experts} 位；将新增 {preview.addedCount} 项分配。
        已声明回避的专家不会被分配到相关申报，各专家任务数相差不超过 1。
      </p>
      {preview.shortages.length ? (
        <div className="notice notice--warning" role="status">
          <strong>专家不足：</strong>
          <ul>
            {preview.shortages.map((s) => (
              <li key={s.number}>
                {s.number}：{s.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.conflicting.length ? (
        <div className="notice notice--error" role="status">
          <strong>现有分配与回避声明冲突，请撤回：</strong>
          <ul>
            {preview.conflicting.map((c) => (
              <li key={`${c.number}-${c.expert}`}>
                {c.number}：{c.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.added.length ? (
        <div className="table-wrap" tabIndex={0}>
          <table className="table" aria-label="拟新增分配">
            <thead>
              <tr>
                <th>申报编号</th>
                <th>被诊断企业</th>
                <th>服务商</th>
                <th>拟分配专家</th>
              </tr>
            </thead>
            <tbody>
              {preview.added.map((a) => (
                <tr key={a.applicationId}>
                  <td>{a.number}</td>
                  <td>{a.enterprise}</td>
                  <td>{a.provider}</td>
                  <td>{a.experts.join("、")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">没有需要新增的分配。</p>
      )}
      <details>
        <summary>分配后各专家任务数</summary>
        <ul>
          {preview.loads.map((l) => (
            <li key={l.expertId}>
              {l.name}：{l.load} 份{l.added ? `（新增 ${l.added}）` : ""}
            </li>
          ))}
        </ul>
      </details>
      {preview.addedApplications > preview.added.length ? (
        <p className="small muted">
          仅列出前 {preview.added.length} 份申报，另有 {preview.addedApplications - preview.added.length} 份将一并分配。
        </p>
      ) : null}
      <div className="actions">
        <Form method="post" action={roundQuery} className="inline-form">
          <input type="hidden" name="k" value={preview.k} />
          <input type="hidden" name="fingerprint" value={preview.fingerprint} />
          <button type="submit" name="intent" value="apply" disabled={busy || preview.addedCount === 0}>
            确认分配
          </button>
        </Form>
        <Link to={roundQuery}>取消</Link>
      </div>
    </section>
  );
}
