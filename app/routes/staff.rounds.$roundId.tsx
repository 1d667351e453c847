import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";

import { CheckboxField, Field, FormMessage, SelectField, TextareaField } from "~/components/forms.tsx";
import { ROUND_STATUS_LABELS } from "~/domain/labels.ts";
import { fenToYuanString, parseYuanToFen } from "~/domain/money.ts";
import { PARAMETERS_LOCKED_REASON } from "~/domain/round-parameters.ts";
import { formatShanghai, parseShanghaiMinute, tryParseShanghaiDateTime } from "~/domain/shanghai-time.ts";
import { saveNoticeSettings } from "~/models/public-notice.server.ts";
import {
  DuplicateRoundNameError,
  getRound,
  importRoundListFile,
  type ListImportOutcome,
  LockedParameterError,
  parametersLocked,
  saveRound,
} from "~/models/round.server.ts";
import { badForm, readFormData } from "~/utils/form-data.server.ts";
import { refuseHostileCharacters } from "~/utils/form-fields.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "批次设置 · 智能化改造咨询诊断补助申报平台" }];

/** A yuan amount typed by staff, as integer fen (never through floating point). */
function parseYuanField(label: string, value: string | undefined, ctx: z.RefinementCtx): number | null {
  if (!value) return null;
  const parsed = parseYuanToFen(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: `${label}：${parsed.message}` });
    return null;
  }
  return parsed.fen;
}

/** A datetime-local value that starts something (the notice opens at 09:00:00, not 09:00:59), read as Beijing time. */
function parseStartField(label: string, value: string | undefined, ctx: z.RefinementCtx): Date | null {
  if (!value) return null;
  const parsed = parseShanghaiMinute(value, "start");
  if (!parsed) ctx.addIssue({ code: "custom", message: `${label}格式应为 年-月-日 时:分` });
  return parsed;
}

/** A datetime-local value, read as Beijing time. */
function parseInstantField(label: string, value: string | undefined, ctx: z.RefinementCtx): Date | null {
  if (!value) return null;
  const normalised = value.replace("T", " ");
  const withSeconds = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(normalised) ? `${normalised}:59` : normalised;
  const parsed = tryParseShanghaiDateTime(withSeconds);
  if (!parsed) ctx.addIssue({ code: "custom", message: `${label}格式应为 年-月-日 时:分` });
  return parsed;
}

const required = <T,>(
  label: string,
  parse: (label: string, v: string | undefined, ctx: z.RefinementCtx) => T | null,
  verb = "请输入",
) =>
  z
    .string({ error: `${verb}${label}` })
    .trim()
    .min(1, `${verb}${label}`)
    .transform((value, ctx) => parse(label, value, ctx) ?? z.NEVER);

const optional = <T,>(label: string, parse: (label: string, v: string | undefined, ctx: z.RefinementCtx) => T | null) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => (value ? (parse(label, value, ctx) ?? z.NEVER) : null));

