import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { AssignmentBoard, BoardFilters } from "~/components/assignments/board.tsx";
import { ExpertLoads } from "~/components/assignments/expert-loads.tsx";
import { PlanPreview } from "~/components/assignments/plan-preview.tsx";
import {
  AssignmentSettings,
  expertsPerApplication,
  ReviewSettingsFacts,
  SettingsSchema,
} from "~/components/assignments/settings.tsx";
import { FormMessage } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { appliedPlanNotice } from "~/domain/assignment.ts";
import { datetimeLocalValue, formatShanghai } from "~/domain/shanghai-time.ts";
import {
  addAssignment,
  applyAutoAssignment,
  assignmentBoard,
  planAutoAssignment,
  saveAssignmentSettings,
  withdrawAssignment,
} from "~/models/assignment.server.ts";
import { listExperts } from "~/models/expert.server.ts";
import { currentRound, getRound, listRounds } from "~/models/round.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "分配评审专家 · 智能化改造咨询诊断补助申报平台" }];

const QuerySchema = z.object({
  round: z.string().max(40).optional().catch(undefined),
  preview: z.literal("1").optional().catch(undefined),
  k: expertsPerApplication.optional().catch(undefined),
  q: z.string().trim().max(100).catch(""),
  status: z.enum(["all", "accepted", "under_review"]).catch("all"),
  page: z.coerce.number().int().min(1).catch(1),
});

/** Rows of the preview table shown at most (the counts always cover the whole plan). */
const PREVIEW_ROWS = 100;

const ActionSchema = z.discriminatedUnion("intent", [
  SettingsSchema,
  z.object({ intent: z.literal("apply"), k: expertsPerApplication, fingerprint: z.string().max(64).optional() }),
  z.object({
    intent: z.literal("add"),
    applicationId: z.string().min(1),
    expertId: z.string({ error: "请选择专家" }).min(1, "请选择专家"),
  }),
  z.object({
    intent: z.literal("withdraw"),
    applicationId: z.string().min(1),
    assignmentId: z.string().min(1),
    reason: z
      .string({ error: "请填写撤回原因" })
      .trim()
      .min(2, "撤回原因至少 2 个字")
      .max(200, "撤回原因不超过 200 字")
      .superRefine(refuseHostileCharacters("撤回原因", { multiline: true })),
  }),
]);

