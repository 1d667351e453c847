/**
 * R-REV-5: the round's review settings on the assignment page — experts per application and the review
 * deadline (Beijing time) — and the form that asks for a preview of "assign all". Staff edit them; an
 * approver sees them. The settings form's schema is shared with the route's action, so the browser checks
 * the same rules as the server.
 */
import { getFormProps, getInputProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";

import { Field, FormMessage } from "~/components/forms.tsx";
import { parseShanghaiMinute } from "~/domain/shanghai-time.ts";
import { z } from "~/utils/zod.ts";

/** Experts per application (k), in the settings and in "assign all". */
export const expertsPerApplication = z.coerce
  .number({ error: "请输入每份申报的评审专家人数" })
  .int("人数须为整数")
  .min(1, "每份申报至少 1 位专家")
  .max(9, "每份申报至多 9 位专家");

export const SettingsSchema = z.object({
  intent: z.literal("settings"),
  reviewsPerApplication: expertsPerApplication,
  reviewDeadline: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      // A deadline of 17:00 still takes 17:00:30.
      const parsed = parseShanghaiMinute(value, "end");
      if (!parsed) {
        ctx.addIssue({ code: "custom", message: "评审截止时间格式应为 年-月-日 时:分" });
        return z.NEVER;
      }
      return parsed;
    }),
});

export type ReviewSettings = {
  reviewsPerApplication: number;
  /** The deadline as a datetime-local value ("" when none is set). */
  reviewDeadline: string;
  /** The deadline for reading, null when none is set. */
  reviewDeadlineText: string | null;
};

/** Staff: the settings form, then the request for a preview of "assign all". */
export function AssignmentSettings({
  roundId,
  settings,
  previewK,
  lastResult,
  busy,
}: {
  roundId: string;
  settings: ReviewSettings;
  /** The k of the preview asked for last, if any. */
  previewK: number | undefined;
  lastResult: SubmissionResult<string[]> | undefined;
  busy: boolean;
}) {
  const [form, fields] = useForm({
    id: "settings",
    lastResult,
    constraint: getZodConstraint(SettingsSchema),
    defaultValue: {
      reviewsPerApplication: String(settings.reviewsPerApplication),
      reviewDeadline: settings.reviewDeadline,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>评审设置</h2>
      <Form method="post" action={`?round=${encodeURIComponent(roundId)}`} {...getFormProps(form)}>
        <FormMessage message={form.errors?.[0]} />
        <Field
          label="每份申报的评审专家人数"
          inputProps={getInputProps(fields.reviewsPerApplication, { type: "number" })}
          errors={fields.reviewsPerApplication.errors}
        />
        <Field
          label="评审截止时间（北京时间）"
          inputProps={getInputProps(fields.reviewDeadline, { type: "datetime-local" })}
          errors={fields.reviewDeadline.errors}
        />
        <button type="submit" name="intent" value="settings" disabled={busy}>
          保存设置
        </button>
      </Form>
      <h2>自动分配</h2>
      <p className="small muted">
        为所有已受理的申报（以及因撤回而专家不足的评审中申报）分配专家：避开回避单位，均衡各专家的任务数。先预览，确认后才会保存并发送邮件。
      </p>
      <Form method="get">
        <input type="hidden" name="round" value={roundId} />
        <input type="hidden" name="preview" value="1" />
        <div className="field">
          <label htmlFor="preview-k">每份申报的专家人数</label>
          <input
            id="preview-k"
            name="k"
            type="number"
            min={1}
            max={9}
            defaultValue={previewK ?? settings.reviewsPerApplication}
          />
        </div>
        <button type="submit">自动分配</button>
      </Form>
    </section>
  );
}

/** An approver: the settings, read only. */
export function ReviewSettingsFacts({ settings }: { settings: ReviewSettings }) {
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>评审设置</h2>
      <dl className="facts">
        <dt>每份申报专家人数</dt>
        <dd>{settings.reviewsPerApplication}</dd>
        <dt>评审截止时间</dt>
        <dd>{settings.reviewDeadlineText ?? "未设置"}</dd>
      </dl>
    </section>
  );
}
