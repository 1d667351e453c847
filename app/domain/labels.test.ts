import { describe, expect, it } from "vitest";

import { asSentence, roundLabel } from "./labels.ts";

describe("roundLabel", () => {
  it("marks a demo round once, whether or not its name carries the mark", () => {
    expect(roundLabel({ name: "【演示】智能化改造咨询诊断补助演示批次", isDemo: true })).toBe(
      "【演示】智能化改造咨询诊断补助演示批次",
    );
    expect(roundLabel({ name: "练习批次", isDemo: true })).toBe("【演示】练习批次");
    expect(roundLabel({ name: "2022年度第一批", isDemo: false })).toBe("2022年度第一批");
  });
});

describe("asSentence", () => {
  it("ends a typed reason with one full stop, never two", () => {
    expect(asSentence("注册地不在张店区")).toBe("注册地不在张店区。");
    expect(asSentence("注册地不在张店区。")).toBe("注册地不在张店区。");
    expect(asSentence("营业执照已过期！ ")).toBe("营业执照已过期！");
    expect(asSentence("")).toBe("");
  });
});
