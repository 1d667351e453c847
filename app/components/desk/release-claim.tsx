/**
 * R-ELIG-4: a provider's draft holds its enterprise for the round. Staff can release it, with a reason
 * that goes on the record and in the mail to the provider.
 */
import { Form } from "@remix-run/react";

import { Field } from "~/components/forms.tsx";

export function ReleaseClaimSection({
  enterpriseName,
  providerName,
  error,
  busy,
}: {
  enterpriseName: string;
  providerName: string;
  error?: string;
  busy: boolean;
}) {
  return (
    <section className="card" aria-labelledby="release-heading" data-testid="release-claim">
      <h2 id="release-heading" style={{ marginTop: 0 }}>
        释放企业占用
      </h2>
      <p className="small muted">
        该申报仍是草稿，“{enterpriseName}”在本批次由“{providerName}
        ”占用，其他服务商不能为其申报。释放后草稿及其材料将删除（记入操作记录），服务商会收到邮件通知。
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="release-claim" />
        <Field
          label="释放原因"
          inputProps={{
            name: "releaseReason",
            type: "text",
            id: "releaseReason",
            required: true,
            minLength: 2,
            maxLength: 200,
          }}
          errors={error ? [error] : null}
        />
        <button type="submit" className="button--danger" disabled={busy}>
          释放并撤销草稿
        </button>
      </Form>
    </section>
  );
}
