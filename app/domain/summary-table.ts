/**
 * M7 被诊断企业汇总表 (R-MAT-2): one table per provider per round, generated from all of that provider's
 * applications in the round. What it was generated from is kept as the sorted application ids and their
 * digest; an application added after generation makes it stale.
 */

/** The canonical text the digest is taken of: the application ids, sorted, one per line. */
export function summaryKey(applicationIds: readonly string[]): string {
  return [...applicationIds].sort().join("\n");
}

/** The applications filed after the table was generated (the table does not list them), in the given order. */
export function addedSince(generatedFrom: readonly string[], current: readonly string[]): string[] {
  const listed = new Set(generatedFrom);
  return current.filter((id) => !listed.has(id));
}

/** The check code printed on the table: the digest's first 16 hex digits in groups of four. */
export function checkCode(digest: string): string {
  return (
    digest
      .slice(0, 16)
      .toUpperCase()
      .match(/.{1,4}/g) ?? []
  ).join("-");
}

/** The Chinese refusal when the table is stale, naming the applications it lacks. */
export function staleMessage(addedNumbers: readonly string[], generatedAt: string): string {
  return `汇总表（M7）生成于 ${generatedAt}，之后又新建了申报 ${addedNumbers.join("、")}，汇总表已过期。请重新下载汇总表，签字盖章后再上传。`;
}

/** Ids as stored (JSON), checked. */
export function idsFromJson(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
