import { makeFinding, type Finding, type RuleDescriptor, type Suppression } from '../core/finding.js';
import { fingerprintValue, legacyValuePart } from '../core/fingerprint.js';
import { redactSnippet, type ReportedSpan } from '../core/redact.js';
import type { Match } from './engine.js';
import { AllowNotes, INLINE_ALLOW_RULES, redactReason } from '../core/inline-allow.js';
import type { SecretRule } from './rule.js';
import { FILE_RULES } from './committed-files.js';
import { DEFAULT_PASSWORDS } from './rules/default-credentials.js';
import { contextOptions, judge, placeOf, type ContextOptions, type LeftOutReason } from './confidence.js';

export const FILE_TOO_LARGE: RuleDescriptor = {
  id: 'scan-file-too-large',
  check: 'scan',
  name: 'File too large to scan',
  shortDescription: 'A file over scan.max-file-size was not scanned.',
  fullDescription: 'The file is larger than scan.max-file-size (default 10 MiB), so its content was not read or checked for secrets.',
  help: 'Raise scan.max-file-size in .keywarden.yml if the file is text that should be scanned, or exclude it with scan.exclude.',
  severity: 'info',
};

export const FILE_UNREADABLE: RuleDescriptor = {
  id: 'scan-file-unreadable',
  check: 'scan',
  name: 'File could not be read',
  shortDescription: 'A file could not be read, so it was not scanned.',
  fullDescription: 'Reading the file failed (permissions, or it vanished during the scan); its content was not checked for secrets.',
  help: 'Check the file permissions, or exclude the file with scan.exclude.',
  severity: 'info',
};

export const FINDINGS_CAPPED: RuleDescriptor = {
  id: 'scan-findings-capped',
  check: 'scan',
  name: 'Findings capped',
  shortDescription: 'A line or file held more matches than keywarden reports; the rest are counted, not listed.',
  fullDescription:
    'At most 20 findings per line and 500 per file are reported, and matching stops on a line after 500 candidate matches (50,000 per file), so that no input makes a scan slow or its reports huge. Such a line is generated, minified or crafted.',
  help: 'Look at the line: remove what it holds or, if it is generated data, exclude the file with scan.exclude.',
  severity: 'info',
};

type DescribedRule = Pick<SecretRule, 'id' | 'title' | 'description' | 'remediation' | 'severity'>;

function describe(rule: DescribedRule, category: string): RuleDescriptor {
  return {
    id: rule.id,
    check: 'scan',
    name: rule.title,
    shortDescription: rule.title,
    fullDescription: rule.description,
    help: rule.remediation,
    severity: rule.severity,
    tags: ['security', 'secret', category],
  };
}

export function ruleDescriptors(rules: SecretRule[]): RuleDescriptor[] {
  const fromRules = rules.map((rule) => describe(rule, rule.category));
  const fromFiles = FILE_RULES.map((rule) => describe(rule, 'credential-file'));
  return [...fromRules, ...fromFiles, FILE_TOO_LARGE, FILE_UNREADABLE, FINDINGS_CAPPED, ...INLINE_ALLOW_RULES];
}

/** Which of two matches on one value is kept: a specific rule over a generic one, then the narrower rule. */
function specificity(m: Match): number[] {
  const longestKeyword = Math.max(0, ...m.rule.keywords.map((k) => k.length));
  return [m.rule.category === 'generic-secret' ? 0 : 1, longestKeyword];
}

