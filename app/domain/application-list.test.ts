import { describe, expect, it } from "vitest";

import {
  applicationListSearch,
  isSupplementOverdue,
  pagination,
  parseApplicationListQuery,
  sortChange,
} from "./application-list.ts";

const parse = (query: string) => parseApplicationListQuery(new URLSearchParams(query));

describe("application list query", () => {
  it("has defaults for an empty query", () => {
    expect(parse("")).toEqual({
      round: undefined,
      q: "",
      status: undefined,
      provider: undefined,
      flag: [],
      sort: "number",
      dir: "asc",
      page: 1,
      size: 20,
    });
  });

  it("reads every parameter, flags for R-DATE-2 (late) and R-MAT-2 (incomplete) included", () => {
    expect(
      parse(
        "round=r1&q=%20联美%20&status=returned&provider=o1&flag=late&flag=incomplete&sort=enterprise&dir=desc&page=3&size=100",
      ),
    ).toEqual({
      round: "r1",
      q: "联美",
      status: "returned",
      provider: "o1",
      flag: ["late", "incomplete"],
      sort: "enterprise",
      dir: "desc",
      page: 3,
      size: 100,
    });
  });

  it("falls back to the defaults for invalid values instead of erroring", () => {
    const query = parse("status=bogus&sort=DROP&dir=up&page=-4&flag=nope&flag=late&flag=late");
    expect(query.status).toBeUndefined();
    expect(query.sort).toBe("number");
    expect(query.dir).toBe("asc");
    expect(query.page).toBe(1);
    expect(query.flag).toEqual(["late"]);
    expect(parse("page=abc").page).toBe(1);
    expect(parse("page=2.5").page).toBe(1);
    expect(parse(`q=${"x".repeat(500)}`).q).toBe("");
    // Only the offered page sizes: anything else (a huge page included) is the default.
    for (const size of ["30", "0", "-20", "100000", "abc", "50.5"]) expect(parse(`size=${size}`).size).toBe(20);
    expect(parse("size=50").size).toBe(50);
  });

  it("round-trips through the URL, leaving out defaults", () => {
    const query = parse(
      "q=淄博&status=submitted&flag=no_paper&flag=supplement_overdue&sort=submitted&dir=desc&page=2&size=50",
    );
    const search = applicationListSearch(query);
    expect(parse(search.slice(1))).toEqual(query);
    expect(applicationListSearch(parse(""))).toBe("");
    expect(applicationListSearch(query, { page: 1 })).not.toContain("page=");
    expect(applicationListSearch(query, { size: 20 })).not.toContain("size=");
  });

  it("flips the direction on the active column and starts ascending on another, back on page 1", () => {
    const query = parse("sort=provider&page=4");
    expect(sortChange(query, "provider")).toEqual({ sort: "provider", dir: "desc", page: 1 });
    expect(sortChange({ ...query, dir: "desc" }, "provider")).toEqual({ sort: "provider", dir: "asc", page: 1 });
    expect(sortChange({ ...query, dir: "desc" }, "status")).toEqual({ sort: "status", dir: "asc", page: 1 });
  });
});

describe("pagination", () => {
  it("pages by the chosen size and clamps the page to the last one", () => {
    expect(pagination(2000, 1, 50)).toEqual({ page: 1, pageCount: 40, skip: 0, take: 50 });
    expect(pagination(2000, 40, 50)).toEqual({ page: 40, pageCount: 40, skip: 1950, take: 50 });
    expect(pagination(101, 99, 50)).toEqual({ page: 3, pageCount: 3, skip: 100, take: 50 });
    expect(pagination(0, 5, 20)).toEqual({ page: 1, pageCount: 1, skip: 0, take: 20 });
    expect(pagination(41, 3, 20)).toEqual({ page: 3, pageCount: 3, skip: 40, take: 20 });
  });
});

describe("supplement overdue (补正逾期, R-MAT-2 supplement loop)", () => {
  const at = new Date("2026-11-23T02:00:00Z");
  it("is overdue only when returned and the due instant has passed", () => {
    expect(isSupplementOverdue({ status: "returned", supplementDueAt: new Date("2026-11-23T01:59:59Z") }, at)).toBe(
      true,
    );
    expect(isSupplementOverdue({ status: "returned", supplementDueAt: new Date("2026-11-23T02:00:00Z") }, at)).toBe(
      false,
    );
    expect(isSupplementOverdue({ status: "returned", supplementDueAt: null }, at)).toBe(false);
    expect(isSupplementOverdue({ status: "submitted", supplementDueAt: new Date("2026-11-01T00:00:00Z") }, at)).toBe(
      false,
    );
  });
});
