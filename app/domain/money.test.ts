import { describe, expect, it } from "vitest";

import {
  AMOUNT_COLUMN_MAX_FEN,
  capitalYuan,
  fenToYuanString,
  formatFen,
  MAX_AMOUNT_FEN,
  parseYuanToFen,
  payoutFen,
  sumFen,
} from "./money.ts";

describe("parseYuanToFen", () => {
  it("R-PAY-1 parses yuan strings digit by digit into integer fen", () => {
    expect(parseYuanToFen("10000")).toEqual({ ok: true, fen: 1_000_000 });
    expect(parseYuanToFen("9,999.99")).toEqual({ ok: true, fen: 999_999 });
    expect(parseYuanToFen("0.01")).toEqual({ ok: true, fen: 1 });
    expect(parseYuanToFen("0.1")).toEqual({ ok: true, fen: 10 });
    expect(parseYuanToFen(" 1,234,567.89 ")).toEqual({ ok: true, fen: 123_456_789 });
    expect(parseYuanToFen("007.50")).toEqual({ ok: true, fen: 750 });
  });

  it("R-PAY-1 avoids floating point: 0.29 and 1.13 yuan are exact", () => {
    // 0.29 * 100 === 28.999999999999996 and 1.13 * 100 === 112.99999999999999 in floating point.
    expect(parseYuanToFen("0.29")).toEqual({ ok: true, fen: 29 });
    expect(parseYuanToFen("1.13")).toEqual({ ok: true, fen: 113 });
    expect(parseYuanToFen("10000000.00")).toEqual({ ok: true, fen: 1_000_000_000 });
  });

  it("R-PAY-1 accepts full-width digits and punctuation, ¥ and 元", () => {
    expect(parseYuanToFen("１０，０００．００")).toEqual({ ok: true, fen: 1_000_000 });
    expect(parseYuanToFen("￥9999.99")).toEqual({ ok: true, fen: 999_999 });
    expect(parseYuanToFen("8000元")).toEqual({ ok: true, fen: 800_000 });
  });

  it("R-PAY-1 refuses empty, non-numeric, negative and zero amounts", () => {
    expect(parseYuanToFen("  ")).toEqual({ ok: false, message: "请输入金额" });
    const malformed = { ok: false, message: "金额格式不正确，请输入数字，如 10000 或 9,999.99" };
    for (const input of ["abc", "1e4", "10,00", "1.2.3", ".5", "1.", "一万", "NaN", "Infinity"]) {
      expect(parseYuanToFen(input), input).toEqual(malformed);
    }
    expect(parseYuanToFen("-5")).toEqual({ ok: false, message: "金额不能为负数" });
    expect(parseYuanToFen("0")).toEqual({ ok: false, message: "金额必须大于 0" });
    expect(parseYuanToFen("0.00")).toEqual({ ok: false, message: "金额必须大于 0" });
  });

  it("R-PAY-1 refuses more than two decimals", () => {
    expect(parseYuanToFen("9999.999")).toEqual({ ok: false, message: "金额最多保留两位小数（精确到分）" });
    expect(parseYuanToFen("0.001")).toEqual({ ok: false, message: "金额最多保留两位小数（精确到分）" });
  });

  it("R-PAY-1 refuses amounts above the maximum (default 10,000,000 yuan, inside the 32-bit amount columns)", () => {
    const tooLarge = { ok: false, message: "金额不能超过 10,000,000.00 元" };
    expect(MAX_AMOUNT_FEN).toBeLessThanOrEqual(AMOUNT_COLUMN_MAX_FEN);
    expect(AMOUNT_COLUMN_MAX_FEN).toBe(2 ** 31 - 1);
    expect(parseYuanToFen("10000000.01")).toEqual(tooLarge);
    // Just above what an amount column holds (it used to pass the parser and fail in the database: a 500).
    expect(parseYuanToFen("21474836.48")).toEqual(tooLarge);
    expect(parseYuanToFen("100000000.00")).toEqual(tooLarge);
    expect(parseYuanToFen("99999999999999999999")).toEqual(tooLarge);
    expect(parseYuanToFen("10000.01", { maxFen: 1_000_000 })).toEqual({
      ok: false,
      message: "金额不能超过 10,000.00 元",
    });
  });
});

