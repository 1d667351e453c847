/**
 * R-REV-3 (明显雷同、抄袭的，不予通过): the first step of the copy check. A diagnosis report's text is
 * reduced to what carries its content, so that two copies compare equal however they were typeset:
 *
 * - NFKC folds full-width letters, digits and punctuation to half-width (ＭＥＳ → MES, ２０２２ → 2022);
 *   Latin letters are lower-cased.
 * - Whitespace, punctuation and symbols are dropped: Chinese has no spaces, and PDF extraction inserts
 *   spaces and line breaks wherever the layout wrapped a line, which differs between two typesettings.
 * - Sentence-ending punctuation (。！？；) becomes a break ("\n"): n-grams never cross a sentence
 *   boundary, so a copy whose sentences were reordered yields the same n-grams as its original.
 * - Boilerplate lines that every report shares are removed: the rubric's section titles (基本情况,
 *   诊断建议, 项目测算 and their usual sub-headings), the report title, cover-page fields (编制单位：…),
 *   page numbers, and the text of a red seal (企业名称 around the circle, 公章 or 专用章 inside) that a
 *   scan repeats on every page. Two distinct reports sharing only this skeleton must not look alike.
 *
 * Before any of this, and before anything is shown, text from a PDF's text layer and text read by OCR go
 * through the same cleaning (cleanReportLine / cleanReportPages below): NFKC for everything but CJK
 * punctuation (PDFs often carry Kangxi-radical code points such as ⾠ U+2FA0 for 辰; ＭＥＳ, ２０２２ become
 * MES, 2022), OCR's usual punctuation confusions (ASCII , : ; ( ) ? ! and a full stop read as "." beside
 * Chinese become ，：；（）？！。), seal text dropped, and lines every page repeats (running headers and
 * footers, the seal) dropped.
 *
 * Every normalized code unit keeps the range of the original text it came from, so that shared passages
 * found on the normalized text can be highlighted in the original.
 */

import { RUBRIC_SECTION_LIST } from "../rubric.ts";

/** The break that stands for a sentence end (or a removed boilerplate line) in normalized text. */
export const BREAK = "\n";
const BREAK_CODE = 10;

export type NormalizedText = {
  /** Letters and digits only, sentences separated by a single BREAK; no leading or trailing BREAK. */
  text: string;
  /** For each code unit of `text`, the offset in the original text where it starts ... */
  starts: Int32Array;
  /** ... and where it ends (exclusive). A BREAK maps to the punctuation or the line it replaced. */
  ends: Int32Array;
  /** Number of code units of `text` that are not BREAK: the size of the report's content. */
  contentLength: number;
};

export type NormalizeOptions = {
  /** Further heading lines to treat as boilerplate (compared after the same normalization). */
  extraHeadings?: readonly string[];
};

/**
 * The rubric's section titles (附件1 评审细则, R-REV-1) and the sub-headings reports commonly use for them,
 * plus the usual front and back matter. Keys are in normalized form (no punctuation, no numbering).
 */
