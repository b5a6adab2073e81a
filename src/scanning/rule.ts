import type { Severity } from '../core/finding.js';

/** What kind of secret a rule finds; reports and the benchmark group by it. */
export type RuleCategory =
  | 'provider-token'
  | 'private-key'
  | 'connection-string'
  | 'credential-file-entry'
  | 'generic-secret'
  | 'default-credential';

/** One regex hit handed to a rule's `confirm`, with enough context to judge it. */
export interface RuleMatch {
  /** The secret group's text. */
  secret: string;
  /** Named groups of the match (e.g. `key`, `user`). */
  groups: Record<string, string | undefined>;
  /** The whole line (or bounded window) the match is on. */
  line: string;
  /** Repository-relative posix path. */
  file: string;
}

/**
 * A detection rule, as data. Rules live in src/scanning/rules/<family>.ts and are
 * collected in src/scanning/rules/index.ts.
 */
export interface SecretRule {
  /** Stable kebab-case id; default-credential rules start with `default-credential`. */
  id: string;
  title: string;
  description: string;
  severity: Severity;
  category: RuleCategory;
  /** Lower-case literals; the rule's regex runs only near a line containing one of them. */
  keywords: string[];
  /** Must define a named group `secret`. Written without the `g` flag; the engine adds what it needs. */
  pattern: RegExp;
  /** Minimum Shannon entropy (bits per character) of the secret group. */
  minEntropy?: number;
  /** Checksum or structure validation; `false` drops the match (not a real token). */
  confirm?: (match: RuleMatch) => boolean;
  /** minimatch globs: the rule only applies to matching files. */
  paths?: string[];
  /** Secret values matching any of these are documented examples or placeholders. */
  allow?: RegExp[];
  /** How to fix it, shown in SARIF help and the job summary. */
  remediation: string;
  /** Built at test time from parts, so no literal token is ever committed. */
  samples: {
    /** Lines (or file contents) the rule must report, each with the file name it is placed in. */
    positive: () => { file: string; text: string }[];
    /** Lines the rule must not report. */
    negative: () => { file: string; text: string }[];
  };
}