const RoundSchema = z.object({
  intent: z.literal("save"),
  name: z
    .string({ error: "请输入批次名称" })
    .trim()
    .min(4, "批次名称至少 4 个字")
    .max(60, "批次名称不超过 60 字")
    .superRefine(refuseHostileCharacters("批次名称")),
  code: z
    .string({ error: "请输入批次代码" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{1,11}$/, "批次代码为 2–12 位大写字母、数字或连字符，如 2023"),
  year: z.coerce
    .number({ error: "请输入年度" })
    .int("年度须为整数")
    .min(2020, "年度不早于 2020")
    .max(2100, "年度不晚于 2100"),
  deadline: required("申报截止时间", parseInstantField, "请选择"),
  disbursementDeadline: optional("拨付截止时间", parseInstantField),
  perEnterpriseCap: required("每家企业补助上限", parseYuanField),
  passMark: z.coerce
    .number({ error: "请输入合格分数线" })
    .int("分数线须为整数")
    .min(1, "分数线不低于 1")
    .max(100, "分数线不高于 100"),
  budget: optional("预算总额", parseYuanField),
  status: z.enum(["draft", "open", "closed", "archived"], { error: "请选择状态" }),
  paperCopiesRequired: z.literal("on").optional(),
});

/** 公示: when the public notice opens and closes, and how to object. */
const NoticeSchema = z.object({
  intent: z.literal("notice"),
  noticeOpensAt: optional("公示开始时间", parseStartField),
  noticeClosesAt: optional("公示结束时间", parseInstantField),
  noticeObjectionText: z
    .string()
    .trim()
    .max(1000, "异议方式不超过 1000 字")
    .superRefine(refuseHostileCharacters("异议方式", { multiline: true }))
    .optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  if (params.roundId === "new") return { round: null };
  const round = await getRound(params.roundId ?? "");
  if (!round) throw new Response("批次不存在。", { status: 404 });
  const local = (d: Date) => formatShanghai(d).slice(0, 16).replace(" ", "T");
  return {
    round: {
      id: round.id,
      name: round.name,
      code: round.code,
      year: round.year,
      isDemo: round.isDemo,
      status: round.status,
      deadline: local(round.deadline),
      disbursementDeadline: round.disbursementDeadline ? local(round.disbursementDeadline) : "",
      perEnterpriseCap: fenToYuanString(round.perEnterpriseCapFen),
      passMark: round.passMark,
      paperCopiesRequired: round.paperCopiesRequired,
      // R-REV-4, R-PAY-1: locked once the round has a submitted application.
      parametersLocked: await parametersLocked(round.id),
      budget: round.budgetFen === null ? "" : fenToYuanString(round.budgetFen),
      noticeOpensAt: round.noticeOpensAt ? local(round.noticeOpensAt) : "",
      noticeClosesAt: round.noticeClosesAt ? local(round.noticeClosesAt) : "",
      noticeObjectionText: round.noticeObjectionText ?? "",
      enterprises: round.enterprises.map((e) => ({ seq: e.seq, name: e.name })),
      providers: round.providers.map((p) => ({
        seq: p.seq,
        name: p.name,
        contactName: p.contactName,
        contactPhone: p.contactPhone,
      })),
    },
  };
}

/** The uploaded list (multipart, held in memory: at most 5 MB), handed to the round model to import. */
async function importList(
  request: Request,
  roundId: string,
  actor: { id: string; name: string },
): Promise<ListImportOutcome> {
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: 5 * 1024 * 1024 }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { kind: "enterprises", errors: [], message: "文件超过 5 MB，请检查是否选错了文件。", imported: null };
    }
    throw badForm();
  }
  const kind = formData.get("intent") === "import-providers" ? "providers" : "enterprises";
  const file = formData.get("list");
  if (!(file instanceof File) || file.size === 0)
    return { kind, errors: [], message: "请选择要导入的 .xlsx 或 .csv 文件。", imported: null };
  return importRoundListFile(actor, roundId, {
    kind,
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const actor = { id: user.id, name: user.name };
  const roundId = params.roundId === "new" ? null : (params.roundId ?? null);
  if (roundId && !(await getRound(roundId))) throw new Response("批次不存在。", { status: 404 });
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    if (!roundId) throw new Response("请先保存批次。", { status: 400 });
    const outcome = await importList(request, roundId, actor);
    return data(
      { result: undefined, importOutcome: outcome, noticeResult: undefined },
      { status: outcome?.imported ? 200 : 400 },
    );
  }
  const formData = await readFormData(request);
  if (formData.get("intent") === "notice") {
    if (!roundId) throw new Response("请先保存批次。", { status: 400 });
    const notice = parseWithZod(formData, { schema: NoticeSchema });
    if (notice.status !== "success")
      return data({ result: undefined, importOutcome: null, noticeResult: notice.reply() }, { status: 400 });
    const outcome = await saveNoticeSettings({ ...actor, roles: user.roles }, roundId, {
      opensAt: notice.value.noticeOpensAt,
      closesAt: notice.value.noticeClosesAt,
      objectionText: notice.value.noticeObjectionText || null,
    });
    if (!outcome.ok) {
      const errors = outcome.field
        ? { fieldErrors: { [outcome.field]: [outcome.message] } }
        : { formErrors: [outcome.message] };
      return data({ result: undefined, importOutcome: null, noticeResult: notice.reply(errors) }, { status: 400 });
    }
    throw redirect(`/staff/rounds/${roundId}?saved=notice`);
  }
  const submission = parseWithZod(formData, { schema: RoundSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply(), importOutcome: null, noticeResult: undefined }, { status: 400 });
  const v = submission.value;
  try {
    const saved = await saveRound(actor, roundId, {
      name: v.name,
      code: v.code,
      year: v.year,
      deadline: v.deadline,
      disbursementDeadline: v.disbursementDeadline,
      perEnterpriseCapFen: v.perEnterpriseCap,
      passMark: v.passMark,
      budgetFen: v.budget,
      status: v.status,
      paperCopiesRequired: v.paperCopiesRequired === "on",
    });
    throw redirect(`/staff/rounds/${saved.id}?saved=1`);
  } catch (error) {
    if (error instanceof LockedParameterError) {
      const fieldErrors = Object.fromEntries(error.problems.map((p) => [p.field, [p.message]]));
      return data(
        { result: submission.reply({ fieldErrors }), importOutcome: null, noticeResult: undefined },
        { status: 400 },
      );
    }
    if (error instanceof DuplicateRoundNameError) {
      return data(
        {
          result: submission.reply({ fieldErrors: { name: [error.message], code: [error.message] } }),
          importOutcome: null,
          noticeResult: undefined,
        },
        { status: 400 },
      );
    }
    throw error;
  }
}

