/**
 * Drawing a DocumentSpec with pdf-lib: blocks top to bottom on A4 pages with automatic page breaks, a
 * table header repeated on every page it runs over, and "第 1 页 / 共 3 页" at the foot of every page.
 * Text and table rules are written with pdf-lib's content-stream operators rather than
 * `page.drawText`/`drawRectangle`, which add a font resource per call and many transforms (3–4× slower
 * on a 1,000-line table).
 *
 * Characters the font lacks (e.g. CJK Extension B, U+20000 and up) would be drawn as empty boxes without
 * any error. Instead they are replaced by MISSING_GLYPH_MARKER (〓, the typesetter's "missing character"
 * mark, which the font has) and listed in `RenderedPdf.missingCharacters`, so a caller can tell the user
 * and a reader of the paper sees that something is missing.
 */
import fontkit from "@pdf-lib/fontkit";
import {
  beginText,
  degrees,
  endText,
  fill,
  moveText,
  PDFDocument,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  type RGB,
  rgb,
  setCharacterSpacing,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  showText,
  stroke,
} from "pdf-lib";

import { embedCourier, embedSubset, type Face } from "./fonts.server.ts";
import {
  cellFace,
  cellObject,
  collectCharacters,
  type FaceKey,
  keyValueColumns,
  keyValueRows,
  rowObject,
} from "./layout.ts";
import {
  type Align,
  type DocumentSpec,
  type HeadingBlock,
  MISSING_GLYPH_MARKER,
  type ParagraphBlock,
  type RenderedPdf,
  type SignatureBlock,
  type TableColumn,
  type TableRow,
  type TitleBlock,
} from "./spec.ts";
import { normaliseText, wrapParagraph } from "./text.ts";

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

/** Coordinates to a hundredth of a point: shorter content streams, and pdf-lib writes them faster. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}

type PreparedCell = { x: number; width: number; lines: string[]; face: FaceKey; align: Align; shaded: boolean };
type PreparedRow = { cells: PreparedCell[]; lineCount: number; shaded: boolean; keepWithNext: boolean };

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
    return resolved
      .split("\n")
      .flatMap((paragraph) => wrapParagraph(paragraph, maxWidth, (s) => this.width(face, s, size), indent));
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
        this.drawLine(face, line, {
          x,
          top: this.y,
          lineHeight,
          size,
          color: block.muted ? MUTED : BLACK,
          charSpacing,
        });
        this.y += lineHeight;
      });
    }
    this.y += block.spaceAfter ?? lineHeight / 3;
  }

  private async table(
    columns: TableColumn[],
    rows: TableRow[],
    options: { header: boolean; size: number },
  ): Promise<void> {
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
        const key = cellFace(cell.text, {
          bold: Boolean(row.bold || cell.bold),
          mono: Boolean(cell.mono ?? column.mono),
        });
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
      const face =
        cell.face === "mono"
          ? this.mono
          : cell.face === "bold"
            ? (this.faces.bold ?? this.faces.regular)
            : this.faces.regular;
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
    const x = cx - (Math.cos(angle) * width) / 2 + Math.sin(angle) * size * 0.35;
    const y = cy - (Math.sin(angle) * width) / 2 - Math.cos(angle) * size * 0.35;
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
