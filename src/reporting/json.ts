import { leftOutByReason, skippedByReason, skippedTotal, type LeftOutReason, type SkipReason } from '../core/coverage.js';
import { compareFindings, type Finding } from '../core/finding.js';
import { totalsOf, type Report, type Totals } from '../core/report.js';
import type { RotationRecord } from '../core/result.js';
import { jsonText } from './escape.js';
import { verdictOf } from './findings.js';

/** One finding in the JSON report: every field of `Finding`, absent optional ones as `null`. */
export interface JsonFinding {
  ruleId: string;
  check: Finding['check'];
  severity: Finding['severity'];
  level: Finding['level'];
  securitySeverity: number;
  confidence: Finding['confidence'];
  message: string;
  file: string;
  startLine: number;
  startColumn: number | null;
  endLine: number;
  endColumn: number | null;
  snippet: string | null;
  fingerprint: string;
  commit: string | null;
  suppression: Finding['suppression'] | null;
}

export interface JsonCoverage {
  scannedFiles: number;
  /** Files not scanned for content, in total and by reason (reasons with no file are left out). */
  skippedFiles: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Matches not reported because of their context, by reason (docs/scanning.md). */
  leftOut: Partial<Record<LeftOutReason, number>>;
}

/** The documented, stable shape of `--format json` and the action's `report-file` (version 1). */
export interface JsonReport {
  version: 1;
  tool: { name: string; version: string };
  command: string;
  verdict: 'pass' | 'fail';
  failOn: Report['failOn'];
  totals: Totals;
  /** What the scan read: null when the command ran no scan. */
  coverage: JsonCoverage | null;
  findings: JsonFinding[];
  rotated: RotationRecord[];
}

export function buildJson(report: Report): JsonReport {
  return {
    version: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    command: report.command,
    verdict: verdictOf(report),
    failOn: report.failOn,
    totals: totalsOf(report.findings),
    coverage: report.coverage
      ? {
          scannedFiles: report.coverage.scannedFiles,
          skippedFiles: skippedTotal(report.coverage),
          skipped: Object.fromEntries(skippedByReason(report.coverage).map(({ reason, count }) => [reason, count])),
          leftOut: Object.fromEntries(leftOutByReason(report.coverage).map(({ reason, count }) => [reason, count])),
        }
      : null,
    findings: [...report.findings].sort(compareFindings).map(jsonFinding),
    rotated: (report.rotated ?? []).map((r) => ({ ...r })),
  };
}

export function renderJson(report: Report): string {
  return `${jsonText(JSON.stringify(buildJson(report), null, 2))}\n`;
}

// Fields are listed one by one so the key order (and so the diffable output) never drifts.
function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    check: f.check,
    severity: f.severity,
    level: f.level,
    securitySeverity: f.securitySeverity,
    confidence: f.confidence,
    message: f.message,
    file: f.file,
    startLine: f.startLine,
    startColumn: f.startColumn ?? null,
    endLine: f.endLine,
    endColumn: f.endColumn ?? null,
    snippet: f.snippet ?? null,
    fingerprint: f.fingerprint,
    commit: f.commit ?? null,
    suppression: f.suppression ? { kind: f.suppression.kind, justification: f.suppression.justification } : null,
  };
}
