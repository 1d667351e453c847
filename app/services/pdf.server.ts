/**
 * Printable Chinese PDFs with pdf-lib.
 *
 * Fonts (see STACK.md, "PDFs in Chinese"): pdf-lib's own subsetting drops glyphs with Noto Sans SC,
 * so every document embeds a font that HarfBuzz (subset-font, WebAssembly) has already cut down to the
 * document's own characters, with pdf-lib's subsetting off (`subset: false`). The full TTF files
 * (≈10 MB each) are read once per process and kept in memory; the subset is made per document (≈10–20 ms,
 * so it is not cached). Layout tables (GSUB/GPOS/GDEF) are dropped from the subset: pdf-lib ignores
 * positioning anyway, and without substitutions the width we measure per character is exactly the
 * advance drawn, and every glyph maps back to one character for text extraction. Text and table rules
 * are written with pdf-lib's content-stream operators rather than `page.drawText`/`drawRectangle`,
 * which add a font resource per call and many transforms (3–4× slower on a 1,000-line table).
 *
 * Characters the font lacks (e.g. CJK Extension B, U+20000 and up) would be drawn as empty boxes without
 * any error. Instead they are replaced by MISSING_GLYPH_MARKER (〓, the typesetter's "missing character"
 * mark, which the font has) and listed in `RenderedPdf.missingCharacters`, so a caller can tell the user
 * and a reader of the paper sees that something is missing. `findMissingCharacters` answers the same
 * question for a string before any document is made (e.g. when an enterprise name is entered).
 *
 * Layout: a document is a list of blocks (title, heading, paragraph, key–value grid, table, signature
 * block, spacer, page break) laid out top to bottom on A4 pages with automatic page breaks, a table
 * header repeated on every page, and "第 1 页 / 共 3 页" at the foot of every page.
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import {
  PDFDocument,
  degrees,
  StandardFonts,
  beginText,
  endText,
  fill,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setCharacterSpacing,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  showText,
  stroke,
  type PDFFont,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  type RGB,
} from "pdf-lib";
import type { Font as FontkitFont } from "@pdf-lib/fontkit";
import subsetFont from "subset-font";

// ---------------------------------------------------------------------------------------------------
// Public types

export type Align = "left" | "center" | "right";

/** A document title, centred and bold, with an optional line under it (e.g. the round). */
export type TitleBlock = { type: "title"; text: string; subtitle?: string };
/** A bold section heading; kept on the same page as at least a few lines of what follows. */
export type HeadingBlock = { type: "heading"; text: string };
/**
 * Running text, wrapped per character (ASCII words and numbers are kept whole when they fit).
 * `indent` indents the first line of each paragraph by two characters (Chinese style); `\n` starts a
 * new paragraph. Left-aligned paragraphs are justified except for their last line.
 */
export type ParagraphBlock = {
  type: "paragraph";
  text: string;
  size?: number;
  align?: Align;
  indent?: boolean;
  bold?: boolean;
  muted?: boolean;
  /** Extra space after the paragraph, in points (default: a third of a line). */
  spaceAfter?: number;
};
/** A bordered grid of labels and values, one or two pairs a row. */
export type KeyValueBlock = {
  type: "keyValue";
  items: Array<{ key: string; value: string; /** take a whole row */ wide?: boolean }>;
  pairsPerRow?: 1 | 2;
  /** Share of the row's width each label column takes (default 0.24 with one pair a row, 0.19 with two). */
  keyWidth?: number;
  size?: number;
};
export type TableColumn = {
  header: string;
  /** Relative width: the widths are scaled to fill the page's width. */
  width: number;
  align?: Align;
  /** Draw ASCII-only cells of this column in Courier (hashes, codes). */
  mono?: boolean;
};
export type TableCell =
  | string
  | { text: string; span?: number; align?: Align; mono?: boolean; bold?: boolean; shaded?: boolean };
export type TableRow = {
  cells: TableCell[];
  bold?: boolean;
  shaded?: boolean;
  /** Do not leave this row alone at the foot of a page (group headings). */
  keepWithNext?: boolean;
};
/** A bordered table whose header row is repeated on every page it runs over. */
export type TableBlock = {
  type: "table";
  columns: TableColumn[];
  rows: Array<TableRow | string[]>;
  size?: number;
};
/**
 * Signature and seal spaces, one column per party, lines spaced widely enough to sign and seal on.
 * The block is never split over two pages.
 */
