import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";

import { citeVetoEvidence } from "~/components/cite-veto-evidence.ts";
import { ErrorList, FormMessage } from "~/components/forms.tsx";
import { ReportViewer } from "~/components/report-viewer.tsx";
import { SimilarityPanel } from "~/components/similarity-panel.tsx";
import { isMaterialId, isPhotoTag, MATERIALS, PHOTO_TAGS } from "~/domain/materials.ts";
import {
  RUBRIC_DEDUCTION,
  RUBRIC_DEDUCTION_OR_VETO_HEADING,
  RUBRIC_MATERIALS,
  RUBRIC_MAX_TOTAL,
  RUBRIC_PASS_JUDGEMENT,
  RUBRIC_SECTION_LIST,
  RUBRIC_TITLE,
  RUBRIC_VETO,
  type RubricSectionKey,
} from "~/domain/rubric.ts";
import {
  expertTotal,
  type ReviewErrors,
  type ReviewField,
  type ReviewInput,
  runningTotal,
  validateReview,
} from "~/domain/scoring.ts";
import { countdown, formatShanghai } from "~/domain/shanghai-time.ts";
import { ocrNotice } from "~/domain/similarity/evidence.ts";
import { getReportHighlights } from "~/models/report-view.server.ts";
import {
  confirmNoConflict,
  declareConflict,
  getOwnAssignment,
  reviewForForm,
  saveReview,
} from "~/models/review.server.ts";
import { getApplicationSimilarity } from "~/models/similarity.server.ts";
import { now } from "~/utils/clock.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters, versionField } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "诊断报告评分 · 智能化改造咨询诊断补助申报平台" }];

/** A score as typed: empty is "not scored yet"; anything else is a number (NaN is refused by the domain, at the field). */
const scoreField = z
  .string()
  .optional()
  .transform((value) => {
    const trimmed = (value ?? "").trim().replace("，", ".").replace("。", ".");
    return trimmed === "" ? null : Number(trimmed);
  });
const textField = z.string().max(2000, "不超过 2000 字").optional();

const ScoresSchema = z.object({
  intent: z.enum(["save", "submit"]),
  version: versionField,
  materialsComplete: z.enum(["yes", "no"]).optional(),
  materialsNote: textField,
  "sections.basics.score": scoreField,
  "sections.basics.comment": textField,
  "sections.recommendations.score": scoreField,
  "sections.recommendations.comment": textField,
  "sections.estimates.score": scoreField,
  "sections.estimates.comment": textField,
  deduction: z.literal("on").optional(),
  deductionReason: textField,
  veto: z.literal("on").optional(),
  vetoEvidence: textField,
});

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("confirm-no-conflict"),
    noConflict: z.literal("on", { error: "请勾选确认与服务商、被诊断企业均不存在利益冲突" }),
  }),
  z.object({
    intent: z.literal("declare-conflict"),
    kind: z.enum(["provider", "enterprise"], { error: "请选择与哪一方存在利益冲突" }),
    reason: z
      .string({ error: "请说明利益冲突的情况" })
      .trim()
      .min(4, "请说明利益冲突的情况（至少 4 个字）")
      .max(500, "不超过 500 字")
      .superRefine(refuseHostileCharacters("说明", { multiline: true })),
  }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  const assignment = await getOwnAssignment(user.id, params.assignmentId ?? "");
  // R-REV-5: another expert's (or a withdrawn) assignment does not exist for this expert.
  if (!assignment) throw new Response("评审任务不存在或未分配给您。", { status: 404 });
  const { application } = assignment;
  const summary = {
    id: assignment.id,
    number: application.number,
    reportTitle: application.reportTitle,
    providerName: application.organisation.name,
    enterpriseName: application.enterprise.name,
    roundName: application.round.name,
  };
  if (!assignment.noConflictConfirmedAt) return { stage: "conflict" as const, summary };
  const at = now();
  const deadline = application.round.reviewDeadline;
  const form = reviewForForm(assignment);
  const materials = application.materials.map((m) => ({
    fileId: m.file.id,
    fileName: m.file.fileName,
    contentType: m.file.contentType,
    material: m.material,
    label: `${m.material} ${isMaterialId(m.material) ? MATERIALS[m.material].name : ""}${m.photoTag && isPhotoTag(m.photoTag) ? `（${PHOTO_TAGS[m.photoTag]}）` : ""}`,
  }));
  // R-REV-3: the copy check, as an expert may see it (the other application's number and passages only).
  const similarity = await getApplicationSimilarity(application.id, { role: "expert", userId: user.id });
  // …and the matched passages highlighted in the report itself.
  const reportView = await getReportHighlights(application.id, { role: "expert", userId: user.id });
  return {
    stage: "review" as const,
    similarity,
    reportView,
    summary,
    facts: {
      contractSignedOn: application.contractSignedOn,
      diagnosisCompletedOn: application.diagnosisCompletedOn,
      diagnosisDueOn: application.diagnosisDueOn,
      completionLate: application.completionLate,
    },
    materials,
    reportFileId: materials.find((m) => m.material === "M8")?.fileId ?? null,
    review: form,
    reviewId: assignment.review?.id ?? null,
    reopenReason: assignment.review?.status === "draft" ? (assignment.review.reopenReason ?? null) : null,
    submittedAt: assignment.review?.submittedAt ? formatShanghai(assignment.review.submittedAt) : null,
    allowHalfPoints: application.round.allowHalfPoints,
    deadline: deadline ? formatShanghai(deadline) : null,
    countdown: deadline ? countdown(at, deadline).text : null,
    closed: deadline ? at.getTime() > deadline.getTime() : false,
    frozen: application.resultConfirmedAt !== null,
  };
}

