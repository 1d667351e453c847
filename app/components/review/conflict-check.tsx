/**
 * R-REV-5: before the report opens, the expert confirms it has no conflict with the provider or the
 * enterprise, or declares one (the assignment then goes back to staff for reassignment).
 */
import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";

import { CheckboxField, ErrorList, FormMessage, TextareaField } from "~/components/forms.tsx";
import { confirmNoConflictSchema, declareConflictSchema } from "~/utils/review-form.ts";

import type { ReviewSummary } from "./types.ts";

/** The action's reply to one of the two forms. */
export type ConflictReply = { form: "confirm-no-conflict" | "declare-conflict"; result: SubmissionResult<string[]> };

export function ConflictCheck({ summary, reply }: { summary: ReviewSummary; reply: ConflictReply | undefined }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [confirm, confirmFields] = useForm({
    id: "confirm-no-conflict",
    lastResult: reply?.form === "confirm-no-conflict" ? reply.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmNoConflictSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [declare, declareFields] = useForm({
    id: "declare-conflict",
    lastResult: reply?.form === "declare-conflict" ? reply.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: declareConflictSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const kind = declareFields.kind;
  return (
    <>
      <div className="page-head">
        <h1>回避确认 · {summary.number}</h1>
        <Link to="/expert">返回评审任务</Link>
      </div>
      <section className="card">
        <p>打开诊断报告前，请确认您与以下服务商、被诊断企业不存在利益冲突（如任职、持股、近三年合作、亲属关系等）。</p>
        <dl className="facts">
          <dt>诊断报告</dt>
          <dd>《{summary.reportTitle}》</dd>
          <dt>服务商</dt>
          <dd data-testid="conflict-provider">{summary.providerName}</dd>
          <dt>被诊断企业</dt>
          <dd data-testid="conflict-enterprise">{summary.enterpriseName}</dd>
        </dl>
        <FormMessage message={confirm.errors?.[0]} />
        <Form method="post" {...getFormProps(confirm)} style={{ marginTop: "1rem" }}>
          <CheckboxField
            label="本人与上述服务商、被诊断企业均不存在利益冲突"
            inputProps={{ id: confirmFields.noConflict.id, name: confirmFields.noConflict.name }}
            errors={confirmFields.noConflict.errors}
          />
          <button type="submit" name="intent" value="confirm-no-conflict" disabled={busy}>
            确认无利益冲突，开始评审
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>申报回避</h2>
        <p className="small muted">
          如存在利益冲突，请在此申报。该任务将退回区工信局重新分配，您今后也不会再被分配到该单位的申报。
        </p>
        <FormMessage message={declare.errors?.[0]} />
        <Form method="post" {...getFormProps(declare)}>
          <fieldset className="field" aria-describedby={kind.errors ? kind.errorId : undefined}>
            <legend>与哪一方存在利益冲突</legend>
            <label>
              <input type="radio" name={kind.name} value="provider" defaultChecked={kind.initialValue === "provider"} />{" "}
              服务商：{summary.providerName}
            </label>
            <br />
            <label>
              <input
                type="radio"
                name={kind.name}
                value="enterprise"
                defaultChecked={kind.initialValue === "enterprise"}
              />{" "}
              被诊断企业：{summary.enterpriseName}
            </label>
            <ErrorList id={kind.errorId} errors={kind.errors} />
          </fieldset>
          <TextareaField
            label="利益冲突情况说明"
            textareaProps={{ ...getTextareaProps(declareFields.reason, { ariaAttributes: false }), rows: 3 }}
            errors={declareFields.reason.errors}
          />
          <button type="submit" name="intent" value="declare-conflict" className="button--danger" disabled={busy}>
            申报回避并退回任务
          </button>
        </Form>
      </section>
    </>
  );
}
