import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";

import { ConflictCheck, type ConflictReply } from "~/components/review/conflict-check.tsx";
import { ReviewDesk } from "~/components/review/review-desk.tsx";
import type { SaveReply } from "~/components/review/use-review-autosave.ts";
import { isMaterialId, isPhotoTag, MATERIALS, PHOTO_TAGS } from "~/domain/materials.ts";
import { countdown, formatShanghai } from "~/domain/shanghai-time.ts";
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
import { confirmNoConflictSchema, declareConflictSchema, reviewFormSchema } from "~/utils/review-form.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "诊断报告评分 · 智能化改造咨询诊断补助申报平台" }];

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
  const materials = application.materials.map((m) => ({
    fileId: m.file.id,
    fileName: m.file.fileName,
    contentType: m.file.contentType,
    material: m.material,
    label: `${m.material} ${isMaterialId(m.material) ? MATERIALS[m.material].name : ""}${m.photoTag && isPhotoTag(m.photoTag) ? `（${PHOTO_TAGS[m.photoTag]}）` : ""}`,
  }));
  const viewer = { role: "expert" as const, userId: user.id };
  return {
    stage: "review" as const,
    // R-REV-3: the copy check, as an expert may see it (the other application's number and passages only)…
    similarity: await getApplicationSimilarity(application.id, viewer),
    // …and the matched passages highlighted in the report itself.
    reportView: await getReportHighlights(application.id, viewer),
    summary,
    facts: {
      contractSignedOn: application.contractSignedOn,
      diagnosisCompletedOn: application.diagnosisCompletedOn,
      diagnosisDueOn: application.diagnosisDueOn,
      completionLate: application.completionLate,
    },
    materials,
    reportFileId: materials.find((m) => m.material === "M8")?.fileId ?? null,
    review: reviewForForm(assignment),
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

/** A reply's field errors without the values sent: while the expert types, the form in the browser is the truth. */
function errorsOnly(result: SubmissionResult<string[]>): SubmissionResult<string[]> {
  return { ...result, initialValue: undefined };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["expert"] });
  const assignmentId = params.assignmentId ?? "";
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const actor = { id: user.id, name: user.name };

  if (intent === "save" || intent === "submit") {
    const refused =
      (intent === "submit" ? "评分未提交：请按标示修改后再提交。" : "草稿未保存：请按标示修改。") +
      "已保存的草稿不变。";
    // The review's rules depend on the round (half points): the review model applies them.
    const submission = parseWithZod(formData, { schema: reviewFormSchema() });
    if (submission.status !== "success") {
      // The form's own fields have messages; a bad version or intent means a stale or foreign page.
      const atFields = Object.keys(submission.error ?? {}).some((field) => field !== "version" && field !== "");
      return data<SaveReply>(
        {
          ok: false,
          intent,
          result: errorsOnly(submission.reply()),
          message: atFields ? refused : "提交的内容无法识别，请刷新页面后重试。",
        },
        { status: 400 },
      );
    }
    const { version, ...input } = submission.value;
    const outcome = await saveReview(actor, assignmentId, {
      input,
      version,
      mode: intent === "submit" ? "submit" : "draft",
    });
    if (!outcome.ok) {
      if (outcome.status === 404) throw new Response(outcome.message, { status: 404 });
      const fieldErrors = Object.fromEntries(Object.entries(outcome.errors ?? {}).filter((e) => e[1] !== undefined));
      return data<SaveReply>(
        {
          ok: false,
          intent,
          result: errorsOnly(submission.reply({ fieldErrors })),
          message: outcome.message ?? refused,
          conflict: outcome.conflict,
        },
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

  if (intent === "confirm-no-conflict") {
    const submission = parseWithZod(formData, { schema: confirmNoConflictSchema });
    if (submission.status !== "success")
      return data<ConflictReply>({ form: intent, result: submission.reply() }, { status: 400 });
    const outcome = await confirmNoConflict(actor, assignmentId);
    if (!outcome.ok) throw new Response(outcome.message, { status: outcome.status });
    throw redirect(`/expert/reviews/${assignmentId}`);
  }

  const submission = parseWithZod(formData, { schema: declareConflictSchema });
  if (intent !== "declare-conflict") {
    const result = submission.reply({ formErrors: ["提交的内容无法识别，请刷新页面后重试。"] });
    return data<ConflictReply>({ form: "declare-conflict", result }, { status: 400 });
  }
  if (submission.status !== "success")
    return data<ConflictReply>({ form: intent, result: submission.reply() }, { status: 400 });
  const outcome = await declareConflict(actor, assignmentId, submission.value);
  if (!outcome.ok) {
    if (outcome.status === 404) throw new Response(outcome.message, { status: 404 });
    return data<ConflictReply>(
      { form: "declare-conflict", result: submission.reply({ formErrors: [outcome.message] }) },
      { status: 409 },
    );
  }
  throw redirect("/expert?handedBack=1");
}

/** Autosaves do not reload the page (the form is the truth while the expert types); submitting does. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  if (formData?.get("intent") === "save") return false;
  return defaultShouldRevalidate;
};

export default function ExpertReview() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (loaderData.stage === "conflict")
    return (
      <ConflictCheck summary={loaderData.summary} reply={actionData && "form" in actionData ? actionData : undefined} />
    );
  return <ReviewDesk key={loaderData.review.status} data={loaderData} />;
}