function toInput(value: z.infer<typeof ScoresSchema>): ReviewInput {
  const section = (key: RubricSectionKey) => ({
    score: value[`sections.${key}.score`],
    comment: value[`sections.${key}.comment`] ?? "",
  });
  return {
    materialsComplete: value.materialsComplete === undefined ? null : value.materialsComplete === "yes",
    materialsNote: value.materialsNote ?? "",
    sections: {
      basics: section("basics"),
      recommendations: section("recommendations"),
      estimates: section("estimates"),
    },
    deduction: value.deduction === "on",
    deductionReason: value.deductionReason ?? "",
    veto: value.veto === "on",
    vetoEvidence: value.vetoEvidence ?? "",
  };
}

type SaveReply =
  | { ok: true; version: number; status: "draft" | "submitted"; savedAt: string; intent: "save" | "submit" }
  | { ok: false; errors?: ReviewErrors; message?: string; conflict?: boolean; intent: "save" | "submit" };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  const assignmentId = params.assignmentId ?? "";
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const actor = { id: user.id, name: user.name };

  if (intent === "save" || intent === "submit") {
    const parsed = ScoresSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const errors: ReviewErrors = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        if (isReviewField(field)) errors[field] = [issue.message];
      }
      return data<SaveReply>(
        {
          ok: false,
          intent,
          errors,
          message: Object.keys(errors).length ? undefined : "提交的内容无法识别，请刷新页面后重试。",
        },
        { status: 400 },
      );
    }
    const outcome = await saveReview(actor, assignmentId, {
      input: toInput(parsed.data),
      version: parsed.data.version,
      mode: intent === "submit" ? "submit" : "draft",
    });
    if (!outcome.ok) {
      if (outcome.status === 404) throw new Response(outcome.message, { status: 404 });
      const message =
        outcome.message ??
        (intent === "submit"
          ? "评分未提交：请按标示修改后再提交。已保存的草稿不变。"
          : "草稿未保存：请按标示修改。已保存的草稿不变。");
      return data<SaveReply>(
        { ok: false, intent, errors: outcome.errors, message, conflict: outcome.conflict },
        { status: outcome.status },
      );
    }
    return data<SaveReply>({
      ok: true,
      intent,
      version: outcome.version,
      status: outcome.status,
      savedAt: outcome.savedAt,
    });
  }

  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors: ConflictErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field === "noConflict" || field === "kind" || field === "reason" ? field : "form"] = [issue.message];
    }
    return data<{ conflictErrors: ConflictErrors }>({ conflictErrors: fieldErrors }, { status: 400 });
  }
  if (parsed.data.intent === "confirm-no-conflict") {
    const outcome = await confirmNoConflict(actor, assignmentId);
    if (!outcome.ok) throw new Response(outcome.message, { status: outcome.status });
    throw redirect(`/expert/reviews/${assignmentId}`);
  }
  const outcome = await declareConflict(actor, assignmentId, { kind: parsed.data.kind, reason: parsed.data.reason });
  if (!outcome.ok) {
    if (outcome.status === 404) throw new Response(outcome.message, { status: 404 });
    return data<{ conflictErrors: ConflictErrors }>({ conflictErrors: { form: [outcome.message] } }, { status: 409 });
  }
  throw redirect("/expert?handedBack=1");
}

