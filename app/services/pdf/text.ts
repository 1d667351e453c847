/**
 * Text as the PDFs print it: normalised (no control or invisible characters) and wrapped into lines
 * by Chinese line-breaking rules. Pure functions, no PDF library.
 */

/** Line breaks to \n, tabs to spaces, control and invisible format characters (ZWSP, BOM…) removed. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, (ch) => (ch === "\n" ? ch : ""));
}

// Chinese line-breaking rules (避头尾): these may not start a line…
const NO_LINE_START = new Set(Array.from("，。、；：？！）》」』】〕〉’”…—·%,.;:?!)]}"));
// …and these may not end one.
const NO_LINE_END = new Set(Array.from("（《「『【〔〈‘“([{"));

/**
 * Wraps one paragraph (no \n) into lines no wider than `maxWidth`. Every CJK character is a break
 * opportunity; a run of printable ASCII (a word, a number, a code) is kept whole when it fits on a line,
 * and split per character when it does not. Spaces at a break are dropped. A closing punctuation mark
 * is never put at the start of a line (the character before it moves down with it) and an opening one
 * never at the end. `firstLineIndent` is taken off the first line's width.
 */
export function wrapParagraph(
  text: string,
  maxWidth: number,
  measure: (s: string) => number,
  firstLineIndent = 0,
): string[] {
  const lines: string[] = [];
  let line = "";
  let lineWidth = firstLineIndent;
  const push = () => {
    lines.push(line.replace(/ +$/, ""));
    line = "";
    lineWidth = 0;
  };
  const tokens = text.match(/[\x21-\x7e]+| +|[^]/gu) ?? [];
  for (const token of tokens) {
    const isSpace = token.startsWith(" ");
    // Continuation lines do not start with a space.
    if (isSpace && line === "" && lines.length > 0) continue;
    const width = measure(token);
    if (lineWidth + width <= maxWidth) {
      line += token;
      lineWidth += width;
      continue;
    }
    if (isSpace) {
      push();
      continue;
    }
    if (line === "" || width > maxWidth) {
      // Too long for a line of its own: split per character.
      for (const ch of Array.from(token)) {
        const w = measure(ch);
        if (lineWidth + w > maxWidth && line !== "") push();
        line += ch;
        lineWidth += w;
      }
      continue;
    }
    // Break before the token, moving down what may not end a line or must precede the token.
    const chars = Array.from(line);
    let carried = "";
    // Moves the line's last character (a whole ASCII word if it ends in one) down; false if it is all
    // that is left.
    const carryOne = (): boolean => {
      const isAscii = (ch: string | undefined) => ch !== undefined && /^[\x21-\x7e]$/.test(ch);
      let take = 1;
      if (isAscii(chars[chars.length - 1])) {
        while (take < chars.length && isAscii(chars[chars.length - 1 - take])) take += 1;
      }
      if (take >= chars.length) return false;
      carried = chars.splice(chars.length - take, take).join("") + carried;
      return true;
    };
    while (NO_LINE_START.has(Array.from(carried || token)[0] ?? "")) {
      if (!carryOne()) break;
    }
    while (chars.length > 1 && NO_LINE_END.has(chars[chars.length - 1] ?? "")) carried = (chars.pop() ?? "") + carried;
    if (measure(carried + token) > maxWidth) {
      // Carrying would overflow the next line (very narrow columns): break plainly instead.
      chars.push(...Array.from(carried));
      carried = "";
    }
    line = chars.join("");
    push();
    line = carried + token;
    lineWidth = measure(line);
  }
  if (line !== "" || lines.length === 0) lines.push(line.replace(/ +$/, ""));
  return lines;
}

/** Printable ASCII only (what the standard Courier face can draw). */
export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
