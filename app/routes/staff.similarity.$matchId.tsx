import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";

import { ReportViewer } from "~/components/report-viewer.tsx";
import { similarityPhotoUrl } from "~/components/similarity-panel.tsx";
import { formatPercent, segments } from "~/domain/similarity/evidence.ts";
import { PHOTO_DATE_FLAG_LABELS } from "~/domain/similarity/photo.ts";
import { getComparisonHighlights } from "~/models/report-view.server.ts";
import { type ComparisonSide, getMatchComparison } from "~/models/similarity.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "雷同对照 · 智能化改造咨询诊断补助申报平台" }];

/** R-REV-3: one flagged pair side by side, the shared passages highlighted in both full texts. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const comparison = await getMatchComparison(params.matchId ?? "");
  if (!comparison) throw new Response("该比对记录不存在。", { status: 404 });
  if (comparison.kind === "photo") return { comparison };
  const { a, b } = comparison;
  return {
    // R-REV-3: the same passages highlighted in the reports themselves (text PDFs and scans alike).
    originals: await getComparisonHighlights(comparison.matchId),
    comparison: {
      ...comparison,
      a: { ...a, text: undefined, highlights: undefined, segments: segments(a.text, a.highlights) },
      b: { ...b, text: undefined, highlights: undefined, segments: segments(b.text, b.highlights) },
    },
  };
}

const column = {
  whiteSpace: "pre-wrap" as const,
  lineHeight: 1.8,
  maxHeight: "75vh",
  overflowY: "auto" as const,
  fontSize: "0.92rem",
};
const mark = { background: "#ffe58f", padding: "0 1px" };

function SideFacts({ side, label }: { side: ComparisonSide; label: string }) {
  return (
    <dl className="facts small" aria-label={label}>
      <dt>申报编号</dt>
      <dd>
        <strong>{side.number}</strong>（{side.roundName}）
      </dd>
      <dt>服务商</dt>
      <dd>{side.organisationName}</dd>
      <dt>被诊断企业</dt>
      <dd>{side.enterpriseName}</dd>
      <dt>诊断期间</dt>
      <dd>
        {side.contractSignedOn}（合同签订）至 {side.diagnosisCompletedOn}（诊断完成）
      </dd>
      <dt>文件</dt>
      <dd>
        <a href={`/resources/files/${side.fileId}`} target="_blank" rel="noreferrer">
          {side.fileName}
        </a>
      </dd>
    </dl>
  );
}

/** Passages offered as jump targets (the first ones, in the order of report A). */
const JUMP_TARGETS = 40;

function Originals({
  originals,
  a,
  b,
}: {
  originals: NonNullable<Awaited<ReturnType<typeof getComparisonHighlights>>>;
  a: ComparisonSide;
  b: ComparisonSide;
}) {
  const [focus, setFocus] = useState<{ id: string; nonce: number } | null>(null);
  const located = new Set([...originals.a, ...originals.b].map((h) => h.id));
  const targets = Array.from({ length: Math.min(originals.passages, JUMP_TARGETS) }, (_, k) => `p${k}`).filter((id) =>
    located.has(id),
  );
  return (
    <section className="card" aria-labelledby="originals-title" data-testid="comparison-originals">
      <h2 id="originals-title">原件对照</h2>
      <p className="small muted">
        两份报告原件（扫描件为识别出的文字位置），相同段落以黄色标出。点击下列编号，两侧同时跳到该处。
      </p>
      {targets.length > 0 ? (
        <nav aria-label="相同段落" className="actions" style={{ flexWrap: "wrap" }}>
          {targets.map((id, k) => (
            <button
              key={id}
              type="button"
              className="button--secondary button--small"
              aria-pressed={focus?.id === id}
              onClick={() => setFocus({ id, nonce: Date.now() })}
            >
              第 {k + 1} 处
            </button>
          ))}
        </nav>
      ) : null}
      <div style={{ display: "grid", gridTemplateColumns: "minmax(0,1fr) minmax(0,1fr)", gap: "1rem" }}>
        <ReportViewer
          url={`/resources/files/${a.fileId}`}
          title={`A：${a.number} 的诊断报告原件`}
          highlights={originals.a}
          focus={focus}
          testId="original-a"
        />
        <ReportViewer
          url={`/resources/files/${b.fileId}`}
          title={`B：${b.number} 的诊断报告原件`}
          highlights={originals.b}
          focus={focus}
          testId="original-b"
        />
      </div>
    </section>
  );
}

