/**
 * The round's two lists (attachment 2: enterprises, R-ELIG-3; attachment 3: providers, R-ELIG-1) as
 * they arrive from a spreadsheet: rows of cells. Validation is all-or-nothing: any row error refuses
 * the whole import, so nothing is half-imported.
 */

export type EnterpriseEntry = { seq: number; name: string };
export type ProviderEntry = { seq: number; name: string; contactName: string | null; contactPhone: string | null };
export type RowError = { row: number; column?: string; message: string };
export type ListResult<T> = { ok: true; entries: T[] } | { ok: false; errors: RowError[] };

const clean = (cell: string | undefined) => (cell ?? "").replace(/\u3000/g, " ").trim();

function findHeader(rows: string[][], required: string[]): { index: number; columns: Map<string, number> } | null {
  for (let index = 0; index < Math.min(rows.length, 10); index++) {
    const cells = (rows[index] ?? []).map(clean);
    const columns = new Map<string, number>();
    cells.forEach((cell, i) => columns.set(cell, i));
    if (required.every((name) => columns.has(name))) return { index, columns };
  }
  return null;
}

function parseSeq(raw: string, rowNumber: number, errors: RowError[]): number | null {
  if (!/^\d{1,5}$/.test(raw)) {
    errors.push({ row: rowNumber, column: "序号", message: `序号“${raw}”不是正整数` });
    return null;
  }
  return Number(raw);
}

function parseList<T extends { seq: number; name: string }>(
  rows: string[][],
  nameColumn: string,
  build: (
    cells: string[],
    columns: Map<string, number>,
    seq: number,
    name: string,
    rowNumber: number,
    errors: RowError[],
  ) => T,
): ListResult<T> {
  const header = findHeader(rows, ["序号", nameColumn]);
  if (!header) {
    return { ok: false, errors: [{ row: 1, message: `未找到表头：第一行应包含“序号”和“${nameColumn}”两列` }] };
  }
  const errors: RowError[] = [];
  const entries: T[] = [];
  const seenNames = new Map<string, number>();
  const seenSeqs = new Map<number, number>();
  const seqColumn = header.columns.get("序号") ?? 0;
  const nameIndex = header.columns.get(nameColumn) ?? 1;
  for (let i = header.index + 1; i < rows.length; i++) {
    const cells = (rows[i] ?? []).map(clean);
    const rowNumber = i + 1;
    if (cells.every((c) => c === "")) continue;
    // Repeated header rows (the published lists repeat them at page breaks) are skipped.
    if (cells[seqColumn] === "序号" && cells[nameIndex] === nameColumn) continue;
    const name = cells[nameIndex] ?? "";
    const seq = parseSeq(cells[seqColumn] ?? "", rowNumber, errors);
    if (!name) {
      errors.push({ row: rowNumber, column: nameColumn, message: `${nameColumn}为空` });
      continue;
    }
    if (name.length > 100) errors.push({ row: rowNumber, column: nameColumn, message: `${nameColumn}超过 100 个字符` });
    const earlier = seenNames.get(name);
    if (earlier) errors.push({ row: rowNumber, column: nameColumn, message: `“${name}”与第 ${earlier} 行重复` });
    seenNames.set(name, rowNumber);
    if (seq === null) continue;
    const earlierSeq = seenSeqs.get(seq);
    if (earlierSeq) errors.push({ row: rowNumber, column: "序号", message: `序号 ${seq} 与第 ${earlierSeq} 行重复` });
    seenSeqs.set(seq, rowNumber);
    entries.push(build(cells, header.columns, seq, name, rowNumber, errors));
  }
  if (entries.length === 0 && errors.length === 0)
    errors.push({ row: header.index + 2, message: "名单中没有任何数据行" });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries: entries.sort((a, b) => a.seq - b.seq) };
}

/** Attachment 2 (R-ELIG-3): columns 序号, 企业名称. */
export function parseEnterpriseList(rows: string[][]): ListResult<EnterpriseEntry> {
  return parseList(rows, "企业名称", (_cells, _columns, seq, name) => ({ seq, name }));
}

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$/;

/** Attachment 3 (R-ELIG-1): columns 序号, 服务商名称, and optionally 联系人, 联系电话. */
export function parseProviderList(rows: string[][]): ListResult<ProviderEntry> {
  return parseList(rows, "服务商名称", (cells, columns, seq, name, rowNumber, errors) => {
    const contactIndex = columns.get("联系人");
    const phoneIndex = columns.get("联系电话");
    const contactName = contactIndex === undefined ? "" : (cells[contactIndex] ?? "");
    const contactPhone = phoneIndex === undefined ? "" : (cells[phoneIndex] ?? "").replace(/\s/g, "");
    if (contactPhone && !PHONE.test(contactPhone)) {
      errors.push({ row: rowNumber, column: "联系电话", message: `联系电话“${contactPhone}”格式不正确` });
    }
    return { seq, name, contactName: contactName || null, contactPhone: contactPhone || null };
  });
}
