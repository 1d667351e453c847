/**
 * R-REV-5: an expert's conflicts are recorded by the NAME of the provider or enterprise, so that a
 * conflict declared once holds in every round. Names are compared after normalising the ways the same
 * name is commonly typed differently: surrounding and inner white space, full-width and half-width
 * brackets and letters.
 */

export type ConflictKind = "provider" | "enterprise";

export const CONFLICT_KIND_LABELS: Record<ConflictKind, string> = {
  provider: "服务商",
  enterprise: "被诊断企业",
};

/** The form of a party name used for comparing (never for display). */
export function normalisePartyName(name: string): string {
  return name
    .normalize("NFKC") // full-width letters, digits and brackets to half-width
    .replace(/\s+/g, "")
    .toUpperCase();
}

export type NamedConflict = { kind: ConflictKind; partyName: string };
export type NamedParty = { id: string; name: string };

/**
 * R-REV-5: the ids of the parties an expert's conflicts name, among the providers and enterprises of
 * one round (what `assignExperts` needs).
 */
export function conflictedPartyIds(
  conflicts: readonly NamedConflict[],
  parties: { providers: readonly NamedParty[]; enterprises: readonly NamedParty[] },
): string[] {
  const names = {
    provider: new Set(conflicts.filter((c) => c.kind === "provider").map((c) => normalisePartyName(c.partyName))),
    enterprise: new Set(conflicts.filter((c) => c.kind === "enterprise").map((c) => normalisePartyName(c.partyName))),
  };
  return [
    ...parties.providers.filter((p) => names.provider.has(normalisePartyName(p.name))).map((p) => p.id),
    ...parties.enterprises.filter((e) => names.enterprise.has(normalisePartyName(e.name))).map((e) => e.id),
  ];
}

/** R-REV-5: whether a conflict names the provider or the enterprise of an application. */
export function conflictHits(
  conflict: NamedConflict,
  application: { providerName: string; enterpriseName: string },
): boolean {
  const name = normalisePartyName(conflict.partyName);
  return conflict.kind === "provider"
    ? normalisePartyName(application.providerName) === name
    : normalisePartyName(application.enterpriseName) === name;
}
