/**
 * R-DATE-2: the diagnosis must be completed within 20 working days from the contract signing date
 * (自合同签订之日起于20个工作日内完成诊断), under the official calendar with its make-up working days (调休).
 *
 * The calendar is chinese-days, with two precautions:
 * - It silently treats a year it has no data for as plain Monday–Friday, so every year a computation
 *   touches is checked against the package's own holiday table, and an uncovered year is refused.
 * - It reads "YYYY-MM-DD" strings as UTC midnight but works in the process's local time, which shifts
 *   every date by one day west of UTC. It is given local-midnight Date objects instead, which it reads
 *   the same way in every time zone.
 * It is imported through its default export: its ESM build is not loadable by Node, whose CommonJS
 * entry offers no named exports.
 */
import chineseDays from "chinese-days";

import { type CalendarDate, parseCalendarDate } from "./shanghai-time.ts";

const { findWorkday, getHolidaysInRange } = chineseDays;

/** R-DATE-2: the number of working days the policy allows. */
export const DIAGNOSIS_WORKDAYS = 20;

export type DueDateResult = { ok: true; dueDate: string } | { ok: false; message: string };
export type CompletionCheck =
  { ok: true; dueDate: string; late: boolean; message: string } | { ok: false; message: string };

const localMidnight = (date: CalendarDate) => new Date(date.year, date.month - 1, date.day);

const coveredYears = new Map<number, boolean>();

/** R-DATE-2: whether the package's table holds the official holidays of `year` (2004–2026 in 1.5.7). */
export function isCalendarYearCovered(year: number): boolean {
  let covered = coveredYears.get(year);
  if (covered === undefined) {
    // Every published year has official holidays on weekdays; an uncovered year has none in the table.
    covered = getHolidaysInRange(new Date(year, 0, 1), new Date(year, 11, 31), false).length > 0;
    coveredYears.set(year, covered);
  }
  return covered;
}

const uncovered = (year: number) => `节假日日历尚未覆盖${year}年，无法计算到期日`;

/**
 * R-DATE-2: the due date is the `workdays`-th working day after the signing date (the signing day
 * itself is not counted). Refused, never guessed, when a day it would count falls in an uncovered year.
 */
export function diagnosisDueDate(signingDate: string, workdays = DIAGNOSIS_WORKDAYS): DueDateResult {
  if (!Number.isSafeInteger(workdays) || workdays < 1) throw new RangeError(`workdays must be ≥ 1: ${workdays}`);
  const signing = parseCalendarDate(signingDate);
  if (!signing) return { ok: false, message: "合同签订日期格式不正确，应为 YYYY-MM-DD" };
  const firstCounted = new Date(signing.year, signing.month - 1, signing.day + 1);
  const dueDate = findWorkday(workdays, localMidnight(signing));
  const dueYear = Number(dueDate.slice(0, 4));
  for (let year = firstCounted.getFullYear(); year <= dueYear; year++) {
    if (!isCalendarYearCovered(year)) return { ok: false, message: uncovered(year) };
  }
  return { ok: true, dueDate };
}

/**
 * R-DATE-2: whether a diagnosis completed on `completionDate` is within the allowed working days.
 * Completion on the due date is on time; completion before signing is an input error.
 */
export function completionCheck(
  signingDate: string,
  completionDate: string,
  workdays = DIAGNOSIS_WORKDAYS,
): CompletionCheck {
  if (!parseCalendarDate(signingDate)) return { ok: false, message: "合同签订日期格式不正确，应为 YYYY-MM-DD" };
  if (!parseCalendarDate(completionDate)) return { ok: false, message: "诊断完成日期格式不正确，应为 YYYY-MM-DD" };
  // Valid "YYYY-MM-DD" strings compare in calendar order.
  if (completionDate < signingDate) return { ok: false, message: "诊断完成日期不能早于合同签订日期" };
  const due = diagnosisDueDate(signingDate, workdays);
  if (!due.ok) return due;
  const { dueDate } = due;
  const late = completionDate > dueDate;
  const message = late
    ? `诊断完成日期 ${completionDate} 晚于到期日 ${dueDate}（合同签订之日起 ${workdays} 个工作日），已超期`
    : `诊断在到期日 ${dueDate} 前完成（合同签订之日起 ${workdays} 个工作日内）`;
  return { ok: true, dueDate, late, message };
}
