/**
 * Text typed or uploaded by people: what the portal refuses or removes before it stores a value.
 * Control characters (NUL included) break exports and logs; bidirectional controls and zero-width
 * characters make a value display as something else (`photo\u202Egpj.exe` shows as `photoexe.jpg`).
 */

/**
 * C0 and C1 control characters except tab, line feed and carriage return, and U+FFFD, which a NUL
 * becomes when a form is read (app/utils/form-data.server.ts).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;
/** Tab, line feed, carriage return and the other line/paragraph separators: refused in one-line fields. */
const LINE_BREAKS_AND_TABS = /[\t\n\r\u2028\u2029]/;
/** Bidirectional embedding, override and isolate controls and marks. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Zero-width space, joiners, word joiner, byte-order mark. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/;
const INVISIBLE_GLOBAL = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_GLOBAL = /[\u0000-\u001F\u007F-\u009F]/g;

/** Why a value cannot be stored as typed (a phrase to follow the field's name), or null. */
export function hostileCharacterProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  if (CONTROL.test(value)) return "含有不可见的控制字符，请删除后重新输入";
  if (!options.multiline && LINE_BREAKS_AND_TABS.test(value)) return "不能包含换行符或制表符";
  if (BIDI.test(value) || ZERO_WIDTH.test(value)) return "含有不可见的文字方向控制符或零宽字符，请删除后重新输入";
  return null;
}

/** Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) as their ASCII forms; Chinese punctuation is kept. */
export function halfWidthAlphanumerics(value: string): string {
  return value.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** The value without bidirectional controls, zero-width characters and control characters (file names). */
export function stripInvisibleCharacters(value: string): string {
  return value.replace(INVISIBLE_GLOBAL, "").replace(CONTROL_GLOBAL, "");
}
