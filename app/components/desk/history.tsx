/** R-LOG-1: the application's whole record, oldest first: who, when, what, why, before and after. */
export type HistoryEntry = {
  id: string;
  at: string;
  actorName: string;
  action: string;
  reason: string | null;
  before: string | null;
  after: string | null;
};

export function HistorySection({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading" style={{ marginTop: 0 }}>
        办理记录
      </h2>
      {entries.length === 0 ? (
        <p className="empty">暂无记录。</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="table" data-testid="history">
            <thead>
              <tr>
                <th>时间（北京时间）</th>
                <th>操作人</th>
                <th>操作</th>
                <th>原因 / 说明</th>
                <th>变更内容</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td style={{ whiteSpace: "nowrap" }}>{e.at}</td>
                  <td>{e.actorName}</td>
                  <td>{e.action}</td>
                  <td style={{ whiteSpace: "pre-line" }}>{e.reason ?? ""}</td>
                  <td>
                    {e.before || e.after ? (
                      <details>
                        <summary className="small">查看</summary>
                        {e.before ? <p className="small">之前：{e.before}</p> : null}
                        {e.after ? <p className="small">之后：{e.after}</p> : null}
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
