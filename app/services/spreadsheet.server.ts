/**
 * Spreadsheets where staff live in Excel: reading an uploaded .xlsx or .csv into rows of strings, and
 * writing .xlsx exports. CSV saved by Excel on Chinese Windows is often GBK: decoded as such when the
 * bytes are not valid UTF-8.
 */
import { CsvError, parse } from "csv-parse/sync";
import ExcelJS from "exceljs";

export class SpreadsheetError extends Error {}

export async function readRows(bytes: Uint8Array, fileName: string): Promise<string[][]> {
  const lower = fileName.toLowerCase();
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (lower.endsWith(".xlsx") || isZip) {
    if (!isZip) throw new SpreadsheetError("文件不是有效的 Excel（.xlsx）文件，请用 Excel 另存为 .xlsx 后重新上传。");
    return readXlsx(bytes);
  }
  if (lower.endsWith(".csv") || lower.endsWith(".txt")) return parseCsv(decodeText(bytes));
  if (lower.endsWith(".xls"))
    throw new SpreadsheetError("不支持旧版 .xls 格式，请用 Excel 另存为 .xlsx 或 .csv 后上传。");
  throw new SpreadsheetError("只支持 .xlsx 或 .csv 文件。");
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gbk").decode(bytes);
  }
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch {
    throw new SpreadsheetError("无法读取该 Excel 文件，文件可能已损坏，请重新保存后上传。");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SpreadsheetError("Excel 文件中没有工作表。");
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cell.text ?? "";
    });
    rows[rowNumber - 1] = Array.from(cells, (c) => c ?? "");
  });
  return Array.from(rows, (r) => r ?? []);
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), read by csv-parse; rows may differ in length. */
export function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"] });
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === "number" ? `第 ${error.lines} 行` : "";
    throw new SpreadsheetError(
      `CSV 文件格式有误${line ? `（${line}）` : ""}：请检查引号是否成对，或用 Excel 另存为 .xlsx 后重新上传。`,
    );
  }
}

/** A column of text or plain numbers. */
export type ValueColumn<T> = { header: string; width?: number; value: (item: T) => string | number | null };
/**
 * A column of money: the value is integer fen (R-PAY-1), written as a number of yuan with the 0.00
 * format, so Excel sums it (a text amount does not add up).
 */
export type MoneyColumn<T> = { header: string; width?: number; fen: (item: T) => number | null };
export type Column<T> = ValueColumn<T> | MoneyColumn<T>;

/** The number format of every amount in every export. */
export const MONEY_FORMAT = "0.00";

function cellValue<T>(column: Column<T>, item: T): string | number | null {
  if ("value" in column) return column.value(item);
  const fen = column.fen(item);
  if (fen === null) return null;
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${column.header}: ${fen} is not an integer of fen`);
  // One division, the nearest double to the decimal: 1234567 fen → 12345.67.
  return fen / 100;
}

/** One sheet, a bold frozen header row, the given columns; amounts numeric with two decimals. */
export async function writeXlsx<T>(sheetName: string, columns: Column<T>[], items: T[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "智能化改造诊断补助申报平台";
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 20 }));
  sheet.getRow(1).font = { bold: true };
  for (const item of items) {
    const row = sheet.addRow(columns.map((c) => cellValue(c, item)));
    columns.forEach((c, i) => {
      if ("fen" in c) row.getCell(i + 1).numFmt = MONEY_FORMAT;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
