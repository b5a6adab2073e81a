import { createHash } from 'node:crypto';

/** Which check produced a finding. */
export type CheckKind = 'scan' | 'validate' | 'rotation';

/** SARIF / GitHub annotation level. */
export type Level = 'error' | 'warning' | 'note';

/** Risk of a finding; decides both its level and its SARIF `security-severity`. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

const SEVERITY_SCORE: Record<Severity, number> = {
  critical: 9.5,
  high: 8.0,
  medium: 5.0,
  low: 3.0,
  info: 1.0,
};

const SEVERITY_LEVEL: Record<Severity, Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

export const LEVEL_RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

export function levelOf(severity: Severity): Level {
  return SEVERITY_LEVEL[severity];
}

export function scoreOf(severity: Severity): number {
  return SEVERITY_SCORE[severity];
}

/**
 * How sure a finding is real: `high` for a checksum- or structure-verified token, a private key, a
 * credential URL with a random password; `medium` for a generic assignment of a random-looking value;
 * `low` for a weak or dictionary value, or a value in a test, fixture, doc or comment. It adjusts the
 * severity (and so the level) where the finding is made; it is no second level axis.
 */
export type Confidence = 'high' | 'medium' | 'low';

export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

export type SuppressionKind = 'inline' | 'ignore' | 'baseline';

export interface Suppression {
  kind: SuppressionKind;
  /** Why it was suppressed: the ignore entry's reason, or where the inline comment / baseline is. */
  justification: string;
}

/**
 * The one shape every check emits and every reporter consumes.
 * It never holds a raw secret: `snippet` is redacted and `fingerprint` is a hash.
 */
export interface Finding {
  ruleId: string;
  check: CheckKind;
  severity: Severity;
  level: Level;
  /** 0–10, SARIF `security-severity`. */
  securitySeverity: number;
  confidence: Confidence;
  message: string;
  /** Relative to the repository root, posix separators. */
  file: string;
  startLine: number;
  startColumn?: number;
  endLine: number;
  endColumn?: number;
  /** Redacted context, safe to print. */
  snippet?: string;
  fingerprint: string;
  /** History scans: the first commit that added the value. */
  commit?: string;
  suppression?: Suppression;
  /**
   * In memory only, dropped before any report (see `withoutMatchParts`): what the fingerprint was made
   * of, so that baselines of older formats and entries naming renamed rule ids can still be matched.
   * `legacyValuePart` is the value part of the v1 recipe (`sha256(value)`), which a report must never hold.
   */
  matchParts?: { valuePart: string; legacyValuePart?: string };
}

/** Static description of a rule, for SARIF `tool.driver.rules` and the job summary. */
export interface RuleDescriptor {
  id: string;
  check: CheckKind;
  name: string;
  shortDescription: string;
  fullDescription: string;
  help: string;
  severity: Severity;
  tags?: string[];
}

export interface FindingInput {
  ruleId: string;
  check: CheckKind;
  severity: Severity;
  /** Default `high`: validation and rotation findings are facts read from structure. */
  confidence?: Confidence;
  message: string;
  file: string;
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: string;
  /**
   * Hashed into the fingerprint, never stored: the normalized content of a problem, or (found secrets)
   * the value part already made safe by core/fingerprint.ts.
   */
  fingerprintMaterial: string | { valuePart: string; legacyValuePart?: string };
  commit?: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Stable across line moves: rule id + file + the value part (a hash, never the value itself). */
export function fingerprintOf(ruleId: string, file: string, material: string | { valuePart: string }): string {
  return sha256Hex(`${ruleId}\u0000${file}\u0000${valuePartOf(material)}`).slice(0, 32);
}

function valuePartOf(material: string | { valuePart: string }): string {
  return typeof material === 'string' ? sha256Hex(material) : material.valuePart;
}

/** A finding as reports may hold it: without its in-memory match parts. */
export function withoutMatchParts(finding: Finding): Finding {
  if (!finding.matchParts) return finding;
  const { matchParts: _dropped, ...rest } = finding;
  return rest;
}

export function makeFinding(input: FindingInput): Finding {
  const { fingerprintMaterial, ...rest } = input;
  return {
    ...rest,
    confidence: input.confidence ?? 'high',
    endLine: input.endLine ?? input.startLine,
    level: levelOf(input.severity),
    securitySeverity: scoreOf(input.severity),
    fingerprint: fingerprintOf(input.ruleId, input.file, fingerprintMaterial),
    matchParts: {
      valuePart: valuePartOf(fingerprintMaterial),
      ...(typeof fingerprintMaterial !== 'string' && fingerprintMaterial.legacyValuePart ? { legacyValuePart: fingerprintMaterial.legacyValuePart } : {}),
    },
  };
}

/** Most severe first, then by file and position: the order reporters show findings in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    b.securitySeverity - a.securitySeverity ||
    byCodeUnit(a.file, b.file) ||
    a.startLine - b.startLine ||
    (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
    byCodeUnit(a.ruleId, b.ruleId)
  );
}

/** Locale-independent and much faster than localeCompare, which dominated sorting 100k findings. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
