import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { withChosenFiles } from "~/components/file-field.tsx";
import { FormMessage } from "~/components/forms.tsx";
import { PayeeAccountFacts, PayeeFields } from "~/components/payee-fields.tsx";
import { changePayeeAccount, payeeOf } from "~/models/payee.server.ts";
import { keptFile, parseFormWithUploads } from "~/services/multipart.server.ts";
import { payeeFields, payeeNameMatches } from "~/utils/form-fields.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

export const meta: MetaFunction = () => [{ title: "收款账户 · 智能化改造咨询诊断补助申报平台" }];

const PayeeSchema = z.object({ organisationName: z.string(), ...payeeFields }).refine(...payeeNameMatches);

/** R-PAY-3: the provider's payee account; a change needs staff verification before any payout to it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const payee = await payeeOf(user.organisation.id);
  return {
    organisationName: user.organisation.name,
    payee: payee && {
      state: payee.state,
      changedAt: payee.changedAt,
      verifiedAt: payee.verifiedAt,
      account: payee.account,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const { formData, uploaded, uploadErrors } = await parseFormWithUploads(
    request,
    { payeeProof: { purpose: "licences" } },
    user.id,
  );
  const proof = keptFile(formData, uploaded, "payeeProof", "payeeProofFileId");
  formData.set("organisationName", user.organisation.name);
  const submission = parseWithZod(formData, { schema: PayeeSchema });
  if (submission.status !== "success" || uploadErrors.payeeProof) {
    return data(
      {
        result: submission.reply({
          fieldErrors: uploadErrors.payeeProof ? { payeeProofFileId: [uploadErrors.payeeProof] } : undefined,
        }),
        proof,
      },
      { status: 400 },
    );
  }
  const v = submission.value;
  const outcome = await changePayeeAccount({ id: user.id, name: user.name }, user.organisation.id, {
    accountName: v.payeeAccountName,
    bankName: v.payeeBankName,
    accountNumber: v.payeeAccountNumber,
    proofFileId: v.payeeProofFileId,
  });
  if (!outcome.ok) {
    return data(
      {
        result: submission.reply(
          outcome.field ? { fieldErrors: { [outcome.field]: [outcome.message] } } : { formErrors: [outcome.message] },
        ),
        proof: outcome.field ? null : proof,
      },
      { status: 400 },
    );
  }
  throw redirect("/provider/payee?changed=1");
}

export default function ProviderPayee() {
  const { organisationName, payee } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "payee",
    lastResult: actionData?.result,
    constraint: getZodConstraint(PayeeSchema),
    onValidate: ({ formData }) =>
      parseWithZod(withChosenFiles(formData, { payeeProof: "payeeProofFileId" }), { schema: PayeeSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const proof = actionData?.proof ?? null;
  return (
    <>
      <div className="page-head">
        <h1>收款账户</h1>
        <Link to="/provider/payouts">返回补助拨付</Link>
      </div>
      {params.get("changed") ? (
        <FormMessage
          tone="success"
          message="收款账户已变更，变更通知已发送至本单位注册邮箱。新账户经区工信局核验后方可用于拨付。"
        />
      ) : null}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>当前账户</h2>
        {payee?.account ? (
          <PayeeAccountFacts account={payee.account} state={payee.state} testId="current-payee" />
        ) : (
          <p className="empty">尚未登记收款账户。登记并经区工信局核验后，补助资金方可拨付。</p>
        )}
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>{payee?.account ? "变更收款账户" : "登记收款账户"}</h2>
        <p className="muted">
          变更后，新账户须经区工信局对照开户证明核验；核验前本单位的申报暂不编入拨付批次。变更通知将发送至本单位注册邮箱。
        </p>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
          <FormMessage message={form.errors?.[0]} />
          <input type="hidden" name="organisationName" value={organisationName} />
          <PayeeFields fields={fields} proof={proof} defaultAccountName={organisationName} />
          <button type="submit" disabled={navigation.state === "submitting"}>
            提交变更
          </button>
        </Form>
      </section>
    </>
  );
}
