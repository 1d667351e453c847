/**
 * Formal review (形式审查) and the supplement loop (补正), as pure rules (R-MAT-1, R-MAT-2, R-MAT-3).
 *
 * Staff give each current material a verdict (accepted | rejected with a reason), then decide once:
 * accept (受理), return for supplement (退回补正, one itemised notice: 一次性告知) or refuse (不予受理).
 * The provider may then replace only the rejected materials and resubmit before the deadline.
 */
import { type MaterialId, MATERIALS } from "./materials.ts";
import { endOfShanghaiDay, isBeforeDeadline } from "./shanghai-time.ts";
import { diagnosisDueDate } from "./workdays.ts";

export type MaterialVerdict = "accepted" | "rejected";

/** Reasons staff pick with one click (R-MAT-1: a copy without the enterprise's seal is rejected). */
export const QUICK_REJECTION_REASONS = ["缺少公章", "无法辨认", "文件错误"] as const;

export const VERDICT_LABELS = { accepted: "合格", rejected: "不合格" } as const satisfies Record<
  MaterialVerdict,
  string
>;

/** Working days the provider gets to supplement, unless staff choose another deadline. */
export const SUPPLEMENT_WORKDAYS = 5;

export type Verdict = { material: MaterialId; verdict: MaterialVerdict; reason: string | null };
export type NoticeItem = { material: MaterialId | "general"; reason: string };
export type DecisionError = {
  field: "verdicts" | "dueAt" | "reason" | "material";
  message: string;
  /** The one material the error is about. */
  material?: MaterialId;
  /** The materials still without a verdict (shown at each of them). */
  unjudged?: MaterialId[];
};
export type Check<T = null> = { ok: true; value: T } | { ok: false; error: DecisionError };

const fail = (field: DecisionError["field"], message: string): { ok: false; error: DecisionError } => ({
  ok: false,
  error: { field, message },
});
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
 * 一次性告知: once a material is accepted it stays accepted. A later cycle judges only what is not yet
 * accepted (the replaced materials); a material accepted in an earlier cycle cannot be rejected again.
 */
export function materialsToJudge(present: readonly MaterialId[], acceptedEarlier: readonly MaterialId[]): MaterialId[] {
  return present.filter((material) => !acceptedEarlier.includes(material));
}

/** One verdict on its own: a rejection needs its reason and must not reopen an earlier acceptance. */
export function verdictError(input: {
  material: MaterialId;
  verdict: MaterialVerdict;
  reason: string | null;
  acceptedInEarlierCycle: boolean;
}): DecisionError | null {
  if (input.verdict !== "rejected") return null;
  if (input.acceptedInEarlierCycle) {
    return {
      field: "material",
      material: input.material,
      message: `${label(input.material)}在之前的审查中已合格，按一次性告知要求不能再次退回`,
    };
  }
  if (!input.reason || input.reason.trim().length === 0) {
    return { field: "reason", material: input.material, message: `请填写${label(input.material)}不合格的原因` };
  }
  return null;
}

/**
 * 一次性告知 on the notice itself: it may name only materials rejected in this cycle, never one
 * accepted in an earlier cycle, and must name every one rejected now.
 */
export function noticeError(
  items: readonly NoticeItem[],
  context: { rejectedNow: readonly MaterialId[]; acceptedEarlier: readonly MaterialId[] },
): DecisionError | null {
  for (const item of items) {
    if (item.material === "general") continue;
    if (context.acceptedEarlier.includes(item.material)) {
      return {
        field: "material",
        material: item.material,
        message: `${label(item.material)}在之前的审查中已合格，按一次性告知要求不能再次要求补正`,
      };
    }
    if (!context.rejectedNow.includes(item.material)) {
      return {
        field: "material",
        material: item.material,
        message: `${label(item.material)}本次未被判为不合格，不能列入补正通知`,
      };
    }
  }
  const missing = context.rejectedNow.find((m) => !items.some((item) => item.material === m));
  if (missing)
    return { field: "material", material: missing, message: `补正通知须一次列明全部不合格材料，缺少${label(missing)}` };
  return null;
}

/** Every current material needs a verdict before any decision (R-MAT-2: all nine are checked). */
function missingVerdicts(present: readonly MaterialId[], verdicts: readonly Verdict[]): MaterialId[] {
  return present.filter((material) => !verdicts.some((v) => v.material === material));
}

