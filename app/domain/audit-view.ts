/**
 * R-LOG-1: an audit entry as people read it. The record keeps what the code wrote (English keys, UTC
 * instants, internal ids, fen); the history of an application and the staff audit page show Chinese
 * field names, Beijing time, amounts in yuan, statuses in words and application numbers or names in
 * place of ids. The caller looks the ids up (auditIds gives them) and passes the names.
 */
import { APPLICATION_EVENTS, APPLICATION_STATUSES } from "./application-status.ts";
import { ORGANISATION_STATUS_LABELS, ROLE_LABELS, ROUND_STATUS_LABELS } from "./labels.ts";
import { isMaterialId, MATERIALS, PHOTO_TAGS } from "./materials.ts";
import { formatFen } from "./money.ts";
import { formatShanghai } from "./shanghai-time.ts";

export const AUDIT_FIELD_LABELS: Readonly<Record<string, string>> = {
  // Applications and materials
  number: "申报编号",
  applicationNumber: "申报编号",
  applicationNo: "申报编号",
  applicationId: "申报编号",
  application: "申报",
  status: "状态",
  enterprise: "被诊断企业",
  enterpriseUscc: "被诊断企业信用代码",
  organisation: "服务商",
  organisationId: "服务商",
  organisationName: "所在单位",
  reportTitle: "诊断报告名称",
  contractAmountFen: "合同金额",
  contractSignedOn: "合同签订日期",
  diagnosisCompletedOn: "诊断完成日期",
  submittedAt: "提交时间",
  supplementDueAt: "补正截止时间",
  cycle: "审查轮次",
  replaced: "更换的材料",
  materials: "材料",
  material: "材料",
  materialRowId: "材料记录",
  fileName: "文件名",
  fileId: "文件",
  fileIds: "文件",
  sha256: "SHA-256 摘要",
  photoTag: "照片类别",
  removedAt: "删除时间",
  verdicts: "审查意见",
  verdict: "结论",
  note: "说明",
  receivedOn: "收到日期",
  receivedBy: "接收人",
  registeredInZhangdian: "注册地在张店区",
  uscc: "统一社会信用代码",
  // People
  name: "名称",
  email: "邮箱",
  phone: "电话",
  roles: "角色",
  role: "角色",
  userId: "账号",
  field: "专业领域",
  contactName: "联系人",
  contactPhone: "联系电话",
  // Experts, assignments and reviews
  expert: "专家",
  expertId: "专家",
  assignmentId: "评审任务",
  assignedById: "分配人",
  withdrawnAt: "撤回时间",
  noConflictConfirmedAt: "确认无利益冲突时间",
  kind: "类别",
  partyName: "单位名称",
  declaredBy: "申报人",
  reviewsPerApplication: "每份申报专家人数",
  reviewDeadline: "评审截止时间",
  reopenedAt: "退回时间",
  savedAt: "保存时间",
  totals: "各专家得分",
  finalScore: "最终得分",
  spread: "分差",
  passed: "是否合格",
  reasons: "原因",
  added: "新增分配",
  shortages: "专家不足的申报",
  aggregation: "计分方式",
  // Rounds and notices
  round: "批次",
  roundId: "批次",
  code: "批次代码",
  year: "年度",
  deadline: "申报截止时间",
  disbursementDeadline: "拨付截止时间",
  perEnterpriseCapFen: "每家企业补助上限",
  passMark: "合格分数线",
  budgetFen: "预算总额",
  opensAt: "公示开始时间",
  closesAt: "公示结束时间",
  objectionText: "异议方式",
  similarityThreshold: "雷同标记阈值",
  count: "数量",
  seq: "序号",
  list: "名单",
  demo: "演示数据",
  created: "新建",
  // Payouts
  batchId: "拨付批次",
  batchNumber: "拨付批次编号",
  payoutBatchId: "拨付批次",
  totalFen: "合计金额",
  amountFen: "金额",
  lines: "明细",
  paidOn: "拨付日期",
  voucherRef: "凭证号",
  corrects: "更正的批次",
  back: "退回",
  reason: "理由",
  version: "版本",
  digest: "摘要",
  payee: "收款账户",
  payeeAccountName: "开户名称",
  payeeBankName: "开户银行",
  payeeAccountNumber: "银行账号",
  // Reviews
  veto: "一票否决",
  vetoEvidence: "否决依据",
  deduction: "扣分",
  deductionReason: "扣分理由",
  basicsScore: "基本情况得分",
  basicsComment: "基本情况评语",
  recommendationsScore: "诊断建议得分",
  recommendationsComment: "诊断建议评语",
  estimatesScore: "项目测算得分",
  estimatesComment: "项目测算评语",
  materialsNote: "材料意见",
  // Provider standing, summary table (M7), notice objections
  suspended: "暂停申报资格",
  suspendedAt: "暂停时间",
  liftedAt: "恢复时间",
  pendingApplications: "未完结的申报",
  summaryDigest: "汇总表校验摘要",
  applications: "申报",
  objectionId: "异议",
  objector: "异议人",
  content: "异议内容",
  outcome: "处理结果",
  resolution: "处理意见",
  held: "暂缓拨付",
  clearance: "非抄袭理由",
  none: "声明无利益冲突",
  via: "方式",
  events: "办理环节",
  event: "办理环节",
  payoutAmountFen: "补助金额",
  materialsComplete: "材料齐全",
  basicsHalfPoints: "基本情况得分（半分计）",
  recommendationsHalfPoints: "诊断建议得分（半分计）",
  estimatesHalfPoints: "项目测算得分（半分计）",
  copyFlagClearance: "非抄袭理由",
  createdById: "创建人",
  experts: "专家",
  k: "每份申报专家人数",
  released: "已释放",
  reversed: "已冲正",
  verified: "已核验",
  payeeAccountVerified: "收款账户已核验",
  accountName: "开户名称",
  bankName: "开户银行",
  accountNumber: "银行账号",
  proofFileId: "开户证明",
};