export const RUBRIC_HEADINGS: readonly string[] = [
  ...RUBRIC_SECTION_LIST.map((section) => section.name),
  // 基本情况 (30): automation and IT level, industry position, problems and strategies
  "基本情况",
  "企业基本情况",
  "企业概况",
  "企业简介",
  "公司概况",
  "公司简介",
  "企业现状",
  "现状分析",
  "自动化水平",
  "信息化水平",
  "自动化信息化水平",
  "自动化和信息化水平",
  "自动化与信息化水平",
  "企业自动化信息化水平",
  "自动化信息化现状",
  "行业地位",
  "企业行业地位",
  "行业地位分析",
  "在国家省市的行业地位",
  "存在问题",
  "存在的问题",
  "主要问题",
  "存在问题及对策",
  "存在的问题及对策",
  "主要问题及对策",
  "问题与对策",
  "问题及对策",
  "对策建议",
  "发展策略",
  "问题分析",
  // 诊断建议 (40): concrete digital-transformation content, implementation plan (hardware and software), guidance
  "诊断建议",
  "数字化转型建议",
  "数字化转型内容",
  "具体数字化转型内容",
  "智能化改造建议",
  "实施方案",
  "简要实施方案",
  "实施路径",
  "实施计划",
  "硬件方面",
  "软件方面",
  "硬件建设",
  "软件建设",
  "硬件",
  "软件",
  "硬件部分",
  "软件部分",
  "实操指导",
  "实操指导意见",
  "指导意见",
  "实操性指导意见",
  // 项目测算 (30): preliminary budget, construction period, estimated economic benefit
  "项目测算",
  "初步预算",
  "项目预算",
  "预算",
  "投资预算",
  "投资估算",
  "建设期",
  "建设周期",
  "建设期限",
  "经济效益",
  "预期经济效益",
  "经济效益预估",
  "预估经济效益",
  "效益分析",
  "经济效益分析",
  "效益测算",
  // front and back matter
  "前言",
  "目录",
  "摘要",
  "概述",
  "总结",
  "结论",
  "结语",
  "附件",
  "附录",
  "诊断报告",
  "诊断咨询报告",
  "智能化改造诊断报告",
  "智能化改造数字化转型诊断报告",
  "数字化转型诊断报告",
  "智能制造诊断报告",
  "智能化诊断报告",
  "智能化改造数字化转型诊断咨询报告",
];

/** Cover-page and header fields ("编制单位：某某公司"): a line starting with one of these and a colon. */
export const COVER_LABELS: readonly string[] = [
  "报告编号",
  "编号",
  "编制单位",
  "诊断单位",
  "诊断服务商",
  "服务单位",
  "服务商",
  "服务商名称",
  "被诊断企业",
  "被诊断企业名称",
  "委托单位",
  "企业名称",
  "编制日期",
  "诊断日期",
  "报告日期",
  "编制时间",
  "诊断时间",
  "日期",
  "联系人",
  "联系电话",
  "电话",
  "密级",
  "版本",
  "版本号",
];

const MAX_BOILERPLATE_LINE = 80;
// Numbering in front of a heading: 第一章, 一、, (一), 1., 1.2, 1、, ①
const NUMBERING =
  /^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇条]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+(?:\s*[.．]\s*\d+)*\s*[、.．]?|[①-⑳])\s*/u;
const PAGE_NUMBER =
  /^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*\/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?|\d{1,3})$/iu;
const NON_CONTENT = /[^\p{L}\p{N}]/gu;
const SENTENCE_PUNCTUATION = /[，。；,;！？]/u;

function headingKey(line: string): string {
  return line.normalize("NFKC").replace(NUMBERING, "").replace(NON_CONTENT, "").toLowerCase();
}

const defaultHeadingKeys = new Set(RUBRIC_HEADINGS.map(headingKey));
const coverLabelPattern = new RegExp(`^(?:${COVER_LABELS.join("|")})\\s*[:：]`, "u");

// The rubric's criteria (R-REV-1), which reports often quote under each heading: every report may share
// them. Probed by their first characters, so most lines cost a few substring searches only.
const criterionKeys = new Set(RUBRIC_SECTION_LIST.flatMap((section) => section.criteria).map(headingKey));
const criterionProbes = [
  ...new Set(RUBRIC_SECTION_LIST.flatMap((section) => section.criteria).map((c) => c.slice(0, 4))),
];