export type SignatureBlock = {
  type: "signatures";
  /** Each line is followed by room to sign; a \n inside a line continues it at the normal spacing. */
  parties: Array<{ lines: string[] }>;
  size?: number;
};
export type SpacerBlock = { type: "spacer"; height: number };
export type PageBreakBlock = { type: "pageBreak" };

export type Block =
  | TitleBlock
  | HeadingBlock
  | ParagraphBlock
  | KeyValueBlock
  | TableBlock
  | SignatureBlock
  | SpacerBlock
  | PageBreakBlock;

export type DocumentSpec = {
  /** Document metadata title (also what a PDF viewer shows in its title bar). */
  title: string;
  subject?: string;
  author?: string;
  orientation?: "portrait" | "landscape";
  /** Small grey text at the top right of every page (e.g. a batch number). */
  runningHeader?: string;
  /** "第 1 页 / 共 3 页" at the foot of every page; default true. */
  pageNumbers?: boolean;
  /** Large, light, diagonal text across every page (e.g. 待审批 on a draft), behind nothing it hides. */
  watermark?: string;
  blocks: Block[];
};

export type RenderedPdf = {
  bytes: Uint8Array;
  pageCount: number;
  /**
   * Characters of the document that the font cannot draw, each once, in order of first appearance.
   * Each was printed as MISSING_GLYPH_MARKER.
   */
  missingCharacters: string[];
};

/** What a character the font lacks is printed as. */
export const MISSING_GLYPH_MARKER = "〓";

// ---------------------------------------------------------------------------------------------------
// Fonts

type Weight = "regular" | "bold";

const FONT_FILES: Record<Weight, string> = {
  regular: "400Regular/NotoSansSC_400Regular.ttf",
  bold: "700Bold/NotoSansSC_700Bold.ttf",
};

function fontPackageDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve("@expo-google-fonts/noto-sans-sc/package.json"));
  } catch {
    return path.resolve("node_modules/@expo-google-fonts/noto-sans-sc");
  }
}

const fontBytes = new Map<Weight, Promise<Buffer>>();

/** The full TTF of a weight, read once per process. */
function loadFontBytes(weight: Weight): Promise<Buffer> {
  let bytes = fontBytes.get(weight);
  if (!bytes) {
    bytes = readFile(path.join(fontPackageDir(), FONT_FILES[weight]));
    // A failed read is not cached: the next document tries again.
    bytes.catch(() => fontBytes.delete(weight));
    fontBytes.set(weight, bytes);
  }
  return bytes;
}

let fullRegularFont: Promise<FontkitFont> | undefined;

/**
 * Characters of `text` that the regular Noto Sans SC cannot draw, each once (surrogate pairs count as
 * one character). Whitespace and invisible format characters are ignored. For checking names as they
 * are entered; documents report the same in `RenderedPdf.missingCharacters`.
 */
export async function findMissingCharacters(text: string): Promise<string[]> {
  if (!fullRegularFont) {
    const parsing = loadFontBytes("regular").then((bytes) => fontkit.create(bytes));
    parsing.catch(() => {
      fullRegularFont = undefined;
    });
    fullRegularFont = parsing;
  }
  const font = await fullRegularFont;
  const missing = new Set<string>();
  for (const ch of normaliseText(text)) {
    if (ch === "\n" || ch === " ") continue;
    const codePoint = ch.codePointAt(0);
    if (codePoint !== undefined && !font.hasGlyphForCodePoint(codePoint)) missing.add(ch);
  }
  return [...missing];
}

/** One font as used in one document: the embedded font, what it can draw, and measured widths. */
type Face = {
  font: PDFFont;
  /** Code points the embedded font has. */
  has: (ch: string) => boolean;
  /** Advance width per character at size 1. */
  widths: Map<string, number>;
  /** Baseline position inside a line's em box, as a fraction of the size. */
  ascent: number;
};