/** A transition event of an application (app/domain/application-status.ts) by its Chinese name. */
const EVENT_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(APPLICATION_EVENTS).map(([event, { label }]) => [event, label]),
);

const STATUS_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  application: { ...APPLICATION_STATUSES, released: "已撤回（企业已释放）" },
  organisation: ORGANISATION_STATUS_LABELS,
  round: ROUND_STATUS_LABELS,
  user: { active: "正常", invited: "已邀请", disabled: "已停用" },
  review: { draft: "草稿", submitted: "已提交" },
  payout_batch: { prepared: "待审批", returned: "已退回", approved: "已审批", paid: "已拨付" },
};

const VALUE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  verdict: { accepted: "合格", rejected: "不合格" },
  kind: { provider: "服务商", enterprise: "企业", report: "诊断报告", photo: "现场照片" },
  declaredBy: { expert: "专家本人", staff: "工作人员" },
  aggregation: { mean: "平均分", median: "中位数" },
  outcome: { upheld: "异议成立", dismissed: "异议不成立" },
  events: EVENT_LABELS,
  event: EVENT_LABELS,
  photoTag: PHOTO_TAGS,
  role: ROLE_LABELS,
  roles: ROLE_LABELS,
};

const ANY_APPLICATION_STATUS: Readonly<Record<string, string>> = APPLICATION_STATUSES;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Keys whose values are internal ids of other records. */
const isIdKey = (key: string) => /(Id|Ids)$/.test(key);

export type AuditPair = { label: string; value: string };
/** Internal id → what people call the record: an application's number, a person's or organisation's name. */
export type AuditNames = ReadonlyMap<string, string>;

function labelOf(key: string): string {
  return AUDIT_FIELD_LABELS[key] ?? key;
}

