/**
 * The plan's parameters of a round that cannot move under it (R-REV-4 pass mark 60, R-PAY-1 cap
 * 10,000 元): once the round has a submitted application they are locked; changing them needs a new
 * round, so every application of a round is judged and paid by the same numbers.
 */

export const LOCKED_PARAMETER_LABELS = {
  passMark: "合格分数线",
  perEnterpriseCapFen: "每家企业补助上限",
} as const;
export type LockedParameter = keyof typeof LOCKED_PARAMETER_LABELS;
const LOCKED_PARAMETERS: readonly LockedParameter[] = ["passMark", "perEnterpriseCapFen"];

export const PARAMETERS_LOCKED_REASON = "本批次已有提交的申报，合格分数线和补助上限已锁定；如需调整请新建批次。";

/** R-REV-4, R-PAY-1: the locked parameters a save would change, each with its Chinese message. */
export function lockedParameterChanges(
  before: Record<LockedParameter, number>,
  after: Record<LockedParameter, number>,
  locked: boolean,
): { parameter: LockedParameter; message: string }[] {
  if (!locked) return [];
  return LOCKED_PARAMETERS.filter((parameter) => before[parameter] !== after[parameter]).map((parameter) => ({
    parameter,
    message: `${LOCKED_PARAMETER_LABELS[parameter]}不能修改：${PARAMETERS_LOCKED_REASON}`,
  }));
}
