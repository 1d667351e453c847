import { describe, expect, test } from "vitest";

import { wrapParagraph } from "./text.ts";

describe("wrapParagraph", () => {
  // CJK characters 1 wide, ASCII 0.5.
  const measure = (s: string) => Array.from(s).reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0);

  test("wraps Chinese text per character at the width", () => {
    expect(wrapParagraph("一二三四五六七八九十", 4, measure)).toEqual(["一二三四", "五六七八", "九十"]);
  });

  test("indents the first line", () => {
    expect(wrapParagraph("一二三四五六七八", 4, measure, 2)).toEqual(["一二", "三四五六", "七八"]);
  });

  test("keeps ASCII words whole when they fit and splits those that do not", () => {
    expect(wrapParagraph("编号ABCD1234", 5, measure)).toEqual(["编号", "ABCD1234"]);
    expect(wrapParagraph("0123456789abcdef", 4, measure)).toEqual(["01234567", "89abcdef"]);
  });

  test("drops spaces at a break", () => {
    expect(wrapParagraph("aaaa bbbb cccc", 2.5, measure)).toEqual(["aaaa", "bbbb", "cccc"]);
  });

  test("never starts a line with closing punctuation or ends one with an opening bracket", () => {
    expect(wrapParagraph("一二三四，五六", 4, measure)).toEqual(["一二三", "四，五六"]);
    expect(wrapParagraph("一二三《四五》", 4, measure)).toEqual(["一二三", "《四五》"]);
    // The carried character is itself a closing mark: carry one more.
    expect(wrapParagraph("一二三四）.pdf", 5, measure)).toEqual(["一二三", "四）.pdf"]);
  });

  test("an empty paragraph is one empty line", () => {
    expect(wrapParagraph("", 4, measure)).toEqual([""]);
  });
});
