/**
 * Times of the subsidy are Asia/Shanghai times (UTC+8, no daylight saving since 1991), whatever the
 * server process's TZ is: every conversion here is fixed-offset arithmetic on UTC fields, never the
 * process's local time.
 */

const OFFSET_MS = 8 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export type CalendarDate = { year: number; month: number; day: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A real calendar day written "YYYY-MM-DD" (2022-02-30 is refused), or null. */
export function parseCalendarDate(input: string): CalendarDate | null {
  const match = DATE.exec(input);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

function shanghaiInstant(date: CalendarDate, hours = 0, minutes = 0, seconds = 0, ms = 0): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day, hours, minutes, seconds, ms) - OFFSET_MS);
}

function requireCalendarDate(input: string): CalendarDate {
  const date = parseCalendarDate(input);
  if (!date) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${input}`);
  return date;
}

/** "2022-12-20 23:59[:59]" (or with "T") read as Shanghai time; null when malformed or impossible. */
export function tryParseShanghaiDateTime(input: string): Date | null {
  const match = DATE_TIME.exec(input.trim());
  if (!match) return null;
  const date = parseCalendarDate(`${match[1]}-${match[2]}-${match[3]}`);
  const [hours, minutes, seconds] = [Number(match[4]), Number(match[5]), Number(match[6] ?? "0")];
  if (!date || hours > 23 || minutes > 59 || seconds > 59) return null;
  return shanghaiInstant(date, hours, minutes, seconds);
}

/**
 * A minute typed into a form ("2022-12-20T09:00", as a datetime-local input sends it, or with a space)
 * read as Beijing time. A start is the minute's first second (09:00 opens at 09:00:00); an end is its
 * last (a deadline of 17:00 still takes 17:00:30). Input with seconds is taken as written. Null when
 * malformed or impossible.
 */
export function parseShanghaiMinute(input: string, edge: "start" | "end"): Date | null {
  const normalised = input.trim().replace("T", " ");
  const minuteOnly = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(normalised);
  return tryParseShanghaiDateTime(minuteOnly ? `${normalised}:${edge === "start" ? "00" : "59"}` : normalised);
}

/** As tryParseShanghaiDateTime, for trusted input (configuration, seeds): throws when malformed. */
export function parseShanghaiDateTime(input: string): Date {
  const date = tryParseShanghaiDateTime(input);
  if (!date) throw new RangeError(`not a Shanghai date-time (YYYY-MM-DD HH:mm[:ss]): ${input}`);
  return date;
}

/** The Shanghai wall-clock fields of an instant, read from a shifted UTC date. */
function wallClock(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError("invalid date");
  return new Date(date.getTime() + OFFSET_MS);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The Shanghai calendar day of an instant: "YYYY-MM-DD". */
export function shanghaiDate(date: Date): string {
  const wall = wallClock(date);
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
}

/** "2022-12-20 23:59", or "2022-12-20 23:59:59" with seconds: Shanghai time for display. */
export function formatShanghai(date: Date, withSeconds = false): string {
  const wall = wallClock(date);
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  return `${shanghaiDate(date)} ${withSeconds ? `${time}:${pad(wall.getUTCSeconds())}` : time}`;
}

/** "2022-12-20T09:00": the Shanghai minute of an instant, as a datetime-local input shows it. */
export function datetimeLocalValue(date: Date): string {
  return formatShanghai(date).replace(" ", "T");
}

/** The first instant of a Shanghai day: "2022-12-20" → 2022-12-20T00:00:00.000+08:00. */
export function startOfShanghaiDay(day: string): Date {
  return shanghaiInstant(requireCalendarDate(day));
}

/** The last instant of a Shanghai day: "2022-12-20" → 2022-12-20T23:59:59.999+08:00. */
export function endOfShanghaiDay(day: string): Date {
  return shanghaiInstant(requireCalendarDate(day), 23, 59, 59, 999);
}

/**
 * R-DATE-1: whether a submission at `now` is on time. Deadlines are stored as the last instant that is
 * still on time (a day's deadline is endOfShanghaiDay, …23:59:59.999), so the deadline instant itself
 * is on time and the next millisecond is late: whatever is displayed as "23:59:59" of the deadline day
 * is accepted, "00:00:00" of the next day is not. `now` is the server's clock, never the client's.
 */
export function isBeforeDeadline(now: Date, deadline: Date): boolean {
  return now.getTime() <= deadline.getTime();
}

export type Countdown = { closed: boolean; days: number; hours: number; minutes: number; text: string };

/** R-DATE-1: the time left before a deadline, for display ("剩余 3 天 4 小时", "已截止"). */
export function countdown(now: Date, deadline: Date): Countdown {
  if (!isBeforeDeadline(now, deadline)) return { closed: true, days: 0, hours: 0, minutes: 0, text: "已截止" };
  const left = deadline.getTime() - now.getTime();
  const days = Math.floor(left / DAY_MS);
  const hours = Math.floor((left % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((left % HOUR_MS) / MINUTE_MS);
  let text: string;
  if (days > 0) text = `剩余 ${days} 天 ${hours} 小时`;
  else if (hours > 0) text = `剩余 ${hours} 小时 ${minutes} 分钟`;
  else if (minutes > 0) text = `剩余 ${minutes} 分钟`;
  else text = "剩余不足 1 分钟";
  return { closed: false, days, hours, minutes, text };
}
