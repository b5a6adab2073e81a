import { makeFinding, type CheckKind, type Finding, type RuleDescriptor, type Suppression } from './finding.js';
import { redactValue } from './redact.js';

/**
 * Inline allow comments, the one place that knows their syntax and reach:
 * `keywarden:allow <reason>` covers its own line, `keywarden:allow-next-line <reason>` the next line.
 */
export const ALLOW_MARKER = 'keywarden:allow';
export const ALLOW_NEXT_LINE_MARKER = 'keywarden:allow-next-line';

/** Reasons are shown in every report; a comment is not an essay. */
const MAX_REASON_CHARS = 200;

export interface AllowComment {
  kind: 'line' | 'next-line';
  /** Text after the marker with comment punctuation removed; empty for a bare marker. */
  reason: string;
}

/** The allow comment a line holds, if any. `keywarden:allowed` or `keywarden:allow-x` are not markers. */
export function readAllowComment(lineText: string): AllowComment | undefined {
  let from = 0;
  for (let at = lineText.indexOf(ALLOW_MARKER, from); at !== -1; at = lineText.indexOf(ALLOW_MARKER, from)) {
    const rest = lineText.slice(at + ALLOW_MARKER.length);
    if (rest.startsWith('-next-line') && !/^[\w-]/.test(rest.slice('-next-line'.length))) {
      return { kind: 'next-line', reason: reasonOf(rest.slice('-next-line'.length)) };
    }
    if (!/^[\w-]/.test(rest)) return { kind: 'line', reason: reasonOf(rest) };
    from = at + ALLOW_MARKER.length;
  }
  return undefined;
}

/** Drops separators after the marker and comment closers (`*\/`, `-->`, `%>`, `#}`, `}}`) at the end. */
function reasonOf(rest: string): string {
  const text = rest
    .replace(/^[\s:=,;—–-]+/, '')
    .replace(/(?:\*\/|-->|--%>|%>|#\}|%\}|\}\}|\s)+$/, '')
    .trim();
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}

/** The comment that suppresses a finding, where it sits. */
export interface InlineAllow extends AllowComment {
  /** 1-based line of the comment. */
  line: number;
}

export interface AllowLookup {
  /** The finding's line. */
  line: number;
  text: string;
  /** The line before, when it is really the line before (history mode shows only added lines). */
  previous?: { line: number; text: string };
  /**
   * Whether a next-line comment on that line may count: in diff mode only a comment the same change
   * adds, so a change cannot slip a new value under an existing comment.
   */
  previousTrusted?: boolean;
}

export interface AllowVerdict {
  allow?: InlineAllow;
  /** A `keywarden:allow` on the line before: it used to cover this line and no longer does. */
  staleAbove?: number;
}

/** Which comment, if any, covers a finding on `lookup.line`. */
export function allowFor(lookup: AllowLookup): AllowVerdict {
  const own = readAllowComment(lookup.text);
  if (own?.kind === 'line') return { allow: { ...own, line: lookup.line } };
  const previous = lookup.previous;
  if (!previous) return {};
  const above = readAllowComment(previous.text);
  if (above?.kind === 'next-line' && lookup.previousTrusted !== false) return { allow: { ...above, line: previous.line } };
  if (above?.kind === 'line') return { staleAbove: previous.line };
  return {};
}

/** The suppression a finding carries: the comment's file and line, and its reason. */
export function inlineSuppression(file: string, allow: InlineAllow): Suppression {
  const marker = allow.kind === 'line' ? ALLOW_MARKER : ALLOW_NEXT_LINE_MARKER;
  const why = allow.reason ? `: ${allow.reason}` : ' (no reason given)';
  return { kind: 'inline', justification: `${marker} at ${file}:${allow.line}${why}` };
}

/** Replaces each found value in a reason by its redacted form (a value may sit after the marker). */
export function redactReason(reason: string, secrets: string[]): string {
  let out = reason;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join(redactValue(secret));
  return out;
}

export const ALLOW_WITHOUT_REASON_RULE: RuleDescriptor = {
  id: 'inline-allow-without-reason',
  check: 'scan',
  name: 'Inline allow without a reason',
  shortDescription: 'A keywarden:allow comment suppresses a finding but gives no reason.',
  fullDescription:
    'An inline allow comment suppresses the finding on its line (or, for keywarden:allow-next-line, the next line) but says nothing after the marker, so reviewers cannot tell why the value is accepted.',
  help: 'Write the reason after the marker, for example `# keywarden:allow test fixture, revoked`.',
  severity: 'info',
};

export const ALLOW_LINE_ABOVE_RULE: RuleDescriptor = {
  id: 'inline-allow-line-above',
  check: 'scan',
  name: 'Inline allow on the line above',
  shortDescription: 'A keywarden:allow comment sits above a finding; it only covers its own line.',
  fullDescription:
    'keywarden:allow covers exactly the line it is on. A comment on the line above a finding no longer suppresses it (earlier versions covered the line below too), so the finding is reported.',
  help: 'Put the comment on the finding’s line, or write `keywarden:allow-next-line <reason>` on the line above.',
  severity: 'info',
};

export const INLINE_ALLOW_RULES = [ALLOW_WITHOUT_REASON_RULE, ALLOW_LINE_ABOVE_RULE];

/** Collects the notes about allow comments of one file, one per comment line and kind. */
export class AllowNotes {
  private readonly notes = new Map<string, Finding>();

  constructor(
    private readonly file: string,
    private readonly check: CheckKind,
    private readonly commit?: string,
  ) {}

  /** Records what a verdict says about its comments; returns the suppression, if any. */
  take(verdict: AllowVerdict): Suppression | undefined {
    if (verdict.staleAbove !== undefined) {
      this.add(ALLOW_LINE_ABOVE_RULE, verdict.staleAbove, `${ALLOW_MARKER} covers only its own line: this comment no longer suppresses the finding on line ${verdict.staleAbove + 1}; use ${ALLOW_NEXT_LINE_MARKER} to allow the next line`);
    }
    const allow = verdict.allow;
    if (!allow) return undefined;
    if (!allow.reason) {
      const marker = allow.kind === 'line' ? ALLOW_MARKER : ALLOW_NEXT_LINE_MARKER;
      this.add(ALLOW_WITHOUT_REASON_RULE, allow.line, `${marker} suppresses a finding without a reason: say why after the marker`);
    }
    return inlineSuppression(this.file, allow);
  }

  findings(): Finding[] {
    return [...this.notes.values()];
  }

  private add(rule: RuleDescriptor, line: number, message: string): void {
    const key = `${rule.id}:${line}`;
    if (this.notes.has(key)) return;
    this.notes.set(
      key,
      makeFinding({
        ruleId: rule.id,
        check: this.check,
        severity: rule.severity,
        message,
        file: this.file,
        startLine: line,
        fingerprintMaterial: `${rule.id}:${line}`,
        ...(this.commit ? { commit: this.commit } : {}),
      }),
    );
  }
}