/** 受理: only when every material still to judge has been accepted. */
export function checkAccept(
  present: readonly MaterialId[],
  verdicts: readonly Verdict[],
  acceptedEarlier: readonly MaterialId[] = [],
): Check {
  for (const v of verdicts) {
    const error = verdictError({ ...v, acceptedInEarlierCycle: acceptedEarlier.includes(v.material) });
    if (error?.field === "material") return { ok: false, error };
  }
  const missing = missingVerdicts(present, verdicts);
  if (missing.length > 0)
    return {
      ok: false,
      error: {
        field: "verdicts",
        unjudged: missing,
        message: `还有材料未审查：${missing.join("、")}。请逐项给出审查意见后再作决定`,
      },
    };
  const rejected = verdicts.filter((v) => v.verdict === "rejected" && present.includes(v.material));
  if (rejected.length > 0)
    return fail(
      "verdicts",
      `有材料不合格（${rejected.map((v) => v.material).join("、")}），不能受理；请退回补正或不予受理`,
    );
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
  /** Materials accepted in an earlier cycle (一次性告知: they cannot be named again). */
  acceptedEarlier?: readonly MaterialId[];
}): Check<NoticeItem[]> {
  const acceptedEarlier = input.acceptedEarlier ?? [];
  for (const v of input.verdicts) {
    const error = verdictError({ ...v, acceptedInEarlierCycle: acceptedEarlier.includes(v.material) });
    if (error) return { ok: false, error };
  }
  const missing = missingVerdicts(input.present, input.verdicts);
  if (missing.length > 0) {
    return {
      ok: false,
      error: {
        field: "verdicts",
        unjudged: missing,
        message: `还有材料未审查：${missing.join("、")}。一次性告知要求退回前逐项审查全部材料`,
      },
    };
  }
  const rejected = input.verdicts.filter((v) => v.verdict === "rejected" && input.present.includes(v.material));
  if (rejected.length === 0) return fail("verdicts", "没有不合格的材料，不能退回补正；材料全部合格请受理");
  if (!input.dueAt) return fail("dueAt", "请填写补正截止日期");
  if (!isBeforeDeadline(input.now, input.dueAt)) return fail("dueAt", "补正截止日期必须晚于当前时间");
  const items: NoticeItem[] = rejected.map((v) => ({ material: v.material, reason: (v.reason ?? "").trim() }));
  const note = input.note?.trim();
  if (note) items.push({ material: "general", reason: note });
  const error = noticeError(items, { rejectedNow: rejected.map((v) => v.material), acceptedEarlier });
  if (error) return { ok: false, error };
  return { ok: true, value: items };
}

/** 不予受理: needs a reason. */
export function checkRefuse(reason: string | null | undefined): Check<string> {
  const trimmed = reason?.trim() ?? "";
  if (trimmed.length < 4) return fail("reason", "请填写不予受理的原因（至少 4 个字）");
  return { ok: true, value: trimmed };
}

/** The materials a provider may change: in `returned` status only the rejected ones; in a draft all. */
export function replaceableMaterials(
  status: string,
  rejected: readonly MaterialId[],
): readonly MaterialId[] | "all" | "none" {
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
  if (!isBeforeDeadline(input.now, input.dueAt))
    return fail("dueAt", "已过补正截止时间，不能再提交补正材料，请联系区工信局");
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

/** A stored notice's items (JSON from the database), keeping only well-formed ones. */
export function noticeItemsFrom(value: unknown): NoticeItem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw: unknown): NoticeItem[] => {
    if (typeof raw !== "object" || raw === null) return [];
    const material: unknown = Reflect.get(raw, "material");
    const reason: unknown = Reflect.get(raw, "reason");
    if (typeof reason !== "string" || typeof material !== "string") return [];
    if (material === "general") return [{ material: "general" as const, reason }];
    const id = Object.keys(MATERIALS).find((m): m is MaterialId => m === material);
    return id ? [{ material: id, reason }] : [];
  });
}

/** The rejected materials a notice names (what the provider may replace). */
export function noticeMaterials(items: readonly NoticeItem[]): MaterialId[] {
  return items.flatMap((item) => (item.material === "general" ? [] : [item.material]));
}

/** The reason staff give for a rejected material: quick reasons ticked and free text, joined. */
export function rejectionReason(quick: readonly string[], text: string | null | undefined): string | null {
  const parts = [...quick.map((q) => q.trim()), (text ?? "").trim()].filter((p) => p.length > 0);
  return parts.length > 0 ? parts.join("；") : null;
}
