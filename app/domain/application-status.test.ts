import { describe, expect, it } from "vitest";

import {
  allowedEvents,
  APPLICATION_EVENTS,
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationStatus,
  isApplicationEvent,
  isApplicationStatus,
  isFinal,
  providerCanEdit,
  transition,
} from "./application-status.ts";

/**
 * Every allowed transition, written out independently of the table it checks, with the rule the step
 * carries out ("" where the step is the life of an application rather than a rule: filing is submitted,
 * the deadline check (R-DATE-1) is the caller's).
 */
const ALLOWED: [ApplicationStatus, ApplicationEvent, ApplicationStatus, string][] = [
  ["draft", "submit", "submitted", ""],
  ["submitted", "return_for_supplement", "returned", "R-MAT-2"],
  ["returned", "resubmit", "submitted", "R-MAT-2"],
  ["submitted", "accept", "accepted", "R-MAT-2"],
  ["submitted", "refuse", "refused", "R-ELIG-4"],
  ["accepted", "assign_experts", "under_review", "R-REV-5"],
  ["accepted", "confirm_fail", "failed", "R-MAT-2"],
  ["under_review", "complete_reviews", "reviewed", "R-REV-5"],
  ["under_review", "confirm_fail", "failed", "R-MAT-2"],
  ["reviewed", "confirm_pass", "passed", "R-REV-4"],
  ["reviewed", "confirm_fail", "failed", "R-REV-4"],
  ["passed", "add_to_batch", "in_batch", "R-PAY-3"],
  ["in_batch", "remove_from_batch", "passed", "R-PAY-3"],
  ["in_batch", "mark_paid", "paid", "R-PAY-3"],
  ["paid", "reverse_payment", "passed", "R-PAY-3"],
];

const STATUSES = Object.keys(APPLICATION_STATUSES).filter(isApplicationStatus);
const EVENTS = Object.keys(APPLICATION_EVENTS).filter(isApplicationEvent);

describe("application status", () => {
  for (const [from, event, to, rule] of ALLOWED) {
    it(`${rule ? `${rule} ` : ""}allows ${from} --${event}--> ${to}`, () => {
      expect(transition(from, event)).toEqual({ ok: true, to });
    });
  }

  it("allows nothing else: every other status/event pair is refused", () => {
    const allowed = new Set(ALLOWED.map(([from, event]) => `${from}/${event}`));
    let refused = 0;
    for (const status of STATUSES) {
      for (const event of EVENTS) {
        if (allowed.has(`${status}/${event}`)) continue;
        expect(transition(status, event).ok, `${status}/${event}`).toBe(false);
        refused++;
      }
    }
    expect(refused).toBe(STATUSES.length * EVENTS.length - ALLOWED.length);
  });

  it("refuses submitting an application twice, in Chinese", () => {
    expect(transition("submitted", "submit")).toEqual({
      ok: false,
      message: "申报当前状态为“已提交”，不能执行“提交”操作",
    });
  });

  it("R-REV-4 refuses a pass before the reviews are complete", () => {
    expect(transition("under_review", "confirm_pass")).toEqual({
      ok: false,
      message: "申报当前状态为“评审中”，不能执行“确认合格”操作",
    });
  });

  it("R-PAY-3 refuses paying an application that is not in a batch, or paying it twice", () => {
    expect(transition("passed", "mark_paid").ok).toBe(false);
    expect(transition("paid", "mark_paid").ok).toBe(false);
    expect(transition("failed", "add_to_batch").ok).toBe(false);
  });

  it("R-ELIG-4 keeps a refused application refused", () => {
    expect(transition("refused", "resubmit").ok).toBe(false);
    expect(transition("refused", "accept").ok).toBe(false);
  });

  it("knows the final statuses and the events allowed from each status", () => {
    expect(STATUSES.filter(isFinal)).toEqual(["refused", "failed"]);
    expect(allowedEvents("submitted")).toEqual(["return_for_supplement", "accept", "refuse"]);
    expect(allowedEvents("in_batch")).toEqual(["remove_from_batch", "mark_paid"]);
  });

  it("R-MAT-2 lets the provider edit only a draft or a returned application", () => {
    expect(STATUSES.filter(providerCanEdit)).toEqual(["draft", "returned"]);
  });

  it("labels every status and event in Chinese, and only providers submit", () => {
    expect(STATUSES).toHaveLength(11);
    expect(APPLICATION_STATUSES.returned).toBe("退回补正");
    expect(APPLICATION_STATUSES.refused).toBe("不予受理");
    expect(EVENTS.filter((event) => APPLICATION_EVENTS[event].actor === "provider")).toEqual(["submit", "resubmit"]);
    expect(isApplicationStatus("archived")).toBe(false);
    expect(isApplicationEvent("constructor")).toBe(false);
  });
});
