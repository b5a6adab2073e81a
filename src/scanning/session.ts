import { emptyCoverage, type ScanCoverage, type SkipReason } from '../core/coverage.js';
import { makeFinding, type Finding, type Suppression } from '../core/finding.js';
import { valueAllowlist } from '../core/suppress.js';
import type { RunContext } from '../core/context.js';
import { FINGERPRINT_KEY_ENV } from '../core/fingerprint.js';
import { MAX_CANDIDATES_PER_FILE, MAX_CANDIDATES_PER_LINE, scanTextBounded, type Match, type ScanTextOptions } from './engine.js';
import { pathFilter } from './files.js';
import { dropOverlaps, FILE_TOO_LARGE, FILE_UNREADABLE, FINDINGS_CAPPED, findingsFor } from './findings.js';
import type { SecretRule } from './rule.js';
import { contextOptions, type ContextOptions } from './confidence.js';

const KEY_FILE_RULE = 'committed-private-key-file';

/** State shared by every mode while one scan runs: rules, limits, findings and counters. */
export class ScanSession {
  readonly findings: Finding[] = [];
  readonly selected: (file: string) => boolean;
  readonly maxFileSize: number;
  /** Files and characters scanned, and every file not scanned by reason: reported, never silent. */
  readonly coverage: ScanCoverage = emptyCoverage();
  readonly context: ContextOptions;
  /** `scan.ignore` entries with `value`/`stopwords`, tested while the secret is in memory. */
  private readonly allowlisted?: (match: Match, file: string) => Suppression | undefined;

  constructor(
    readonly ctx: RunContext,
    readonly rules: SecretRule[],
  ) {
    this.selected = pathFilter(ctx.config.scan);
    this.maxFileSize = ctx.config.scan.maxFileSize;
    this.context = contextOptions(ctx.config.scan);
    const allowlist = valueAllowlist(ctx.config.scan.ignore, ctx.now);
    this.allowlisted = allowlist && ((match, file) => allowlist(match.rule.id, file, match.secret));
  }


  /** Scans one text; `keep` narrows matches (diff mode: only those on added lines). */
  scan(file: string, text: string, options: ScanTextOptions & { commit?: string; keep?: (match: Match) => boolean } = {}): Finding[] {
    this.coverage.scannedFiles++;
    this.coverage.scannedChars += text.length;
    const bounded = scanTextBounded(text, file, this.rules, options);
    let matches = bounded.matches;
    if (options.keep) matches = matches.filter(options.keep);
    const added = options.addedLines;
    const cappedLines = bounded.cappedLines.filter((line) => !added || added.has(line));
    if (matches.length === 0 && cappedLines.length === 0) return [];
    // The action hides found values from its log; short public defaults would only garble it.
    for (const m of dropOverlaps(matches)) if (m.rule.category !== 'default-credential' && m.secret.length >= 8) this.ctx.mask(m.secret);
    const all = findingsFor(file, matches, {
      ...(options.commit ? { commit: options.commit } : {}),
      context: this.context,
      ...(this.ctx.redactShown !== undefined ? { shown: this.ctx.redactShown } : {}),
      ...(this.allowlisted ? { allowlisted: this.allowlisted } : {}),
      ...(this.ctx.env[FINGERPRINT_KEY_ENV] ? { fingerprintKey: this.ctx.env[FINGERPRINT_KEY_ENV] } : {}),
      leftOut: (reason) => (this.coverage.leftOut[reason] = (this.coverage.leftOut[reason] ?? 0) + 1),
    });
    const { kept, note } = capFindings(all, cappedLines, bounded.cappedFileAt, file, options.commit);
    const found = note ? [...kept, note] : kept;
    for (const f of found) this.findings.push(f);
    return found;
  }

  /**
   * One finding per committed key: a key file whose key block a content rule reported is that one
   * finding (line-precise), not also a `committed-private-key-file` finding.
   */
  keyFilesMerged(): Finding[] {
    const keyRules = new Set(this.rules.filter((r) => r.category === 'private-key').map((r) => r.id));
    const keyed = new Set(this.findings.filter((f) => keyRules.has(f.ruleId)).map((f) => `${f.file}\u0000${f.commit ?? ''}`));
    return this.findings.filter((f) => f.ruleId !== KEY_FILE_RULE || !keyed.has(`${f.file}\u0000${f.commit ?? ''}`));
  }

