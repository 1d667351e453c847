/** The Chinese names of roles and statuses, shared by server and browser. */
import { SPREAD_LIMIT } from "./scoring.ts";

export const ROLE_LABELS = {
  provider: "服务商",
  expert: "评审专家",
  staff: "工信局工作人员",
  approver: "审批领导",
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

/** The filters of the staff's result list (staff.results._index.tsx). */
export const RESULT_FILTERS = {
  all: "全部",
  pending: "评审中",
  ready: "待确认",
  spread: `分差超过 ${SPREAD_LIMIT} 分`,
  confirmed: "已确认",
} as const satisfies Record<string, string>;
export type ResultFilter = keyof typeof RESULT_FILTERS;
