/**
 * R-REV-3: copying is never passed silently. A result cannot be confirmed for an application whose
 * report or photos the copy check flagged unless an expert vetoed it (明显雷同、抄袭的，不予通过) or a
 * staff member recorded why the flag is not copying.
 */

export type CopyFlagState = {
  /** The copy check flagged the application's report or a photo. */
  flagged: boolean;
  /** An expert's submitted review vetoes it. */
  vetoed: boolean;
  /** Why staff found the flag not to be copying, if recorded. */
  clearance: string | null;
};

/** R-REV-3: the flag still blocks confirmation (flagged, no veto, no recorded clearance). */
export function copyFlagBlocks(state: CopyFlagState): boolean {
  return state.flagged && !state.vetoed && !(state.clearance && state.clearance.trim().length > 0);
}

/** R-REV-3: the refusal naming the applications a confirmation would pass silently. */
export function copyFlagMessage(numbers: readonly string[]): string {
  return `以下申报的诊断报告或现场照片被雷同检查标记，且无专家一票否决，也未记录“非抄袭”的理由，不能确认结果：${numbers.join("、")}。请在评审详情页记录理由，或退回专家复核。`;
}

/** R-REV-3: a clearance needs a reason staff can stand behind. */
export function clearanceReasonError(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length < 10) return "请说明为何该标记不属于抄袭（至少 10 个字），理由将随评审结果保存并记录在案。";
  if (trimmed.length > 1000) return "理由不超过 1000 字。";
  return null;
}
