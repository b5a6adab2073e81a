import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { ConfigSource, IgnoreEntry } from '../config/types.js';
import { UserError } from './errors.js';
import { makeFinding, type Finding, type RuleDescriptor, type Suppression } from './finding.js';
import { allowFor, AllowNotes, type AllowVerdict } from './inline-allow.js';

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

/** A baseline file: the fingerprints of findings accepted when it was written. Never values. */
export interface Baseline {
  version: 1;
  generated: string;
  findings: { fingerprint: string; ruleId: string; file: string }[];
}

export function buildBaseline(findings: Finding[], now: Date): Baseline {
  const seen = new Set<string>();
  const entries = findings
    .filter((f) => !f.suppression && !seen.has(f.fingerprint) && seen.add(f.fingerprint))
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, generated: now.toISOString(), findings: entries };
}

export function readBaseline(root: string, file: string): Set<string> {
  const full = path.resolve(root, file);
  if (!existsSync(full)) throw new UserError(`baseline file not found: ${file} (write one with "keywarden baseline")`);
  return parseBaseline(readFileSync(full, 'utf8'), file);
}

/** The fingerprints of a baseline's text; `file` names it in errors. */
export function parseBaseline(text: string, file: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`baseline is not valid JSON: ${(error as Error).message}`, { file });
  }
  const findings = (parsed as Partial<Baseline>)?.findings;
  if (!Array.isArray(findings) || findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new UserError('baseline has no "findings" list of fingerprints (write one with "keywarden baseline")', { file });
  }
  return new Set(findings.map((f) => f.fingerprint));
}

export interface SuppressionInputs {
  root: string;
  now: Date;
  ignore: IgnoreEntry[];
  baseline?: Set<string>;
  baselineFile?: string;
  source: ConfigSource;
}

/**
 * Marks findings suppressed by inline comments (for checks that do not mark them themselves),
 * config ignore entries and the baseline, and reports expired ignore entries.
 * Suppressed findings are kept: SARIF shows them as suppressions and the summary counts them.
 */
export function applySuppressions(findings: Finding[], inputs: SuppressionInputs): Finding[] {
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
    const entry = active.find((e) => ignoreMatches(e, finding));
    if (entry) return { ...finding, suppression: { kind: 'ignore', justification: entry.reason } };
    if (inputs.baseline?.has(finding.fingerprint)) {
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

function ignoreMatches(entry: IgnoreEntry, finding: Finding): boolean {
  // An allowlist tests the secret itself, which only the scanner holds (see valueAllowlist).
  if (entry.value || entry.stopwords) return false;
  return entryCovers(entry, finding.ruleId, finding.file) && (!entry.fingerprint || entry.fingerprint === finding.fingerprint);
}

function entryCovers(entry: IgnoreEntry, ruleId: string, file: string): boolean {
  if (entry.rule && !minimatch(ruleId, entry.rule)) return false;
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
          lines = readFileSync(full, 'utf8').split(/\r?\n/);
        } catch {
          lines = null;
        }
      }
      this.cache.set(file, lines);
    }
    return this.cache.get(file)!;
  }
}