export default function SimilarityComparison() {
  const { comparison, originals } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{comparison.kind === "report" ? "诊断报告对照" : "现场照片对照"}</h1>
        <Link to="/staff/similarity">返回雷同检查</Link>
      </div>
      {comparison.kind === "report" ? (
        <>
          <p>
            <span className={`badge ${comparison.score >= comparison.threshold ? "badge--bad" : ""}`}>
              相似度 {formatPercent(comparison.score)}
            </span>{" "}
            <span className="small muted">
              A 的 {formatPercent(comparison.coverageA)} 内容见于 B，B 的 {formatPercent(comparison.coverageB)} 内容见于
              A；共 {comparison.passageCount} 处相同段落，以黄色标出。标记阈值
              {formatPercent(comparison.threshold)}。
            </span>
          </p>
          <div
            className="grid"
            style={{ display: "grid", gridTemplateColumns: "minmax(0,1fr) minmax(0,1fr)", gap: "1rem" }}
          >
            {(["a", "b"] as const).map((key) => {
              const side = comparison[key];
              return (
                <section
                  key={key}
                  className="card"
                  aria-label={`申报 ${side.number} 的诊断报告`}
                  data-testid={`comparison-${key}`}
                >
                  <h2>
                    {key.toUpperCase()}：{side.number}
                  </h2>
                  <SideFacts side={side} label={`申报 ${side.number}`} />
                  <div style={column} tabIndex={0} translate="no">
                    {side.segments.map((s, i) =>
                      s.highlighted ? (
                        <mark key={i} style={mark} data-testid="shared-passage">
                          {s.text}
                        </mark>
                      ) : (
                        <span key={i}>{s.text}</span>
                      ),
                    )}
                  </div>
                </section>
              );
            })}
          </div>
          {originals ? <Originals originals={originals} a={comparison.a} b={comparison.b} /> : null}
        </>
      ) : (
        <>
          <p>
            <span className="badge badge--bad">同一照片 · 相似度 {formatPercent(comparison.score)}</span>{" "}
            <span className="small muted">感知哈希比对：缩放、重新压缩或轻微裁剪后的同一照片仍会被识别。</span>
          </p>
          <div style={{ display: "grid", gridTemplateColumns: "minmax(0,1fr) minmax(0,1fr)", gap: "1rem" }}>
            {(["a", "b"] as const).map((key) => {
              const side = comparison[key];
              return (
                <section key={key} className="card" aria-label={`申报 ${side.number} 的现场照片`}>
                  <h2>
                    {key.toUpperCase()}：{side.number}
                  </h2>
                  <img
                    src={similarityPhotoUrl(side.fileId)}
                    alt={`申报 ${side.number} 的现场照片`}
                    style={{ width: "100%", maxHeight: "60vh", objectFit: "contain" }}
                  />
                  <SideFacts side={side} label={`申报 ${side.number}`} />
                  <p className="small">
                    拍摄时间（EXIF）：{side.photo.takenAtLocal ?? "无记录"}
                    {side.photo.dateFlag ? (
                      <span className="badge badge--bad">{PHOTO_DATE_FLAG_LABELS[side.photo.dateFlag]}</span>
                    ) : null}
                    {side.photo.latitude !== null && side.photo.longitude !== null ? (
                      <>
                        <br />
                        拍摄地点（EXIF）：北纬 {side.photo.latitude.toFixed(5)}，东经 {side.photo.longitude.toFixed(5)}
                      </>
                    ) : null}
                  </p>
                </section>
              );
            })}
          </div>
        </>
      )}
    </>
  );
}
