import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { FileView } from "~/components/file-view.tsx";
import { FormMessage } from "~/components/forms.tsx";
import { PayeeAccountFacts } from "~/components/payee-fields.tsx";
import { getOrganisation } from "~/models/organisation.server.ts";
import { payeeOf, verifyPayeeAccount } from "~/models/payee.server.ts";
import { readFormData } from "~/utils/form-data.server.ts";
import { requireUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "收款账户核验 · 智能化改造咨询诊断补助申报平台" }];

const VerifySchema = z.object({ intent: z.literal("verify-payee"), accountNumber: z.string().min(1) });

/** R-PAY-3: staff check a provider's (changed) payee account against its proof before any payout to it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff"] });
  const org = await getOrganisation(params.organisationId ?? "");
  if (!org) throw new Response("服务商不存在。", { status: 404 });
  const payee = await payeeOf(org.id);
  return { org: { id: org.id, name: org.name, status: org.status }, payee };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff"] });
  const parsed = VerifySchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return data({ message: "请求无效，请刷新页面。" }, { status: 400 });
  const organisationId = params.organisationId ?? "";
  const outcome = await verifyPayeeAccount({ id: user.id, name: user.name }, organisationId, {
    accountNumber: parsed.data.accountNumber,
  });
  if (!outcome.ok) return data({ message: outcome.message }, { status: 409 });
  throw redirect(`/staff/providers/${organisationId}/payee?verified=1`);
}

export default function PayeeVerification() {
  const { org, payee } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>{org.name} 收款账户</h1>
        <Link to={`/staff/providers/${org.id}`}>返回服务商</Link>
      </div>
      {params.get("verified") ? <FormMessage tone="success" message="收款账户已核验，服务商已收到通知。" /> : null}
      {actionData?.message ? <FormMessage message={actionData.message} /> : null}
      <div className="two-col">
        <section className="card">
          <h2 style={{ marginTop: 0 }}>开户证明</h2>
          {payee?.proof ? (
            <>
              <div className="preview">
                <FileView fileId={payee.proof.id} fileName="开户证明" contentType={payee.proof.contentType} />
              </div>
              <p className="small muted">
                {payee.proof.fileName} · <a href={`/resources/files/${payee.proof.id}?download`}>下载</a>
              </p>
            </>
          ) : (
            <p className="empty">未上传开户证明。</p>
          )}
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>账户</h2>
          {payee?.account ? (
            <PayeeAccountFacts account={payee.account} state={payee.state} testId="payee-account">
              <dt>最近变更</dt>
              <dd>{payee.changedAt ?? "—"}</dd>
              <dt>核验</dt>
              <dd>{payee.verifiedAt ? `${payee.verifiedBy ?? ""} 于 ${payee.verifiedAt}` : "未核验"}</dd>
            </PayeeAccountFacts>
          ) : (
            <p className="empty">该服务商尚未登记收款账户。</p>
          )}
          {payee?.account && payee.state === "pending" ? (
            org.status === "verified" ? (
              <Form method="post">
                <input type="hidden" name="accountNumber" value={payee.account.accountNumber} />
                <p>
                  请对照开户证明核对开户名称、开户银行和银行账号；必要时电话联系服务商确认变更系本单位所为。核验后该账户即用于拨付。
                </p>
                <button type="submit" name="intent" value="verify-payee" disabled={navigation.state === "submitting"}>
                  核验通过
                </button>
              </Form>
            ) : (
              <p className="muted">该服务商注册尚未审核；审核通过时一并核验收款账户。</p>
            )
          ) : null}
          <p className="small">
            <Link to={`/staff/audit?entityType=organisation&entityId=${org.id}`}>查看变更记录</Link>
          </p>
        </section>
      </div>
    </>
  );
}
