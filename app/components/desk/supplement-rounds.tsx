/**
 * Every round trip of the supplement loop (补正): each notice as it was sent (一次性告知) with its
 * deadline, and what changed since the return: for each named material the file(s) staff returned and
 * the replacement(s), side by side.
 */
import { FilePreview, type PreviewFile } from "./file-preview.tsx";

export type NoticeView = {
  id: string;
  cycle: number;
  items: { material: string; name: string; reason: string }[];
  dueAt: string;
  issuedAt: string;
  resubmittedAt: string | null;
  changes: {
    material: string;
    name: string;
    reason: string;
    before: PreviewFile[];
    after: PreviewFile[];
    kept: PreviewFile[];
  }[];
};

export function SupplementRoundsSection({ notices }: { notices: NoticeView[] }) {
  if (notices.length === 0) return null;
  return (
    <section className="card" aria-labelledby="supplement-heading">
      <h2 id="supplement-heading" style={{ marginTop: 0 }}>
        补正记录
      </h2>
      {notices.map((n) => (
        <article key={n.id} data-testid={`notice-${n.cycle}`} style={{ marginBottom: "1.5rem" }}>
          <h3>
            第 {n.cycle} 轮审查退回补正 · {n.issuedAt} · 截止 {n.dueAt}
            {n.resubmittedAt ? (
              <span className="badge badge--verified"> 已于 {n.resubmittedAt} 重新提交</span>
            ) : (
              <span className="badge badge--pending"> 等待补正</span>
            )}
          </h3>
          <ol>
            {n.items.map((item) => (
              <li key={item.material}>
                {item.material === "general" ? item.name : `${item.material} ${item.name}`}：{item.reason}
              </li>
            ))}
          </ol>
          {n.changes.map((c) => (
            <div key={c.material} data-testid={`changes-${n.cycle}-${c.material}`}>
              <h4>
                {c.material} {c.name}：{c.after.length > 0 ? "已更换" : "尚未更换"}
              </h4>
              <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "1rem" }}>
                <div data-testid="old-files">
                  <p className="small">
                    <strong>退回时的文件（旧）</strong>
                  </p>
                  {c.before.length === 0 ? (
                    <p className="empty">无</p>
                  ) : (
                    c.before.map((f) => <FilePreview key={f.fileId} file={f} height={280} />)
                  )}
                </div>
                <div data-testid="new-files">
                  <p className="small">
                    <strong>更换后的文件（新）</strong>
                  </p>
                  {c.after.length === 0 ? (
                    <p className="empty">无新文件</p>
                  ) : (
                    c.after.map((f) => <FilePreview key={f.fileId} file={f} height={280} />)
                  )}
                  {c.kept.length > 0 ? <p className="small muted">另保留原文件 {c.kept.length} 个。</p> : null}
                </div>
              </div>
            </div>
          ))}
        </article>
      ))}
    </section>
  );
}
