import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { currentRound } from "~/models/round.server.ts";
import { summaryTableState, uploadSummaryTable } from "~/models/summary-table.server.ts";
import { parseFormWithUploads } from "~/services/multipart.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "被诊断企业汇总表（M7） · 智能化改造咨询诊断补助申报平台" }];

/** M7 (R-MAT-2): one summary table per provider per round: download, sign and seal, upload once. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const round = await currentRound();
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  return { round: { name: round.name }, state: await summaryTableState(user.organisation.id, round.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const round = await currentRound();
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  const { uploaded, uploadErrors } = await parseFormWithUploads(request, { table: { purpose: "materials" } }, user.id);
  if (uploadErrors.table) return data({ error: uploadErrors.table }, { status: 400 });
  if (!uploaded.table) return data({ error: "请选择签字盖章后的汇总表扫描件（PDF、JPG 或 PNG）。" }, { status: 400 });
  const outcome = await uploadSummaryTable(
    { userId: user.id, userName: user.name, organisationId: user.organisation.id },
    round.id,
    uploaded.table.id,
  );
  if (!outcome.ok) return data({ error: outcome.message }, { status: 409 });
  throw redirect(`/provider/summary?uploaded=${outcome.filedOn.length}`);
}

export default function SummaryTablePage() {
  const { round, state } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const uploadedCount = searchParams.get("uploaded");
  return (
    <section className="card">
      <div className="page-head">
        <h1>被诊断企业汇总表（M7）</h1>
        <Link to="/provider">返回申报列表</Link>
      </div>
      <p className="muted">
        {round.name}：每个服务商每批次一份汇总表，列出本单位在本批次的全部申报（共 {state.applicationCount}{" "}
        份）。下载后核对、签字盖章，扫描上传一次，系统将其计入每份申报的材料。
        汇总表生成后如又新建申报，须重新下载并上传。
      </p>
      {uploadedCount ? <FormMessage tone="success" message={`汇总表已上传，并计入 ${uploadedCount} 份申报。`} /> : null}
      <dl className="facts" data-testid="summary-state">
        <dt>已上传的汇总表</dt>
        <dd>
          {state.uploaded ? (
            <>
              {state.uploaded.file ? (
                <a href={`/resources/files/${state.uploaded.file.id}`} target="_blank" rel="noreferrer">
                  {state.uploaded.file.fileName}
                </a>
              ) : null}
              （{state.uploaded.uploadedAt} 上传；生成于 {state.uploaded.generatedAt}，校验码 {state.uploaded.checkCode}
              ，列出 {state.uploaded.count} 份申报）
              {state.uploaded.stale ? (
                <span className="badge badge--bad" data-testid="summary-stale">
                  已过期：之后新建了 {state.uploaded.added.join("、")}
                </span>
              ) : (
                <span className="badge badge--ok">有效</span>
              )}
            </>
          ) : (
            "尚未上传"
          )}
        </dd>
        <dt>最近一次下载</dt>
        <dd>
          {state.generated
            ? `${state.generated.generatedAt}（校验码 ${state.generated.checkCode}，列出 ${state.generated.count} 份申报）`
            : "尚未下载"}
        </dd>
      </dl>
      <p>
        <a className="button button--secondary" href="/resources/provider/summary-table">
          下载被诊断企业汇总表（M7）
        </a>
      </p>
      <Form method="post" encType="multipart/form-data">
        <Field
          errors={actionData?.error ? [actionData.error] : undefined}
          label="上传签字盖章后的汇总表（PDF、JPG 或 PNG）"
          hint="上传的是最近一次下载的汇总表；请确认扫描件上的校验码与上方一致。"
          inputProps={{
            type: "file",
            name: "table",
            accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
            required: true,
          }}
        />
        <button type="submit" disabled={navigation.state === "submitting"}>
          上传汇总表
        </button>
      </Form>
    </section>
  );
}
