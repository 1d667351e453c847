import { describe, expect, it } from "vitest";

import { isValidUscc, usccCheckCharacter, validateUscc } from "./uscc.ts";

/** Published codes of real organisations (business licences, annual reports, EV certificates). */
const REAL_CODES = [
  { code: "91350100M000100Y43", holder: "the example commonly cited for GB 32100-2015" },
  { code: "914403001922038216", holder: "华为技术有限公司" },
  { code: "9144030071526726XG", holder: "腾讯科技（深圳）有限公司" },
  { code: "91440300192317458F", holder: "比亚迪股份有限公司" },
  { code: "91110108551385082Q", holder: "小米科技有限责任公司" },
  { code: "9144030010001686XA", holder: "招商银行股份有限公司" },
  { code: "91100000100003962T", holder: "中国工商银行股份有限公司" },
];

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** The code with the character at `index` replaced by the next one in the alphabet. */
function changeOne(code: string, index: number): string {
  const next = ALPHABET.charAt((ALPHABET.indexOf(code.charAt(index)) + 1) % ALPHABET.length);
  return code.slice(0, index) + next + code.slice(index + 1);
}

describe("unified social credit code", () => {
  for (const { code, holder } of REAL_CODES) {
    it(`R-ELIG-5 accepts the published code ${code} (${holder})`, () => {
      expect(validateUscc(code)).toEqual({ ok: true, code });
      expect(isValidUscc(code)).toBe(true);
    });

    it(`R-ELIG-5 refuses ${code} with one character changed`, () => {
      // Position 5 (a body character): a single substitution always changes the weighted sum mod 31.
      expect(validateUscc(changeOne(code, 4))).toEqual({
        ok: false,
        message: "统一社会信用代码校验位错误，请核对后重新输入",
      });
      expect(isValidUscc(changeOne(code, 17))).toBe(false);
    });
  }

  it("R-ELIG-5 computes the check character with weights 3^i mod 31", () => {
    expect(usccCheckCharacter("91350100M000100Y4")).toBe("3");
    expect(usccCheckCharacter("9144030010001686X")).toBe("A");
  });

  it("R-ELIG-5 trims, upper-cases and folds full-width characters before checking", () => {
    expect(validateUscc("  9144030071526726xg ")).toEqual({ ok: true, code: "9144030071526726XG" });
    expect(validateUscc("９１４４０３００１９２２０３８２１６")).toEqual({ ok: true, code: "914403001922038216" });
  });

  it("R-ELIG-5 refuses an empty input", () => {
    expect(validateUscc("   ")).toEqual({ ok: false, message: "请输入统一社会信用代码" });
  });

  it("R-ELIG-5 refuses a code of the wrong length", () => {
    expect(validateUscc("91350100M000100Y4")).toEqual({
      ok: false,
      message: "统一社会信用代码应为 18 位，当前为 17 位",
    });
    expect(validateUscc("91350100M000100Y433").ok).toBe(false);
  });

  it("R-ELIG-5 refuses the letters I, O, Z, S, V and other characters, naming the position", () => {
    for (const letter of ["I", "O", "Z", "S", "V", "-"]) {
      const result = validateUscc(`91350100M000100${letter}43`);
      expect(result).toEqual({
        ok: false,
        message: `统一社会信用代码第 16 位“${letter}”不是合法字符（只能是数字或除 I、O、Z、S、V 以外的大写字母）`,
      });
    }
  });
});
