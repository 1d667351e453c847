import { describe, expect, it } from "vitest";

import { parseCsv, readRows, SpreadsheetError } from "./spreadsheet.server.ts";

describe("CSV lists as staff save them from Excel", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF", () => {
    expect(parseCsv('序号,名称\r\n1,"山东""联美"",弹簧"\n2,"两行\n名称"\n')).toEqual([
      ["序号", "名称"],
      ["1", '山东"联美",弹簧'],
      ["2", "两行\n名称"],
    ]);
  });

  it("keeps rows of different lengths and drops the UTF-8 byte-order mark", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("序号,服务商名称,联系人\n1,甲公司\n", "utf8"),
    ]);
    expect(await readRows(bytes, "名单.csv")).toEqual([
      ["序号", "服务商名称", "联系人"],
      ["1", "甲公司"],
    ]);
  });

  it("answers a broken file with a Chinese message naming the line", () => {
    expect(() => parseCsv('序号,名称\n1,"未闭合的引号\n')).toThrow(SpreadsheetError);
    expect(() => parseCsv('序号,名称\n1,"未闭合的引号\n')).toThrow(/CSV 文件格式有误/);
  });
});
