/**
 * R-PAY-1 / R-PAY-2: money is held as an integer number of fen (分, 1/100 yuan), never as a
 * floating-point number of yuan. Yuan strings are parsed digit by digit; display and capital numerals
 * are built from the integer.
 */
import Nzh from "nzh";

/** An integer amount of fen. Safe up to Number.MAX_SAFE_INTEGER fen (≈ 90 trillion yuan). */
export type Fen = number;

export type ParseFenResult = { ok: true; fen: Fen } | { ok: false; message: string };

/** R-PAY-1: each passed application earns at most 10,000 yuan. */
export const PAYOUT_CAP_FEN: Fen = 1_000_000;
/**
 * R-PAY-1: the largest amount any form accepts, 10,000,000.00 yuan (1,000 万元). Amount columns are
 * 32-bit integers of fen (at most 2,147,483,647 fen = 21,474,836.47 yuan): the cap keeps every typed
 * amount inside them with room to spare, and is far above any diagnosis contract (the subsidy itself
 * is at most 10,000 yuan) or a district round's budget.
 */
export const MAX_AMOUNT_FEN: Fen = 1_000_000_000;
/** Default upper bound for an amount typed into a form (MAX_AMOUNT_FEN). */
export const DEFAULT_MAX_FEN: Fen = MAX_AMOUNT_FEN;
/** The largest value an amount column (PostgreSQL `integer`) holds. */
export const AMOUNT_COLUMN_MAX_FEN: Fen = 2_147_483_647;

/** Digits with optional thousands separators (all or none), then at most a few decimals. */
const AMOUNT = /^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

export function isFen(value: number): boolean {
  return Number.isSafeInteger(value);
}

function assertFen(fen: Fen): void {
  if (!isFen(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
}

/**
 * R-PAY-1: parse a yuan amount as typed ("10000", "9,999.99", "0.01", full-width digits, an optional
 * leading ¥ and trailing 元) into fen. Refuses empty, non-numeric, negative, zero, more than two
 * decimals and amounts above `maxFen`, each with its own message.
 */
export function parseYuanToFen(input: string, { maxFen = DEFAULT_MAX_FEN }: { maxFen?: Fen } = {}): ParseFenResult {
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/^¥\s*/, "")
    .replace(/\s*元$/, "");
  if (text === "") return { ok: false, message: "请输入金额" };
  if (/^[-−]/.test(text)) return { ok: false, message: "金额不能为负数" };
  const match = AMOUNT.exec(text);
  if (!match) return { ok: false, message: "金额格式不正确，请输入数字，如 10000 或 9,999.99" };
  const integerDigits = (match[1] ?? "").replaceAll(",", "").replace(/^0+(?=\d)/, "");
  const decimals = match[2] ?? "";
  if (decimals.length > 2) return { ok: false, message: "金额最多保留两位小数（精确到分）" };
  const tooLarge: ParseFenResult = { ok: false, message: `金额不能超过 ${formatFen(maxFen)} 元` };
  // More than 13 integer digits is above any sensible maximum and could lose integer precision.
  if (integerDigits.length > 13) return tooLarge;
  const fen = Number(integerDigits) * 100 + Number(decimals.padEnd(2, "0"));
  if (fen === 0) return { ok: false, message: "金额必须大于 0" };
  if (fen > maxFen) return tooLarge;
  return { ok: true, fen };
}

/** R-PAY-2: "10000.00" — yuan with exactly two decimals, no separators (for exports and nzh). */
export function fenToYuanString(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}${yuan}.${cents}`;
}

/** R-PAY-2: "10,000.00" — amounts in figures, with thousands separators. */
export function formatFen(fen: Fen): string {
  const [integer = "", cents = ""] = fenToYuanString(fen).split(".");
  return `${integer.replace(/\B(?=(\d{3})+$)/g, ",")}.${cents}`;
}

/**
 * R-PAY-2: amounts in capital numerals (大写金额) for payout documents: 壹万元整, 玖仟玖佰玖拾玖元玖角玖分.
 * Per the payment rules (支付结算办法), 整 follows an amount ending at 元 or 角, never one ending at 分.
 */
export function capitalYuan(fen: Fen): string {
  assertFen(fen);
  if (fen < 0) throw new RangeError(`capital numerals for a negative amount: ${fen}`);
  return Nzh.cn.toMoney(fenToYuanString(fen), { outSymbol: false, forceZheng: true });
}

/** R-PAY-1: a passed application earns min(cap, contract amount) (合同金额不足1万的按照合同金额奖励). */
export function payoutFen(contractFen: Fen, capFen: Fen = PAYOUT_CAP_FEN): Fen {
  assertFen(contractFen);
  assertFen(capFen);
  if (contractFen < 0 || capFen < 0) throw new RangeError("payout of a negative amount");
  return Math.min(capFen, contractFen);
}

/** R-PAY-1: the total of a batch, checked to stay an exact integer. */
export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0;
  for (const fen of amounts) {
    assertFen(fen);
    total += fen;
  }
  assertFen(total);
  return total;
}
