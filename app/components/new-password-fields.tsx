import { type FieldMetadata, getInputProps } from "@conform-to/react";

import { Field } from "./forms.tsx";

/** The password and its confirmation, for registration and invitations. */
export function NewPasswordFields({
  password,
  confirm,
}: {
  password: FieldMetadata<string>;
  confirm: FieldMetadata<string>;
}) {
  return (
    <div className="field-row">
      <Field
        label="密码"
        hint="至少 8 位，包含字母和数字"
        inputProps={{ ...getInputProps(password, { type: "password" }), autoComplete: "new-password" }}
        errors={password.errors}
      />
      <Field
        label="确认密码"
        inputProps={{ ...getInputProps(confirm, { type: "password" }), autoComplete: "new-password" }}
        errors={confirm.errors}
      />
    </div>
  );
}
