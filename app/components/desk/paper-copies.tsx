/** R-MAT-3: the two paper copies (纸质材料一式两份) arrived: when and who received them. */
import { Form } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";

export function PaperCopiesSection({
  receivedOn,
  receivedBy,
  canRecord,
  today,
  staffName,
  errors,
  saved,
  required = false,
  late = false,
}: {
  receivedOn: string | null;
  receivedBy: string | null;
  canRecord: boolean;
  today: string;
  staffName: string;
  errors?: { receivedOn?: string; receivedBy?: string; form?: string } | null;
  saved?: boolean;
  /** The round requires the paper copies before 受理 (README decision "Paper copies"). */
  required?: boolean;
  /** They arrived after the round's submission deadline: flagged for the bureau to decide. */
  late?: boolean;
}) {
  return (
    <section className="card" aria-labelledby="paper-heading">
      <h2 id="paper-heading" style={{ marginTop: 0 }}>
        纸质材料（一式两份）
      </h2>
      {receivedOn ? (
        <p className={`notice ${late ? "notice--warning" : "notice--success"}`} data-testid="paper-copies">
          已于 {receivedOn} 收到，接收人：{receivedBy}
          {late ? (
            <span className="badge badge--bad" data-testid="paper-copies-late">
              晚于申报截止日期收到
            </span>
          ) : null}
        </p>
      ) : (
        <p className="notice notice--warning" data-testid="paper-copies">
          尚未登记收到纸质材料。{required ? "本批次要求收到纸质材料后才能受理。" : ""}
        </p>
      )}
      {saved ? <FormMessage tone="success" message="已登记。" /> : null}
      <FormMessage message={errors?.form} />
      {canRecord ? (
        <Form method="post" className="field-row">
          <input type="hidden" name="intent" value="paper-copies" />
          <Field
            label="收到日期"
            inputProps={{
              name: "receivedOn",
              type: "date",
              defaultValue: receivedOn ?? today,
              max: today,
              id: "receivedOn",
            }}
            errors={errors?.receivedOn ? [errors.receivedOn] : null}
          />
          <Field
            label="接收人"
            inputProps={{ name: "receivedBy", type: "text", defaultValue: receivedBy ?? staffName, id: "receivedBy" }}
            errors={errors?.receivedBy ? [errors.receivedBy] : null}
          />
          <div className="field" style={{ alignSelf: "end" }}>
            <button type="submit" className="button--secondary">
              {receivedOn ? "更正纸质材料登记" : "登记收到纸质材料"}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
