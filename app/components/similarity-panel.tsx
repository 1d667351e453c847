/**
 * R-REV-3: the copy check of one application, for staff (on the application page) and for the expert
 * (beside the scoring form). Data: `getApplicationSimilarity(applicationId, viewer)` from
 * app/models/similarity.server.ts, returned by the page's loader.
 *
 * With `onCite`, each match has a "cite as veto evidence" button that hands a ready evidence text to
 * the page (the expert's scoring page passes `citeVetoEvidence` of app/components/cite-veto-evidence.ts,
 * which fills its `#veto-evidence` and ticks the veto). Without it the panel only shows.
 */
import { useState } from "react";

import {
  type ApplicationSimilarityView,
  citeEvidence,
  type Excerpt,
  formatPercent,
  ocrNotice,
  type PhotoMatchView,
  type PhotoView,
  REPORT_STATE_LABELS,
  type ReportMatchView,
} from "~/domain/similarity/evidence.ts";
import { PHOTO_DATE_FLAG_LABELS } from "~/domain/similarity/photo.ts";
import { passageId } from "~/domain/similarity/report-layout.ts";

/** Where a site photo of a pair is served (staff, and experts for their own pairs). */
export function similarityPhotoUrl(fileId: string): string {
  return `/resources/similarity/photos/${fileId}`;
}

/** The full side-by-side comparison of a pair (staff). */
export function similarityComparisonUrl(matchId: string): string {
  return `/staff/similarity/${matchId}`;
}

const styles = {
  match: {
    border: "1px solid var(--gray-100)",
    borderRadius: "var(--radius)",
    padding: "0.75rem",
    marginBottom: "0.75rem",
  },
  matchFlagged: { borderColor: "var(--red)" },
  head: {
    display: "flex",
    gap: "0.75rem",
    alignItems: "baseline",
    flexWrap: "wrap" as const,
    justifyContent: "space-between",
  },
  passages: { width: "100%", tableLayout: "fixed" as const },
  passageCell: { whiteSpace: "pre-wrap" as const, lineHeight: 1.7, fontSize: "0.9rem" },
  mark: { background: "#ffe58f", padding: "0 1px" },
  photos: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))", gap: "0.75rem" },
  pair: { display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0.75rem" },
  img: { width: "100%", maxHeight: 220, objectFit: "contain" as const, background: "var(--gray-50)", borderRadius: 4 },
  figure: { margin: 0 },
};

function Passage({ excerpt, label }: { excerpt: Excerpt; label: string }) {
  return (
    <span aria-label={label}>
      {/* The report's own words (translate="no": the provider's text, not the portal's). */}
      {excerpt.before ? (
        <span className="muted" translate="no">
          …{excerpt.before}
        </span>
      ) : null}
      <mark style={styles.mark} data-testid="shared-passage" translate="no">
        {excerpt.match}
      </mark>
      {excerpt.truncated ? (
        <span className="muted">……（段落较长，已截断）</span>
      ) : excerpt.after ? (
        <span className="muted" translate="no">
          {excerpt.after}…
        </span>
      ) : null}
    </span>
  );
}

function CiteButton({
  onCite,
  evidence,
  label,
}: {
  onCite: (evidence: string) => void;
  evidence: string;
  label: string;
}) {
  const [cited, setCited] = useState(false);
  return (
    <button
      type="button"
      className="button--secondary button--small"
      aria-label={label}
      onClick={() => {
        onCite(evidence);
        setCited(true);
      }}
    >
      {cited ? "已引用，可再次引用" : "引用为否决依据"}
    </button>
  );
}

function OtherLabel({ other, roundName }: { other: ReportMatchView["other"]; roundName?: string }) {
  return (
    <span>
      申报编号 <strong>{other.number}</strong>
      {roundName ? <span data-testid="other-round">（{roundName}）</span> : null}
      {other.organisationName ? (
        <span className="muted">
          （{other.organisationName} · {other.enterpriseName}）
        </span>
      ) : null}
    </span>
  );
}

