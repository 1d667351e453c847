import { type FieldMetadata, getInputProps } from "@conform-to/react";

import { groupAccountNumber, PAYEE_STATES, type PayeeAccount, type PayeeState } from "~/domain/payee.ts";

import { FileField, type KeptFile } from "./file-field.tsx";
import { Field } from "./forms.tsx";

/**
 * R-PAY-3: the payee account (收款账户) and its proof, at registration and when the provider changes
 * it; validated on both sides by payeeFields and payeeNameMatches (app/utils/form-fields.ts).
 */
export function PayeeFields({
  fields,
  proof,
  defaultAccountName,
}: {
  fields: {
    payeeAccountName: FieldMetadata<string>;
    payeeBankName: FieldMetadata<string>;
    payeeAccountNumber: FieldMetadata<string>;
    payeeProofFileId: FieldMetadata<string>;
  };
  /** The proof uploaded by an earlier, refused attempt. */
  proof: KeptFile | null;
  /** What the account name starts as when nothing was typed (the organisation's name). */
  defaultAccountName?: string;
}) {
  return (
    <>
      <Field
        label="开户名称"
        hint="与服务商名称一致"
        inputProps={{
          ...getInputProps(fields.payeeAccountName, { type: "text" }),
          defaultValue: fields.payeeAccountName.initialValue ?? defaultAccountName,
        }}
        errors={fields.payeeAccountName.errors}
      />
      <Field
        label="开户银行"
        hint="写到支行，如：中国工商银行淄博张店支行"
        inputProps={getInputProps(fields.payeeBankName, { type: "text" })}
        errors={fields.payeeBankName.errors}
      />
      <Field
        label="银行账号"
        hint="8 至 30 位数字，可按卡面分组输入空格"
        inputProps={{
          ...getInputProps(fields.payeeAccountNumber, { type: "text" }),
          inputMode: "numeric",
          autoComplete: "off",
        }}
        errors={fields.payeeAccountNumber.errors}
      />
      <FileField
        name="payeeProof"
        label="开户证明（开户许可证或银行出具的账户证明，PDF、JPG 或 PNG）"
        field={fields.payeeProofFileId}
        kept={proof}
      />
    </>
  );
}

/** R-PAY-3: a payee account as the provider and staff read it: name, bank, number in groups, state. */
export function PayeeAccountFacts({
  account,
  state,
  testId,
  children,
}: {
  account: PayeeAccount;
  state: PayeeState;
  testId: string;
  /** More rows (dt, dd) after the state. */
  children?: React.ReactNode;
}) {
  return (
    <dl className="facts" data-testid={testId}>
      <dt>开户名称</dt>
      <dd>{account.accountName}</dd>
      <dt>开户银行</dt>
      <dd>{account.bankName}</dd>
      <dt>银行账号</dt>
      <dd>{groupAccountNumber(account.accountNumber)}</dd>
      <dt>状态</dt>
      <dd data-testid="payee-state">{PAYEE_STATES[state]}</dd>
      {children}
    </dl>
  );
}