function formatValue(key: string, value: unknown, names: AuditNames, entityType: string): string {
  if (value === null || value === undefined || value === "") return "无";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "number") return /Fen$/.test(key) ? `${formatFen(value)} 元` : String(value);
  if (typeof value === "string") {
    if (isIdKey(key)) return names.get(value) ?? "（记录已删除）";
    if (INSTANT.test(value)) {
      const at = new Date(value);
      return Number.isNaN(at.getTime()) ? value : `${formatShanghai(at, true)}（北京时间）`;
    }
    if (key === "status") return STATUS_LABELS[entityType]?.[value] ?? ANY_APPLICATION_STATUS[value] ?? value;
    if (key === "material" && isMaterialId(value)) return `${value} ${MATERIALS[value].name}`;
    if (key === "sha256") return `${value.slice(0, 12)}…`;
    return VALUE_LABELS[key]?.[value] ?? value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "无";
    const objects = value.every((item) => typeof item === "object" && item !== null && !Array.isArray(item));
    const itemKey = key.replace(/Ids$/, "Id");
    return value
      .map((item) => (objects ? describe(item, names, entityType) : formatValue(itemKey, item, names, entityType)))
      .join(objects ? "；" : "、");
  }
  if (typeof value === "object") return describe(value, names, entityType);
  return String(value);
}

function describe(value: object, names: AuditNames, entityType: string): string {
  return auditPairs(value, names, entityType)
    .map((pair) => `${pair.label}：${pair.value}`)
    .join("，");
}

/** The before or after of an entry as Chinese label: value pairs (a value that is not an object is one pair, 内容). */
export function auditPairs(value: unknown, names: AuditNames, entityType = ""): AuditPair[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object" || Array.isArray(value))
    return [{ label: "内容", value: formatValue("", value, names, entityType) }];
  return Object.entries(value).map(([key, inner]) => ({
    label: labelOf(key),
    value: formatValue(key, inner, names, entityType),
  }));
}

/** The same, on one line ("状态：已提交，审查轮次：2"), for a table cell or a mail. */
export function auditText(value: unknown, names: AuditNames, entityType = ""): string {
  return auditPairs(value, names, entityType)
    .map((pair) => `${pair.label}：${pair.value}`)
    .join("，");
}

export const AUDIT_ENTITY_LABELS: Readonly<Record<string, string>> = {
  application: "申报",
  organisation: "服务商",
  user: "账号",
  round: "批次",
  enterprise: "企业",
  review: "评审",
  payout_batch: "拨付批次",
};

/**
 * What an entry is about, as people name it: "申报 T2022-0003". A record deleted since (a withdrawn
 * draft) is named from the entry's own snapshot when it has one.
 */
export function auditEntityLabel(
  entry: { entityType: string; entityId: string; before?: unknown; after?: unknown },
  names: AuditNames,
): string {
  const kind = AUDIT_ENTITY_LABELS[entry.entityType] ?? "记录";
  const snapshot = [entry.before, entry.after].find(
    (v): v is Record<string, unknown> =>
      typeof v === "object" && v !== null && !Array.isArray(v) && typeof Reflect.get(v, "number") === "string",
  );
  const name = names.get(entry.entityId) ?? (snapshot ? String(snapshot.number) : null);
  return name ? `${kind} ${name}` : `${kind}（记录已删除）`;
}

/** Every internal id an entry refers to (its subject and id-valued fields), for the caller to look up. */
export function auditIds(entry: { entityId: string; before?: unknown; after?: unknown }): string[] {
  const ids = new Set<string>([entry.entityId]);
  const visit = (key: string, value: unknown) => {
    if (typeof value === "string" && isIdKey(key)) ids.add(value);
    else if (Array.isArray(value)) for (const item of value) visit(key, item);
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) visit(k, v);
  };
  visit("", entry.before);
  visit("", entry.after);
  return [...ids];
}
