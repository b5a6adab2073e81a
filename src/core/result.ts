import { mergeCoverage, type ScanCoverage } from './coverage.js';
import type { Finding, RuleDescriptor } from './finding.js';

/** One rotation's outcome; never holds a value. */
export interface RotationRecord {
  name: string;
  mount: string;
  path: string;
  key: string;
  oldVersion: number | null;
  newVersion: number | null;
  status: 'rotated' | 'would-rotate' | 'failed' | 'skipped' | 'verified' | 'not-verified';
  detail?: string;
}

/** What a check returns: findings plus the descriptors of the rules that can produce them. */
export interface CheckResult {
  findings: Finding[];
  rules: RuleDescriptor[];
  rotated?: RotationRecord[];
  /** The scan check's coverage: files scanned and files not scanned, by reason. */
  coverage?: ScanCoverage;
}

export function mergeResults(results: CheckResult[]): CheckResult {
  const rules = new Map<string, RuleDescriptor>();
  for (const r of results) for (const rule of r.rules) rules.set(rule.id, rule);
  const rotated = results.flatMap((r) => r.rotated ?? []);
  const coverage = results.flatMap((r) => (r.coverage ? [r.coverage] : []));
  return {
    findings: results.flatMap((r) => r.findings),
    rules: [...rules.values()],
    ...(coverage.length > 0 ? { coverage: mergeCoverage(coverage) } : {}),
    ...(rotated.length > 0 || results.some((r) => r.rotated) ? { rotated } : {}),
  };
}
