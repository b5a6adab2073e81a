import { SKIP_REASON_TEXT, skippedByReason, skippedTotal, type ScanCoverage } from '../core/coverage.js';
import { compareFindings, LEVEL_RANK, type Finding, type RuleDescriptor } from '../core/finding.js';
import type { Report } from '../core/report.js';

/** Findings that count (not suppressed), most severe first. */
export function activeFindings(report: Report): Finding[] {
  return report.findings.filter((f) => !f.suppression).sort(compareFindings);
}

/** Would this report fail the run under its `failOn` threshold? */
export function verdictOf(report: Report): 'pass' | 'fail' {
  const threshold = report.failOn;
  if (threshold === 'never') return 'pass';
  const failing = report.findings.some((f) => !f.suppression && LEVEL_RANK[f.level] >= LEVEL_RANK[threshold]);
  return failing ? 'fail' : 'pass';
}

/**
 * Every rule the report mentions, by id: the declared descriptors first, then one generated
 * for each rule id that findings use but no check declared (a report must never fail on that).
 */
export function rulesOf(report: Report): Map<string, RuleDescriptor> {
  const rules = new Map<string, RuleDescriptor>();
  for (const rule of report.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  for (const finding of report.findings) {
    if (!rules.has(finding.ruleId)) rules.set(finding.ruleId, generatedRule(finding));
  }
  return rules;
}

function generatedRule(finding: Finding): RuleDescriptor {
  const name = finding.ruleId.replace(/[-_.]+/g, ' ').trim() || finding.ruleId;
  return {
    id: finding.ruleId,
    check: finding.check,
    name: name.charAt(0).toUpperCase() + name.slice(1),
    shortDescription: `Findings of rule ${finding.ruleId}.`,
    fullDescription: `Findings reported by keywarden's ${finding.check} check under rule ${finding.ruleId}.`,
    help: 'See the finding message for what was found and how to fix it.',
    severity: finding.severity,
  };
}

/** "1 error", "2 errors". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "12 files scanned, 3 not scanned (lock file: 2, binary content: 1)." */
export function coverageLine(coverage: ScanCoverage): string {
  const skipped = skippedTotal(coverage);
  const scanned = `${plural(coverage.scannedFiles, 'file')} scanned`;
  if (skipped === 0) return `${scanned}, none skipped.`;
  return `${scanned}, ${skipped} not scanned (${skippedByReason(coverage).map(({ reason, count }) => `${SKIP_REASON_TEXT[reason]}: ${count}`).join(', ')}).`;
}
