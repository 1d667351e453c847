import { describe, expect, it } from "vitest";

import { parseEnterpriseList, parseProviderList } from "./round-lists.ts";

describe("round lists", () => {
  it("R-ELIG-3 reads the enterprise list, skipping blank and repeated header rows", () => {
    const result = parseEnterpriseList([
      ["序号", "企业名称"],
      ["1", "山东联美弹簧科技股份有限公司"],
      ["", ""],
      ["序号", "企业名称"],
      ["2", " 山东恒昌医疗科技股份有限公司 "],
    ]);
    expect(result).toEqual({
      ok: true,
      entries: [
        { seq: 1, name: "山东联美弹簧科技股份有限公司" },
        { seq: 2, name: "山东恒昌医疗科技股份有限公司" },
      ],
    });
  });

  it("R-ELIG-3 refuses the whole list with row-level errors (nothing half-imported)", () => {
    const result = parseEnterpriseList([
      ["序号", "企业名称"],
      ["1", "甲公司"],
      ["x", "乙公司"],
      ["3", ""],
      ["4", "甲公司"],
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { row: 3, column: "序号", message: "序号“x”不是正整数" },
      { row: 4, column: "企业名称", message: "企业名称为空" },
      { row: 5, column: "企业名称", message: "“甲公司”与第 2 行重复" },
    ]);
  });

  it("R-ELIG-3 names the missing header", () => {
    const result = parseEnterpriseList([
      ["编号", "名称"],
      ["1", "甲"],
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [{ row: 1, message: "未找到表头：第一行应包含“序号”和“企业名称”两列" }],
    });
  });

  it("R-ELIG-1 reads the provider list with contacts and checks phone numbers", () => {
    const ok = parseProviderList([
      ["序号", "服务商名称", "联系人", "联系电话"],
      ["1", "中国联合网络通信有限公司淄博分公司", "宣勇", "18653310332"],
      ["2", "数字(淄博)网络有限公司", "", ""],
    ]);
    expect(ok).toEqual({
      ok: true,
      entries: [
        { seq: 1, name: "中国联合网络通信有限公司淄博分公司", contactName: "宣勇", contactPhone: "18653310332" },
        { seq: 2, name: "数字(淄博)网络有限公司", contactName: null, contactPhone: null },
      ],
    });
    const bad = parseProviderList([
      ["序号", "服务商名称", "联系人", "联系电话"],
      ["1", "甲", "张三", "12345"],
    ]);
    expect(bad).toEqual({ ok: false, errors: [{ row: 2, column: "联系电话", message: "联系电话“12345”格式不正确" }] });
  });
});