function NoticeSection({
  round,
  lastResult,
}: {
  round: { id: string; code: string; noticeOpensAt: string; noticeClosesAt: string; noticeObjectionText: string };
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm<z.input<typeof NoticeSchema>, z.output<typeof NoticeSchema>>({
    id: `notice-${round.id}`,
    lastResult,
    constraint: getZodConstraint(NoticeSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NoticeSchema }),
    shouldValidate: "onBlur",
    defaultValue: {
      noticeOpensAt: round.noticeOpensAt,
      noticeClosesAt: round.noticeClosesAt,
      noticeObjectionText: round.noticeObjectionText,
    },
  });
  return (
    <section className="card">
      <h2>评审结果公示</h2>
      <p className="muted">
        公示期内，任何人无需登录即可在 <a href={`/notice/${round.code}`}>/notice/{round.code}</a>{" "}
        查看评审合格的企业、服务商和拟补助金额；公示期外页面不显示名单。
      </p>
      {params.get("saved") === "notice" ? <FormMessage tone="success" message="公示设置已保存。" /> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <div className="field-row">
          <Field
            label="公示开始时间（北京时间）"
            inputProps={getInputProps(fields.noticeOpensAt, { type: "datetime-local" })}
            errors={fields.noticeOpensAt.errors}
          />
          <Field
            label="公示结束时间（北京时间）"
            inputProps={getInputProps(fields.noticeClosesAt, { type: "datetime-local" })}
            errors={fields.noticeClosesAt.errors}
          />
        </div>
        <TextareaField
          label="异议方式（受理部门、联系电话、地址等）"
          textareaProps={{ ...getTextareaProps(fields.noticeObjectionText), rows: 3 }}
          errors={fields.noticeObjectionText.errors}
        />
        <input type="hidden" name="intent" value="notice" />
        <button type="submit" disabled={navigation.state === "submitting"}>
          保存公示设置
        </button>
      </Form>
    </section>
  );
}

function ListSection({
  title,
  intent,
  columns,
  rows,
  outcome,
}: {
  title: string;
  intent: "import-enterprises" | "import-providers";
  columns: string[];
  rows: (string | number | null)[][];
  outcome: ListImportOutcome | null;
}) {
  const [query, setQuery] = useState("");
  const shown = query ? rows.filter((r) => r.some((c) => String(c ?? "").includes(query))) : rows;
  return (
    <section className="card">
      <div className="page-head">
        <h2 style={{ margin: 0 }}>
          {title}（{rows.length}）
        </h2>
        <input
          aria-label={`搜索${title}`}
          placeholder="搜索"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <Form method="post" encType="multipart/form-data" className="filters">
        <div className="field">
          <label htmlFor={`${intent}-file`}>导入并替换名单（.xlsx 或 .csv，表头：{columns.join("、")}）</label>
          <input id={`${intent}-file`} type="file" name="list" accept=".xlsx,.csv" />
        </div>
        <button type="submit" name="intent" value={intent} className="button--secondary">
          导入
        </button>
      </Form>
      {outcome?.message ? <FormMessage message={outcome.message} /> : null}
      {outcome?.imported ? (
        <FormMessage tone="success" message={`已导入 ${outcome.imported} 条，原名单已替换。`} />
      ) : null}
      {outcome?.errors.length ? (
        <ul className="field-errors" role="alert" data-testid="import-errors">
          {outcome.errors.map((e) => (
            <li key={`${e.row}-${e.message}`}>
              第 {e.row} 行{e.column ? `（${e.column}）` : ""}：{e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="table-wrap" tabIndex={0} style={{ maxHeight: 420 }}>
        <table className="table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {rows.length === 0 ? "名单为空，请导入。" : "没有匹配的记录。"}
                </td>
              </tr>
            ) : (
              shown.map((r) => (
                <tr key={String(r[0])}>
                  {r.map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default function RoundEditor() {
  const { round } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `round-${round?.id ?? "new"}`,
    lastResult: actionData?.result,
    constraint: getZodConstraint(RoundSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RoundSchema }),
    shouldValidate: "onBlur",
    defaultValue: round
      ? {
          name: round.name,
          code: round.code,
          year: String(round.year),
          deadline: round.deadline,
          disbursementDeadline: round.disbursementDeadline,
          perEnterpriseCap: round.perEnterpriseCap,
          passMark: String(round.passMark),
          budget: round.budget,
          status: round.status,
          paperCopiesRequired: round.paperCopiesRequired ? "on" : undefined,
        }
      : { perEnterpriseCap: "10000.00", passMark: "60", status: "draft", year: String(new Date().getFullYear()) },
  });
  const outcome = actionData?.importOutcome ?? null;
  return (
    <>
      <div className="page-head">
        <h1>
          {round?.isDemo ? <span className="badge badge--demo">演示</span> : null} {round ? round.name : "新建批次"}
        </h1>
        <Link to="/staff/rounds">返回批次列表</Link>
      </div>
      <section className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormMessage message={form.errors?.[0]} />
          <div className="field-row">
            <Field
              label="批次名称"
              inputProps={getInputProps(fields.name, { type: "text" })}
              errors={fields.name.errors}
            />
            <Field
              label="批次代码"
              hint="用于申报编号，如 2023-0001"
              inputProps={getInputProps(fields.code, { type: "text" })}
              errors={fields.code.errors}
            />
            <Field
              label="年度"
              inputProps={getInputProps(fields.year, { type: "number" })}
              errors={fields.year.errors}
            />
            <SelectField
              label="状态"
              selectProps={getSelectProps(fields.status)}
              errors={fields.status.errors}
              options={Object.entries(ROUND_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </div>
          <div className="field-row">
            <Field
              label="申报截止时间（北京时间）"
              hint="截止时刻之后提交一律不受理"
              inputProps={getInputProps(fields.deadline, { type: "datetime-local" })}
              errors={fields.deadline.errors}
            />
            <Field
              label="拨付截止时间（北京时间，选填）"
              inputProps={getInputProps(fields.disbursementDeadline, { type: "datetime-local" })}
              errors={fields.disbursementDeadline.errors}
            />
          </div>
          {round?.parametersLocked ? (
            <p className="notice notice--info" data-testid="parameters-locked">
              {PARAMETERS_LOCKED_REASON}
            </p>
          ) : null}
          <div className="field-row">
            <Field
              label="每家企业补助上限（元）"
              hint={round?.parametersLocked ? "已锁定：本批次已有提交的申报" : "合同金额不足上限的按合同金额"}
              inputProps={{
                ...getInputProps(fields.perEnterpriseCap, { type: "text" }),
                inputMode: "decimal",
                readOnly: round?.parametersLocked,
              }}
              errors={fields.perEnterpriseCap.errors}
            />
            <Field
              label="合格分数线"
              hint={round?.parametersLocked ? "已锁定：本批次已有提交的申报" : undefined}
              inputProps={{ ...getInputProps(fields.passMark, { type: "number" }), readOnly: round?.parametersLocked }}
              errors={fields.passMark.errors}
            />
            <Field
              label="预算总额（元，选填）"
              inputProps={{ ...getInputProps(fields.budget, { type: "text" }), inputMode: "decimal" }}
              errors={fields.budget.errors}
            />
          </div>
          <CheckboxField
            label="受理前须登记纸质材料（一式两份）已收到"
            inputProps={getInputProps(fields.paperCopiesRequired, { type: "checkbox" })}
            errors={fields.paperCopiesRequired.errors}
          />
          <input type="hidden" name="intent" value="save" />
          <button type="submit" disabled={navigation.state === "submitting"}>
            保存
          </button>
        </Form>
      </section>
      {round ? (
        <>
          <NoticeSection round={round} lastResult={actionData?.noticeResult} />
          <ListSection
            title="企业名单"
            intent="import-enterprises"
            columns={["序号", "企业名称"]}
            rows={round.enterprises.map((e) => [e.seq, e.name])}
            outcome={outcome?.kind === "enterprises" ? outcome : null}
          />
          <ListSection
            title="服务商名单"
            intent="import-providers"
            columns={["序号", "服务商名称", "联系人", "联系电话"]}
            rows={round.providers.map((p) => [p.seq, p.name, p.contactName, p.contactPhone])}
            outcome={outcome?.kind === "providers" ? outcome : null}
          />
        </>
      ) : null}
    </>
  );
}
