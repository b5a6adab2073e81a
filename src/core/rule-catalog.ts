import type { CheckKind, RuleDescriptor, Severity } from './finding.js';

/** How a check describes one of its rules; `describeRules` turns a table of these into descriptors. */
export interface RuleText {
  severity: Severity;
  name: string;
  short: string;
  full: string;
  help: string;
}

export function describeRules(check: CheckKind, rules: Record<string, RuleText>, tags: string[]): RuleDescriptor[] {
  return Object.entries(rules).map(([id, rule]) => ({
    id,
    check,
    name: rule.name,
    shortDescription: rule.short,
    fullDescription: rule.full,
    help: rule.help,
    severity: rule.severity,
    tags,
  }));
}
