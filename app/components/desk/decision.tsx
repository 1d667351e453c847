/** 形式审查的决定: accept (受理), return for supplement (退回补正) or refuse (不予受理). */
import { Form } from "@remix-run/react";

import { ErrorList, FormMessage } from "~/components/forms.tsx";

import { DECISION_FORM_ID } from "./materials-review.tsx";

export function DecisionSection({
  version,
  defaultDueOn,
  today,
  busy,
  errors,
}: {
  version: number;
  defaultDueOn: string | null;
  today: string;
  busy: boolean;
  errors: { form?: string; verdicts?: string; dueAt?: string; reason?: string };
}) {
  return (
    <section className="card" aria-labelledby="decision-heading">
      <h2 id="decision-heading" style={{ marginTop: 0 }}>
        形式审查决定
      </h2>
      <p className="small muted">
        先在上方逐项给出每份材料的审查意见。退回补正时，所有不合格材料及原因将一次性告知服务商（一次性告知），已合格的材料之后不能再退回。
      </p>
      <FormMessage message={errors.form} />
      <FormMessage message={errors.verdicts} />
      <Form method="post" id={DECISION_FORM_ID}>
        <input type="hidden" name="version" value={version} />
        <div style={{ marginBottom: "1rem" }}>
          <button type="submit" name="intent" value="accept" disabled={busy}>
            受理（进入专家评审）
          </button>
        </div>
        <fieldset className="field" style={{ border: "1px solid #eee", padding: "0.75rem" }}>
          <legend>退回补正</legend>
          <div className="field">
            <label htmlFor="dueOn">补正截止日期（当日 24:00 前，北京时间）</label>
            <input
              id="dueOn"
              name="dueOn"
              type="date"
              min={today}
              defaultValue={defaultDueOn ?? ""}
              aria-invalid={errors.dueAt ? true : undefined}
              aria-describedby={errors.dueAt ? "dueOn-error" : undefined}
            />
            <ErrorList id="dueOn-error" errors={errors.dueAt ? [errors.dueAt] : null} />
          </div>
          <div className="field">
            <label htmlFor="note">其他说明（可选，随补正通知发送）</label>
            <textarea id="note" name="note" maxLength={1000} rows={2} />
          </div>
          <button type="submit" name="intent" value="return" className="button--secondary" disabled={busy}>
            退回补正
          </button>
        </fieldset>
        <fieldset className="field" style={{ border: "1px solid #eee", padding: "0.75rem" }}>
          <legend>不予受理</legend>
          <div className="field">
            <label htmlFor="refusalReason">不予受理原因</label>
            <textarea
              id="refusalReason"
              name="refusalReason"
              maxLength={500}
              rows={2}
              placeholder="例如：被诊断企业不在本批次名单内"
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "refusalReason-error" : undefined}
            />
            <ErrorList id="refusalReason-error" errors={errors.reason ? [errors.reason] : null} />
          </div>
          <button type="submit" name="intent" value="refuse" className="button--danger" disabled={busy}>
            不予受理
          </button>
        </fieldset>
      </Form>
    </section>
  );
}
