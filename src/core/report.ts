import type { ScanCoverage } from './coverage.js';
import type { Finding, Level, RuleDescriptor } from './finding.js';
import type { RotationRecord } from './result.js';
import type { ConfigOrigin } from '../config/types.js';

export const TOOL_NAME = 'keywarden';
export const INFORMATION_URI = 'https://github.com/keywarden/keywarden';

/** What reporters receive. Reporters import nothing from the checks: only this. */
export interface Report {
  tool: { name: string; version: string; informationUri: string };
  command: string;
  /** Every finding, suppressed ones included (marked with `suppression`). */
  findings: Finding[];
  rules: RuleDescriptor[];
  rotated?: RotationRecord[];
  /** Present when the scan check ran: what it read and what it did not, by reason. */
  coverage?: ScanCoverage;
  failOn: Level | 'never';
  /** For links in the job summary: https://github.com/OWNER/REPO and the commit SHA. */
  repositoryUrl?: string;
  commitSha?: string;
  /** On a pull request: where the config, ignores and baseline (what suppresses findings) came from. */
  configOrigin?: ConfigOrigin;
}

export interface Totals {
  total: number;
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

export function totalsOf(findings: Finding[]): Totals {
  const totals: Totals = { total: 0, error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppression) {
      totals.suppressed++;
      continue;
    }
    totals.total++;
    totals[f.level]++;
  }
  return totals;
}