/** Whether a whole line of the original text is boilerplate that every report shares. */
export function isBoilerplateLine(line: string, headingKeys: ReadonlySet<string> = defaultHeadingKeys): boolean {
  if (line.length <= MAX_SEAL_LINE * 2 && isSealLine(line)) return true;
  if (
    line.length <= MAX_BOILERPLATE_LINE * 2 &&
    criterionProbes.some((probe) => line.includes(probe)) &&
    criterionKeys.has(headingKey(line))
  ) {
    return true;
  }
  // Headings, titles, cover fields and page numbers carry no sentence punctuation: a fast refusal for
  // the many body lines of a wrapped paragraph.
  if (SENTENCE_PUNCTUATION.test(line)) return false;
  const trimmed = line.normalize("NFKC").trim();
  if (trimmed === "" || trimmed.length > MAX_BOILERPLATE_LINE) return false;
  if (PAGE_NUMBER.test(trimmed)) return true;
  if (coverLabelPattern.test(trimmed)) return true;
  const key = headingKey(trimmed);
  if (key === "") return true; // a line of punctuation or rules only
  if (headingKeys.has(key)) return true;
  // The report's title: "淄博某某有限公司智能化改造诊断报告"
  return key.length <= 40 && key.endsWith("诊断报告");
}

// What one code point becomes: kept characters, a BREAK, or nothing. Cached for code points outside the
// fast paths (most of a Chinese report is CJK ideographs and ASCII, handled without normalize()).
const foldCache = new Map<number, string>();
const SENTENCE_END = new Set(["。", "!", "?", ";", "｡"]);
const CONTENT_CHAR = /[\p{L}\p{N}]/u;

function foldCodePoint(cp: number): string {
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  let out = "";
  for (const ch of String.fromCodePoint(cp).normalize("NFKC")) {
    if (CONTENT_CHAR.test(ch)) out += ch.toLowerCase();
    else if (SENTENCE_END.has(ch) && !out.endsWith(BREAK)) out += BREAK;
  }
  foldCache.set(cp, out);
  return out;
}

