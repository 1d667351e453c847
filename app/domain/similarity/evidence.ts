/**
 * R-REV-3 (明显雷同、抄袭的，不予通过; "the expert must point to the evidence"): what people are shown of a
 * match, and the evidence text an expert cites for a veto. Plain data, shared by the server (which builds
 * it, app/models/similarity.server.ts) and the browser (app/components/similarity-panel.tsx).
 *
 * What an expert sees of the other application is limited to what the rule needs: the other
 * application's number and the other report's shared passages (with a little context), and the other
 * photo of a photo pair with its capture date. The other application's provider and enterprise names
 * are shown to staff only (`other.organisationName` / `other.enterpriseName` are null for experts).
 */
import { foldForDisplay } from "./normalize.ts";
import { PHOTO_DATE_FLAG_LABELS, type PhotoDateFlag } from "./photo.ts";

export type TextRange = { start: number; end: number };

/** A passage as shown: the matched text with some context on each side. */
export type Excerpt = { before: string; match: string; after: string; truncated: boolean };

export type OtherApplication = {
  applicationId: string;
  number: string;
  /** Staff only. */
  organisationName: string | null;
  /** Staff only. */
  enterpriseName: string | null;
};

export type PassagePair = { mine: Excerpt; theirs: Excerpt; length: number };

export type ReportMatchView = {
  matchId: string;
  kind: "report";
  /** max(coverage): the share of one report found in the other, 0..1 */
  score: number;
  /** Share of this application's report found in the other one. */
  coverageMine: number;
  /** Share of the other report found in this one. */
  coverageTheirs: number;
  flagged: boolean;
  other: OtherApplication;
  /** The round of the other application (experts see it too): a copy may come from an earlier round or
   *  another district's round in the same database. */
  otherRoundName?: string;
  /** Number of shared passages in all. */
  passageCount: number;
  /** The longest shared passages, in this report's order. */
  passages: PassagePair[];
};

export type PhotoView = {
  fileId: string;
  fileName: string;
  /** EXIF capture time, camera wall time "YYYY-MM-DD HH:mm:ss". */
  takenAtLocal: string | null;
  latitude: number | null;
  longitude: number | null;
  dateFlag: PhotoDateFlag;
};

export type PhotoMatchView = {
  matchId: string;
  kind: "photo";
  /** 1 − Hamming distance / 64 */
  score: number;
  flagged: boolean;
  other: OtherApplication;
  mine: PhotoView;
  theirs: PhotoView;
};

export type ReportState = "missing" | "pending" | "ocr" | "done" | "no_text" | "failed";

export type ApplicationSimilarityView = {
  applicationId: string;
  number: string;
  /** The round's flag threshold for reports (0..1). */
  threshold: number;
  /** The claimed diagnosis period: contract signed on … diagnosis (report) completed on (Beijing dates). */
  contractSignedOn: string;
  diagnosisCompletedOn: string;
  report: {
    state: ReportState;
    fileName: string | null;
    pages: number;
    /** How its text was read: the PDF's text layer, OCR of a scan, or both; null until read. */
    method: "text" | "ocr" | "mixed" | null;
    /** Mean OCR confidence (0..1) of the pages read by OCR. */
    ocrConfidence: number | null;
  };
  reportMatches: ReportMatchView[];
  photos: PhotoView[];
  photoMatches: PhotoMatchView[];
  /** Whether the viewer is staff (sees names and the full side-by-side comparison). */
  forStaff: boolean;
};

export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  missing: "未上传诊断报告",
  pending: "正在比对，请稍后刷新",
  ocr: "诊断报告为扫描件，正在进行文字识别（OCR），识别完成后自动比对，请稍后刷新",
  done: "已完成比对",
  no_text: "诊断报告中没有可读取的文字（文字层和文字识别均无结果），系统无法比对，请专家人工核查是否雷同",
  failed: "诊断报告无法读取，系统无法比对，请专家人工核查是否雷同",
};

