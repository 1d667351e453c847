/**
 * R-REV-4: an application's confirmed review result as the provider sees it — pass/fail, the final
 * score and the reasons — never who reviewed it. Feed it `providerResult(...)` of
 * app/models/review-result.server.ts (null until staff confirm the result).
 */
export type ApplicationResultView = {
  passed: boolean;
  vetoed: boolean;
  finalScore: string;
  reasons: string[];
  confirmedAt: string;
};

export function ApplicationResult({
  result,
  compact = false,
}: {
  result: ApplicationResultView | null;
  compact?: boolean;
}) {
  if (!result) {
    return compact ? null : (
      <p className="small muted" data-testid="application-result">
        评审结果尚未公布。
      </p>
    );
  }
  const badge = result.passed ? (
    <span className="badge badge--verified">合格</span>
  ) : (
    <span className="badge badge--refused">不合格</span>
  );
  // R-REV-3: a vetoed report's score means nothing to the provider: the veto is the result.
  const score = result.vetoed ? (
    <strong data-testid="vetoed">一票否决</strong>
  ) : (
    <>
      最终得分 <strong>{result.finalScore}</strong> 分
    </>
  );
  if (compact) {
    return (
      <div className="small" data-testid="application-result">
        评审结果：{badge} {score}
        {result.reasons.length ? (
          <div className="muted">
            {result.passed ? "说明" : "原因"}：{result.reasons.join("；")}
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <section
      className={`notice ${result.passed ? "notice--success" : "notice--error"}`}
      data-testid="application-result"
    >
      <strong>评审结果：</strong>
      {badge} {score}
      <span className="small muted">（{result.confirmedAt} 确认）</span>
      {result.reasons.length ? (
        <ul style={{ margin: "0.5rem 0 0" }}>
          {result.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
