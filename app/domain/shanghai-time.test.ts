import { afterEach, describe, expect, it } from "vitest";

import {
  countdown,
  datetimeLocalValue,
  endOfShanghaiDay,
  formatShanghai,
  isBeforeDeadline,
  parseCalendarDate,
  parseShanghaiDateTime,
  parseShanghaiMinute,
  shanghaiDate,
  startOfShanghaiDay,
  tryParseShanghaiDateTime,
} from "./shanghai-time.ts";

// The 2022 round's deadline: 2022-12-20, end of day, Asia/Shanghai.
const DEADLINE = endOfShanghaiDay("2022-12-20");

describe("Shanghai time", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it("R-DATE-1 reads wall-clock times as UTC+8", () => {
    expect(parseShanghaiDateTime("2022-12-20 23:59:59").toISOString()).toBe("2022-12-20T15:59:59.000Z");
    expect(parseShanghaiDateTime("2022-12-21T00:00").toISOString()).toBe("2022-12-20T16:00:00.000Z");
  });

  it("R-DATE-1 refuses malformed and impossible date-times", () => {
    for (const input of [
      "2022-12-20",
      "2022-02-30 10:00",
      "2022-12-20 24:00",
      "2022-12-20 23:60",
      "20/12/2022 10:00",
    ]) {
      expect(tryParseShanghaiDateTime(input), input).toBeNull();
    }
    expect(() => parseShanghaiDateTime("2022-13-01 00:00")).toThrow(RangeError);
    expect(parseCalendarDate("2024-02-29")).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCalendarDate("2023-02-29")).toBeNull();
  });

  it("R-DATE-1 stores the end of a day as its last millisecond in Shanghai", () => {
    expect(DEADLINE.toISOString()).toBe("2022-12-20T15:59:59.999Z");
    expect(startOfShanghaiDay("2022-12-21").toISOString()).toBe("2022-12-20T16:00:00.000Z");
    expect(() => endOfShanghaiDay("2022-12-32")).toThrow(RangeError);
  });

  it("R-DATE-1 gives the Shanghai day across the UTC day boundary", () => {
    expect(shanghaiDate(new Date("2022-12-20T15:59:59.999Z"))).toBe("2022-12-20");
    // 16:00 UTC is already midnight of the 21st in Shanghai.
    expect(shanghaiDate(new Date("2022-12-20T16:00:00Z"))).toBe("2022-12-21");
    expect(formatShanghai(new Date("2022-12-20T16:00:00Z"))).toBe("2022-12-21 00:00");
    expect(formatShanghai(new Date("2022-12-20T15:59:59Z"), true)).toBe("2022-12-20 23:59:59");
    expect(formatShanghai(new Date("2022-12-31T16:30:00Z"))).toBe("2023-01-01 00:30");
  });

  it("R-DATE-1 does not depend on the process's time zone", () => {
    for (const tz of ["UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"]) {
      process.env.TZ = tz;
      expect(parseShanghaiDateTime("2022-12-20 23:59:59").toISOString(), tz).toBe("2022-12-20T15:59:59.000Z");
      expect(shanghaiDate(new Date("2022-12-20T16:00:00Z")), tz).toBe("2022-12-21");
      expect(endOfShanghaiDay("2022-12-20").getTime(), tz).toBe(DEADLINE.getTime());
    }
  });

  it("R-DATE-1 accepts 23:59:59 and the deadline instant itself, refuses 00:00:00 of the next day", () => {
    expect(isBeforeDeadline(parseShanghaiDateTime("2022-12-20 23:59:59"), DEADLINE)).toBe(true);
    expect(isBeforeDeadline(DEADLINE, DEADLINE)).toBe(true);
    expect(isBeforeDeadline(new Date(DEADLINE.getTime() + 1), DEADLINE)).toBe(false);
    expect(isBeforeDeadline(parseShanghaiDateTime("2022-12-21 00:00:00"), DEADLINE)).toBe(false);
    // A server in UTC sees 2022-12-20T16:00Z as "still the 20th", but in Shanghai it is the 21st: late.
    expect(isBeforeDeadline(new Date("2022-12-20T16:00:00Z"), DEADLINE)).toBe(false);
  });

  it("R-DATE-1 counts down in days and hours, then hours and minutes", () => {
    expect(countdown(parseShanghaiDateTime("2022-12-17 19:30"), DEADLINE)).toEqual({
      closed: false,
      days: 3,
      hours: 4,
      minutes: 29,
      text: "剩余 3 天 4 小时",
    });
    expect(countdown(parseShanghaiDateTime("2022-12-20 21:15"), DEADLINE).text).toBe("剩余 2 小时 44 分钟");
    expect(countdown(parseShanghaiDateTime("2022-12-20 23:30"), DEADLINE).text).toBe("剩余 29 分钟");
    expect(countdown(parseShanghaiDateTime("2022-12-20 23:59:30"), DEADLINE).text).toBe("剩余不足 1 分钟");
  });

  it("R-DATE-1 shows 已截止 from the first instant after the deadline", () => {
    expect(countdown(parseShanghaiDateTime("2022-12-21 00:00:00"), DEADLINE)).toEqual({
      closed: true,
      days: 0,
      hours: 0,
      minutes: 0,
      text: "已截止",
    });
    expect(countdown(DEADLINE, DEADLINE).closed).toBe(false);
  });
});

describe("parseShanghaiMinute", () => {
  it("a start is the minute's first second, an end its last (a notice opening at 09:00 opens at 09:00:00)", () => {
    expect(parseShanghaiMinute("2022-12-20T09:00", "start")?.toISOString()).toBe("2022-12-20T01:00:00.000Z");
    expect(parseShanghaiMinute("2022-12-20 09:00", "end")?.toISOString()).toBe("2022-12-20T01:00:59.000Z");
    expect(parseShanghaiMinute("2022-12-20 09:00:30", "start")?.toISOString()).toBe("2022-12-20T01:00:30.000Z");
    expect(parseShanghaiMinute("2022-02-30T09:00", "start")).toBeNull();
    expect(parseShanghaiMinute("明天上午", "end")).toBeNull();
  });
});

describe("datetimeLocalValue", () => {
  it("shows an instant's Beijing minute as a datetime-local input wants it, and reads back to that minute", () => {
    const instant = new Date("2022-12-20T15:59:30.000Z");
    expect(datetimeLocalValue(instant)).toBe("2022-12-20T23:59");
    expect(parseShanghaiMinute(datetimeLocalValue(instant), "end")?.toISOString()).toBe("2022-12-20T15:59:59.000Z");
  });
});
