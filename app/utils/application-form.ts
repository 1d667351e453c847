/**
 * The application's data form, shared by the "new" and "edit" pages and the browser (conform constraints).
 * Money is typed in yuan and kept as integer fen; dates are calendar days in Beijing.
 */
import { MAX_AMOUNT_FEN, parseYuanToFen } from "~/domain/money.ts";
import { parseCalendarDate } from "~/domain/shanghai-time.ts";
import { textField, usccField } from "~/utils/form-fields.ts";
import { z } from "~/utils/zod.ts";

/** The earliest contract date taken as plausible (the holiday calendar of R-DATE-2 starts in 2004). */
export const EARLIEST_DATE = "2004-01-01";

/**
 * A real calendar day (2022-02-30, 2022-13-45 and 0000-00-00 are refused), not before EARLIEST_DATE
 * and not after `today` (Beijing, from the server's clock): a contract signed or a diagnosis completed
 * tomorrow has not happened.
 */
const date = (label: string, today: string) =>
  z
    .string({ error: `请选择${label}` })
    .max(40, `${label}格式应为 年-月-日`)
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label}格式应为 年-月-日`, abort: true })
    .refine((value) => parseCalendarDate(value) !== null, {
      message: `${label}不是有效的日期，请检查年、月、日`,
      abort: true,
    })
    .refine((value) => value >= EARLIEST_DATE, { message: `${label}不能早于 ${EARLIEST_DATE}`, abort: true })
    .refine((value) => value <= today, `${label}不能晚于今天（${today}）`);

/** The application's data as typed; `today` is the Beijing day of the server's clock (the loader gives it to the browser). */
export const applicationDataSchema = (today: string) =>
  z
    .object({
      enterpriseUscc: usccField("请输入被诊断企业的统一社会信用代码"),
      reportTitle: textField({ label: "诊断报告名称", min: 4, max: 100 }),
      contractAmount: z
        .string({ error: "请输入合同金额" })
        .max(40, "金额格式不正确，请输入数字，如 10000 或 9,999.99")
        .trim()
        .transform((value, ctx) => {
          const parsed = parseYuanToFen(value, { maxFen: MAX_AMOUNT_FEN });
          if (!parsed.ok) {
            ctx.addIssue({ code: "custom", message: parsed.message });
            return z.NEVER;
          }
          return parsed.fen;
        }),
      contractSignedOn: date("合同签订日期", today),
      diagnosisCompletedOn: date("诊断完成日期", today),
    })
    .refine((v) => v.diagnosisCompletedOn >= v.contractSignedOn, {
      path: ["diagnosisCompletedOn"],
      message: "诊断完成日期不能早于合同签订日期",
    });

export const newApplicationSchema = (today: string) =>
  applicationDataSchema(today).and(
    z.object({
      enterpriseId: z.string({ error: "请从企业名单中选择被诊断企业" }).min(1, "请从企业名单中选择被诊断企业"),
      eligibility: z.literal("on", { error: "请确认被诊断企业为张店区民营制造业企业" }),
    }),
  );