function ReportMatch({
  match,
  onCite,
  onLocate,
  forStaff,
}: {
  match: ReportMatchView;
  onCite?: (evidence: string) => void;
  /** Shows the passage (by its id) highlighted in the report itself. */
  onLocate?: (passageId: string) => void;
  forStaff: boolean;
}) {
  return (
    <article
      style={{ ...styles.match, ...(match.flagged ? styles.matchFlagged : {}) }}
      data-testid="report-match"
      aria-label={`与 ${match.other.number} 的报告比对`}
    >
      <div style={styles.head}>
        <div>
          <OtherLabel other={match.other} roundName={match.otherRoundName} />{" "}
          <span className={`badge ${match.flagged ? "badge--bad" : ""}`}>
            相似度 {formatPercent(match.score)}
            {match.flagged ? " · 疑似雷同" : " · 未达标记阈值"}
          </span>
        </div>
        <div className="actions" style={{ margin: 0 }}>
          {onCite ? (
            <CiteButton
              onCite={onCite}
              evidence={citeEvidence(match)}
              label={`引用与 ${match.other.number} 的雷同为否决依据`}
            />
          ) : null}
          {forStaff ? (
            <a className="button button--secondary button--small" href={similarityComparisonUrl(match.matchId)}>
              全文对照
            </a>
          ) : null}
        </div>
      </div>
      <p className="small muted">
        本报告 {formatPercent(match.coverageMine)} 的内容见于对方报告，对方报告 {formatPercent(match.coverageTheirs)}{" "}
        的内容见于本报告；共 {match.passageCount} 处相同段落
        {match.passages.length < match.passageCount ? `，以下为最长的 ${match.passages.length} 处` : ""}
        （高亮部分相同）。
      </p>
      <div className="table-wrap" tabIndex={0}>
        <table className="table" style={styles.passages}>
          <thead>
            <tr>
              <th>本报告</th>
              <th>申报编号 {match.other.number} 的报告</th>
            </tr>
          </thead>
          <tbody>
            {match.passages.map((p, i) => (
              <tr key={i}>
                <td style={styles.passageCell}>
                  <Passage excerpt={p.mine} label="本报告中的相同段落" />
                  {onLocate ? (
                    <>
                      {" "}
                      <button
                        type="button"
                        className="link-button small"
                        onClick={() => onLocate(passageId(match.matchId, i))}
                      >
                        在报告中查看
                      </button>
                    </>
                  ) : null}
                </td>
                <td style={styles.passageCell}>
                  <Passage excerpt={p.theirs} label="对方报告中的相同段落" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

function ExifFacts({
  photo,
  period,
}: {
  photo: PhotoView;
  period: { contractSignedOn: string; diagnosisCompletedOn: string } | null;
}) {
  return (
    <div className="small">
      <div>
        拍摄时间（EXIF）：{photo.takenAtLocal ?? <span className="muted">无记录</span>}
        {photo.dateFlag ? (
          <>
            {" "}
            <span className="badge badge--bad" data-testid="photo-date-flag">
              {PHOTO_DATE_FLAG_LABELS[photo.dateFlag]}
            </span>
          </>
        ) : null}
      </div>
      {photo.latitude !== null && photo.longitude !== null ? (
        <div>
          拍摄地点（EXIF）：北纬 {photo.latitude.toFixed(5)}，东经 {photo.longitude.toFixed(5)}
        </div>
      ) : null}
      {period ? (
        <div className="muted">
          申报的诊断期间：{period.contractSignedOn}（合同签订）至 {period.diagnosisCompletedOn}（诊断完成）
        </div>
      ) : null}
    </div>
  );
}

function PhotoMatch({
  match,
  onCite,
  forStaff,
}: {
  match: PhotoMatchView;
  onCite?: (evidence: string) => void;
  forStaff: boolean;
}) {
  return (
    <article
      style={{ ...styles.match, ...styles.matchFlagged }}
      data-testid="photo-match"
      aria-label={`与 ${match.other.number} 的照片比对`}
    >
      <div style={styles.head}>
        <div>
          <OtherLabel other={match.other} />{" "}
          <span className="badge badge--bad">同一照片 · 相似度 {formatPercent(match.score)}</span>
        </div>
        <div className="actions" style={{ margin: 0 }}>
          {onCite ? (
            <CiteButton
              onCite={onCite}
              evidence={citeEvidence(match)}
              label={`引用与 ${match.other.number} 的照片重复为否决依据`}
            />
          ) : null}
          {forStaff ? (
            <a className="button button--secondary button--small" href={similarityComparisonUrl(match.matchId)}>
              对照查看
            </a>
          ) : null}
        </div>
      </div>
      <div style={styles.pair}>
        <figure style={styles.figure}>
          <img
            style={styles.img}
            src={similarityPhotoUrl(match.mine.fileId)}
            alt={`本申报照片 ${match.mine.fileName}`}
            loading="lazy"
          />
          <figcaption>
            <div>本申报：{match.mine.fileName}</div>
            <ExifFacts photo={match.mine} period={null} />
          </figcaption>
        </figure>
        <figure style={styles.figure}>
          <img
            style={styles.img}
            src={similarityPhotoUrl(match.theirs.fileId)}
            alt={`申报编号 ${match.other.number} 的照片 ${match.theirs.fileName}`}
            loading="lazy"
          />
          <figcaption>
            <div>
              申报编号 {match.other.number}：{match.theirs.fileName}
            </div>
            <ExifFacts photo={match.theirs} period={null} />
          </figcaption>
        </figure>
      </div>
    </article>
  );
}

export function SimilarityPanel({
  similarity,
  onCite,
  onLocate,
}: {
  similarity: ApplicationSimilarityView;
  onCite?: (evidence: string) => void;
  onLocate?: (passageId: string) => void;
}) {
  const { report, forStaff } = similarity;
  const flaggedReports = similarity.reportMatches.filter((m) => m.flagged).length;
  const period = {
    contractSignedOn: similarity.contractSignedOn,
    diagnosisCompletedOn: similarity.diagnosisCompletedOn,
  };
  const datedFlags = similarity.photos.filter((p) => p.dateFlag).length;
  return (
    <section className="card" aria-labelledby="similarity-title" data-testid="similarity-panel">
      <h2 id="similarity-title">雷同检查</h2>
      <p className="small muted">
        系统将本申报的诊断报告与本批次及往期所有报告比对，并比对现场照片。明显雷同、抄袭的，不予通过（一票否决），请以下列证据为依据。当前标记阈值：相似度
        ≥ {formatPercent(similarity.threshold)}。
      </p>

      <h3>诊断报告</h3>
      {report.state === "no_text" || report.state === "failed" ? (
        <div className="notice notice--warning" role="status" data-testid="report-no-text">
          <strong>{report.state === "no_text" ? "无文字层" : "无法读取"}</strong>：{REPORT_STATE_LABELS[report.state]}
          {report.fileName ? `（${report.fileName}${report.pages ? `，${report.pages} 页` : ""}）` : ""}。
        </div>
      ) : report.state !== "done" ? (
        <div className="notice notice--info" role="status">
          {REPORT_STATE_LABELS[report.state]}
        </div>
      ) : null}
      {ocrNotice(report) ? (
        <div className="notice notice--info" role="status" data-testid="report-ocr">
          <strong>文字识别</strong>：{ocrNotice(report)}
        </div>
      ) : null}
      {report.state !== "done" ? null : similarity.reportMatches.length === 0 ? (
        <p className="empty">未发现与其他报告相似的内容。</p>
      ) : (
        <>
          <p>
            {flaggedReports > 0 ? (
              <span className="badge badge--bad">{flaggedReports} 份报告疑似雷同</span>
            ) : (
              <span className="badge badge--ok">没有达到标记阈值的相似报告</span>
            )}{" "}
            <span className="small muted">以下为最相近的 {similarity.reportMatches.length} 份报告。</span>
          </p>
          {similarity.reportMatches.map((match) => (
            <ReportMatch key={match.matchId} match={match} onCite={onCite} onLocate={onLocate} forStaff={forStaff} />
          ))}
        </>
      )}

      <h3>现场照片</h3>
      {similarity.photoMatches.length > 0 ? (
        similarity.photoMatches.map((match) => (
          <PhotoMatch key={match.matchId} match={match} onCite={onCite} forStaff={forStaff} />
        ))
      ) : (
        <p className="small muted">未发现与其他申报重复的现场照片。</p>
      )}
      {similarity.photos.length > 0 ? (
        <>
          <p className="small">
            拍摄时间与申报的诊断期间（{period.contractSignedOn} 至 {period.diagnosisCompletedOn}）对照
            {datedFlags > 0 ? (
              <span className="badge badge--bad">{datedFlags} 张照片拍摄时间不在诊断期间内</span>
            ) : null}
            ：
          </p>
          <div style={styles.photos}>
            {similarity.photos.map((photo) => (
              <figure key={photo.fileId} style={styles.figure} data-testid="site-photo">
                <img
                  style={styles.img}
                  src={similarityPhotoUrl(photo.fileId)}
                  alt={`现场照片 ${photo.fileName}`}
                  loading="lazy"
                />
                <figcaption>
                  <div>{photo.fileName}</div>
                  <ExifFacts photo={photo} period={null} />
                </figcaption>
              </figure>
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