/** Normalize a report's text (R-REV-3); see the module comment for what is kept. */
export function normalizeReport(original: string, options: NormalizeOptions = {}): NormalizedText {
  const headingKeys = options.extraHeadings?.length
    ? new Set([...defaultHeadingKeys, ...options.extraHeadings.map(headingKey)])
    : defaultHeadingKeys;
  const n = original.length;
  const units = new Uint16Array(n + 1);
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n + 1);
  let len = 0;
  let content = 0;

  const pushBreak = (start: number, end: number) => {
    if (len === 0) return;
    if (units[len - 1] === BREAK_CODE) return;
    units[len] = BREAK_CODE;
    starts[len] = start;
    ends[len] = end;
    len++;
  };
  const push = (unit: number, start: number, end: number) => {
    // Output never outgrows the buffer for ordinary text; NFKC expansions (㍻ → 平成) may, so grow then.
    if (len >= units.length - 1) return false;
    units[len] = unit;
    starts[len] = start;
    ends[len] = end;
    len++;
    content++;
    return true;
  };

  let overflow = false;
  let lineStart = 0;
  while (lineStart <= n && !overflow) {
    let lineEnd = original.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = n;
    const contentEnd = lineEnd > lineStart && original.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    if (
      contentEnd - lineStart <= MAX_BOILERPLATE_LINE * 2 &&
      isBoilerplateLine(original.slice(lineStart, contentEnd), headingKeys)
    ) {
      pushBreak(lineStart, contentEnd);
    } else {
      for (let i = lineStart; i < contentEnd; i++) {
        const c = original.charCodeAt(i);
        if (
          (c >= 0x4e00 && c <= 0x9fff) ||
          (c >= 0x3400 && c <= 0x4dbf) ||
          (c >= 48 && c <= 57) ||
          (c >= 97 && c <= 122)
        ) {
          if (!push(c, i, i + 1)) {
            overflow = true;
            break;
          }
        } else if (c >= 65 && c <= 90) {
          if (!push(c + 32, i, i + 1)) {
            overflow = true;
            break;
          }
        } else if (c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff1b || c === 33 || c === 63 || c === 59) {
          pushBreak(i, i + 1);
        } else if (c < 128) {
          // other ASCII: whitespace, punctuation, symbols, control characters
        } else {
          let cp = c;
          let width = 1;
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < contentEnd) {
            const low = original.charCodeAt(i + 1);
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
              width = 2;
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) continue; // a lone surrogate carries nothing
          const folded = foldCodePoint(cp);
          for (let j = 0; j < folded.length; j++) {
            const unit = folded.charCodeAt(j);
            if (unit === BREAK_CODE) pushBreak(i, i + width);
            else if (!push(unit, i, i + width)) {
              overflow = true;
              break;
            }
          }
          i += width - 1;
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  if (overflow) return normalizeSlow(original, headingKeys);
  if (len > 0 && units[len - 1] === BREAK_CODE) len--;
  return {
    text: decodeUnits(units, len),
    starts: starts.slice(0, len),
    ends: ends.slice(0, len),
    contentLength: content,
  };
}

// The rare text whose NFKC form is longer than itself: same rules, growable arrays.
function normalizeSlow(original: string, headingKeys: ReadonlySet<string>): NormalizedText {
  const units: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let content = 0;
  const pushBreak = (s: number, e: number) => {
    if (units.length === 0 || units[units.length - 1] === BREAK_CODE) return;
    units.push(BREAK_CODE);
    starts.push(s);
    ends.push(e);
  };
  let offset = 0;
  for (const rawLine of original.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (isBoilerplateLine(line, headingKeys)) {
      pushBreak(offset, offset + line.length);
    } else {
      let i = offset;
      for (const ch of line) {
        const cp = ch.codePointAt(0) ?? 0;
        for (const unit of foldCodePoint(cp)) {
          if (unit === BREAK) pushBreak(i, i + ch.length);
          else {
            units.push(unit.charCodeAt(0));
            starts.push(i);
            ends.push(i + ch.length);
            content++;
          }
        }
        i += ch.length;
      }
    }
    offset += rawLine.length + 1;
  }
  if (units[units.length - 1] === BREAK_CODE) {
    units.pop();
    starts.pop();
    ends.pop();
  }
  return {
    text: decodeUnits(Uint16Array.from(units), units.length),
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    contentLength: content,
  };
}

function decodeUnits(units: Uint16Array, len: number): string {
  let out = "";
  const CHUNK = 8192;
  for (let i = 0; i < len; i += CHUNK) {
    out += String.fromCharCode(...units.subarray(i, Math.min(len, i + CHUNK)));
  }
  return out;
}

/** The original range [start, end) that normalized range [start, end) came from. */
export function toOriginalRange(
  normalized: NormalizedText,
  start: number,
  end: number,
): { start: number; end: number } {
  if (end <= start) {
    const at =
      start < normalized.starts.length
        ? (normalized.starts[start] ?? 0)
        : (normalized.ends[normalized.ends.length - 1] ?? 0);
    return { start: at, end: at };
  }
  return { start: normalized.starts[start] ?? 0, end: normalized.ends[end - 1] ?? 0 };
}

// ---------------------------------------------------------------------------------------------------
// Cleaning: one pass for PDF text and OCR text, before matching and before display

/** Seal text: the words in the middle of a Chinese company seal, and what OCR makes of a seal's ring. */
const SEAL_WORDS = /(?:公章|专用章|合同章|财务章|业务章|印章|盖章|\(章\))/u;
const MAX_SEAL_LINE = 40;

/**
 * R-REV-3: whether a line is the text of a red seal (企业名称 around the circle, 公章 or a 专用章 inside):
 * short, no sentence punctuation (a seal has none; "合同需加盖公章。" is content), a seal word in it.
 * A company name standing alone on every page (the ring as OCR reads it) goes with the repeated lines
 * of cleanReportPages.
 */
export function isSealLine(line: string): boolean {
  if (/[，。；,;！？!?]/u.test(line)) return false;
  const key = line.normalize("NFKC").replace(/[\s★☆*·.:："“”'‘’\-—_]/gu, "");
  return key !== "" && key.length <= MAX_SEAL_LINE && SEAL_WORDS.test(key);
}

// Full-width punctuation Chinese text uses: kept as is (NFKC would turn ， into ,).
const KEEP_FULL_WIDTH = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u;
const HAN = /[\p{Script=Han}]/u;
// ASCII punctuation OCR (and some PDF producers) put where Chinese text has the full-width form.
const TO_FULL_WIDTH: Readonly<Record<string, string>> = {
  ",": "，",
  ":": "：",
  ";": "；",
  "?": "？",
  "!": "！",
  "(": "（",
  ")": "）",
};

/**
 * R-REV-3: one line of report text as it is stored, matched and shown. Length may change (NFKC can
 * expand a character), so callers that keep offsets clean line by line before assembling the text.
 */
export function cleanReportLine(line: string): string {
  let out = "";
  for (const ch of line) {
    if (ch.length === 1 && (ch.charCodeAt(0) < 128 || KEEP_FULL_WIDTH.test(ch))) out += ch;
    else out += ch.normalize("NFKC");
  }
  // OCR punctuation: an ASCII mark beside a Chinese character is the full-width one.
  const chars = [...out];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? "";
    const prev = chars[i - 1] ?? "";
    const next = chars[i + 1] ?? "";
    const chinese = (c: string) => HAN.test(c) || KEEP_FULL_WIDTH.test(c);
    if (!chinese(prev) && !chinese(next)) continue;
    const full = TO_FULL_WIDTH[ch];
    if (full) chars[i] = full;
    // A full stop read as "." after Chinese, at the line's end or before more Chinese.
    else if (ch === "." && chinese(prev) && (next === "" || next === " " || chinese(next))) chars[i] = "。";
  }
  return chars.join("").replace(/\s+$/u, "");
}

/** A page of report text as lines (from a PDF's text layer or from OCR), each with what it carries. */
export type SourceLine<T> = { text: string; data: T };

/**
 * R-REV-3: the lines of every page, cleaned (cleanReportLine), without seal text and without the lines
 * that most pages repeat (running headers and footers, a seal stamped on every page): a line whose
 * content (letters and digits only) occurs on at least half of the pages, and on two or more, is
 * dropped from all of them. Page numbers that change from page to page are left to the boilerplate
 * rules of normalizeReport.
 */
export function cleanReportPages<T>(pages: ReadonlyArray<ReadonlyArray<SourceLine<T>>>): Array<Array<SourceLine<T>>> {
  const cleaned = pages.map((lines) =>
    lines
      .map((line) => ({ text: cleanReportLine(line.text), data: line.data }))
      .filter((line) => line.text.trim() !== "" && !isSealLine(line.text)),
  );
  const key = (text: string) => text.normalize("NFKC").replace(NON_CONTENT, "").toLowerCase();
  if (cleaned.length >= 2) {
    const pagesWith = new Map<string, number>();
    for (const lines of cleaned) {
      for (const k of new Set(lines.map((line) => key(line.text))))
        if (k !== "" && k.length <= MAX_BOILERPLATE_LINE) pagesWith.set(k, (pagesWith.get(k) ?? 0) + 1);
    }
    const minPages = Math.max(2, Math.ceil(cleaned.length / 2));
    const repeated = new Set([...pagesWith].filter(([, n]) => n >= minPages).map(([k]) => k));
    if (repeated.size > 0) return cleaned.map((lines) => lines.filter((line) => !repeated.has(key(line.text))));
  }
  return cleaned;
}

/**
 * For display of text stored before cleaning existed: each code unit folded by NFKC where that gives one
 * code unit (⾠ → 辰, Ｍ → M), CJK punctuation kept, so offsets into the text stay valid.
 */
export function foldForDisplay(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x2e80 || (c >= 0x3000 && c < 0x3040) || (c >= 0x4e00 && c <= 0x9fff)) {
      out += text[i];
      continue;
    }
    const ch = text[i] ?? "";
    if (KEEP_FULL_WIDTH.test(ch) || (c >= 0xd800 && c <= 0xdfff)) {
      out += ch;
      continue;
    }
    const folded = ch.normalize("NFKC");
    out += folded.length === 1 ? folded : ch;
  }
  return out;
}
