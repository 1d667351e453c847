/** The Chinese names of roles and statuses, shared by server and browser. */
import { SPREAD_LIMIT } from "./scoring.ts";

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

/** How demo rounds are marked wherever rounds are listed. */
export const DEMO_ROUND_MARK = "【演示】";

/** A round's name as listed: marked 【演示】 once when it is a demo round (the demo round's own name may carry the mark already). */
export function roundLabel(round: { name: string; isDemo?: boolean }): string {
  return round.isDemo && !round.name.startsWith(DEMO_ROUND_MARK) ? `${DEMO_ROUND_MARK}${round.name}` : round.name;
}

/** Text someone typed, ended as a sentence: one full stop added only when it has no closing punctuation (no 。。). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === "" || /[。！？.!?；;…]$/.test(trimmed) ? trimmed : `${trimmed}。`;
}

/** The filters of the staff's result list (staff.results._index.tsx); flagged copies first (R-REV-3). */
export const RESULT_FILTERS = {
  all: "全部",
  copy: "雷同标记",
  pending: "评审中",
  ready: "待确认",
  spread: `分差超过 ${SPREAD_LIMIT} 分`,
  confirmed: "已确认",
} as const satisfies Record<string, string>;
export type ResultFilter = keyof typeof RESULT_FILTERS;
