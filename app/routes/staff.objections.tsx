import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { ErrorList, Field, FormMessage, TextareaField } from "~/components/forms.tsx";
import { RoundField } from "~/components/round-field.tsx";
import { parseCalendarDate } from "~/domain/shanghai-time.ts";
import { listObjections, recordObjection, resolveObjection, roundNotice } from "~/models/objection.server.ts";
import { currentRound, listRounds } from "~/models/round.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "公示异议 · 智能化改造咨询诊断补助申报平台" }];

const NOTICE_STATES = { unset: "未设置公示", not_yet: "公示未开始", open: "公示中", closed: "公示期已结束" } as const;

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("record"),
    roundId: z.string().min(1),
    applicationNumber: z
      .string({ error: "请填写被异议的申报编号" })
      .trim()
      .min(1, "请填写被异议的申报编号")
      .max(40, "申报编号过长"),
    receivedOn: z
      .string({ error: "请填写收到异议的日期" })
      .trim()
      .refine((v) => parseCalendarDate(v) !== null, "日期格式应为 年-月-日"),
    objector: z
      .string({ error: "请填写异议人" })
      .trim()
      .min(2, "请填写异议人（单位或姓名，至少 2 个字）")
      .max(100, "异议人不超过 100 字"),
    content: z
      .string({ error: "请填写异议内容" })
      .trim()
      .min(5, "请填写异议内容（至少 5 个字）")
      .max(2000, "异议内容不超过 2000 字"),
  }),
  z.object({
    intent: z.literal("resolve"),
    objectionId: z.string().min(1),
    outcome: z.enum(["upheld", "dismissed"], { error: "请选择处理结果" }),
    resolution: z
      .string({ error: "请填写处理意见" })
      .trim()
      .min(5, "请填写处理意见（至少 5 个字）")
      .max(2000, "处理意见不超过 2000 字"),
  }),
]);

type FieldName = "applicationNumber" | "receivedOn" | "objector" | "content" | "outcome" | "resolution";
type FieldErrors = Partial<Record<FieldName, string[]>>;
const FIELDS: readonly string[] = ["applicationNumber", "receivedOn", "objector", "content", "outcome", "resolution"];

