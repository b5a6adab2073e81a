import { splitLines } from './lines.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { ConfigSource, IgnoreEntry } from '../config/types.js';
import { UserError } from './errors.js';
import { fingerprintOf, makeFinding, type Finding, type RuleDescriptor, type Suppression } from './finding.js';
import { allowFor, AllowNotes, type AllowVerdict } from './inline-allow.js';
import { idsFor, RULE_RENAMES, type RuleRenames } from './rule-renames.js';

export const EXPIRED_IGNORE_RULE: RuleDescriptor = {
  id: 'config-ignore-expired',
  check: 'validate',
  name: 'Expired ignore entry',
  shortDescription: 'An accepted finding has passed its expiry date.',
  fullDescription:
    'An entry of scan.ignore in .keywarden.yml has an expires date in the past. It no longer suppresses anything, so the findings it covered are reported again.',
  help: 'Fix the findings the entry covered, or renew the decision: set a new expires date and update the reason.',
  severity: 'high',
};

/**
 * A baseline file: the fingerprints of findings accepted when it was written. Never values.
 * `keyed` says whether the fingerprints were made with `KEYWARDEN_FINGERPRINT_KEY`, so that a run with
 * another key setting warns instead of silently reporting everything again. Version 1 files (no `keyed`)
 * are still read; their entries match a finding's v1 fingerprint (docs/reports.md#fingerprints).
 */
export interface Baseline {
  version: 2;
  generated: string;
  keyed: boolean;
  findings: { fingerprint: string; ruleId: string; file: string }[];
}

/** A baseline as read: the fingerprints of one format version. */
export interface LoadedBaseline {
  version: 1 | 2;
  /** Version 2 only. */
  keyed?: boolean;
  fingerprints: Set<string>;
}

const BASELINE_VERSIONS = [1, 2];

export function buildBaseline(findings: Finding[], now: Date, keyed: boolean): Baseline {
  const seen = new Set<string>();
  const entries = findings
    .filter((f) => !f.suppression && !seen.has(f.fingerprint) && seen.add(f.fingerprint))
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 2, generated: now.toISOString(), keyed, findings: entries };
}

export function readBaseline(root: string, file: string): LoadedBaseline {
  const full = path.resolve(root, file);
  if (!existsSync(full)) throw new UserError(`baseline file not found: ${file} (write one with "keywarden baseline")`);
  return parseBaseline(readFileSync(full, 'utf8'), file);
}

/** A baseline's text, version 1 or 2; `file` names it in errors. */
export function parseBaseline(text: string, file: string): LoadedBaseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`baseline is not valid JSON: ${(error as Error).message}`, { file });
  }
  const { version, keyed, findings } = (parsed ?? {}) as { version?: unknown; keyed?: unknown; findings?: unknown };
  if (!BASELINE_VERSIONS.includes(version as number)) {
    throw new UserError(`baseline has unknown version ${JSON.stringify(version) ?? 'none'} (this keywarden reads versions 1 and 2; write it again with "keywarden baseline")`, { file });
  }
  if (!Array.isArray(findings) || findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new UserError('baseline has no "findings" list of fingerprints (write one with "keywarden baseline")', { file });
  }
  const fingerprints = new Set(findings.map((f: { fingerprint: string }) => f.fingerprint));
  if (version === 1) return { version: 1, fingerprints };
  if (typeof keyed !== 'boolean') throw new UserError('baseline version 2 has no "keyed" true or false (write it again with "keywarden baseline")', { file });
  return { version: 2, keyed, fingerprints };
}

/**
 * The warning for a version 2 baseline written with another `KEYWARDEN_FINGERPRINT_KEY` setting than
 * this run's: its secrets' fingerprints cannot match, so every accepted secret is reported again.
 */
export function baselineKeyMismatch(baseline: LoadedBaseline, keyed: boolean, file: string): string | undefined {
  if (baseline.version !== 2 || baseline.keyed === keyed) return undefined;
  const written = baseline.keyed ? 'with KEYWARDEN_FINGERPRINT_KEY' : 'without KEYWARDEN_FINGERPRINT_KEY';
  const now = keyed ? 'this run has one' : 'this run has none';
  return `baseline ${file} was written ${written} and ${now}: secrets it lists are reported again; set the key as when it was written, or run "keywarden baseline" again`;
}

/**
 * The fingerprints a finding is known by in a baseline or an ignore entry: its own, and the same recipe
 * under every old id of its rule; for version 1 also the v1 recipe (legacy value part).
 */
function fingerprintsOf(finding: Finding, renames: RuleRenames, legacy: boolean): string[] {
  const ids = idsFor(finding.ruleId, renames);
  const parts = finding.matchParts;
  if (!parts) return [finding.fingerprint];
  const valueParts = legacy && parts.legacyValuePart ? [parts.valuePart, parts.legacyValuePart] : [parts.valuePart];
  return ids.flatMap((id) => valueParts.map((valuePart) => fingerprintOf(id, finding.file, { valuePart })));
}

export interface SuppressionInputs {
  root: string;
  now: Date;
  ignore: IgnoreEntry[];
  baseline?: LoadedBaseline;
  baselineFile?: string;
  source: ConfigSource;
  /** Old rule id → new id; the default is the project's table (tests inject their own). */
  renames?: RuleRenames;
}

/**
 * Marks findings suppressed by inline comments (for checks that do not mark them themselves),
 * config ignore entries and the baseline, and reports expired ignore entries.
 * Suppressed findings are kept: SARIF shows them as suppressions and the summary counts them.
 */