/** R-REV-3: what an expert is told of a report whose text was read by OCR; null for a text PDF. */
export function ocrNotice(report: ApplicationSimilarityView["report"]): string | null {
  if (report.state !== "done" || (report.method !== "ocr" && report.method !== "mixed")) return null;
  const how =
    report.method === "ocr"
      ? "本报告为扫描件，文字由系统识别（OCR）"
      : "本报告部分页面为扫描件，其文字由系统识别（OCR）";
  const confidence = report.ocrConfidence === null ? "" : `，识别置信度 ${formatPercent(report.ocrConfidence)}`;
  return `${how}${confidence}。比对以识别出的文字为准，个别字词可能识别有误，请对照原件核查。`;
}

/** Shown as a whole percentage, rounded down so that 0.999 never shows as 100%. */
export function formatPercent(share: number): string {
  return `${Math.floor(Math.max(0, Math.min(1, share)) * 100)}%`;
}

/**
 * The text of a range with up to `context` characters on each side (cut at a line break), the matched
 * text cut to `maxMatch` characters.
 */
export function excerpt(stored: string, range: TextRange, context = 40, maxMatch = 400): Excerpt {
  // Text stored before cleaning may carry Kangxi radicals (⾠ for 辰): fold them, offsets unchanged.
  const text = foldForDisplay(stored);
  const start = Math.max(0, Math.min(range.start, text.length));
  const end = Math.max(start, Math.min(range.end, text.length));
  let before = text.slice(Math.max(0, start - context), start);
  const lastBreak = before.lastIndexOf("\n");
  if (lastBreak >= 0) before = before.slice(lastBreak + 1);
  let after = text.slice(end, end + context);
  const firstBreak = after.indexOf("\n");
  if (firstBreak >= 0) after = after.slice(0, firstBreak);
  const whole = text.slice(start, end);
  const truncated = whole.length > maxMatch;
  return { before, match: truncated ? whole.slice(0, maxMatch) : whole, after: truncated ? "" : after, truncated };
}

export type Segment = { text: string; highlighted: boolean };

/** The text cut into plain and highlighted segments (ranges may overlap and come in any order). */
export function segments(stored: string, ranges: readonly TextRange[]): Segment[] {
  const text = foldForDisplay(stored);
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(text.length, r.end) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const r of sorted) {
    if (r.end <= at) continue;
    const start = Math.max(r.start, at);
    if (start > at) out.push({ text: text.slice(at, start), highlighted: false });
    out.push({ text: text.slice(start, r.end), highlighted: true });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), highlighted: false });
  return out;
}

/** A passage for a citation: line breaks and runs of spaces folded, cut to `max` characters. */
function quote(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * R-REV-3: the evidence text an expert cites for a veto, ready to paste: the similarity figure, the
 * other application's number, and a shared passage (the longest) or the photo's capture date.
 */
export function citeEvidence(match: ReportMatchView | PhotoMatchView): string {
  if (match.kind === "report") {
    const longest = [...match.passages].sort((a, b) => b.length - a.length)[0];
    const lines = [
      `本申报的诊断报告与申报编号 ${match.other.number} 的诊断报告明显雷同：相似度 ${formatPercent(match.score)}` +
        `（本报告 ${formatPercent(match.coverageMine)} 的内容见于对方报告，对方报告 ${formatPercent(match.coverageTheirs)} 的内容见于本报告），共 ${match.passageCount} 处相同段落。` +
        (match.otherRoundName ? `对方申报属于“${match.otherRoundName}”。` : ""),
    ];
    if (longest) lines.push(`相同段落示例：“${quote(longest.mine.match)}”`);
    lines.push("（明显雷同、抄袭的，不予通过）");
    return lines.join("\n");
  }
  const taken = match.mine.takenAtLocal ? `，本申报照片拍摄于 ${match.mine.takenAtLocal}` : "";
  const flag = match.mine.dateFlag ? `（${PHOTO_DATE_FLAG_LABELS[match.mine.dateFlag]}）` : "";
  return [
    `本申报的现场照片“${match.mine.fileName}”与申报编号 ${match.other.number} 的现场照片“${match.theirs.fileName}”为同一照片` +
      `（感知哈希相似度 ${formatPercent(match.score)}）${taken}${flag}。`,
    "（明显雷同、抄袭的，不予通过）",
  ].join("\n");
}
