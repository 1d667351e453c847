import { type FieldMetadata, getInputProps } from "@conform-to/react";

import { Field } from "./forms.tsx";

/**
 * An expert's profile (validated by expertProfileFields, app/utils/form-fields.ts), when staff invite
 * the expert (with the address the invitation goes to) and when they edit it.
 */
export function ExpertProfileFields({
  fields,
}: {
  fields: {
    name: FieldMetadata<string>;
    email?: FieldMetadata<string>;
    phone: FieldMetadata<string>;
    field: FieldMetadata<string>;
    organisationName: FieldMetadata<string>;
  };
}) {
  return (
    <>
      <Field label="姓名" inputProps={getInputProps(fields.name, { type: "text" })} errors={fields.name.errors} />
      {fields.email ? (
        <Field
          label="电子邮箱"
          inputProps={getInputProps(fields.email, { type: "email" })}
          errors={fields.email.errors}
        />
      ) : null}
      <Field
        label="联系电话（选填）"
        inputProps={getInputProps(fields.phone, { type: "tel" })}
        errors={fields.phone.errors}
      />
      <Field
        label="专业领域"
        inputProps={{ ...getInputProps(fields.field, { type: "text" }), placeholder: "例如：智能制造、工业软件" }}
        errors={fields.field.errors}
      />
      <Field
        label="工作单位"
        inputProps={getInputProps(fields.organisationName, { type: "text" })}
        errors={fields.organisationName.errors}
      />
    </>
  );
}
