/**
 * R-ELIG-2 on the staff provider page: suspend a verified provider with a reason (运行不规范或信用记录不良),
 * or lift the suspension. Both are mailed to the provider and recorded.
 */
import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { Form, useSearchParams } from "@remix-run/react";

import { FormMessage, TextareaField } from "~/components/forms.tsx";

export function ProviderStanding({
  suspendedAt,
  suspendedReason,
  lastResult,
  busy,
}: {
  suspendedAt: string | null;
  suspendedReason: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
  busy: boolean;
}) {
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<{ suspendReason: string; liftNote: string }>({
    id: "standing",
    lastResult,
    shouldValidate: "onSubmit",
  });
  const done = searchParams.get("standing");
  return (
    <div data-testid="provider-standing">
      <h2>申报资格</h2>
      {done === "suspend" ? <FormMessage tone="success" message="已暂停该服务商的申报资格，并已邮件通知。" /> : null}
      {done === "lift" ? <FormMessage tone="success" message="已恢复该服务商的申报资格，并已邮件通知。" /> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        {suspendedAt ? (
          <>
            <p className="notice notice--error" data-testid="suspended">
              已于 {suspendedAt} 暂停申报资格：{suspendedReason}
              。暂停期间不能新建或提交申报，其未完结的申报在受理列表中标记。
            </p>
            <TextareaField
              label="恢复说明（选填）"
              textareaProps={{ name: fields.liftNote.name, id: fields.liftNote.id, rows: 2 }}
              errors={fields.liftNote.errors}
            />
            <button type="submit" name="intent" value="lift" className="button--secondary" disabled={busy}>
              恢复申报资格
            </button>
          </>
        ) : (
          <>
            <p className="small muted">
              服务商运行不规范或信用记录不良的，可暂停其申报资格；原因将以邮件告知服务商并记录在案。
            </p>
            <TextareaField
              label="暂停原因"
              textareaProps={{
                name: fields.suspendReason.name,
                id: fields.suspendReason.id,
                rows: 2,
                placeholder: "例如：经查被列入经营异常名录",
              }}
              errors={fields.suspendReason.errors}
            />
            <button type="submit" name="intent" value="suspend" className="button--danger" disabled={busy}>
              暂停申报资格
            </button>
          </>
        )}
      </Form>
    </div>
  );
}
