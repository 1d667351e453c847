/** Form fields used by more than one form, validated the same way in the browser and on the server. */
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
