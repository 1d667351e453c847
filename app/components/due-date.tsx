import { useFetcher } from "@remix-run/react";
import { useEffect } from "react";

import type { CompletionCheck } from "~/domain/workdays.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * R-DATE-2, shown as the provider types: the 20th working day after signing under the official
 * calendar, and a warning when the completion date is later (or when the calendar does not cover it).
 * Computed by the server (resources/due-date), whatever the browser's clock and zone.
 */
export function DueDateNotice({ signedOn, completedOn }: { signedOn: string; completedOn: string }) {
  const fetcher = useFetcher<CompletionCheck>();
  const ready = DATE.test(signedOn) && DATE.test(completedOn);
  const { load } = fetcher;
  useEffect(() => {
    if (ready) load(`/resources/due-date?${new URLSearchParams({ signed: signedOn, completed: completedOn })}`);
  }, [ready, signedOn, completedOn, load]);
  const check = fetcher.data;
  if (!ready || !check) {
    return (
      <p className="field-hint">填写合同签订日期和诊断完成日期后，将按法定节假日及调休计算 20 个工作日的到期日。</p>
    );
  }
  if (!check.ok)
    return (
      <p className="notice notice--warning" data-testid="due-date">
        {check.message}
      </p>
    );
  return (
    <p className={`notice ${check.late ? "notice--warning" : "notice--info"}`} data-testid="due-date">
      应于 {check.dueDate} 前完成诊断（合同签订之日起 20 个工作日）。
      {check.late ? "诊断完成日期晚于到期日，将提示工作人员和评审专家。" : ""}
    </p>
  );
}
