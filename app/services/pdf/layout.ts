/**
 * Layout of blocks before drawing: key–value grids as table rows, which face each cell is drawn in, and
 * every character a document will draw (so the font subset holds exactly those). No PDF library.
 */
import {
  type DocumentSpec,
  type KeyValueBlock,
  MISSING_GLYPH_MARKER,
  type TableCell,
  type TableColumn,
  type TableRow,
} from "./spec.ts";
import { isPrintableAscii, normaliseText } from "./text.ts";

/** Which face text is drawn in: Noto Sans SC regular or bold, or Courier for codes. */
export type FaceKey = "regular" | "bold" | "mono";

/** The characters of "第 1 页 / 共 3 页", always in the regular subset. */
export const PAGE_NUMBER_CHARS = "第页共/ 0123456789";

export function cellObject(cell: TableCell): Exclude<TableCell, string> {
  return typeof cell === "string" ? { text: cell } : cell;
}

export function rowObject(row: TableRow | string[]): TableRow {
  return Array.isArray(row) ? { cells: row } : row;
}

/** Which face a table cell is drawn in. Used both to collect characters and to draw. */
export function cellFace(text: string, options: { bold: boolean; mono: boolean }): FaceKey {
  if (options.mono && isPrintableAscii(normaliseText(text).replace(/\n/g, " "))) return "mono";
  return options.bold ? "bold" : "regular";
}

export function keyValueRows(block: KeyValueBlock): TableRow[] {
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

export function keyValueColumns(block: KeyValueBlock): TableColumn[] {
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
export function collectCharacters(spec: DocumentSpec): Record<"regular" | "bold", Set<string>> {
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
        add(
          cellFace(cell.text, { bold: Boolean(row.bold || cell.bold), mono: Boolean(cell.mono ?? column?.mono) }),
          cell.text,
        );
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
