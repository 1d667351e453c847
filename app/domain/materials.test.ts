import { describe, expect, it } from "vitest";

import {
  acceptsType,
  checklist,
  isComplete,
  isMaterialId,
  isPhotoTag,
  MATERIAL_IDS,
  type MaterialFile,
  type MaterialId,
  MATERIALS,
  typeError,
} from "./materials.ts";

/** A complete set: one file for each material, M5 with one workshop and one team photo. */
const COMPLETE: MaterialFile[] = [
  ...MATERIAL_IDS.filter((id) => id !== "M5").map((material) => ({ material })),
  { material: "M5", photoTag: "workshop" },
  { material: "M5", photoTag: "team" },
];

const without = (id: MaterialId) => COMPLETE.filter((file) => file.material !== id);
const item = (files: MaterialFile[], id: MaterialId) => checklist(files).find((entry) => entry.material === id);

describe("materials", () => {
  it("R-MAT-2 lists the nine materials with the names of the policy's table", () => {
    expect(MATERIAL_IDS.map((id) => MATERIALS[id].name)).toEqual([
      "服务商营业执照复印件",
      "被诊断企业营业执照复印件",
      "现场诊断咨询会签到表",
      "书面调研问卷复印件",
      "现场调研照片",
      "诊断合同",
      "被诊断企业汇总表",
      "诊断报告原件",
      "真实性承诺书",
    ]);
    expect(MATERIAL_IDS.filter((id) => MATERIALS[id].generated)).toEqual(["M7", "M9"]);
    expect(MATERIAL_IDS.filter((id) => MATERIALS[id].fromProfile)).toEqual(["M1"]);
    expect(MATERIAL_IDS.filter((id) => MATERIALS[id].multiple)).toEqual(["M3", "M4", "M5"]);
  });

  it("R-MAT-3 accepts PDF, JPEG and PNG, and only PDF for the diagnosis report", () => {
    for (const type of ["application/pdf", "image/jpeg", "image/png"]) expect(acceptsType("M2", type)).toBe(true);
    expect(acceptsType("M2", "image/gif")).toBe(false);
    expect(acceptsType("M8", "application/pdf")).toBe(true);
    expect(acceptsType("M8", "image/jpeg")).toBe(false);
    expect(typeError("M8", "image/png")).toBe("诊断报告原件只接受 PDF 文件");
    expect(typeError("M3", "application/zip")).toBe("只接受 PDF、JPEG 或 PNG 格式的文件");
    expect(typeError("M3", "image/png")).toBeNull();
  });

  it("R-MAT-2 recognises material ids and photo tags from form input", () => {
    expect(isMaterialId("M9")).toBe(true);
    expect(isMaterialId("M10")).toBe(false);
    expect(isPhotoTag("team")).toBe(true);
    expect(isPhotoTag("toString")).toBe(false);
  });
});

describe("checklist", () => {
  it("R-MAT-2 finds a complete set complete", () => {
    expect(isComplete(COMPLETE)).toBe(true);
    expect(checklist(COMPLETE).every((entry) => entry.present && entry.complete && entry.reason === null)).toBe(true);
    expect(item(COMPLETE, "M5")?.count).toBe(2);
  });

  for (const id of MATERIAL_IDS) {
    it(`R-MAT-2 refuses a set without ${id} (${MATERIALS[id].name})`, () => {
      const files = without(id);
      expect(isComplete(files)).toBe(false);
      expect(item(files, id)).toEqual({
        material: id,
        name: MATERIALS[id].name,
        count: 0,
        present: false,
        complete: false,
        reason: `缺少${MATERIALS[id].name}`,
      });
      expect(checklist(files).filter((entry) => !entry.complete)).toHaveLength(1);
    });
  }

  it("R-MAT-2 refuses a single workshop photo", () => {
    const files: MaterialFile[] = [...without("M5"), { material: "M5", photoTag: "workshop" }];
    expect(isComplete(files)).toBe(false);
    expect(item(files, "M5")?.reason).toBe(
      "现场调研照片至少需要 2 张（已上传 1 张）；缺少标注为“诊断小组全部人员”的照片",
    );
  });

  it("R-MAT-2 refuses two photos without a team photo", () => {
    const files: MaterialFile[] = [
      ...without("M5"),
      { material: "M5", photoTag: "workshop" },
      { material: "M5", photoTag: "other" },
    ];
    expect(item(files, "M5")).toMatchObject({
      present: true,
      complete: false,
      reason: "缺少标注为“诊断小组全部人员”的照片",
    });
  });

  it("R-MAT-2 refuses photos without a workshop photo, untagged photos counting for neither", () => {
    const files: MaterialFile[] = [
      ...without("M5"),
      { material: "M5", photoTag: "team" },
      { material: "M5", photoTag: null },
      { material: "M5" },
    ];
    expect(item(files, "M5")).toMatchObject({ count: 3, complete: false, reason: "缺少标注为“车间现场”的照片" });
  });

  it("R-MAT-2 accepts more photos once one workshop and one team photo are there", () => {
    const files: MaterialFile[] = [
      ...without("M5"),
      { material: "M5", photoTag: "other" },
      { material: "M5", photoTag: "team" },
      { material: "M5", photoTag: "workshop" },
    ];
    expect(isComplete(files)).toBe(true);
  });

  it("R-MAT-2 ignores photo tags on materials other than M5", () => {
    const files: MaterialFile[] = [
      ...without("M5"),
      { material: "M2", photoTag: "workshop" },
      { material: "M5", photoTag: "team" },
    ];
    expect(isComplete(files)).toBe(false);
    expect(item(files, "M5")?.reason).toBe("现场调研照片至少需要 2 张（已上传 1 张）；缺少标注为“车间现场”的照片");
  });

  it("R-MAT-2 refuses several files for a one-file material, accepts them for M3 and M4", () => {
    const twoReports: MaterialFile[] = [...COMPLETE, { material: "M8" }];
    expect(isComplete(twoReports)).toBe(false);
    expect(item(twoReports, "M8")?.reason).toBe("诊断报告原件只能上传 1 个文件（已上传 2 个）");
    expect(isComplete([...COMPLETE, { material: "M3" }, { material: "M4" }])).toBe(true);
  });
});
