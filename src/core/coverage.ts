/**
 * What a scan covered, independent of findings: how many files were read and, for every file whose
 * content was not scanned, why. The scanner decides (src/scanning/filters.ts `skipDecision`); every
 * reporter counts by these reasons, so nothing is skipped silently.
 */
export const SKIP_REASONS = [
  'dependency-folder',
  'lock-file',
  'source-map',
  'minified-name',
  'minified-content',
  'binary-name',
  'binary-content',
  'too-large',
  'symlink',
  'unreadable',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** How reporters name each reason, before its count ("lock file: 3"). */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  'dependency-folder': 'in node_modules/ or vendor/',
  'lock-file': 'lock file',
  'source-map': 'source map',
  'minified-name': 'minified by name (.min.js)',
  'minified-content': 'minified (long lines)',
  'binary-name': 'binary by extension',
  'binary-content': 'binary content',
  'too-large': 'over scan.max-file-size',
  symlink: 'symbolic link (not followed)',
  unreadable: 'unreadable',
};

/** Why a match was left out of the report by its context (src/scanning/confidence.ts decides). */
export const LEFT_OUT_REASONS = ['weak-value-in-test', 'weak-value-in-doc'] as const;

export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export interface ScanCoverage {
  /** Files whose content was scanned. */
  scannedFiles: number;
  /** Characters scanned. */
  scannedChars: number;
  /** Files not scanned for content, by reason; reasons with no file are absent. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Matches not reported because of their context (a weak value in a test or doc), by reason. */
  leftOut: Partial<Record<LeftOutReason, number>>;
}

export function emptyCoverage(): ScanCoverage {
  return { scannedFiles: 0, scannedChars: 0, skipped: {}, leftOut: {} };
}

/** Left-out reasons with their counts, in the fixed order of LEFT_OUT_REASONS. */
export function leftOutByReason(coverage: ScanCoverage): { reason: LeftOutReason; count: number }[] {
  return LEFT_OUT_REASONS.filter((reason) => (coverage.leftOut[reason] ?? 0) > 0).map((reason) => ({ reason, count: coverage.leftOut[reason]! }));
}

export function skippedTotal(coverage: ScanCoverage): number {
  return Object.values(coverage.skipped).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** Reasons with their counts, in the fixed order of SKIP_REASONS. */
export function skippedByReason(coverage: ScanCoverage): { reason: SkipReason; count: number }[] {
  return SKIP_REASONS.filter((reason) => (coverage.skipped[reason] ?? 0) > 0).map((reason) => ({ reason, count: coverage.skipped[reason]! }));
}

export function mergeCoverage(parts: ScanCoverage[]): ScanCoverage {
  const total = emptyCoverage();
  for (const part of parts) {
    total.scannedFiles += part.scannedFiles;
    total.scannedChars += part.scannedChars;
    for (const { reason, count } of skippedByReason(part)) total.skipped[reason] = (total.skipped[reason] ?? 0) + count;
    for (const { reason, count } of leftOutByReason(part)) total.leftOut[reason] = (total.leftOut[reason] ?? 0) + count;
  }
  return total;
}
