import { describe, expect, it } from "vitest";

import { halfWidthAlphanumerics, hostileCharacterProblem, stripInvisibleCharacters } from "./text.ts";

describe("hostileCharacterProblem", () => {
  it("refuses NUL and other control characters", () => {
    expect(hostileCharacterProblem("张\u0000三")).toContain("控制字符");
    expect(hostileCharacterProblem("a\u0007b")).toContain("控制字符");
    expect(hostileCharacterProblem("a\u0085b")).toContain("控制字符");
  });

  it("refuses line breaks and tabs in one-line fields, allows them in multi-line ones", () => {
    expect(hostileCharacterProblem("a\tb")).toContain("换行符");
    expect(hostileCharacterProblem("a\nb")).toContain("换行符");
    expect(hostileCharacterProblem("第一行\n第二行", { multiline: true })).toBeNull();
  });

  it("refuses bidirectional controls and zero-width characters", () => {
    expect(hostileCharacterProblem("photo\u202Egpj.exe")).toContain("方向控制符");
    expect(hostileCharacterProblem("张\u200B三")).toContain("零宽字符");
    expect(hostileCharacterProblem("\u2067x\u2069")).toContain("方向控制符");
  });

  it("accepts ordinary Chinese text with full-width punctuation", () => {
    expect(hostileCharacterProblem("淄博市张店区（测试），有限公司！")).toBeNull();
  });
});

describe("halfWidthAlphanumerics", () => {
  it("maps full-width digits and letters to ASCII and keeps Chinese punctuation", () => {
    expect(halfWidthAlphanumerics("１３８００００００００")).toBe("13800000000");
    expect(halfWidthAlphanumerics("ＡＢｃ，（）")).toBe("ABc，（）");
  });
});

describe("stripInvisibleCharacters", () => {
  it("strips bidi and zero-width characters so a file name shows what it is", () => {
    expect(stripInvisibleCharacters("photo\u202Egpj.exe")).toBe("photogpj.exe");
    expect(stripInvisibleCharacters("报\u200B告\uFEFF\u2066.pdf")).toBe("报告.pdf");
  });

  it("strips control characters", () => {
    expect(stripInvisibleCharacters("a\u0000b\u0085c\n")).toBe("abc");
  });
});