  /** Counts a file whose content is not scanned. */
  skip(reason: SkipReason): void {
    this.coverage.skipped[reason] = (this.coverage.skipped[reason] ?? 0) + 1;
  }

  tooLarge(file: string, size: number, commit?: string): void {
    this.skip('too-large');
    this.findings.push(
      makeFinding({
        ruleId: FILE_TOO_LARGE.id,
        check: 'scan',
        severity: FILE_TOO_LARGE.severity,
        message: `${file} was not scanned: ${formatBytes(size)} is over scan.max-file-size (${formatBytes(this.maxFileSize)})`,
        file,
        startLine: 1,
        fingerprintMaterial: `too-large:${file}`,
        ...(commit ? { commit } : {}),
      }),
    );
  }

  unreadable(file: string, reason: string): void {
    this.skip('unreadable');
    this.findings.push(
      makeFinding({
        ruleId: FILE_UNREADABLE.id,
        check: 'scan',
        severity: FILE_UNREADABLE.severity,
        message: `${file} could not be read (${reason}) and was not scanned`,
        file,
        startLine: 1,
        fingerprintMaterial: `unreadable:${file}`,
      }),
    );
  }
}

export const MAX_FINDINGS_PER_LINE = 20;
export const MAX_FINDINGS_PER_FILE = 500;

/**
 * At most 20 findings per line and 500 per file; what is left out, and lines whose matching stopped,
 * are said in one note finding on the file, so a crafted line can neither flood the reports nor hide.
 */
function capFindings(
  found: Finding[],
  cappedLines: number[],
  cappedFileAt: number | undefined,
  file: string,
  commit?: string,
): { kept: Finding[]; note?: Finding } {
  const perLine = new Map<number, number>();
  const kept: Finding[] = [];
  const overLine = new Map<number, number>();
  let overFile = 0;
  for (const f of found) {
    const onLine = (perLine.get(f.startLine) ?? 0) + 1;
    perLine.set(f.startLine, onLine);
    if (onLine > MAX_FINDINGS_PER_LINE) overLine.set(f.startLine, (overLine.get(f.startLine) ?? 0) + 1);
    else if (kept.length >= MAX_FINDINGS_PER_FILE) overFile++;
    else kept.push(f);
  }
  const parts: string[] = [];
  const lines = [...overLine.keys()];
  if (lines.length > 0) {
    const more = [...overLine.values()].reduce((a, b) => a + b, 0);
    parts.push(`${more} more finding${more === 1 ? '' : 's'} on ${describeLines(lines)} not reported (at most ${MAX_FINDINGS_PER_LINE} per line)`);
  }
  if (overFile > 0) parts.push(`${overFile} more not reported (at most ${MAX_FINDINGS_PER_FILE} per file)`);
  if (cappedLines.length > 0) parts.push(`matching stopped after ${MAX_CANDIDATES_PER_LINE} candidates on ${describeLines(cappedLines)}, so the rest of ${cappedLines.length === 1 ? 'that line was' : 'those lines were'} not scanned`);
  if (cappedFileAt !== undefined) parts.push(`matching stopped at line ${cappedFileAt} after ${MAX_CANDIDATES_PER_FILE} candidates, so the rest of the file was not scanned`);
  if (parts.length === 0) return { kept };
  const first = Math.min(...lines, ...cappedLines, ...(cappedFileAt !== undefined ? [cappedFileAt] : []), ...(overFile > 0 ? [kept[kept.length - 1]!.startLine] : []));
  const note = makeFinding({
    ruleId: FINDINGS_CAPPED.id,
    check: 'scan',
    severity: FINDINGS_CAPPED.severity,
    message: `${file}: ${parts.join('; ')}`,
    file,
    startLine: first,
    fingerprintMaterial: `capped:${file}`,
    ...(commit ? { commit } : {}),
  });
  return { kept, note };
}

function describeLines(lines: number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const shown = sorted.slice(0, 5).join(', ');
  return `line${sorted.length === 1 ? '' : 's'} ${shown}${sorted.length > 5 ? ` and ${sorted.length - 5} more` : ''}`;
}

export function formatBytes(size: number): string {
  if (size >= 1 << 20) return `${(size / (1 << 20)).toFixed(1)} MiB`;
  if (size >= 1 << 10) return `${(size / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(size)} B`;
}