async function resolveRound(roundId: string | undefined) {
  const round = roundId ? await getRound(roundId) : await currentRound();
  if (roundId && !round) throw new Response("批次不存在。", { status: 404 });
  return round;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse(Object.fromEntries(params));
  const round = await resolveRound(query.round);
  const rounds = (await listRounds()).map((r) => ({ id: r.id, name: r.name }));
  if (!round) {
    return { canEdit: false, rounds, round: null, query, board: [], total: 0, pages: 1, experts: [], preview: null };
  }
  const canEdit = user.roles.includes("staff");
  const [board, experts, preview] = await Promise.all([
    assignmentBoard(round.id, { q: query.q, status: query.status }, query.page),
    listExperts({ roundId: round.id }),
    canEdit && query.preview ? planAutoAssignment(round.id, query.k ?? round.reviewsPerApplication) : null,
  ]);
  return {
    canEdit,
    rounds,
    query: { ...query, page: board.page },
    total: board.total,
    pages: board.pages,
    preview: preview && {
      ...preview,
      added: preview.added.slice(0, PREVIEW_ROWS),
      addedApplications: preview.added.length,
    },
    round: {
      id: round.id,
      name: round.name,
      reviewsPerApplication: round.reviewsPerApplication,
      reviewDeadline: round.reviewDeadline ? datetimeLocalValue(round.reviewDeadline) : "",
      reviewDeadlineText: round.reviewDeadline ? formatShanghai(round.reviewDeadline) : null,
    },
    experts: experts
      .filter((e) => e.status !== "disabled")
      .map((e) => ({
        id: e.id,
        name: e.name,
        field: e.expertProfile?.field ?? null,
        load: e.load,
        conflicts: e._count.expertConflicts,
      })),
    board: board.applications.map((a) => ({
      id: a.id,
      number: a.number,
      status: a.status,
      provider: a.organisation.name,
      enterprise: a.enterprise.name,
      assignments: a.assignments.map((x) => ({
        id: x.id,
        expertId: x.expert.id,
        expert: x.expert.name,
        withdrawnReason: x.withdrawnAt ? (x.withdrawnReason ?? "已撤回") : null,
        reviewStatus: x.review?.status ?? null,
      })),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const actor = { id: user.id, name: user.name };
  const round = await resolveRound(new URL(request.url).searchParams.get("round") ?? undefined);
  if (!round) throw new Response("没有批次。", { status: 404 });
  const submission = parseWithZod(await readFormData(request), { schema: ActionSchema });
  const rowOf = (payload: Record<string, unknown>) =>
    typeof payload.applicationId === "string" ? payload.applicationId : null;
  if (submission.status !== "success") {
    return data(
      {
        intent: String(submission.payload.intent ?? ""),
        row: rowOf(submission.payload),
        result: submission.reply(),
        notice: null,
      },
      { status: 400 },
    );
  }
  const value = submission.value;
  const reply = (
    intent: string,
    outcome: { ok: true; notice: string } | { ok: false; message: string },
    row: string | null = null,
  ) =>
    outcome.ok
      ? { intent, row, result: submission.reply({ resetForm: true }), notice: outcome.notice }
      : data(
          { intent, row, result: submission.reply({ formErrors: [outcome.message] }), notice: null },
          { status: 409 },
        );
  switch (value.intent) {
    case "settings": {
      const outcome = await saveAssignmentSettings(actor, round.id, value);
      return reply("settings", outcome.ok ? { ok: true, notice: "已保存评审设置。" } : outcome);
    }
    case "apply": {
      const outcome = await applyAutoAssignment(actor, round.id, value.k, value.fingerprint);
      if (!outcome.ok) return reply("apply", outcome);
      const { view } = outcome;
      const notice = appliedPlanNotice({
        addedCount: view.addedCount,
        applications: view.added.length,
        mailed: outcome.mailed,
        shortages: view.shortages.map((s) => s.number),
      });
      return reply("apply", { ok: true, notice });
    }
    case "add": {
      const outcome = await addAssignment(actor, value.applicationId, value.expertId);
      return reply(
        "add",
        outcome.ok ? { ok: true, notice: "已分配该专家，并已发送通知邮件。" } : outcome,
        value.applicationId,
      );
    }
    case "withdraw": {
      const outcome = await withdrawAssignment(actor, value.assignmentId, value.reason);
      return reply(
        "withdraw",
        outcome.ok ? { ok: true, notice: "已撤回该评审任务，并已通知专家。" } : outcome,
        value.applicationId,
      );
    }
  }
}

export default function Assignments() {
  const { round, rounds, query, board, total, pages, experts, preview, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  if (!round) {
    return (
      <section className="card">
        <h1>分配评审专家</h1>
        <p className="empty">还没有批次。</p>
      </section>
    );
  }
  const pageLink = (page: number) =>
    `?${new URLSearchParams({
      round: round.id,
      ...(query.q ? { q: query.q } : {}),
      ...(query.status !== "all" ? { status: query.status } : {}),
      ...(page > 1 ? { page: String(page) } : {}),
    })}`;
  // A refused change: its form's message (field "") or a field's, at the form (and row) it came from.
  const refused = (intent: string, row: string | null, field = "") =>
    actionData && !actionData.notice && actionData.intent === intent && actionData.row === row
      ? actionData.result.error?.[field]?.[0]
      : null;
  return (
    <>
      <div className="page-head">
        <h1>分配评审专家</h1>
        <Link to="/staff/experts">专家库</Link>
      </div>
      <BoardFilters rounds={rounds} roundId={round.id} status={query.status} q={query.q} />
      {actionData?.notice ? <FormMessage tone="success" message={actionData.notice} /> : null}
      <FormMessage message={refused("apply", null)} />
      <div className="two-col">
        <section>
          {preview ? <PlanPreview preview={preview} roundId={round.id} busy={busy} /> : null}
          <AssignmentBoard
            board={board}
            experts={experts}
            reviewsPerApplication={round.reviewsPerApplication}
            canEdit={canEdit}
            busy={busy}
            filtered={Boolean(query.q) || query.status !== "all"}
            // Changes to one row come back to the same page of the board (without the preview).
            action={pageLink(query.page)}
            rowError={refused}
          />
          <p className="small muted">共 {total} 份申报。</p>
          <Pagination page={query.page} pages={pages} href={pageLink} />
        </section>
        <section>
          {canEdit ? (
            <AssignmentSettings
              roundId={round.id}
              settings={round}
              previewK={query.k}
              lastResult={actionData?.intent === "settings" ? actionData.result : undefined}
              busy={busy}
            />
          ) : (
            <ReviewSettingsFacts settings={round} />
          )}
          <ExpertLoads experts={experts} />
        </section>
      </div>
    </>
  );
}
