/**
 * The application's data form, shared by the "new" and "edit" pages and the browser (conform constraints).
 * Money is typed in yuan and kept as integer fen; dates are calendar days in Beijing.
 */
import { parseYuanToFen } from "~/domain/money.ts";
import { usccField } from "~/utils/form-fields.ts";
import { z } from "~/utils/zod.ts";

const MAX_CONTRACT_FEN = 100_000_000 * 100; // 1 亿元

const date = (label: string) =>
  z
    .string({ error: `请选择${label}` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 年-月-日`);

export const ApplicationDataSchema = z
  .object({
    enterpriseUscc: usccField("请输入被诊断企业的统一社会信用代码"),
    reportTitle: z.string({ error: "请输入诊断报告名称" }).trim().min(4, "诊断报告名称至少 4 个字").max(100, "诊断报告名称不超过 100 字"),
    contractAmount: z
      .string({ error: "请输入合同金额" })
      .trim()
      .transform((value, ctx) => {
        const parsed = parseYuanToFen(value, { maxFen: MAX_CONTRACT_FEN });
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }
        return parsed.fen;
      }),
    contractSignedOn: date("合同签订日期"),
    diagnosisCompletedOn: date("诊断完成日期"),
  })
  .refine((v) => v.diagnosisCompletedOn >= v.contractSignedOn, {
    path: ["diagnosisCompletedOn"],
    message: "诊断完成日期不能早于合同签订日期",
  });

export const NewApplicationSchema = ApplicationDataSchema.and(
  z.object({
    enterpriseId: z.string({ error: "请从企业名单中选择被诊断企业" }).min(1, "请从企业名单中选择被诊断企业"),
    eligibility: z.literal("on", { error: "请确认被诊断企业为张店区民营制造业企业" }),
  }),
);
