/**
 * R-ELIG-5: organisations are identified by their unified social credit code (统一社会信用代码,
 * GB 32100-2015). 18 characters from a 31-character alphabet (digits and capital letters without
 * I, O, Z, S, V); the 18th is a check character over the first 17, with weights 3^i mod 31.
 */

/** The alphabet in value order: a character's value is its index (0–30). */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const LENGTH = 18;
/** Weights of positions 1–17: 3^i mod 31 for i = 0..16. */
const WEIGHTS = Array.from({ length: LENGTH - 1 }, (_, i) => 3 ** i % 31);

export type UsccResult = { ok: true; code: string } | { ok: false; message: string };

/** R-ELIG-5: the check character for the first 17 characters (assumed to be in the alphabet). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < LENGTH - 1; i++) {
    sum += ALPHABET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * R-ELIG-5: validate a code as typed. Surrounding spaces are ignored, letters are upper-cased and
 * full-width characters (typed with a Chinese input method) are folded to half-width.
 */
export function validateUscc(input: string): UsccResult {
  const code = input.normalize("NFKC").trim().toUpperCase();
  if (code === "") return { ok: false, message: "请输入统一社会信用代码" };
  if (code.length !== LENGTH) {
    return { ok: false, message: `统一社会信用代码应为 18 位，当前为 ${code.length} 位` };
  }
  for (let i = 0; i < LENGTH; i++) {
    const char = code.charAt(i);
    if (!ALPHABET.includes(char)) {
      return {
        ok: false,
        message: `统一社会信用代码第 ${i + 1} 位“${char}”不是合法字符（只能是数字或除 I、O、Z、S、V 以外的大写字母）`,
      };
    }
  }
  if (usccCheckCharacter(code) !== code.charAt(LENGTH - 1)) {
    return { ok: false, message: "统一社会信用代码校验位错误，请核对后重新输入" };
  }
  return { ok: true, code };
}

/** R-ELIG-5: whether the input is a valid code (after the same normalisation as validateUscc). */
export function isValidUscc(input: string): boolean {
  return validateUscc(input).ok;
}
