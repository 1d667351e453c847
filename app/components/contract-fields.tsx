import { type FieldMetadata, getInputProps } from "@conform-to/react";
import { useState } from "react";

import { DueDateNotice } from "./due-date.tsx";
import { Field } from "./forms.tsx";

/** The contract amount and the two dates of an application, with the R-DATE-2 due date below them. */
export function ContractFields({
  amount,
  signedOn,
  completedOn,
}: {
  amount: FieldMetadata<string>;
  signedOn: FieldMetadata<string>;
  completedOn: FieldMetadata<string>;
}) {
  const [signed, setSigned] = useState(String(signedOn.initialValue ?? ""));
  const [completed, setCompleted] = useState(String(completedOn.initialValue ?? ""));
  return (
    <>
      <div className="field-row">
        <Field
          label="合同金额（元）"
          hint="最多两位小数，不超过 10,000,000 元"
          inputProps={{ ...getInputProps(amount, { type: "text" }), inputMode: "decimal" }}
          errors={amount.errors}
        />
        <Field
          label="合同签订日期"
          inputProps={{ ...getInputProps(signedOn, { type: "date" }), onChange: (e) => setSigned(e.target.value) }}
          errors={signedOn.errors}
        />
        <Field
          label="诊断完成日期"
          inputProps={{
            ...getInputProps(completedOn, { type: "date" }),
            onChange: (e) => setCompleted(e.target.value),
          }}
          errors={completedOn.errors}
        />
      </div>
      <DueDateNotice signedOn={signed} completedOn={completed} />
    </>
  );
}
