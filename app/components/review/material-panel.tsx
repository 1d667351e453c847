/**
 * The left column of the review desk: one material at a time (the report in pdf.js with the copy
 * check's matched passages highlighted, R-REV-3), or the copy check itself, and the list of materials.
 */
import { citeVetoEvidence } from "~/components/cite-veto-evidence.ts";
import { ReportViewer } from "~/components/report-viewer.tsx";
import { SimilarityPanel } from "~/components/similarity-panel.tsx";
import { type ApplicationSimilarityView, ocrNotice } from "~/domain/similarity/evidence.ts";

import type { ReportView, ReviewMaterial } from "./types.ts";

/** The left column shows one material or, under this id, the copy check (R-REV-3). */
export const SIMILARITY_VIEW = "similarity";

/** R-REV-3: how many things the copy check asks the expert to look at (flagged reports, photos, unreadable scans). */
export function suspectCount(similarity: ApplicationSimilarityView | null): number {
  if (!similarity) return 0;
  return (
    similarity.reportMatches.filter((m) => m.flagged).length +
    similarity.photoMatches.length +
    (similarity.report.state === "no_text" || similarity.report.state === "failed" ? 1 : 0)
  );
}

export function MaterialPanel({
  materials,
  similarity,
  reportView,
  viewer,
  onView,
  focus,
  onLocate,
  canCite,
}: {
  materials: ReviewMaterial[];
  similarity: ApplicationSimilarityView | null;
  reportView: ReportView;
  /** The material's file id shown, or SIMILARITY_VIEW. */
  viewer: string | null;
  onView: (viewer: string | null) => void;
  /** The matched passage to scroll to in the report. */
  focus: { id: string; nonce: number } | null;
  onLocate: (passageId: string) => void;
  /** Whether the copy check's passages may be cited as veto evidence (the score is still open). */
  canCite: boolean;
}) {
  const viewed = materials.find((m) => m.fileId === viewer) ?? null;
  const viewingReport = !!viewed && viewed.fileId === reportView?.fileId;
  const highlighted = viewingReport && reportView && reportView.highlights.length > 0;
  const ocr = similarity && viewingReport ? ocrNotice(similarity.report) : null;
  const suspect = suspectCount(similarity);
  return (
    <section className="card" style={{ position: "sticky", top: "0.5rem" }}>
      <h2 style={{ marginTop: 0 }}>{viewer === SIMILARITY_VIEW ? "雷同检查" : viewed ? viewed.label : "材料"}</h2>
      {viewer === SIMILARITY_VIEW && similarity ? (
        <div style={{ maxHeight: "75vh", overflowY: "auto" }}>
          <SimilarityPanel
            similarity={similarity}
            onCite={canCite ? (evidence) => void citeVetoEvidence(evidence, { tickVeto: true }) : undefined}
            onLocate={reportView && reportView.highlights.length > 0 ? onLocate : undefined}
          />
        </div>
      ) : viewed ? (
        <div className="preview">
          {ocr ? (
            <p className="notice notice--info small" data-testid="report-ocr">
              {ocr}
            </p>
          ) : null}
          {highlighted ? (
            <p className="small muted" data-testid="report-highlight-note">
              黄色高亮处与其他报告相同（雷同检查）。
              <button type="button" className="link-button" onClick={() => onView(SIMILARITY_VIEW)}>
                查看雷同检查并引用
              </button>
            </p>
          ) : null}
          {viewed.contentType === "application/pdf" ? (
            <ReportViewer
              key={viewed.fileId}
              url={`/resources/files/${viewed.fileId}`}
              title={`材料预览：${viewed.label}`}
              highlights={viewingReport ? reportView?.highlights : undefined}
              focus={viewingReport ? focus : null}
              testId="material-viewer"
            />
          ) : (
            <img alt={viewed.label} data-testid="material-viewer" src={`/resources/files/${viewed.fileId}`} />
          )}
        </div>
      ) : (
        <p className="empty">未上传诊断报告（M8）。</p>
      )}
      <h3>全部材料</h3>
      {similarity ? (
        <p>
          <button
            type="button"
            className="link-button"
            aria-pressed={viewer === SIMILARITY_VIEW}
            onClick={() => onView(SIMILARITY_VIEW)}
          >
            雷同检查{suspect > 0 ? `（${suspect} 项待核查）` : ""}
          </button>
        </p>
      ) : null}
      <ul className="checklist" data-testid="material-list">
        {materials.map((m) => (
          <li key={m.fileId}>
            <button
              type="button"
              className="link-button"
              aria-pressed={m.fileId === viewer}
              onClick={() => onView(m.fileId)}
            >
              {m.label}
            </button>{" "}
            <a className="small" href={`/resources/files/${m.fileId}`} target="_blank" rel="noreferrer">
              新窗口打开
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
