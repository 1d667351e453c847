/** The Chinese names of roles and statuses, shared by server and browser. */

export const ROLE_LABELS = {
  provider: "服务商",
  expert: "评审专家",
  staff: "工信局工作人员",
  approver: "审批领导",
  admin: "系统管理员",
} as const satisfies Record<string, string>;

export const ROUND_STATUS_LABELS = {
  draft: "未开放",
  open: "申报中",
  closed: "已截止",
  archived: "已归档",
} as const satisfies Record<string, string>;

export const ORGANISATION_STATUS_LABELS = {
  pending: "待审核",
  verified: "已通过",
  refused: "未通过",
} as const satisfies Record<string, string>;