export function applySuppressions(findings: Finding[], inputs: SuppressionInputs): Finding[] {
  const renames = inputs.renames ?? RULE_RENAMES;
  const baseline = inputs.baseline;
  const today = inputs.now.toISOString().slice(0, 10);
  const active = inputs.ignore.filter((entry) => !entry.expires || entry.expires >= today);
  const expired = inputs.ignore.filter((entry) => entry.expires && entry.expires < today);
  const lines = new FileLines(inputs.root);
  const notes = new Map<string, AllowNotes>();
  const notesOf = (finding: Finding): AllowNotes => {
    const key = `${finding.check}\u0000${finding.file}`;
    if (!notes.has(key)) notes.set(key, new AllowNotes(finding.file, finding.check));
    return notes.get(key)!;
  };

  // A comment on a line with a finding of its own covers that finding: no note about the line below.
  const occupied = new Set(findings.map((f) => `${f.file}:${f.startLine}`));

  const marked = findings.map((finding): Finding => {
    if (finding.suppression) return finding;
    if (finding.check !== 'scan' && !finding.commit) {
      const { staleAbove, ...verdict } = lines.allowFor(finding.file, finding.startLine);
      const stale = staleAbove !== undefined && !occupied.has(`${finding.file}:${staleAbove}`) ? { staleAbove } : {};
      const suppression = notesOf(finding).take({ ...verdict, ...stale });
      if (suppression) return { ...finding, suppression };
    }
    const entry = active.find((e) => ignoreMatches(e, finding, renames));
    if (entry) return { ...finding, suppression: { kind: 'ignore', justification: entry.reason } };
    if (baseline && fingerprintsOf(finding, renames, baseline.version === 1).some((print) => baseline.fingerprints.has(print))) {
      return { ...finding, suppression: { kind: 'baseline', justification: `listed in baseline ${inputs.baselineFile ?? ''}`.trim() } };
    }
    return finding;
  });

  const file = inputs.source.file ?? '.keywarden.yml';
  const expiredFindings = expired.map((entry) => {
    const pos = inputs.source.locate(['scan', 'ignore', entry.index]);
    return makeFinding({
      ruleId: EXPIRED_IGNORE_RULE.id,
      check: 'validate',
      severity: EXPIRED_IGNORE_RULE.severity,
      message: `ignore entry ${describeEntry(entry)} expired on ${entry.expires}; the findings it covered are reported again`,
      file,
      startLine: pos.line,
      startColumn: pos.column,
      fingerprintMaterial: `${entry.index}:${entry.rule ?? ''}:${(entry.paths ?? []).join(',')}:${entry.fingerprint ?? ''}:${entry.expires}`,
    });
  });
  const allowNotes = [...notes.values()].flatMap((n) => n.findings());
  return [...marked, ...allowNotes, ...expiredFindings];
}

function ignoreMatches(entry: IgnoreEntry, finding: Finding, renames: RuleRenames): boolean {
  // An allowlist tests the secret itself, which only the scanner holds (see valueAllowlist).
  if (entry.value || entry.stopwords) return false;
  return entryCovers(entry, finding.ruleId, finding.file, renames) && (!entry.fingerprint || fingerprintsOf(finding, renames, true).includes(entry.fingerprint));
}

/** A rule glob naming a rule's old id (see rule-renames.ts) still covers the rule. */
function entryCovers(entry: IgnoreEntry, ruleId: string, file: string, renames: RuleRenames = RULE_RENAMES): boolean {
  const rule = entry.rule;
  if (rule && !idsFor(ruleId, renames).some((id) => minimatch(id, rule))) return false;
  if (entry.paths && !entry.paths.some((glob) => minimatch(file, glob, { dot: true }))) return false;
  return true;
}

/**
 * The `scan.ignore` entries with a `value` regex or `stopwords`, as one test the scanner runs while
 * the matched secret is in memory (findings never hold it). Every field an entry sets must match.
 */
export function valueAllowlist(ignore: IgnoreEntry[], now: Date): ((ruleId: string, file: string, secret: string) => Suppression | undefined) | undefined {
  const today = now.toISOString().slice(0, 10);
  const entries = ignore.filter((e) => (e.value || e.stopwords) && (!e.expires || e.expires >= today));
  if (entries.length === 0) return undefined;
  return (ruleId, file, secret) => {
    const lower = secret.toLowerCase();
    const entry = entries.find(
      (e) =>
        entryCovers(e, ruleId, file) &&
        (!e.value || e.value.test(secret)) &&
        (!e.stopwords || e.stopwords.some((word) => lower.includes(word))),
    );
    return entry && { kind: 'ignore', justification: entry.reason };
  };
}

function describeEntry(entry: IgnoreEntry): string {
  const parts = [entry.rule && `rule ${entry.rule}`, entry.paths && `paths ${entry.paths.join(', ')}`, entry.fingerprint && `fingerprint ${entry.fingerprint}`];
  return `#${entry.index + 1} (${parts.filter(Boolean).join(', ')})`;
}

/** Reads each file at most once, only for findings that need an inline-comment check. */
class FileLines {
  private readonly cache = new Map<string, string[] | null>();
  constructor(private readonly root: string) {}

  allowFor(file: string, line: number): AllowVerdict {
    const text = this.linesOf(file)?.[line - 1];
    if (text === undefined) return {};
    const previous = line > 1 ? this.linesOf(file)?.[line - 2] : undefined;
    return allowFor({ line, text, ...(previous !== undefined ? { previous: { line: line - 1, text: previous } } : {}) });
  }

  private linesOf(file: string): string[] | null {
    if (!this.cache.has(file)) {
      const full = path.resolve(this.root, file);
      let lines: string[] | null = null;
      if (full.startsWith(path.resolve(this.root)) && existsSync(full)) {
        try {
          lines = splitLines(readFileSync(full, 'utf8'));
        } catch {
          lines = null;
        }
      }
      this.cache.set(file, lines);
    }
    return this.cache.get(file)!;
  }
}
