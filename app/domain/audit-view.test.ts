import { describe, expect, it } from "vitest";

import { AUDIT_ACTION_LABELS } from "./audit-actions.ts";
import { auditEntityLabel, auditIds, auditPairs, auditText } from "./audit-view.ts";

const names = new Map([
  ["cl_app_1", "T2022-0003"],
  ["cl_org_1", "淄博德信科技有限公司"],
  ["cl_user_1", "王专家"],
]);

describe("audit entries as people read them (R-LOG-1)", () => {
  it("shows Chinese field names, statuses in words, Beijing time and yuan", () => {
    expect(
      auditPairs(
        {
          status: "submitted",
          cycle: 2,
          submittedAt: "2022-12-19T08:13:27.000Z",
          contractAmountFen: 999_999,
          registeredInZhangdian: true,
        },
        names,
        "application",
      ),
    ).toEqual([
      { label: "状态", value: "已提交" },
      { label: "审查轮次", value: "2" },
      { label: "提交时间", value: "2022-12-19 16:13:27（北京时间）" },
      { label: "合同金额", value: "9,999.99 元" },
      { label: "注册地在张店区", value: "是" },
    ]);
  });

  it("names records instead of showing internal ids, and says when one was deleted", () => {
    expect(auditText({ applicationId: "cl_app_1", expertId: "cl_user_1", organisationId: "cl_gone" }, names)).toBe(
      "申报编号：T2022-0003，专家：王专家，服务商：（记录已删除）",
    );
    expect(auditEntityLabel({ entityType: "application", entityId: "cl_app_1" }, names)).toBe("申报 T2022-0003");
    // A withdrawn draft is gone from the database: its own snapshot names it.
    expect(
      auditEntityLabel(
        { entityType: "application", entityId: "cl_gone", before: { number: "T2022-0009", status: "draft" } },
        names,
      ),
    ).toBe("申报 T2022-0009");
    expect(auditEntityLabel({ entityType: "organisation", entityId: "cl_org_1" }, names)).toBe(
      "服务商 淄博德信科技有限公司",
    );
  });

  it("reads statuses by the kind of record, and lists of materials as lines", () => {
    expect(auditText({ status: "draft" }, names, "round")).toBe("状态：未开放");
    expect(auditText({ status: "draft" }, names, "application")).toBe("状态：草稿");
    expect(auditText({ status: "released" }, names, "application")).toBe("状态：已撤回（企业已释放）");
    expect(
      auditText(
        { replaced: [{ material: "M8", fileName: "报告.pdf", sha256: "ab".repeat(32) }] },
        names,
        "application",
      ),
    ).toBe("更换的材料：材料：M8 诊断报告原件，文件名：报告.pdf，SHA-256 摘要：abababababab…");
    expect(auditText({ roles: ["expert", "staff"] }, names)).toBe("角色：评审专家、工信局工作人员");
  });

  it("leaves no raw JSON, ISO timestamp or English key in what every action of the record writes", () => {
    const samples: Record<string, unknown>[] = [
      { status: "verified", registeredInZhangdian: true },
      { reviewsPerApplication: 3, reviewDeadline: "2022-12-30T09:00:59.000Z" },
      {
        name: "2023年第一批",
        code: "2023",
        year: 2023,
        deadline: "2023-06-30T09:59:59.000Z",
        disbursementDeadline: null,
        perEnterpriseCapFen: 1_000_000,
        passMark: 60,
        budgetFen: null,
        status: "open",
      },
      { number: "T2022-0003", enterprise: "某企业", contractAmountFen: 1_200_000 },
      // What the features of this release record: results, reviews, standing, objections, summary tables.
      { events: ["complete_reviews", "confirm_pass"], payoutAmountFen: 1_000_000 },
      {
        basicsHalfPoints: 50,
        recommendationsHalfPoints: 70,
        estimatesHalfPoints: 50,
        materialsComplete: true,
        veto: false,
      },
      { suspended: true, suspendedAt: "2022-12-01T02:00:00.000Z", pendingApplications: ["T2022-0003"] },
      { outcome: "dismissed", resolution: "经核实不成立", held: true, summaryDigest: "ab12", version: 3, none: true },
    ];
    for (const sample of samples) {
      const text = auditText(sample, names, "round");
      expect(text).not.toMatch(/[{}"]|\d{4}-\d{2}-\d{2}T|\b[a-z]+[A-Z][a-zA-Z]*\b/);
    }
    expect(
      auditText({ outcome: "dismissed", events: ["complete_reviews", "confirm_pass"] }, names, "application"),
    ).toBe("处理结果：异议不成立，办理环节：完成评审、确认合格");
    expect(Object.keys(AUDIT_ACTION_LABELS).length).toBeGreaterThan(0);
  });

  it("collects the ids an entry refers to, for the caller to look up", () => {
    expect(
      auditIds({
        entityId: "cl_app_1",
        before: { expertId: "cl_user_1" },
        after: { fileIds: ["f1", "f2"], lines: [{ applicationId: "a2" }] },
      }).sort(),
    ).toEqual(["a2", "cl_app_1", "cl_user_1", "f1", "f2"].sort());
  });
});
