/**
 * Formal review (形式审查) and the supplement loop (补正), as pure rules (R-MAT-1, R-MAT-2, R-MAT-3).
 *
 * Staff give each current material a verdict (accepted | rejected with a reason), then decide once:
 * accept (受理), return for supplement (退回补正, one itemised notice: 一次性告知) or refuse (不予受理).
 * The provider may then replace only the rejected materials and resubmit before the deadline.
 */
import { diagnosisDueDate } from "./workdays.ts";
import { endOfShanghaiDay, isBeforeDeadline } from "./shanghai-time.ts";
import { MATERIALS, type MaterialId } from "./materials.ts";

export type MaterialVerdict = "accepted" | "rejected";

/** Reasons staff pick with one click (R-MAT-1: a copy without the enterprise's seal is rejected). */
export const QUICK_REJECTION_REASONS = ["缺少公章", "字迹不清", "文件错误", "内容不全"] as const;

/** Working days the provider gets to supplement, unless staff choose another deadline. */
export const SUPPLEMENT_WORKDAYS = 5;

export type Verdict = { material: MaterialId; verdict: MaterialVerdict; reason: string | null };
export type NoticeItem = { material: MaterialId | "general"; reason: string };
export type DecisionError = { field: "verdicts" | "dueAt" | "reason" | "material"; message: string };
export type Check<T = null> = { ok: true; value: T } | { ok: false; error: DecisionError };

const fail = (field: DecisionError["field"], message: string): { ok: false; error: DecisionError } => ({ ok: false, error: { field, message } });
const label = (material: MaterialId) => `${material} ${MATERIALS[material].name}`;

/** The default supplement deadline: the end (Beijing time) of the 5th working day after `today`. */
export function defaultSupplementDueOn(today: string): string | null {
  const due = diagnosisDueDate(today, SUPPLEMENT_WORKDAYS);
  return due.ok ? due.dueDate : null;
}

export function supplementDueInstant(day: string): Date {
  return endOfShanghaiDay(day);
}

/**
 * 一次性告知: a material accepted in an earlier cycle whose file has not changed since cannot be
 * rejected in a later one (everything to fix had to be said in the first notice).
 */
export function verdictError(input: {
  material: MaterialId;
  verdict: MaterialVerdict;
  reason: string | null;
  acceptedInEarlierCycle: boolean;
  changedSinceAccepted: boolean;
}): DecisionError | null {
  if (input.verdict === "rejected") {
    if (!input.reason || input.reason.trim().length === 0) return { field: "reason", message: `请填写${label(input.material)}不合格的原因` };
    if (input.acceptedInEarlierCycle && !input.changedSinceAccepted) {
      return {
        field: "material",
        message: `${label(input.material)}在上一轮审查中已通过且文件未更换，按一次性告知要求不能再次退回`,
      };
    }
  }
  return null;
}

/** Every current material needs a verdict before any decision (R-MAT-2: all nine are checked). */
function missingVerdicts(present: readonly MaterialId[], verdicts: readonly Verdict[]): MaterialId[] {
  return present.filter((material) => !verdicts.some((v) => v.material === material));
}

/** 受理: only when every current material has been accepted. */
export function checkAccept(present: readonly MaterialId[], verdicts: readonly Verdict[]): Check {
  const missing = missingVerdicts(present, verdicts);
  if (missing.length > 0) return fail("verdicts", `还有材料未审查：${missing.join("、")}。请逐项给出审查意见后再作决定`);
  const rejected = verdicts.filter((v) => v.verdict === "rejected" && present.includes(v.material));
  if (rejected.length > 0) return fail("verdicts", `有材料不合格（${rejected.map((v) => v.material).join("、")}），不能受理；请退回补正或不予受理`);
  return { ok: true, value: null };
}

/**
 * 退回补正: needs every material judged, at least one rejection (each with its reason) and a deadline
 * in the future. The notice lists every rejection at once (一次性告知).
 */
export function checkReturn(input: {
  present: readonly MaterialId[];
  verdicts: readonly Verdict[];
  dueAt: Date | null;
  now: Date;
  note?: string | null;
}): Check<NoticeItem[]> {
  const missing = missingVerdicts(input.present, input.verdicts);
  if (missing.length > 0) return fail("verdicts", `还有材料未审查：${missing.join("、")}。一次性告知要求退回前逐项审查全部材料`);
  const rejected = input.verdicts.filter((v) => v.verdict === "rejected" && input.present.includes(v.material));
  if (rejected.length === 0) return fail("verdicts", "没有不合格的材料，不能退回补正；材料全部合格请受理");
  const unexplained = rejected.find((v) => !v.reason || v.reason.trim().length === 0);
  if (unexplained) return fail("verdicts", `请填写${label(unexplained.material)}不合格的原因`);
  if (!input.dueAt) return fail("dueAt", "请填写补正截止日期");
  if (!isBeforeDeadline(input.now, input.dueAt)) return fail("dueAt", "补正截止日期必须晚于当前时间");
  const items: NoticeItem[] = rejected.map((v) => ({ material: v.material, reason: (v.reason ?? "").trim() }));
  const note = input.note?.trim();
  if (note) items.push({ material: "general", reason: note });
  return { ok: true, value: items };
}

/** 不予受理: needs a reason. */
export function checkRefuse(reason: string | null | undefined): Check<string> {
  const trimmed = reason?.trim() ?? "";
  if (trimmed.length < 4) return fail("reason", "请填写不予受理的原因（至少 4 个字）");
  return { ok: true, value: trimmed };
}

/** The materials a provider may change: in `returned` status only the rejected ones; in a draft all. */
export function replaceableMaterials(status: string, rejected: readonly MaterialId[]): readonly MaterialId[] | "all" | "none" {
  if (status === "draft") return "all";
  if (status === "returned") return rejected;
  return "none";
}

export function mayChangeMaterial(status: string, rejected: readonly MaterialId[], material: string): boolean {
  const allowed = replaceableMaterials(status, rejected);
  if (allowed === "all") return true;
  if (allowed === "none") return false;
  return allowed.some((m) => m === material);
}

/**
 * 补正 resubmission: before the supplement deadline (server clock), and only when every rejected
 * material has a new file since the notice was issued.
 */
export function checkResubmit(input: {
  now: Date;
  dueAt: Date;
  rejected: readonly MaterialId[];
  replaced: readonly MaterialId[];
}): Check {
  if (!isBeforeDeadline(input.now, input.dueAt)) return fail("dueAt", "已过补正截止时间，不能再提交补正材料，请联系区工信局");
  const pending = input.rejected.filter((m) => !input.replaced.includes(m));
  if (pending.length > 0) return fail("material", `以下材料尚未更换：${pending.map(label).join("、")}`);
  return { ok: true, value: null };
}

/** The notice as text (for the e-mail): one numbered line per item. */
export function noticeText(items: readonly NoticeItem[]): string {
  return items
    .map((item, i) => `${i + 1}. ${item.material === "general" ? "其他说明" : label(item.material)}：${item.reason}`)
    .join("\n");
}