type ConflictErrors = Partial<Record<"form" | "noConflict" | "kind" | "reason", string[]>>;

const REVIEW_FIELDS: readonly ReviewField[] = [
  "materialsComplete",
  "materialsNote",
  "sections.basics.score",
  "sections.basics.comment",
  "sections.recommendations.score",
  "sections.recommendations.comment",
  "sections.estimates.score",
  "sections.estimates.comment",
  "deductionReason",
  "vetoEvidence",
];
function isReviewField(value: string): value is ReviewField {
  return REVIEW_FIELDS.some((field) => field === value);
}

/** Autosaves do not reload the page (the form is the truth while the expert types); submitting does. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  if (formData?.get("intent") === "save") return false;
  return defaultShouldRevalidate;
};

export default function ExpertReview() {
  const loaderData = useLoaderData<typeof loader>();
  if (loaderData.stage === "conflict") return <ConflictCheck summary={loaderData.summary} />;
  return <ReviewDesk key={loaderData.review.status} data={loaderData} />;
}

type Summary = {
  id: string;
  number: string;
  reportTitle: string;
  providerName: string;
  enterpriseName: string;
  roundName: string;
};

function ConflictCheck({ summary }: { summary: Summary }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: ConflictErrors = actionData && "conflictErrors" in actionData ? actionData.conflictErrors : {};
  const busy = navigation.state === "submitting";
  return (
    <>
      <div className="page-head">
        <h1>回避确认 · {summary.number}</h1>
        <Link to="/expert">返回评审任务</Link>
      </div>
      <section className="card">
        <p>打开诊断报告前，请确认您与以下服务商、被诊断企业不存在利益冲突（如任职、持股、近三年合作、亲属关系等）。</p>
        <dl className="facts">
          <dt>诊断报告</dt>
          <dd>《{summary.reportTitle}》</dd>
          <dt>服务商</dt>
          <dd data-testid="conflict-provider">{summary.providerName}</dd>
          <dt>被诊断企业</dt>
          <dd data-testid="conflict-enterprise">{summary.enterpriseName}</dd>
        </dl>
        <FormMessage message={errors.form?.[0]} />
        <Form method="post" style={{ marginTop: "1rem" }}>
          <div className="field field--checkbox">
            <input
              type="checkbox"
              id="noConflict"
              name="noConflict"
              aria-invalid={errors.noConflict ? true : undefined}
              aria-describedby={errors.noConflict ? "noConflict-error" : undefined}
            />
            <label htmlFor="noConflict">本人与上述服务商、被诊断企业均不存在利益冲突</label>
            <ErrorList id="noConflict-error" errors={errors.noConflict} />
          </div>
          <button type="submit" name="intent" value="confirm-no-conflict" disabled={busy}>
            确认无利益冲突，开始评审
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>申报回避</h2>
        <p className="small muted">
          如存在利益冲突，请在此申报。该任务将退回区工信局重新分配，您今后也不会再被分配到该单位的申报。
        </p>
        <Form method="post">
          <fieldset className="field">
            <legend>与哪一方存在利益冲突</legend>
            <label>
              <input type="radio" name="kind" value="provider" /> 服务商：{summary.providerName}
            </label>
            <br />
            <label>
              <input type="radio" name="kind" value="enterprise" /> 被诊断企业：{summary.enterpriseName}
            </label>
            <ErrorList id="kind-error" errors={errors.kind} />
          </fieldset>
          <div className="field">
            <label htmlFor="conflict-reason">利益冲突情况说明</label>
            <textarea
              id="conflict-reason"
              name="reason"
              rows={3}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "conflict-reason-error" : undefined}
            />
            <ErrorList id="conflict-reason-error" errors={errors.reason} />
          </div>
          <button type="submit" name="intent" value="declare-conflict" className="button--danger" disabled={busy}>
            申报回避并退回任务
          </button>
        </Form>
      </section>
    </>
  );
}

type ReviewData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { stage: "review" }>;

function scoreText(score: number | null | undefined): string {
  return score == null ? "" : String(score);
}

/** The form's current values as the domain reads them (the same parsing as the server's, minus zod). */
function readForm(form: HTMLFormElement): ReviewInput {
  const fd = new FormData(form);
  const str = (name: string) => {
    const v = fd.get(name);
    return typeof v === "string" ? v : "";
  };
  const score = (name: string) => {
    const trimmed = str(name).trim().replace("，", ".").replace("。", ".");
    return trimmed === "" ? null : Number(trimmed);
  };
  const materials = str("materialsComplete");
  return {
    materialsComplete: materials === "" ? null : materials === "yes",
    materialsNote: str("materialsNote"),
    sections: {
      basics: { score: score("sections.basics.score"), comment: str("sections.basics.comment") },
      recommendations: {
        score: score("sections.recommendations.score"),
        comment: str("sections.recommendations.comment"),
      },
      estimates: { score: score("sections.estimates.score"), comment: str("sections.estimates.comment") },
    },
    deduction: fd.get("deduction") === "on",
    deductionReason: str("deductionReason"),
    veto: fd.get("veto") === "on",
    vetoEvidence: str("vetoEvidence"),
  };
}