/** Objections (异议) received during a round's public notice, recorded and decided by staff (R-PAY-3). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver"] });
  const requested = new URL(request.url).searchParams.get("round") ?? "";
  const rounds = await listRounds();
  const roundId = rounds.some((r) => r.id === requested)
    ? requested
    : ((await currentRound())?.id ?? rounds[0]?.id ?? "");
  const notice = roundId ? await roundNotice(roundId) : null;
  return {
    canRecord: user.roles.includes("staff"),
    rounds: rounds.map((r) => ({ id: r.id, name: r.name, isDemo: r.isDemo })),
    roundId,
    notice: notice ? { ...notice, stateLabel: NOTICE_STATES[notice.state] } : null,
    objections: roundId ? await listObjections(roundId) : [],
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const officer = { id: user.id, name: user.name, roles: user.roles };
  const formData = await readFormData(request);
  const values = Object.fromEntries([...formData].map(([k, v]) => [k, typeof v === "string" ? v : ""]));
  const parsed = ActionSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      if (FIELDS.includes(key)) (fieldErrors[key as FieldName] ??= []).push(issue.message);
    }
    return data(
      {
        intent: values.intent ?? "",
        objectionId: values.objectionId ?? "",
        message: Object.keys(fieldErrors).length ? null : "请求无效，请刷新页面。",
        fieldErrors,
        values,
      },
      { status: 400 },
    );
  }
  const v = parsed.data;
  if (v.intent === "record") {
    const outcome = await recordObjection(officer, v);
    if (!outcome.ok) {
      const fieldErrors: FieldErrors =
        outcome.field === "applicationNumber" ? { applicationNumber: [outcome.message] } : {};
      return data(
        { intent: v.intent, objectionId: "", message: outcome.field ? null : outcome.message, fieldErrors, values },
        { status: 400 },
      );
    }
    throw redirect(`/staff/objections?round=${v.roundId}&done=recorded`);
  }
  const outcome = await resolveObjection(officer, v);
  if (!outcome.ok)
    return data(
      { intent: v.intent, objectionId: v.objectionId, message: outcome.message, fieldErrors: {}, values },
      { status: 409 },
    );
  const round = new URL(request.url).searchParams.get("round") ?? "";
  throw redirect(`/staff/objections?round=${round}&done=resolved`);
}

export default function Objections() {
  const { canRecord, rounds, roundId, notice, objections } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const errors = (intent: string, field: FieldName, objectionId = "") =>
    actionData?.intent === intent && actionData.objectionId === objectionId
      ? (actionData.fieldErrors as FieldErrors)[field]
      : undefined;
  const kept = (intent: string, field: string, objectionId = "") =>
    actionData?.intent === intent && actionData.objectionId === objectionId
      ? String((actionData.values as Record<string, string>)[field] ?? "")
      : "";
  const done = params.get("done");
  return (
    <>
      <div className="page-head">
        <h1>公示异议</h1>
        <Form method="get" className="inline-form">
          <RoundField rounds={rounds} value={roundId} />
          <button type="submit" className="button--secondary button--small">
            切换
          </button>
        </Form>
      </div>
      {done === "recorded" ? <FormMessage tone="success" message="异议已登记。处理完毕前，该申报不予拨付。" /> : null}
      {done === "resolved" ? <FormMessage tone="success" message="异议处理结果已登记。" /> : null}
      {actionData?.message ? <FormMessage message={actionData.message} /> : null}
      {!notice ? (
        <p className="empty">还没有申报批次。</p>
      ) : (
        <>
          <section className="card">
            <h2>公示</h2>
            <p data-testid="notice-state">
              {notice.stateLabel}
              {notice.opens && notice.closes ? `（${notice.opens} 至 ${notice.closes}，北京时间）` : ""}
            </p>
            <p className="muted">
              审核通过后公示，公示期满且无未处理异议的申报方可审批拨付。公示期在
              {canRecord ? <Link to={`/staff/rounds/${notice.id}`}>批次设置</Link> : "批次设置"}中设置。
            </p>
            <div className="actions">
              <a href={`/notice/${notice.code}`}>查看公示页面</a>
              <a href={`/resources/notice/${notice.code}/pdf`} download>
                下载公示（PDF）
              </a>
              <Link to={`/staff/payouts?round=${notice.id}`}>补助拨付</Link>
            </div>
          </section>

          {canRecord ? (
            <section className="card">
              <h2>登记异议</h2>
              <Form method="post" action={`/staff/objections?round=${notice.id}`}>
                <input type="hidden" name="roundId" value={notice.id} />
                <div className="field-row">
                  <Field
                    label="申报编号"
                    hint="被异议的评审合格申报"
                    inputProps={{
                      name: "applicationNumber",
                      id: "applicationNumber",
                      list: "passed-applications",
                      autoComplete: "off",
                      defaultValue: kept("record", "applicationNumber"),
                    }}
                    errors={errors("record", "applicationNumber")}
                  />
                  <datalist id="passed-applications">
                    {notice.applications.map((a) => (
                      <option key={a.number} value={a.number}>
                        {a.enterpriseName}
                      </option>
                    ))}
                  </datalist>
                  <Field
                    label="收到日期"
                    inputProps={{
                      name: "receivedOn",
                      id: "receivedOn",
                      type: "date",
                      defaultValue: kept("record", "receivedOn"),
                    }}
                    errors={errors("record", "receivedOn")}
                  />
                  <Field
                    label="异议人（单位或姓名、联系方式）"
                    inputProps={{ name: "objector", id: "objector", defaultValue: kept("record", "objector") }}
                    errors={errors("record", "objector")}
                  />
                </div>
                <TextareaField
                  label="异议内容"
                  textareaProps={{ name: "content", id: "content", rows: 3, defaultValue: kept("record", "content") }}
                  errors={errors("record", "content")}
                />
                <button type="submit" name="intent" value="record" disabled={busy}>
                  登记异议
                </button>
              </Form>
            </section>
          ) : null}

          <section className="card">
            <h2>异议（{objections.length}）</h2>
            {objections.length === 0 ? <p className="empty">本批次没有收到异议。</p> : null}
            {objections.map((o) => (
              <article key={o.id} className="card" data-testid="objection" aria-label={`异议 ${o.applicationNumber}`}>
                <h3>
                  {o.applicationNumber} {o.enterpriseName}（{o.providerName}）
                  <span className="badge">{o.outcomeLabel}</span>
                </h3>
                <p>
                  {o.receivedOn} 收到，异议人：{o.objector}（{o.recordedBy} 于 {o.recordedAt} 登记）
                </p>
                <p style={{ whiteSpace: "pre-wrap" }}>{o.content}</p>
                {o.outcome ? (
                  <p>
                    处理意见：{o.resolution}（{o.resolvedBy} 于 {o.resolvedAt}）
                  </p>
                ) : canRecord ? (
                  <Form method="post" action={`/staff/objections?round=${notice.id}`}>
                    <input type="hidden" name="objectionId" value={o.id} />
                    <fieldset
                      className="field"
                      aria-describedby={errors("resolve", "outcome", o.id) ? `outcome-${o.id}-error` : undefined}
                    >
                      <legend>处理结果</legend>
                      <label>
                        <input
                          type="radio"
                          name="outcome"
                          value="dismissed"
                          defaultChecked={kept("resolve", "outcome", o.id) === "dismissed"}
                        />{" "}
                        异议不成立，继续拨付
                      </label>
                      <label>
                        <input
                          type="radio"
                          name="outcome"
                          value="upheld"
                          defaultChecked={kept("resolve", "outcome", o.id) === "upheld"}
                        />{" "}
                        异议成立，不予拨付
                      </label>
                      <ErrorList id={`outcome-${o.id}-error`} errors={errors("resolve", "outcome", o.id)} />
                    </fieldset>
                    <TextareaField
                      label="处理意见"
                      textareaProps={{
                        name: "resolution",
                        id: `resolution-${o.id}`,
                        rows: 2,
                        defaultValue: kept("resolve", "resolution", o.id),
                      }}
                      errors={errors("resolve", "resolution", o.id)}
                    />
                    <button type="submit" name="intent" value="resolve" disabled={busy}>
                      登记处理结果
                    </button>
                  </Form>
                ) : null}
              </article>
            ))}
          </section>
        </>
      )}
    </>
  );
}
