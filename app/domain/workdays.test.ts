import chineseDays from "chinese-days";
import { afterEach, describe, expect, it } from "vitest";

import { completionCheck, diagnosisDueDate, isCalendarYearCovered } from "./workdays.ts";

const { isWorkday } = chineseDays;

describe("diagnosis due date", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it("R-DATE-2 follows the official calendar's make-up working days", () => {
    // National Day 2022: holiday 10-01..07, make-up working days Saturday 10-08 and Sunday 10-09.
    expect(isWorkday(new Date(2022, 9, 7))).toBe(false);
    expect(isWorkday(new Date(2022, 9, 8))).toBe(true);
    expect(isWorkday(new Date(2022, 9, 9))).toBe(true);
  });

  it("R-DATE-2 counts 20 working days across National Day 2022", () => {
    // Signing Tue 2022-09-20 (not counted). 09-21..23 → 1–3, 09-26..30 → 4–8, 10-01..07 holiday,
    // Sat 10-08 → 9, Sun 10-09 → 10, 10-10..14 → 11–15, 10-17..21 → 16–20.
    expect(diagnosisDueDate("2022-09-20")).toEqual({ ok: true, dueDate: "2022-10-21" });
  });

  it("R-DATE-2 counts 20 working days across the 2023 Spring Festival", () => {
    // Signing Mon 2023-01-16 (not counted). 01-17..20 → 1–4, 01-21..27 holiday, make-up Sat 01-28 → 5,
    // Sun 01-29 → 6, 01-30..02-03 → 7–11, 02-06..10 → 12–16, 02-13..16 → 17–20.
    expect(diagnosisDueDate("2023-01-16")).toEqual({ ok: true, dueDate: "2023-02-16" });
  });

  it("R-DATE-2 starts counting after a signing on a holiday", () => {
    // Signing Sat 2022-10-01 (holiday). 10-02..07 holiday, 10-08 → 1, 10-09 → 2, 10-10..14 → 3–7,
    // 10-17..21 → 8–12, 10-24..28 → 13–17, 10-31 → 18, 11-01 → 19, 11-02 → 20.
    expect(diagnosisDueDate("2022-10-01")).toEqual({ ok: true, dueDate: "2022-11-02" });
  });

  it("R-DATE-2 gives the same due date in any process time zone", () => {
    for (const tz of ["UTC", "America/New_York", "Asia/Shanghai", "Pacific/Auckland"]) {
      process.env.TZ = tz;
      expect(diagnosisDueDate("2022-09-20"), tz).toEqual({ ok: true, dueDate: "2022-10-21" });
      expect(diagnosisDueDate("2023-01-16"), tz).toEqual({ ok: true, dueDate: "2023-02-16" });
    }
  });

  it("R-DATE-2 knows which years the calendar covers (2004–2026 in chinese-days 1.5.7)", () => {
    expect(isCalendarYearCovered(2003)).toBe(false);
    expect(isCalendarYearCovered(2004)).toBe(true);
    expect(isCalendarYearCovered(2026)).toBe(true);
    expect(isCalendarYearCovered(2027)).toBe(false);
  });

  it("R-DATE-2 refuses a signing date in an uncovered year instead of guessing", () => {
    expect(diagnosisDueDate("2027-03-01")).toEqual({ ok: false, message: "节假日日历尚未覆盖2027年，无法计算到期日" });
  });

  it("R-DATE-2 refuses a due date that would run into an uncovered year", () => {
    // Signing Thu 2026-12-10: only 15 working days remain in 2026, the rest would be guessed in 2027.
    expect(diagnosisDueDate("2026-12-10")).toEqual({ ok: false, message: "节假日日历尚未覆盖2027年，无法计算到期日" });
    expect(diagnosisDueDate("2026-12-31")).toEqual({ ok: false, message: "节假日日历尚未覆盖2027年，无法计算到期日" });
    // Signing Fri 2026-11-20: 11-23..27 → 1–5, 11-30..12-04 → 6–10, 12-07..11 → 11–15, 12-14..18 → 16–20.
    expect(diagnosisDueDate("2026-11-20")).toEqual({ ok: true, dueDate: "2026-12-18" });
  });

  it("R-DATE-2 refuses a malformed signing date", () => {
    expect(diagnosisDueDate("2022-9-20")).toEqual({ ok: false, message: "合同签订日期格式不正确，应为 YYYY-MM-DD" });
    expect(diagnosisDueDate("2022-02-30").ok).toBe(false);
  });
});

describe("completion check", () => {
  it("R-DATE-2 accepts completion on the due date", () => {
    expect(completionCheck("2022-09-20", "2022-10-21")).toEqual({
      ok: true,
      dueDate: "2022-10-21",
      late: false,
      message: "诊断在到期日 2022-10-21 前完成（合同签订之日起 20 个工作日内）",
    });
    expect(completionCheck("2022-09-20", "2022-09-20").ok).toBe(true);
  });

  it("R-DATE-2 flags completion after the due date with the computed due date", () => {
    expect(completionCheck("2022-09-20", "2022-10-22")).toEqual({
      ok: true,
      dueDate: "2022-10-21",
      late: true,
      message: "诊断完成日期 2022-10-22 晚于到期日 2022-10-21（合同签订之日起 20 个工作日），已超期",
    });
  });

  it("R-DATE-2 refuses completion before signing", () => {
    expect(completionCheck("2022-09-20", "2022-09-19")).toEqual({
      ok: false,
      message: "诊断完成日期不能早于合同签订日期",
    });
  });

  it("R-DATE-2 passes on the calendar's refusal and malformed dates", () => {
    expect(completionCheck("2026-12-10", "2027-01-05")).toEqual({
      ok: false,
      message: "节假日日历尚未覆盖2027年，无法计算到期日",
    });
    expect(completionCheck("2022-09-20", "2022/10/21")).toEqual({
      ok: false,
      message: "诊断完成日期格式不正确，应为 YYYY-MM-DD",
    });
  });
});