async function embedSubset(doc: PDFDocument, weight: Weight, characters: Set<string>): Promise<Face> {
  const full = await loadFontBytes(weight);
  const subset = await subsetFont(full, [...characters].join(""), {
    targetFormat: "truetype",
    dropTables: ["GSUB", "GPOS", "GDEF"],
  });
  const font = await doc.embedFont(subset, { subset: false });
  const codePoints = new Set(font.getCharacterSet());
  return {
    font,
    has: (ch) => codePoints.has(ch.codePointAt(0) ?? -1),
    widths: new Map(),
    ascent: 0.88,
  };
}

async function embedCourier(doc: PDFDocument): Promise<Face> {
  const font = await doc.embedFont(StandardFonts.Courier);
  return { font, has: isPrintableAscii, widths: new Map(), ascent: 0.8 };
}

function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

// ---------------------------------------------------------------------------------------------------
// Text

/** Line breaks to \n, tabs to spaces, control and invisible format characters (ZWSP, BOM…) removed. */
function normaliseText(text: string): string {
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

// ---------------------------------------------------------------------------------------------------
// Page geometry and style

const A4: [number, number] = [595.28, 841.89];
const MARGIN = {
  portrait: { top: 56, bottom: 60, left: 56, right: 56 },
  landscape: { top: 48, bottom: 52, left: 48, right: 48 },
};
const BLACK = rgb(0, 0, 0);
const MUTED = rgb(0.35, 0.35, 0.35);
const WATERMARK = rgb(0.8, 0.1, 0.1);
const BORDER = rgb(0.25, 0.25, 0.25);
const SHADE = rgb(0.92, 0.92, 0.92);
const BODY_SIZE = 12;
const TABLE_SIZE = 10;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;
const PAGE_NUMBER_CHARS = "第页共/ 0123456789";

type FaceKey = "regular" | "bold" | "mono";

/** Coordinates to a hundredth of a point: shorter content streams, and pdf-lib writes them faster. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}

type PreparedCell = { x: number; width: number; lines: string[]; face: FaceKey; align: Align; shaded: boolean };
type PreparedRow = { cells: PreparedCell[]; lineCount: number; shaded: boolean; keepWithNext: boolean };

function cellObject(cell: TableCell): Exclude<TableCell, string> {
  return typeof cell === "string" ? { text: cell } : cell;
}

function rowObject(row: TableRow | string[]): TableRow {
  return Array.isArray(row) ? { cells: row } : row;
}

/** Which face a table cell is drawn in. Used both to collect characters and to draw. */
function cellFace(text: string, options: { bold: boolean; mono: boolean }): FaceKey {
  if (options.mono && isPrintableAscii(normaliseText(text).replace(/\n/g, " "))) return "mono";
  return options.bold ? "bold" : "regular";
}

function keyValueRows(block: KeyValueBlock): TableRow[] {
  const perRow = block.pairsPerRow ?? 1;
  const rows: TableRow[] = [];
  let pending: TableCell[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    if (pending.length === 2 && perRow === 2) {
      const value = pending[1];
      pending[1] = { ...cellObject(value ?? ""), span: 3 };
    }
    rows.push({ cells: pending });
    pending = [];
  };
  for (const item of block.items) {
    const key: TableCell = { text: item.key, shaded: true, align: "center" };
    if (item.wide && perRow === 2) {
      flush();
      rows.push({ cells: [key, { text: item.value, span: 3 }] });
      continue;
    }
    pending.push(key, item.value);
    if (pending.length === perRow * 2) flush();
  }
  flush();
  return rows;
}

function keyValueColumns(block: KeyValueBlock): TableColumn[] {
  const pairs = block.pairsPerRow ?? 1;
  const key = block.keyWidth ?? (pairs === 2 ? 0.19 : 0.24);
  const value = 1 / pairs - key;
  const pair: TableColumn[] = [
    { header: "", width: key },
    { header: "", width: value },
  ];
  return pairs === 2 ? [...pair, ...pair] : pair;
}

/** Every string the document will draw, by the face it is drawn in. */
function collectCharacters(spec: DocumentSpec): Record<"regular" | "bold", Set<string>> {
  const sets = { regular: new Set<string>(), bold: new Set<string>() };
  const add = (face: FaceKey, text: string) => {
    if (face === "mono") return;
    for (const ch of normaliseText(text)) if (ch !== "\n") sets[face].add(ch);
  };
  const addTable = (columns: TableColumn[], rows: TableRow[], header: boolean) => {
    if (header) for (const column of columns) add("bold", column.header);
    for (const row of rows) {
      let index = 0;
      for (const raw of row.cells) {
        const cell = cellObject(raw);
        const column = columns[index];
        index += cell.span ?? 1;
        add(cellFace(cell.text, { bold: Boolean(row.bold || cell.bold), mono: Boolean(cell.mono ?? column?.mono) }), cell.text);
      }
    }
  };
  for (const block of spec.blocks) {
    switch (block.type) {
      case "title":
        add("bold", block.text);
        if (block.subtitle) add("regular", block.subtitle);
        break;
      case "heading":
        add("bold", block.text);
        break;
      case "paragraph":
        add(block.bold ? "bold" : "regular", block.text);
        break;
      case "keyValue":
        addTable(keyValueColumns(block), keyValueRows(block), false);
        break;
      case "table":
        addTable(block.columns, block.rows.map(rowObject), true);
        break;
      case "signatures":
        for (const party of block.parties) for (const line of party.lines) add("regular", line);
        break;
      case "spacer":
      case "pageBreak":
        break;
    }
  }
  if (spec.runningHeader) add("regular", spec.runningHeader);
  if (spec.watermark) add("regular", spec.watermark);
  if (spec.pageNumbers !== false) add("regular", PAGE_NUMBER_CHARS);
  add("regular", MISSING_GLYPH_MARKER);
  if (sets.bold.size > 0) add("bold", MISSING_GLYPH_MARKER);
  // Spaces are always measured, even in a document without one.
  sets.regular.add(" ");
  return sets;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

class Renderer {
  readonly pages: PDFPage[] = [];
  readonly missing = new Set<string>();
  private page: PDFPage | undefined;
  /** Distance of the cursor from the top edge of the page. */
  private y = 0;
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly margin: { top: number; bottom: number; left: number; right: number };
  private mono: Face | undefined;
  private readonly fontKeys = new Map<PDFPage, Map<Face, PDFName>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly faces: { regular: Face; bold: Face | undefined },
    private readonly spec: DocumentSpec,
  ) {
    const landscape = spec.orientation === "landscape";
    this.pageWidth = landscape ? A4[1] : A4[0];
    this.pageHeight = landscape ? A4[0] : A4[1];
    this.margin = landscape ? MARGIN.landscape : MARGIN.portrait;
  }

  get contentWidth(): number {
    return this.pageWidth - this.margin.left - this.margin.right;
  }

  private get bottom(): number {
    return this.pageHeight - this.margin.bottom;
  }

  private async face(key: FaceKey): Promise<Face> {
    if (key === "mono") {
      this.mono ??= await embedCourier(this.doc);
      return this.mono;
    }
    return key === "bold" ? (this.faces.bold ?? this.faces.regular) : this.faces.regular;
  }

  /** Normalised text with every character the face cannot draw replaced by the marker (and recorded). */
  private resolve(face: Face, text: string): string {
    let out = "";
    for (const ch of normaliseText(text)) {
      if (ch === "\n" || face.has(ch)) {
        out += ch;
      } else {
        this.missing.add(ch);
        out += face.has(MISSING_GLYPH_MARKER) ? MISSING_GLYPH_MARKER : "?";
      }
    }
    return out;
  }

  private width(face: Face, text: string, size: number): number {
    let total = 0;
    for (const ch of text) {
      let w = face.widths.get(ch);
      if (w === undefined) {
        w = face.font.widthOfTextAtSize(ch, 1);
        face.widths.set(ch, w);
      }
      total += w;
    }
    return total * size;
  }

  /** Resolved text wrapped into lines; every \n starts a new paragraph. */
  private wrap(face: Face, text: string, size: number, maxWidth: number, indent = 0): string[] {
    const resolved = this.resolve(face, text);
    return resolved.split("\n").flatMap((paragraph) =>
      wrapParagraph(paragraph, maxWidth, (s) => this.width(face, s, size), indent),
    );
  }

  newPage(): void {
    this.page = this.doc.addPage([this.pageWidth, this.pageHeight]);
    this.pages.push(this.page);
    this.y = this.margin.top;
    if (this.spec.runningHeader) {
      const face = this.faces.regular;
      const text = this.resolve(face, this.spec.runningHeader);
      const size = 8;
      this.drawText(this.page, face, text, {
        x: this.pageWidth - this.margin.right - this.width(face, text, size),
        y: this.pageHeight - this.margin.top / 2 - size / 2,
        size,
        color: MUTED,
      });
    }
  }

  private current(): PDFPage {
    if (!this.page) this.newPage();
    if (!this.page) throw new Error("no page");
    return this.page;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  private ensureSpace(height: number): void {
    if (!this.page || (this.y + height > this.bottom && this.y > this.margin.top)) this.newPage();
  }

  /**
   * The page's resource name for a font. pdf-lib's `drawText` adds a new font resource on every call
   * (thousands on a long table, and slow); text is drawn with our own operators and one name a font.
   */
  private fontKey(page: PDFPage, face: Face): PDFName {
    let keys = this.fontKeys.get(page);
    if (!keys) {
      keys = new Map();
      this.fontKeys.set(page, keys);
    }
    let key = keys.get(face);
    if (!key) {
      key = page.node.newFontDictionary(face.font.name, face.font.ref);
      keys.set(face, key);
    }
    return key;
  }

  /** Draws already resolved text with its baseline at (x, y) in PDF coordinates. */
  private drawText(
    page: PDFPage,
    face: Face,
    text: string,
    options: { x: number; y: number; size: number; color: RGB; charSpacing?: number },
  ): void {
    const operators: PDFOperator[] = [
      beginText(),
      setFillingRgbColor(options.color.red, options.color.green, options.color.blue),
      setFontAndSize(this.fontKey(page, face), options.size),
    ];
    if (options.charSpacing) operators.push(setCharacterSpacing(round(options.charSpacing)));
    // BT starts from the identity text matrix, so this first move is absolute.
    operators.push(moveText(round(options.x), round(options.y)), showText(face.font.encodeText(text)));
    if (options.charSpacing) operators.push(setCharacterSpacing(0));
    operators.push(endText());
    page.pushOperators(...operators);
  }

  /** Draws one line whose line box starts `top` points from the top edge. */
  private drawLine(
    face: Face,
    text: string,
    options: { x: number; top: number; lineHeight: number; size: number; color?: RGB; charSpacing?: number },
  ): void {
    if (text === "") return;
    const page = this.current();
    const baseline = options.top + (options.lineHeight - options.size) / 2 + face.ascent * options.size;
    this.drawText(page, face, text, {
      x: options.x,
      y: this.pageHeight - baseline,
      size: options.size,
      color: options.color ?? BLACK,
      charSpacing: options.charSpacing,
    });
  }

  private alignedX(face: Face, text: string, size: number, left: number, width: number, align: Align): number {
    if (align === "left") return left;
    const free = width - this.width(face, text, size);
    return align === "center" ? left + free / 2 : left + free;
  }

  async render(): Promise<void> {
    this.newPage();
    for (const block of this.spec.blocks) {
      switch (block.type) {
        case "title":
          await this.title(block);
          break;
        case "heading":
          await this.heading(block);
          break;
        case "paragraph":
          await this.paragraph(block);
          break;
        case "keyValue":
          await this.table(keyValueColumns(block), keyValueRows(block), { header: false, size: block.size ?? 11 });
          this.y += 10;
          break;
        case "table":
          await this.table(block.columns, block.rows.map(rowObject), { header: true, size: block.size ?? TABLE_SIZE });
          this.y += 10;
          break;
        case "signatures":
          await this.signatures(block);
          break;
        case "spacer":
          this.y += block.height;
          if (this.y > this.bottom) this.newPage();
          break;
        case "pageBreak":
          this.newPage();
          break;
      }
    }
    if (this.spec.pageNumbers !== false) this.pageNumbers();
    if (this.spec.watermark) this.watermark(this.spec.watermark);
  }

  private async title(block: TitleBlock): Promise<void> {
    const face = await this.face("bold");
    const size = 18;
    const lineHeight = size * 1.45;
    const lines = this.wrap(face, block.text, size, this.contentWidth);
    this.ensureSpace(lines.length * lineHeight + 60);
    for (const line of lines) {
      const x = this.alignedX(face, line, size, this.margin.left, this.contentWidth, "center");
      this.drawLine(face, line, { x, top: this.y, lineHeight, size });
      this.y += lineHeight;
    }
    if (block.subtitle) {
      this.y += 2;
      await this.paragraph({ type: "paragraph", text: block.subtitle, align: "center", size: 12, spaceAfter: 0 });
    }
    this.y += 12;
  }

  private async heading(block: HeadingBlock): Promise<void> {
    const face = await this.face("bold");
    const size = 13;
    const lineHeight = size * 1.6;
    const lines = this.wrap(face, block.text, size, this.contentWidth);
    // Keep the heading with at least three lines of what follows.
    this.ensureSpace(6 + lines.length * lineHeight + 3 * BODY_SIZE * 1.7);
    this.y += 6;
    for (const line of lines) {
      this.drawLine(face, line, { x: this.margin.left, top: this.y, lineHeight, size });
      this.y += lineHeight;
    }
    this.y += 2;
  }

  private async paragraph(block: ParagraphBlock): Promise<void> {
    const face = await this.face(block.bold ? "bold" : "regular");
    const size = block.size ?? BODY_SIZE;
    const lineHeight = size * 1.6;
    const align = block.align ?? "left";
    const indent = block.indent ? 2 * size : 0;
    const resolved = this.resolve(face, block.text);
    for (const paragraph of resolved.split("\n")) {
      const lines = wrapParagraph(paragraph, this.contentWidth, (s) => this.width(face, s, size), indent);
      lines.forEach((line, i) => {
        this.ensureSpace(lineHeight);
        const lineIndent = i === 0 ? indent : 0;
        const available = this.contentWidth - lineIndent;
        let x = this.margin.left + lineIndent;
        let charSpacing = 0;
        if (align === "left") {
          // Justify every line but the last, unless that would spread the characters visibly.
          const chars = Array.from(line).length;
          const slack = available - this.width(face, line, size);
          if (i < lines.length - 1 && chars > 1 && slack > 0 && slack / (chars - 1) < size * 0.25) {
            charSpacing = slack / (chars - 1);
          }
        } else {
          x = this.alignedX(face, line, size, x, available, align);
        }
        this.drawLine(face, line, { x, top: this.y, lineHeight, size, color: block.muted ? MUTED : BLACK, charSpacing });
        this.y += lineHeight;
      });
    }
    this.y += block.spaceAfter ?? lineHeight / 3;
  }

  private async table(columns: TableColumn[], rows: TableRow[], options: { header: boolean; size: number }): Promise<void> {
    const size = options.size;
    const lineHeight = size * 1.35;
    const totalWeight = columns.reduce((sum, column) => sum + column.width, 0);
    const xs: number[] = [this.margin.left];
    for (const column of columns) xs.push((xs[xs.length - 1] ?? 0) + (column.width / totalWeight) * this.contentWidth);

    const prepare = async (row: TableRow): Promise<PreparedRow> => {
      const cells: PreparedCell[] = [];
      let index = 0;
      for (const raw of row.cells) {
        const cell = cellObject(raw);
        const span = cell.span ?? 1;
        const column = columns[index];
        if (!column || index + span > columns.length) {
          throw new Error(`table row has more cells than the table's ${columns.length} columns`);
        }
        const x = xs[index] ?? 0;
        const width = (xs[index + span] ?? 0) - x;
        const key = cellFace(cell.text, { bold: Boolean(row.bold || cell.bold), mono: Boolean(cell.mono ?? column.mono) });
        const face = await this.face(key);
        const lines = this.wrap(face, cell.text, size, width - 2 * CELL_PAD_X);
        // A cell spanning columns does not inherit its first column's alignment.
        const align = cell.align ?? (span > 1 ? "left" : (column.align ?? "left"));
        cells.push({ x, width, lines, face: key, align, shaded: Boolean(cell.shaded) });
        index += span;
      }
      // Missing cells at the end of a row are drawn empty.
      while (index < columns.length) {
        const x = xs[index] ?? 0;
        cells.push({ x, width: (xs[index + 1] ?? 0) - x, lines: [""], face: "regular", align: "left", shaded: false });
        index += 1;
      }
      return {
        cells,
        lineCount: Math.max(1, ...cells.map((cell) => cell.lines.length)),
        shaded: Boolean(row.shaded),
        keepWithNext: Boolean(row.keepWithNext),
      };
    };

    const header = options.header
      ? await prepare({
          cells: columns.map((column) => ({ text: column.header, align: "center" })),
          bold: true,
          shaded: true,
        })
      : undefined;
    const heightOf = (row: PreparedRow) => row.lineCount * lineHeight + 2 * CELL_PAD_Y;
    const headerHeight = header ? heightOf(header) : 0;

    let rowsOnPage = 0;
    const startPage = () => {
      this.newPage();
      rowsOnPage = 0;
      if (header) this.drawRowSlice(header, 0, header.lineCount, true, { size, lineHeight });
    };

    const prepared: PreparedRow[] = [];
    for (const row of rows) prepared.push(await prepare(row));

    // The header and the first row start together.
    const first = prepared[0];
    if (this.y + headerHeight + (first ? heightOf(first) : 0) > this.bottom && this.y > this.margin.top) {
      startPage();
    } else if (header) {
      this.drawRowSlice(header, 0, header.lineCount, true, { size, lineHeight });
    }

    for (let i = 0; i < prepared.length; i++) {
      const row = prepared[i];
      if (!row) continue;
      const next = prepared[i + 1];
      const needed = heightOf(row) + (row.keepWithNext && next ? heightOf(next) : 0);
      if (rowsOnPage > 0 && this.y + needed > this.bottom) startPage();
      // A row taller than what is left of a fresh page is split between its lines.
      let from = 0;
      while (from < row.lineCount) {
        const fit = Math.floor((this.bottom - this.y - 2 * CELL_PAD_Y) / lineHeight);
        if (fit <= 0) {
          startPage();
          continue;
        }
        const to = Math.min(row.lineCount, from + fit);
        this.drawRowSlice(row, from, to, from === 0 && to === row.lineCount, { size, lineHeight });
        rowsOnPage += 1;
        from = to;
        if (from < row.lineCount) startPage();
      }
    }
  }

  /** Draws lines [from, to) of a row at the cursor, with its borders, and moves the cursor down. */
  private drawRowSlice(
    row: PreparedRow,
    from: number,
    to: number,
    whole: boolean,
    options: { size: number; lineHeight: number },
  ): void {
    const page = this.current();
    const height = (to - from) * options.lineHeight + 2 * CELL_PAD_Y;
    const top = this.y;
    const bottom = round(this.pageHeight - top - height);
    const box = (cell: PreparedCell) => rectangle(round(cell.x), bottom, round(cell.width), round(height));
    // Shading first, then the text, then the borders, each as one path for the whole row.
    const shaded = row.cells.filter((cell) => row.shaded || cell.shaded);
    if (shaded.length > 0) {
      page.pushOperators(
        pushGraphicsState(),
        setFillingRgbColor(SHADE.red, SHADE.green, SHADE.blue),
        ...shaded.map(box),
        fill(),
        popGraphicsState(),
      );
    }
    for (const cell of row.cells) {
      const face = cell.face === "mono" ? this.mono : cell.face === "bold" ? (this.faces.bold ?? this.faces.regular) : this.faces.regular;
      if (!face) continue;
      // A row drawn whole centres its shorter cells vertically.
      const offset = whole ? ((row.lineCount - cell.lines.length) * options.lineHeight) / 2 : 0;
      for (let i = from; i < Math.min(to, cell.lines.length); i++) {
        const line = cell.lines[i] ?? "";
        const x = this.alignedX(face, line, options.size, cell.x + CELL_PAD_X, cell.width - 2 * CELL_PAD_X, cell.align);
        this.drawLine(face, line, {
          x,
          top: top + CELL_PAD_Y + offset + (i - from) * options.lineHeight,
          lineHeight: options.lineHeight,
          size: options.size,
        });
      }
    }
    page.pushOperators(
      pushGraphicsState(),
      setLineWidth(0.5),
      setStrokingRgbColor(BORDER.red, BORDER.green, BORDER.blue),
      ...row.cells.map(box),
      stroke(),
      popGraphicsState(),
    );
    this.y = top + height;
  }

  private async signatures(block: SignatureBlock): Promise<void> {
    const face = await this.face("regular");
    const size = block.size ?? 11;
    const lineHeight = size * 1.5;
    // Room to sign between the lines of a party; a line that wraps continues at the normal spacing.
    const gap = size * 2.8;
    const columns = Math.max(1, block.parties.length);
    const gutter = 16;
    const columnWidth = (this.contentWidth - gutter * (columns - 1)) / columns;
    const placed = block.parties.map((party) => {
      const lines: Array<{ text: string; offset: number }> = [];
      let offset = -gap;
      for (const line of party.lines) {
        offset += gap;
        this.wrap(face, line, size, columnWidth).forEach((text, i) => {
          if (i > 0) offset += lineHeight;
          lines.push({ text, offset });
        });
      }
      return { lines, height: lines.length > 0 ? offset + lineHeight : 0 };
    });
    const height = Math.max(0, ...placed.map((party) => party.height));
    this.ensureSpace(height + 16);
    this.y += 16;
    placed.forEach((party, column) => {
      const x = this.margin.left + column * (columnWidth + gutter);
      for (const line of party.lines) {
        this.drawLine(face, line.text, { x, top: this.y + line.offset, lineHeight, size });
      }
    });
    this.y += height + 8;
  }

  /** The watermark, centred and at 30°, translucent so the text under it stays legible. */
  private watermark(mark: string): void {
    const face = this.faces.regular;
    const text = this.resolve(face, mark);
    const size = Math.min(this.pageWidth, this.pageHeight) / Math.max(3, [...text].length + 1);
    const width = this.width(face, text, size);
    const angle = (30 * Math.PI) / 180;
    // Rotate about the text's centre: start half its width back along the angle from the page centre.
    const cx = this.pageWidth / 2;
    const cy = this.pageHeight / 2;
    const x = cx - (Math.cos(angle) * width) / 2 + (Math.sin(angle) * size * 0.35);
    const y = cy - (Math.sin(angle) * width) / 2 - (Math.cos(angle) * size * 0.35);
    for (const page of this.pages) {
      page.drawText(text, { x, y, size, font: face.font, color: WATERMARK, opacity: 0.18, rotate: degrees(30) });
    }
  }

  private pageNumbers(): void {
    const face = this.faces.regular;
    const size = 9;
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const text = `第 ${i + 1} 页 / 共 ${total} 页`;
      this.drawText(page, face, text, {
        x: (this.pageWidth - this.width(face, text, size)) / 2,
        y: this.margin.bottom / 2 - size / 2,
        size,
        color: MUTED,
      });
    });
  }
}

/** Renders a document and reports characters the font could not draw. */
export async function renderPdf(spec: DocumentSpec): Promise<RenderedPdf> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(spec.title, { showInWindowTitleBar: true });
  if (spec.subject) doc.setSubject(spec.subject);
  if (spec.author) doc.setAuthor(spec.author);
  doc.setCreator("智能化改造咨询诊断补助申报平台");
  doc.setLanguage("zh-CN");

  const characters = collectCharacters(spec);
  const [regular, bold] = await Promise.all([
    embedSubset(doc, "regular", characters.regular),
    characters.bold.size > 0 ? embedSubset(doc, "bold", characters.bold) : Promise.resolve(undefined),
  ]);
  const renderer = new Renderer(doc, { regular, bold }, spec);
  await renderer.render();
  const bytes = await doc.save();
  return { bytes, pageCount: renderer.pages.length, missingCharacters: [...renderer.missing] };
}

/** Renders a document to PDF bytes. Characters the font lacks are printed as MISSING_GLYPH_MARKER. */
export async function renderDocument(spec: DocumentSpec): Promise<Uint8Array> {
  return (await renderPdf(spec)).bytes;
}
