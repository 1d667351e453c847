/**
 * The nine materials of an application (申报材料, SPEC.md "Materials"), as data, and the completeness
 * check that gates submission (R-MAT-2: 缺少1项即列为不合格).
 */

export const MATERIAL_IDS = ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9"] as const;
export type MaterialId = (typeof MATERIAL_IDS)[number];

/** R-MAT-3: accepted file types, checked by content (sniffed), not by name. */
export const FILE_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** M5 photo tags (R-MAT-2: at least one workshop photo and one photo of the whole diagnosis team). */
export const PHOTO_TAGS = {
  workshop: "车间现场",
  team: "诊断小组全部人员",
  other: "其他",
} as const satisfies Record<string, string>;
export type PhotoTag = keyof typeof PHOTO_TAGS;

export type Material = {
  id: MaterialId;
  /** Chinese name exactly as in the policy's table. */
  name: string;
  /** Whether several files may be uploaded (M3, M4, M5); otherwise exactly one. */
  multiple: boolean;
  /** The portal generates it for signing and sealing, and the signed scan is uploaded back (M7, M9). */
  generated: boolean;
  /** It can be taken from the provider's profile instead of uploaded again (M1). */
  fromProfile: boolean;
  types: readonly FileType[];
  hint: string;
};

/** The materials of SPEC.md's table, in order. */
export const MATERIALS: Readonly<Record<MaterialId, Material>> = {
  M1: {
    id: "M1",
    name: "服务商营业执照复印件",
    multiple: false,
    generated: false,
    fromProfile: true,
    types: FILE_TYPES,
    hint: "复印件须加盖公章；可直接使用服务商资料中已上传的营业执照",
  },
  M2: {
    id: "M2",
    name: "被诊断企业营业执照复印件",
    multiple: false,
    generated: false,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "复印件须加盖被诊断企业公章",
  },
  M3: {
    id: "M3",
    name: "现场诊断咨询会签到表",
    multiple: true,
    generated: false,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "双方到场人员须全部签名，可上传多个文件",
  },
  M4: {
    id: "M4",
    name: "书面调研问卷复印件",
    multiple: true,
    generated: false,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "复印件须加盖企业公章，可上传多个文件",
  },
  M5: {
    id: "M5",
    name: "现场调研照片",
    multiple: true,
    generated: false,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "至少 2 张，其中“车间现场”和“诊断小组全部人员”照片各至少 1 张",
  },
  M6: {
    id: "M6",
    name: "诊断合同",
    multiple: false,
    generated: false,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "上传合同扫描件，并填写合同金额和签订日期",
  },
  M7: {
    id: "M7",
    name: "被诊断企业汇总表",
    multiple: false,
    generated: true,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "下载系统生成的汇总表，签字盖章后扫描上传",
  },
  M8: {
    id: "M8",
    name: "诊断报告原件",
    multiple: false,
    generated: false,
    fromProfile: false,
    types: ["application/pdf"],
    hint: "加盖被诊断企业公章的诊断报告，仅限 PDF 文件",
  },
  M9: {
    id: "M9",
    name: "真实性承诺书",
    multiple: false,
    generated: true,
    fromProfile: false,
    types: FILE_TYPES,
    hint: "下载系统生成的承诺书，服务商和被诊断企业双方签字盖章后扫描上传",
  },
};

export function isMaterialId(value: string): value is MaterialId {
  return MATERIAL_IDS.some((id) => id === value);
}

export function isPhotoTag(value: string): value is PhotoTag {
  return Object.keys(PHOTO_TAGS).includes(value);
}

/** R-MAT-3: whether a file of the sniffed type `mime` may be uploaded as `material`. */
export function acceptsType(material: MaterialId, mime: string): boolean {
  return MATERIALS[material].types.some((type) => type === mime);
}

/** R-MAT-3: the refusal message for a file of the wrong type, or null when the type is accepted. */
export function typeError(material: MaterialId, mime: string): string | null {
  if (acceptsType(material, mime)) return null;
  return material === "M8" ? "诊断报告原件只接受 PDF 文件" : "只接受 PDF、JPEG 或 PNG 格式的文件";
}

export type MaterialFile = { material: MaterialId; photoTag?: PhotoTag | null };
export type ChecklistItem = {
  material: MaterialId;
  name: string;
  count: number;
  /** At least one file is there. */
  present: boolean;
  /** The material meets its rule (R-MAT-2); when not, `reason` says why in Chinese. */
  complete: boolean;
  reason: string | null;
};

/** R-MAT-2: M5 needs ≥ 2 photos, at least one tagged workshop and one tagged team. */
function photoProblems(photos: MaterialFile[]): string[] {
  const problems: string[] = [];
  if (photos.length < 2) problems.push(`现场调研照片至少需要 2 张（已上传 ${photos.length} 张）`);
  if (!photos.some((p) => p.photoTag === "workshop")) problems.push(`缺少标注为“${PHOTO_TAGS.workshop}”的照片`);
  if (!photos.some((p) => p.photoTag === "team")) problems.push(`缺少标注为“${PHOTO_TAGS.team}”的照片`);
  return problems;
}

function problems(material: Material, files: MaterialFile[]): string[] {
  if (files.length === 0) return [`缺少${material.name}`];
  if (material.id === "M5") return photoProblems(files);
  if (!material.multiple && files.length > 1) return [`${material.name}只能上传 1 个文件（已上传 ${files.length} 个）`];
  return [];
}

/** R-MAT-2: the state of each of the nine materials, in order. */
export function checklist(files: readonly MaterialFile[]): ChecklistItem[] {
  return MATERIAL_IDS.map((id) => {
    const material = MATERIALS[id];
    const mine = files.filter((file) => file.material === id);
    const found = problems(material, mine);
    return {
      material: id,
      name: material.name,
      count: mine.length,
      present: mine.length > 0,
      complete: found.length === 0,
      reason: found.length === 0 ? null : found.join("；"),
    };
  });
}

/** R-MAT-2: an application with any material missing or incomplete cannot be submitted. */
export function isComplete(files: readonly MaterialFile[]): boolean {
  return checklist(files).every((item) => item.complete);
}
