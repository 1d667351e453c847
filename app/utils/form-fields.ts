/** Form fields used by more than one form, validated the same way in the browser and on the server. */
import { normaliseAccountNumber } from "~/domain/payee.ts";
import { halfWidthAlphanumerics, hostileCharacterProblem } from "~/domain/text.ts";
import { validateUscc } from "~/domain/uscc.ts";
import { z } from "~/utils/zod.ts";

/** R-ELIG-5: an 18-character unified social credit code with its GB 32100-2015 check character. */
export function usccField(missing: string) {
  return z
    .string({ error: missing })
    .max(60, "统一社会信用代码应为 18 位")
    .transform((value) => halfWidthAlphanumerics(value).trim())
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
  .max(40, "联系电话过长")
  .transform((v) => halfWidthAlphanumerics(v).trim())
  .pipe(z.string().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, "请输入 11 位手机号码或带区号的固定电话"));

/** The address a new account signs in with and is mailed at. */
export const emailField = z
  .string({ error: "请输入电子邮箱" })
  .trim()
  .max(200, "电子邮箱过长")
  .email("请输入有效的电子邮箱地址");

/** A sign-in address as typed on the sign-in and forgotten-password pages. */
export const loginEmailField = z
  .string({ error: "请输入登录邮箱" })
  .trim()
  .max(200, "邮箱过长")
  .email("请输入有效的邮箱地址");

/** An expert's profile, when staff invite the expert and when they edit the profile. */
export const expertProfileFields = {
  name: textField({ label: "姓名", min: 2, max: 30 }),
  phone: phoneField.optional(),
  field: textField({ label: "专业领域", min: 2, max: 50 }),
  organisationName: textField({ label: "工作单位", min: 2, max: 100 }),
};

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
  payeeAccountName: z
    .string({ error: "请输入开户名称" })
    .trim()
    .min(2, "请输入开户名称")
    .max(100, "开户名称不超过 100 字"),
  payeeBankName: z
    .string({ error: "请输入开户银行" })
    .trim()
    .min(4, "请输入开户银行（含支行名称）")
    .max(100, "开户银行不超过 100 字"),
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
  payeeProofFileId: z
    .string({ error: "请上传开户证明（开户许可证或银行出具的账户证明，PDF、JPG 或 PNG）" })
    .min(1, "请上传开户证明（开户许可证或银行出具的账户证明，PDF、JPG 或 PNG）"),
};

/** The subsidy is paid only to the organisation's own account: the account name is the organisation's name. */
export function payeeIsOrganisation(accountName: string, organisationName: string): boolean {
  const squash = (s: string) => s.replace(/\s/g, "").replace(/（/g, "(").replace(/）/g, ")");
  return squash(accountName) === squash(organisationName);
}
export const PAYEE_NAME_MESSAGE = "开户名称须与服务商名称一致（补助资金只拨付至本单位账户）";
/** R-PAY-3: `.refine(...payeeNameMatches)` on a schema with payeeFields and the organisation's name. */
export const payeeNameMatches: [
  (v: { payeeAccountName: string; organisationName: string }) => boolean,
  { path: PropertyKey[]; message: string },
] = [
  (v) => payeeIsOrganisation(v.payeeAccountName, v.organisationName),
  { path: ["payeeAccountName"], message: PAYEE_NAME_MESSAGE },
];
/**
 * A text field as people type it, with a Chinese message at the field for every hostile value: control
 * characters (NUL included), line breaks in one-line fields, bidirectional and zero-width characters,
 * values longer than `max` (a 10 KB paste). Full-width digits and letters are read as ASCII.
 */
export function textField(options: {
  label: string;
  max: number;
  min?: number;
  multiline?: boolean;
  missing?: string;
}) {
  const min = options.min ?? 1;
  const missing = options.missing ?? `请输入${options.label}`;
  return z.string({ error: missing }).transform((raw, ctx) => {
    const problem = hostileCharacterProblem(raw, { multiline: options.multiline });
    if (problem) {
      ctx.addIssue({ code: "custom", message: `${options.label}${problem}` });
      return z.NEVER;
    }
    const value = halfWidthAlphanumerics(raw).trim();
    if (value.length === 0) {
      ctx.addIssue({ code: "custom", message: missing });
      return z.NEVER;
    }
    if (value.length < min) {
      ctx.addIssue({ code: "custom", message: `${options.label}至少 ${min} 个字` });
      return z.NEVER;
    }
    if (value.length > options.max) {
      ctx.addIssue({
        code: "custom",
        message: `${options.label}不能超过 ${options.max} 个字（现为 ${value.length} 个）`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * The optimistic-concurrency version a form carries back (hidden field): digits only. An empty or
 * non-numeric value is refused with a message, never read as 0 (`z.coerce.number()` reads "" as 0).
 */
export const versionField = z
  .string({ error: "缺少版本号，请刷新页面后重试" })
  .regex(/^\d{1,9}$/, "版本号无效，请刷新页面后重试")
  .transform(Number);

/**
 * The hostile-character check of textField for a field kept as a plain z.string() chain (its own
 * messages): control characters (NUL would fail in PostgreSQL as a 500), bidi and zero-width characters,
 * line breaks unless `multiline`. Use as `.superRefine(refuseHostileCharacters("退回理由", { multiline: true }))`.
 */
export function refuseHostileCharacters(label: string, options: { multiline?: boolean } = {}) {
  return (value: string, ctx: { addIssue: (issue: { code: "custom"; message: string }) => void }) => {
    const problem = hostileCharacterProblem(value, options);
    if (problem) ctx.addIssue({ code: "custom", message: `${label}${problem}` });
  };
}