function moreSpecific(a: Match, b: Match): boolean {
  const [x, y] = [specificity(a), specificity(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
}

/**
 * One secret, one finding: matches of several rules on overlapping text of one line are one secret.
 * The most specific is kept (a provider or default-credential rule over a generic one, as gitleaks
 * does; between two specific ones, the one with the narrower keyword); ties keep the rule listed first.
 */
export function dropOverlaps(matches: Match[]): Match[] {
  const byLine = new Map<number, Match[]>();
  for (const m of matches) {
    const list = byLine.get(m.line) ?? [];
    list.push(m);
    byLine.set(m.line, list);
  }
  const dropped = new Set<Match>();
  for (const list of byLine.values()) {
    if (list.length < 2) continue;
    list.forEach((a, i) => {
      list.forEach((b, j) => {
        if (i === j || dropped.has(a) || dropped.has(b)) return;
        const overlap = a.column < b.endColumn && b.column < a.endColumn;
        if (overlap && (moreSpecific(a, b) || (i < j && !moreSpecific(b, a)))) dropped.add(b);
      });
    });
  }
  return dropped.size === 0 ? matches : matches.filter((m) => !dropped.has(m));
}

/** The variable or key a value is assigned to, when the line says (`API_KEY=…`, `"token": "…"`). */
export function assignedName(match: Match): string | undefined {
  const named = match.groups.key ?? match.groups.name;
  if (named && /^[\w.-]{1,80}$/.test(named)) return named;
  const before = match.lineText.slice(0, match.column - 1 - match.lineTextOffset);
  const assignment = /([A-Za-z_][\w.-]{0,79})["'\]]?\s*(?::=|=>|[:=])\s*["'`]?(?:[^\s"'`]*[:\-]-?)?$/.exec(before);
  return assignment?.[1];
}

export function messageFor(match: Match): string {
  const name = assignedName(match);
  if (match.rule.category === 'default-credential') {
    // Only a value on the public list of stock passwords is named; any other value stays unnamed.
    if (DEFAULT_PASSWORDS.has(match.secret)) {
      const what = `the well-known default '${match.secret}'`;
      return name ? `${name} is set to ${what} (${match.rule.title})` : `${match.rule.title}: ${what}`;
    }
    return name ? `${name} is set to a default credential (${match.rule.title})` : `${match.rule.title} found`;
  }
  return name ? `${match.rule.title} assigned to ${name}` : `${match.rule.title} found`;
}

/**
 * The finding's line through the one redaction function: every secret found on it redacted, every
 * other value masked, a key block shown by its BEGIN line only.
 */
export function snippetFor(match: Match, sameLine: Match[], shown?: number): string {
  const spans: ReportedSpan[] = sameLine.map((m) => ({
    own: m === match,
    start: Math.max(0, m.column - 1 - match.lineTextOffset),
    end: m.endLine === m.line ? m.endColumn - 1 - match.lineTextOffset : match.lineText.length,
    value: m.secret,
    key: m.rule.category === 'private-key',
  }));
  return redactSnippet(match.lineText, spans, { shown, ...(match.header !== undefined ? { header: match.header } : {}) });
}

export interface FindingsOptions {
  /** History scans: the commit that added the value. */
  commit?: string;
  /** Test paths and weak-value reporting; defaults to the documented defaults. */
  context?: ContextOptions;
  /** Told about each match left out of the report, with its reason. */
  leftOut?: (reason: LeftOutReason) => void;
  /** Leading characters of a found value the snippet shows (`--redact N`). */
  shown?: number;
  /** A `scan.ignore` allowlist (`value`, `stopwords`) accepting the match's secret, while it is in memory. */
  allowlisted?: (match: Match, file: string) => Suppression | undefined;
  /** `KEYWARDEN_FINGERPRINT_KEY`: fingerprints hold an HMAC of the value. */
  fingerprintKey?: string;
}

const DEFAULT_CONTEXT = contextOptions();

/**
 * One finding per kept match that its context does not leave out, suppressed when an allow comment
 * covers it, plus a note for each comment that gives no reason or sits above a finding it no longer covers.
 */
export function findingsFor(file: string, matches: Match[], options: FindingsOptions = {}): Finding[] {
  const { commit, context = DEFAULT_CONTEXT, shown } = options;
  const byLine = new Map<number, Match[]>();
  for (const m of matches) {
    const list = byLine.get(m.line) ?? [];
    list.push(m);
    byLine.set(m.line, list);
  }
  const notes = new AllowNotes(file, 'scan', commit);
  const findings: Finding[] = [];
  for (const match of dropOverlaps(matches)) {
    const judged = judge(match, placeOf(match, file, context.isTest), context);
    if (!judged.report) {
      options.leftOut?.(judged.reason);
      continue;
    }
    const finding = makeFinding({
      ruleId: match.rule.id,
      check: 'scan',
      severity: judged.severity,
      confidence: judged.confidence,
      message: messageFor(match),
      file,
      startLine: match.line,
      startColumn: match.column,
      endLine: match.endLine,
      endColumn: match.endColumn,
      snippet: snippetFor(match, byLine.get(match.line)!, shown),
      fingerprintMaterial: {
        valuePart: fingerprintValue({ value: match.secret, dictionary: match.rule.category === 'default-credential', line: match.lineText }, options.fingerprintKey),
        legacyValuePart: legacyValuePart(match.secret),
      },
      ...(commit ? { commit } : {}),
    });
    const secrets = (byLine.get(match.allow?.line ?? match.line) ?? []).map((m) => m.secret);
    const allow = match.allow && { ...match.allow, reason: redactReason(match.allow.reason, secrets) };
    const suppression = notes.take({ ...(allow ? { allow } : {}), ...(match.staleAllowAbove !== undefined ? { staleAbove: match.staleAllowAbove } : {}) });
    const accepted = suppression ?? options.allowlisted?.(match, file);
    findings.push(accepted ? { ...finding, suppression: accepted } : finding);
  }
  return [...findings, ...notes.findings()];
}
