/** Form fields used by more than one form, validated the same way in the browser and on the server. */
import { normaliseAccountNumber } from "~/domain/payee.ts";
import { validateUscc } from "~/domain/uscc.ts";
import { z } from "~/utils/zod.ts";

/** R-ELIG-5: an 18-character unified social credit code with its GB 32100-2015 check character. */
export function usccField(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .transform((value, ctx) => {
      const result = validateUscc(value);
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.message });
        return z.NEVER;
      }
      return result.code;
    });
}

export const phoneField = z
  .string({ error: "请输入联系电话" })
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, "请输入 11 位手机号码或带区号的固定电话");

export const newPasswordFields = {
  password: z
    .string({ error: "请设置密码" })
    .min(8, "密码至少 8 位")
    .max(72, "密码不超过 72 位")
    .regex(/[A-Za-z]/, "密码须包含字母")
    .regex(/\d/, "密码须包含数字"),
  confirmPassword: z.string({ error: "请再次输入密码" }),
};

export const passwordsMatch: [
  (v: { password: string; confirmPassword: string }) => boolean,
  { path: PropertyKey[]; message: string },
] = [(v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "两次输入的密码不一致" }];

/** R-PAY-3: the payee account (收款账户) of a provider, at registration and when it changes. */
export const payeeFields = {
  payeeAccountName: z.string({ error: "请输入开户名称" }).trim().min(2, "请输入开户名称").max(100, "开户名称不超过 100 字"),
  payeeBankName: z.string({ error: "请输入开户银行" }).trim().min(4, "请输入开户银行（含支行名称）").max(100, "开户银行不超过 100 字"),
  payeeAccountNumber: z
    .string({ error: "请输入银行账号" })
    .trim()
    .transform((value, ctx) => {
      const result = normaliseAccountNumber(value);
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.message });
        return z.NEVER;
      }
      return result.accountNumber;
    }),
  payeeProofFileId: z.string({ error: "请上传开户证明（开户许可证或银行出具的账户证明，PDF、JPG 或 PNG）" }).min(1, "请上传开户证明（开户许可证或银行出具的账户证明，PDF、JPG 或 PNG）"),
};

/** The subsidy is paid only to the organisation's own account: the account name is the organisation's name. */
export function payeeIsOrganisation(accountName: string, organisationName: string): boolean {
  const squash = (s: string) => s.replace(/\s/g, "").replace(/（/g, "(").replace(/）/g, ")");
  return squash(accountName) === squash(organisationName);
}
export const PAYEE_NAME_MESSAGE = "开户名称须与服务商名称一致（补助资金只拨付至本单位账户）";
