/**
 * Rule ids that were renamed: old id → new id. Baseline entries and `scan.ignore` rules that name an
 * old id keep matching the rule's findings under its new id. Add a line here whenever a rule id changes.
 */
export type RuleRenames = Readonly<Record<string, string>>;

export const RULE_RENAMES: RuleRenames = {};

/** The id a (possibly old) rule id stands for today, following chains of renames. */
export function currentRuleId(id: string, renames: RuleRenames = RULE_RENAMES): string {
  const seen = new Set<string>();
  let current = id;
  while (Object.hasOwn(renames, current) && !seen.has(current)) {
    seen.add(current);
    current = renames[current]!;
  }
  return current;
}

/** Every id that stands for `ruleId`: itself first, then each old id renamed (directly or by a chain) to it. */
export function idsFor(ruleId: string, renames: RuleRenames = RULE_RENAMES): string[] {
  return [ruleId, ...Object.keys(renames).filter((old) => old !== ruleId && currentRuleId(old, renames) === ruleId)];
}
