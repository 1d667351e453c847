/**
 * The bureau's desk for one application: the data entered and the R-DATE-2 flag, every material with
 * previews, formal review (形式审查: verdicts, then 受理 / 退回补正 / 不予受理), the supplement round
 * trips with old and new files side by side, the paper copies (R-MAT-3) and the full history (R-LOG-1).
 * The page is a column of independent sections, each a component of app/components/desk/.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { ApplicationFactsSection } from "~/components/desk/application-facts.tsx";
import { DecisionSection } from "~/components/desk/decision.tsx";
import { ExpertAssignmentsSection } from "~/components/desk/expert-assignments.tsx";
import { HistorySection } from "~/components/desk/history.tsx";
import { MaterialsReviewSection } from "~/components/desk/materials-review.tsx";
import { PaperCopiesSection } from "~/components/desk/paper-copies.tsx";
import { ReleaseClaimSection } from "~/components/desk/release-claim.tsx";
import { SupplementRoundsSection } from "~/components/desk/supplement-rounds.tsx";
import { FormMessage } from "~/components/forms.tsx";
import { SimilarityPanel } from "~/components/similarity-panel.tsx";
import { defaultSupplementDueOn, rejectionReason, type Verdict } from "~/domain/formal-review.ts";
import { MATERIAL_IDS } from "~/domain/materials.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { releaseClaim } from "~/models/application.server.ts";
import { applicationAssignments } from "~/models/assignment.server.ts";
import {
  decideFormalReview,
  type DecisionInput,
  recordPaperCopies,
  staffApplicationView,
} from "~/models/formal-review.server.ts";
import { getApplicationSimilarity } from "~/models/similarity.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters, versionField } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.application.number ?? "申报"} 审查 · 智能化改造咨询诊断补助申报平台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const view = await staffApplicationView(params.applicationId ?? "");
  if (!view) throw new Response("申报不存在。", { status: 404 });
  const [assigned, similarity] = await Promise.all([
    applicationAssignments(view.application.id),
    // R-REV-3: the copy check of the report and photos, from submission on.
    view.application.status === "draft" ? null : getApplicationSimilarity(view.application.id, { role: "staff" }),
  ]);
  const assignments = assigned.map((a) => ({
    id: a.id,
    expertName: a.expertName,
    assignedAt: formatShanghai(a.assignedAt),
    noConflictConfirmedAt: a.noConflictConfirmedAt ? formatShanghai(a.noConflictConfirmedAt) : null,
    withdrawn: a.withdrawn,
    withdrawnAt: a.withdrawnAt ? formatShanghai(a.withdrawnAt) : null,
    withdrawnReason: a.withdrawnReason,
    reviewStatus: a.reviewStatus,
  }));
  return { ...view, assignments, similarity, staffName: user.name, defaultDueOn: defaultSupplementDueOn(view.today) };
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `不超过 ${max} 字`)
    .superRefine(refuseHostileCharacters("内容", { multiline: true }))
    .optional();
const VerdictSchema = z.object({
  verdict: z.enum(["accepted", "rejected"]).optional(),
  quick: z.array(z.string().max(20)).max(10),
  reason: text(200),
});

/** The one schema of this page's forms (the per-material fields are gathered into `verdicts` first). */
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.enum(["accept", "return", "refuse"]),
    version: versionField,
    dueOn: z.string().trim().optional(),
    note: text(1000),
    refusalReason: text(500),
    verdicts: z.record(z.enum(MATERIAL_IDS), VerdictSchema),
  }),
  z.object({
    intent: z.literal("release-claim"),
    releaseReason: z.string().trim().max(200, "释放原因不超过 200 字"),
  }),
  z.object({
    intent: z.literal("paper-copies"),
    receivedOn: z.string().trim(),
    receivedBy: z.string().trim().max(50, "不超过 50 字").superRefine(refuseHostileCharacters("接收人")),
  }),
]);