const AUTOSAVE_DELAY_MS = 1200;

/** The left column shows one material or, under this id, the copy check (R-REV-3). */
const SIMILARITY_VIEW = "similarity";

function ReviewDesk({ data: d }: { data: ReviewData }) {
  const [viewer, setViewer] = useState<string | null>(d.reportFileId);
  const [focus, setFocus] = useState<{ id: string; nonce: number } | null>(null);
  const viewed = d.materials.find((m) => m.fileId === viewer) ?? null;
  const similarity = d.similarity;
  const viewingReport = !!viewed && viewed.fileId === d.reportView?.fileId;
  const ocr = similarity && viewingReport ? ocrNotice(similarity.report) : null;
  const locate = (id: string) => {
    setViewer(d.reportFileId);
    setFocus({ id, nonce: Date.now() });
  };
  const suspect = similarity
    ? similarity.reportMatches.filter((m) => m.flagged).length +
      similarity.photoMatches.length +
      (similarity.report.state === "no_text" || similarity.report.state === "failed" ? 1 : 0)
    : 0;
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
      {similarity && suspect > 0 && viewer !== SIMILARITY_VIEW ? (
        <p className="notice notice--warning" data-testid="similarity-alert">
          雷同检查发现 {suspect} 项需要核查的情况（疑似雷同的报告、重复的照片或无法比对的扫描件）。{" "}
          <button type="button" className="link-button" onClick={() => setViewer(SIMILARITY_VIEW)}>
            查看雷同检查
          </button>
        </p>
      ) : null}
      <div className="two-col" style={{ gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", alignItems: "start" }}>
        <section className="card" style={{ position: "sticky", top: "0.5rem" }}>
          <h2 style={{ marginTop: 0 }}>{viewer === SIMILARITY_VIEW ? "雷同检查" : viewed ? viewed.label : "材料"}</h2>
          {viewer === SIMILARITY_VIEW && similarity ? (
            <div style={{ maxHeight: "75vh", overflowY: "auto" }}>
              <SimilarityPanel
                similarity={similarity}
                onCite={canCite ? (evidence) => void citeVetoEvidence(evidence, { tickVeto: true }) : undefined}
                onLocate={d.reportView && d.reportView.highlights.length > 0 ? locate : undefined}
              />
            </div>
          ) : viewed ? (
            <div className="preview">
              {ocr ? (
                <p className="notice notice--info small" data-testid="report-ocr">
                  {ocr}
                </p>
              ) : null}
              {viewingReport && d.reportView && d.reportView.highlights.length > 0 ? (
                <p className="small muted" data-testid="report-highlight-note">
                  黄色高亮处与其他报告相同（雷同检查）。
                  <button type="button" className="link-button" onClick={() => setViewer(SIMILARITY_VIEW)}>
                    查看雷同检查并引用
                  </button>
                </p>
              ) : null}
              {viewed.contentType === "application/pdf" ? (
                <ReportViewer
                  key={viewed.fileId}
                  url={`/resources/files/${viewed.fileId}`}
                  title={`材料预览：${viewed.label}`}
                  highlights={viewingReport ? d.reportView?.highlights : undefined}
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
                onClick={() => setViewer(SIMILARITY_VIEW)}
              >
                雷同检查{suspect > 0 ? `（${suspect} 项待核查）` : ""}
              </button>
            </p>
          ) : null}
          <ul className="checklist" data-testid="material-list">
            {d.materials.map((m) => (
              <li key={m.fileId}>
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={m.fileId === viewer}
                  onClick={() => setViewer(m.fileId)}
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
        <section className="card">
          {d.review.status === "submitted" ? <SubmittedReview data={d} /> : <ScoringForm data={d} />}
        </section>
      </div>
    </>
  );
}

function SubmittedReview({ data: d }: { data: ReviewData }) {
  const input = d.review.input;
  const total = expertTotal({
    sections: {
      basics: { score: input.sections?.basics?.score ?? 0, comment: "" },
      recommendations: { score: input.sections?.recommendations?.score ?? 0, comment: "" },
      estimates: { score: input.sections?.estimates?.score ?? 0, comment: "" },
    },
    deduction: input.deduction ?? false,
  });
  return (
    <>
      <h2 style={{ marginTop: 0 }}>我的评分（已提交）</h2>
      <p className="notice notice--success" data-testid="review-submitted">
        评分已于 {d.submittedAt} 提交，不能再修改。如需更正，请联系区工信局退回。
      </p>
      <dl className="facts">
        <dt>{RUBRIC_MATERIALS.name}</dt>
        <dd>{input.materialsComplete ? "齐全" : `不齐全：${input.materialsNote ?? ""}`}</dd>
        {RUBRIC_SECTION_LIST.map((s) => (
          <div key={s.key} style={{ display: "contents" }}>
            <dt>
              {s.name}（{s.max} 分）
            </dt>
            <dd>
              <strong>{scoreText(input.sections?.[s.key]?.score)}</strong> 分 · {input.sections?.[s.key]?.comment}
            </dd>
          </div>
        ))}
        <dt>{RUBRIC_DEDUCTION.name}</dt>
        <dd>{input.deduction ? `扣 ${RUBRIC_DEDUCTION.points} 分：${input.deductionReason}` : "无"}</dd>
        <dt>{RUBRIC_VETO.name}</dt>
        <dd>{input.veto ? `否决：${input.vetoEvidence}` : "无"}</dd>
        <dt>合计</dt>
        <dd data-testid="submitted-total">
          <strong>{total}</strong> 分
        </dd>
      </dl>
      {d.reviewId ? (
        <p>
          <a className="button button--secondary" href={`/resources/reviews/${d.reviewId}/score-sheet`}>
            下载专家评分表（PDF，签字用）
          </a>
        </p>
      ) : null}
    </>
  );
}

function ScoringForm({ data: d }: { data: ReviewData }) {
  const fetcher = useFetcher<SaveReply>();
  const formRef = useRef<HTMLFormElement>(null);
  const versionRef = useRef(d.review.version);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingRef = useRef<"save" | "submit" | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [liveInput, setLiveInput] = useState<ReviewInput>(d.review.input);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const locked = d.closed || d.frozen;
  const sendRef = useRef<(intent: "save" | "submit") => void>(() => {});

  const send = useCallback(
    (intent: "save" | "submit") => {
      const form = formRef.current;
      if (!form || conflict) return;
      if (fetcher.state !== "idle") {
        // One request at a time, so this tab never races itself on the version.
        pendingRef.current = intent === "submit" || pendingRef.current === "submit" ? "submit" : "save";
        return;
      }
      const fd = new FormData(form);
      fd.set("intent", intent);
      fd.set("version", String(versionRef.current));
      fetcher.submit(fd, { method: "post" });
      setDirty(false);
    },
    [conflict, fetcher],
  );
  sendRef.current = send;

  // Replies: keep the version, or stop on a conflict.
  useEffect(() => {
    const reply = fetcher.data;
    if (!reply || fetcher.state !== "idle") return;
    if (reply.ok) {
      versionRef.current = reply.version;
      setSavedAt(reply.savedAt);
    } else if (reply.conflict && reply.message) {
      setConflict(reply.message);
    }
  }, [fetcher.data, fetcher.state]);

  // A save asked for while another was in flight goes out when it is back.
  useEffect(() => {
    if (fetcher.state === "idle" && pendingRef.current) {
      const intent = pendingRef.current;
      pendingRef.current = null;
      sendRef.current(intent);
    }
  }, [fetcher.state]);

  // Native listeners, so a value filled in by script (e.g. a cited similarity passage) is saved too.
  useEffect(() => {
    const form = formRef.current;
    if (!form || locked) return;
    const onEdit = () => {
      setLiveInput(readForm(form));
      setDirty(true);
      if (timerRef.current) clearTimeout(timerRef.current);
      timerRef.current = setTimeout(() => sendRef.current("save"), AUTOSAVE_DELAY_MS);
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    return () => {
      form.removeEventListener("input", onEdit);
      form.removeEventListener("change", onEdit);
      if (timerRef.current) clearTimeout(timerRef.current);
    };
  }, [locked]);

  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const serverErrors: ReviewErrors = reply && !reply.ok ? (reply.errors ?? {}) : {};
  const live = validateReview(liveInput, { allowHalfPoints: d.allowHalfPoints, mode: "draft" });
  const liveErrors: ReviewErrors = live.ok ? {} : live.errors;
  const errorsFor = (field: ReviewField) => serverErrors[field] ?? liveErrors[field];
  const message = conflict ?? (reply && !reply.ok ? reply.message : undefined);
  const total = runningTotal(liveInput, { allowHalfPoints: d.allowHalfPoints });
  const saving = fetcher.state !== "idle";
  const step = d.allowHalfPoints ? 0.5 : 1;
  const input = d.review.input;

  const aria = (id: string, field: ReviewField) => {
    const errors = errorsFor(field);
    return { id, "aria-invalid": errors ? true : undefined, "aria-describedby": errors ? `${id}-error` : undefined };
  };

  return (
    <>
      <h2 style={{ marginTop: 0 }}>{RUBRIC_TITLE}</h2>
      {d.reopenReason ? (
        <p className="notice notice--warning" data-testid="reopen-reason">
          区工信局已退回您的评分，请修改后重新提交。原因：{d.reopenReason}
        </p>
      ) : null}
      {d.deadline ? (
        <p className={`small ${d.closed ? "countdown countdown--closed" : "muted"}`} data-testid="review-deadline">
          评审截止：{d.deadline}（北京时间）{d.countdown ? ` · ${d.countdown}` : ""}
        </p>
      ) : null}
      {d.closed ? (
        <FormMessage message="评审已截止，不能再保存或提交评分；已保存的草稿保留不变。如需延期请联系区工信局。" />
      ) : null}
      {d.frozen ? <FormMessage message="该申报的评审结果已确认，评分不能再修改。" /> : null}
      <FormMessage message={message} />
      <fetcher.Form
        ref={formRef}
        method="post"
        noValidate
        aria-label="评分表"
        onSubmit={(event) => {
          event.preventDefault();
          const submitter = (event.nativeEvent as SubmitEvent).submitter;
          const intent = submitter instanceof HTMLButtonElement && submitter.value === "submit" ? "submit" : "save";
          if (intent === "submit" && !window.confirm("提交后评分不能再修改。确认提交？")) return;
          if (timerRef.current) clearTimeout(timerRef.current);
          send(intent);
        }}
      >
        <fieldset disabled={locked} style={{ border: 0, padding: 0, margin: 0 }}>
          <div className="field">
            <span id="materials-label">
              <strong>{RUBRIC_MATERIALS.name}</strong>：{RUBRIC_MATERIALS.criterion}（{RUBRIC_MATERIALS.judgement}）
            </span>
            <div
              role="radiogroup"
              aria-labelledby="materials-label"
              {...aria("materialsComplete", "materialsComplete")}
            >
              <label>
                <input
                  type="radio"
                  name="materialsComplete"
                  value="yes"
                  defaultChecked={input.materialsComplete === true}
                />{" "}
                材料齐全
              </label>{" "}
              <label>
                <input
                  type="radio"
                  name="materialsComplete"
                  value="no"
                  defaultChecked={input.materialsComplete === false}
                />{" "}
                缺少或不符合要求（不合格）
              </label>
            </div>
            <ErrorList id="materialsComplete-error" errors={errorsFor("materialsComplete")} />
          </div>
          {liveInput.materialsComplete === false ? (
            <div className="field">
              <label htmlFor="materialsNote">缺少或不符合要求的材料</label>
              <textarea
                name="materialsNote"
                rows={2}
                defaultValue={input.materialsNote ?? ""}
                {...aria("materialsNote", "materialsNote")}
              />
              <ErrorList id="materialsNote-error" errors={errorsFor("materialsNote")} />
            </div>
          ) : (
            <input type="hidden" name="materialsNote" value={liveInput.materialsNote ?? ""} />
          )}

          {RUBRIC_SECTION_LIST.map((section) => {
            const scoreId = `score-${section.key}`;
            const commentId = `comment-${section.key}`;
            return (
              <fieldset key={section.key} className="card" style={{ margin: "1rem 0", padding: "0.75rem 1rem" }}>
                <legend>
                  <strong>{section.name}</strong>（0–{section.max} 分）
                </legend>
                <ol className="small muted" style={{ margin: "0 0 0.5rem", paddingLeft: "1.25rem" }}>
                  {section.criteria.map((criterion) => (
                    <li key={criterion}>{criterion}</li>
                  ))}
                </ol>
                <div className="field">
                  <label htmlFor={scoreId}>
                    {section.name}得分（0–{section.max}
                    {d.allowHalfPoints ? "，可按 0.5 分" : "，整数"}）
                  </label>
                  <input
                    name={`sections.${section.key}.score`}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={section.max}
                    step={step}
                    defaultValue={scoreText(input.sections?.[section.key]?.score)}
                    style={{ maxWidth: "8rem" }}
                    {...aria(scoreId, `sections.${section.key}.score`)}
                  />
                  <ErrorList id={`${scoreId}-error`} errors={errorsFor(`sections.${section.key}.score`)} />
                </div>
                <div className="field">
                  <label htmlFor={commentId}>{section.name}评语</label>
                  <textarea
                    name={`sections.${section.key}.comment`}
                    rows={2}
                    defaultValue={input.sections?.[section.key]?.comment ?? ""}
                    {...aria(commentId, `sections.${section.key}.comment`)}
                  />
                  <ErrorList id={`${commentId}-error`} errors={errorsFor(`sections.${section.key}.comment`)} />
                </div>
              </fieldset>
            );
          })}

          <fieldset className="card" style={{ margin: "1rem 0", padding: "0.75rem 1rem" }}>
            <legend>
              <strong>{RUBRIC_DEDUCTION_OR_VETO_HEADING}</strong>
            </legend>
            <div className="field field--checkbox">
              <input type="checkbox" id="deduction" name="deduction" defaultChecked={input.deduction ?? false} />
              <label htmlFor="deduction">
                {RUBRIC_DEDUCTION.name}：{RUBRIC_DEDUCTION.text}
              </label>
            </div>
            <div className="field">
              <label htmlFor="deduction-reason">扣分理由{liveInput.deduction ? "（必填）" : ""}</label>
              <textarea
                name="deductionReason"
                rows={2}
                defaultValue={input.deductionReason ?? ""}
                {...aria("deduction-reason", "deductionReason")}
              />
              <ErrorList id="deduction-reason-error" errors={errorsFor("deductionReason")} />
            </div>
            <div className="field field--checkbox">
              <input type="checkbox" id="veto" name="veto" defaultChecked={input.veto ?? false} />
              <label htmlFor="veto">
                {RUBRIC_VETO.name}：{RUBRIC_VETO.text}
              </label>
            </div>
            <div className="field">
              <label htmlFor="veto-evidence">否决依据（雷同或抄袭的出处）{liveInput.veto ? "（必填）" : ""}</label>
              <textarea
                name="vetoEvidence"
                rows={3}
                defaultValue={input.vetoEvidence ?? ""}
                {...aria("veto-evidence", "vetoEvidence")}
              />
              <ErrorList id="veto-evidence-error" errors={errorsFor("vetoEvidence")} />
            </div>
          </fieldset>

          <p className="stat" aria-live="polite">
            合计（各项得分之和 − 扣分，最低 0 分）：<strong data-testid="running-total">{total}</strong> /{" "}
            {RUBRIC_MAX_TOTAL} 分{liveInput.veto ? <span className="badge badge--refused">一票否决</span> : null}
          </p>
          <p className="small muted">{RUBRIC_PASS_JUDGEMENT}</p>
          <div className="actions">
            <button
              type="submit"
              name="intent"
              value="save"
              className="button--secondary"
              disabled={saving || Boolean(conflict)}
            >
              保存草稿
            </button>
            <button type="submit" name="intent" value="submit" disabled={saving || Boolean(conflict)}>
              提交评分
            </button>
            <span className="small muted" role="status" data-testid="save-status">
              {saving ? "正在保存…" : dirty ? "有未保存的修改" : savedAt ? `已于 ${savedAt} 自动保存` : ""}
            </span>
          </div>
        </fieldset>
      </fetcher.Form>
    </>
  );
}