describe("display", () => {
  it("R-PAY-2 shows figures with separators and two decimals", () => {
    expect(formatFen(1_000_000)).toBe("10,000.00");
    expect(formatFen(999_999)).toBe("9,999.99");
    expect(formatFen(1)).toBe("0.01");
    expect(formatFen(0)).toBe("0.00");
    expect(formatFen(123_456_789)).toBe("1,234,567.89");
    expect(formatFen(-123_456)).toBe("-1,234.56");
  });

  it("R-PAY-2 gives plain yuan strings for exports", () => {
    expect(fenToYuanString(1_000_000)).toBe("10000.00");
    expect(fenToYuanString(5)).toBe("0.05");
    expect(() => fenToYuanString(0.5)).toThrow(RangeError);
  });

  it("R-PAY-2 writes amounts in capital numerals", () => {
    expect(capitalYuan(999_999)).toBe("玖仟玖佰玖拾玖元玖角玖分");
    expect(capitalYuan(1_000_000)).toBe("壹万元整");
    expect(capitalYuan(1_000_001)).toBe("壹万元零壹分");
    expect(capitalYuan(1)).toBe("壹分");
    expect(capitalYuan(123_456_789)).toBe("壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分");
    expect(capitalYuan(10_000_050)).toBe("壹拾万元伍角整");
    expect(capitalYuan(100_105)).toBe("壹仟零壹元零伍分");
    expect(() => capitalYuan(-1)).toThrow(RangeError);
  });
});

describe("payout", () => {
  it("R-PAY-1 pays the contract amount when it is below 10,000 yuan", () => {
    expect(payoutFen(999_999)).toBe(999_999);
    expect(payoutFen(1)).toBe(1);
  });

  it("R-PAY-1 pays 10,000 yuan at and above a 10,000 yuan contract", () => {
    expect(payoutFen(1_000_000)).toBe(1_000_000);
    expect(payoutFen(1_000_001)).toBe(1_000_000);
    expect(payoutFen(50_000_000)).toBe(1_000_000);
  });

  it("R-PAY-1 edge contracts from typed amounts to capital numerals", () => {
    const cases = [
      { typed: "9,999.99", paid: "9,999.99", capital: "玖仟玖佰玖拾玖元玖角玖分" },
      { typed: "10,000.00", paid: "10,000.00", capital: "壹万元整" },
      { typed: "10,000.01", paid: "10,000.00", capital: "壹万元整" },
      { typed: "0.01", paid: "0.01", capital: "壹分" },
    ];
    for (const { typed, paid, capital } of cases) {
      const parsed = parseYuanToFen(typed);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(formatFen(payoutFen(parsed.fen)), typed).toBe(paid);
      expect(capitalYuan(payoutFen(parsed.fen)), typed).toBe(capital);
    }
  });

  it("R-PAY-1 honours a configured cap and refuses non-integer fen", () => {
    expect(payoutFen(1_000_000, 500_000)).toBe(500_000);
    expect(() => payoutFen(999_999.5)).toThrow(RangeError);
    expect(() => payoutFen(-1)).toThrow(RangeError);
  });

  it("R-PAY-1 sums a batch exactly in fen", () => {
    // 0.1 + 0.2 yuan would be 0.30000000000000004 in floating-point yuan.
    expect(sumFen([10, 20])).toBe(30);
    expect(sumFen([1_000_000, 999_999, 1])).toBe(2_000_000);
    expect(sumFen([])).toBe(0);
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it("R-PAY-2 writes a batch total of the edge payouts in capital numerals", () => {
    // Contracts of 9,999.99, 10,000.00, 10,000.01 and 0.01 yuan pay 9,999.99 + 10,000 + 10,000 + 0.01.
    const total = sumFen([1_000_001, 1_000_000, 999_999, 1].map((contract) => payoutFen(contract)));
    expect(total).toBe(3_000_000);
    expect(formatFen(total)).toBe("30,000.00");
    expect(capitalYuan(total)).toBe("叁万元整");
    expect(capitalYuan(3_800_049)).toBe("叁万捌仟元肆角玖分");
    // 支付结算办法: a 0 in the 元 place may be written with one 零 or none; nzh writes none.
    expect(capitalYuan(101_000_050)).toBe("壹佰零壹万元伍角整");
  });
});
