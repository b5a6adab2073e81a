import type { Confidence, Severity } from '../core/finding.js';
import type { ValueView } from './values.js';

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
  /** Where the value sits on its line, as the file's language reads it (decided by the engine). */
  value: ValueView;
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
  /**
   * How the rule recognises a secret. `assignment`: by the key it is assigned to, so the value must
   * be a literal of the file's language (a quoted string in code, a scalar in config), the whole of it,
   * and not text for people. `structure`: by the value's own format (a prefix, a checksum, a URL), found
   * wherever it is written. Defaults: `assignment` for generic secrets and default credentials.
   */
  shape?: 'assignment' | 'structure';
  /**
   * How sure a match is real, when the category's default (docs/scanning.md) does not fit: a JWT's
   * structure says nothing about whether it is a live credential or a fixture.
   */
  confidence?: Confidence;
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