type ActionErrors = {
  form?: string;
  verdicts?: string;
  dueAt?: string;
  reason?: string;
  materials?: Record<string, string>;
  paper?: { receivedOn?: string; receivedBy?: string; form?: string };
  release?: string;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const id = params.applicationId ?? "";
  const formData = await readFormData(request);
  const raw = {
    ...Object.fromEntries(formData),
    verdicts: Object.fromEntries(
      MATERIAL_IDS.map((m) => [
        m,
        {
          verdict: formData.get(`verdict-${m}`) ?? undefined,
          quick: formData.getAll(`quick-${m}`),
          reason: formData.get(`reason-${m}`) ?? undefined,
        },
      ]),
    ),
  };
  const parsed = ActionSchema.safeParse(raw);
  const fail = (errors: ActionErrors, status = 400) => data({ errors }, { status });
  if (!parsed.success)
    return fail({ form: `请求内容有误：${parsed.error.issues[0]?.message ?? ""}。请刷新页面后重试。` });
  const input = parsed.data;
  const actor = { id: user.id, name: user.name };

  if (input.intent === "release-claim") {
    // R-ELIG-4: free the enterprise a provider's draft holds; the reason goes on the record.
    const outcome = await releaseClaim(actor, id, input.releaseReason);
    if (!outcome.ok) return fail({ release: outcome.message }, 409);
    throw redirect(`/staff/applications?released=${encodeURIComponent(outcome.number)}`);
  }

  if (input.intent === "paper-copies") {
    const outcome = await recordPaperCopies(actor, {
      applicationIds: [id],
      receivedOn: input.receivedOn,
      receivedBy: input.receivedBy,
    });
    if (!outcome.ok)
      return fail({
        paper: outcome.field === "applicationIds" ? { form: outcome.message } : { [outcome.field]: outcome.message },
      });
    throw redirect(`/staff/applications/${id}?saved=paper`);
  }

  const verdicts: Verdict[] = MATERIAL_IDS.flatMap((material) => {
    const v = input.verdicts[material];
    if (!v?.verdict) return [];
    return [
      { material, verdict: v.verdict, reason: v.verdict === "rejected" ? rejectionReason(v.quick, v.reason) : null },
    ];
  });
  const decision: DecisionInput =
    input.intent === "accept"
      ? { decision: "accept", version: input.version, verdicts }
      : input.intent === "return"
        ? { decision: "return", version: input.version, verdicts, dueOn: input.dueOn || null, note: input.note ?? null }
        : { decision: "refuse", version: input.version, reason: input.refusalReason ?? null };
  const outcome = await decideFormalReview(actor, id, decision);
  if (!outcome.ok) {
    if (outcome.material) return fail({ materials: { [outcome.material]: outcome.message } });
    if (outcome.field === "dueAt") return fail({ dueAt: outcome.message });
    if (outcome.field === "reason") return fail({ reason: outcome.message });
    // R-MAT-3: the round requires the paper copies before 受理: the message at the decision and at the paper copies.
    if (outcome.field === "paper") return fail({ form: outcome.message, paper: { form: outcome.message } });
    if (outcome.field === "verdicts") {
      const unjudged = Object.fromEntries((outcome.unjudged ?? []).map((m) => [m, "请给出审查意见：合格或不合格"]));
      return fail({ verdicts: outcome.message, materials: unjudged });
    }
    return fail({ form: outcome.message }, 409);
  }
  throw redirect(`/staff/applications/${id}?decided=${input.intent}`);
}

/** Statuses in which no expert has been assigned yet: the expert section stays hidden. */
const BEFORE_REVIEW = new Set<string>(["draft", "submitted", "returned", "refused"]);

const DECIDED: Record<string, string> = {
  accept: "已受理，服务商将收到通知邮件。",
  return: "已退回补正，补正通知已发送给服务商。",
  refuse: "已决定不予受理，服务商将收到通知邮件。",
};

export default function StaffApplicationPage() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { application } = view;
  const errors: ActionErrors = actionData?.errors ?? {};
  const reviewing = application.status === "submitted";
  const done = DECIDED[searchParams.get("decided") ?? searchParams.get("saved") ?? ""];
  return (
    <>
      <div className="page-head">
        <h1>
          {application.enterpriseName} <span className="badge">{application.statusLabel}</span>
        </h1>
        <Link to="/staff/applications">返回申报列表</Link>
      </div>
      <p className="muted">
        申报编号 {application.number} · {application.roundName} · 第 {application.reviewCycle} 轮审查
      </p>
      {done && navigation.state === "idle" && !actionData ? <FormMessage tone="success" message={done} /> : null}
      {errors.form && !reviewing ? <FormMessage message={errors.form} /> : null}

      {view.providerSuspension ? (
        <p className="notice notice--error" data-testid="provider-suspended">
          该服务商已于 {view.providerSuspension.at} 被暂停申报资格：{view.providerSuspension.reason}
          。本申报尚未完结，请复核后再作处理。
        </p>
      ) : null}

      <ApplicationFactsSection application={application} provider={view.provider} />

      <MaterialsReviewSection
        applicationId={application.id}
        materials={view.materials}
        toJudge={view.toJudge}
        reviewing={reviewing}
        errors={errors.materials ?? {}}
      />

      {reviewing ? (
        <DecisionSection
          version={application.version}
          defaultDueOn={view.defaultDueOn}
          today={view.today}
          busy={navigation.state === "submitting"}
          errors={{ form: errors.form, verdicts: errors.verdicts, dueAt: errors.dueAt, reason: errors.reason }}
        />
      ) : null}

      {application.status === "draft" ? (
        <ReleaseClaimSection
          enterpriseName={application.enterpriseName}
          providerName={view.provider.name}
          error={errors.release}
          busy={navigation.state === "submitting"}
        />
      ) : null}

      <SupplementRoundsSection notices={view.notices} />

      <PaperCopiesSection
        receivedOn={application.paperCopiesReceivedOn}
        receivedBy={application.paperCopiesReceivedBy}
        canRecord={application.status !== "draft"}
        today={view.today}
        staffName={view.staffName}
        errors={errors.paper}
        saved={searchParams.get("saved") === "paper"}
        required={application.paperCopiesRequired}
        late={application.paperCopiesLate}
      />

      {!BEFORE_REVIEW.has(application.status) ? (
        <ExpertAssignmentsSection
          applicationId={application.id}
          applicationNumber={application.number}
          assignments={view.assignments}
          canAssign={application.status === "accepted"}
        />
      ) : null}

      {view.similarity ? <SimilarityPanel similarity={view.similarity} /> : null}

      <HistorySection entries={view.history} />
    </>
  );
}
