/**
 * The expert's review desk (R-REV-1..5): the application's facts, the copy check's alert (R-REV-3), the
 * materials beside the scoring form, or the submitted score once it is final.
 */
import { Link } from "@remix-run/react";
import { useState } from "react";

import { MaterialPanel, SIMILARITY_VIEW, suspectCount } from "./material-panel.tsx";
import { ScoringForm } from "./scoring-form.tsx";
import { SubmittedReview } from "./submitted-review.tsx";
import type { ReviewDeskData } from "./types.ts";

export function ReviewDesk({ data: d }: { data: ReviewDeskData }) {
  const [viewer, setViewer] = useState<string | null>(d.reportFileId);
  const [focus, setFocus] = useState<{ id: string; nonce: number } | null>(null);
  const locate = (id: string) => {
    setViewer(d.reportFileId);
    setFocus({ id, nonce: Date.now() });
  };
  const suspect = suspectCount(d.similarity);
  const canCite = d.review.status !== "submitted" && !d.closed && !d.frozen;
  return (
    <>
      <div className="page-head">
        <h1>诊断报告评分 · {d.summary.number}</h1>
        <Link to="/expert">返回评审任务</Link>
      </div>
      <p className="small muted">
        《{d.summary.reportTitle}》 · 服务商：{d.summary.providerName} · 被诊断企业：{d.summary.enterpriseName} ·
        合同签订 {d.facts.contractSignedOn}，诊断完成 {d.facts.diagnosisCompletedOn}
        {d.facts.completionLate ? <strong>（晚于 20 个工作日期限 {d.facts.diagnosisDueOn}）</strong> : null}
      </p>
      {suspect > 0 && viewer !== SIMILARITY_VIEW ? (
        <p className="notice notice--warning" data-testid="similarity-alert">
          雷同检查发现 {suspect} 项需要核查的情况（疑似雷同的报告、重复的照片或无法比对的扫描件）。{" "}
          <button type="button" className="link-button" onClick={() => setViewer(SIMILARITY_VIEW)}>
            查看雷同检查
          </button>
        </p>
      ) : null}
      <div className="two-col" style={{ gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", alignItems: "start" }}>
        <MaterialPanel
          materials={d.materials}
          similarity={d.similarity}
          reportView={d.reportView}
          viewer={viewer}
          onView={setViewer}
          focus={focus}
          onLocate={locate}
          canCite={canCite}
        />
        <section className="card">
          {d.review.status === "submitted" ? <SubmittedReview data={d} /> : <ScoringForm data={d} />}
        </section>
      </div>
    </>
  );
}
