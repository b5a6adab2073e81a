import type { Severity } from '../core/finding.js';
import { escapeRegExp, scanText } from './engine.js';
import type { SecretRule } from './rule.js';

/**
 * Rules a repository adds in `scan.rules`, compiled and proven before any file is scanned: each
 * regex is translated from RE2 syntax where JavaScript differs, must capture a `secret` group, must
 * find its positive samples and none of its negative ones (compileCustomRules, while the config is
 * parsed), and must be linear-time (proveLinearTime, right after: redos-detector is loaded only then).
 * Every refusal names the entry's field, so the loader can point at its line.
 */

/** One `scan.rules` entry as the schema admits it. */
export interface CustomRuleSpec {
  id: string;
  description: string;
  regex: string;
  keywords: string[];
  entropy?: number;
  severity?: Severity;
  paths?: string[];
  allow?: string[];
  samples: { positive: string[]; negative?: string[] };
}

/** A refusal: the message, and the field of the entry it concerns (`regex`, `samples.positive.0`, …). */
export class CustomRuleError extends Error {
  constructor(
    message: string,
    readonly field: (string | number)[],
  ) {
    super(message);
  }
}

/** Samples are scanned as lines of a plain code file (not a template or doc, where placeholders are expected). */
const SAMPLE_FILE = 'scan-rules-check.txt';

/**
 * Analysis steps redos-detector may take per regex: a step bound (not a time limit) keeps the verdict
 * the same on every machine; 5000 proves token-shaped rules and refuses within a few seconds.
 */
const MAX_ANALYSIS_STEPS = 5000;
/** Verdicts by regex, so a config loaded twice in one process (the action's checks) is analysed once. */
const verdicts = new Map<string, string | null>();

type RedosDetector = typeof import('redos-detector');

/** redos-detector is only loaded when a config has custom rules (the bundler keeps it as a separate chunk). */
async function redosDetector(): Promise<RedosDetector> {
  return import('redos-detector');
}

/** JavaScript equivalents of RE2 flags that may lead a pattern: `(?i)`, `(?s)`, `(?m)` and combinations. */
const LEADING_FLAGS = /^\(\?([ims]+)\)/;

/**
 * RE2 (gitleaks, Go) syntax → JavaScript: a leading flag group becomes RegExp flags and `(?P<name>` a
 * named group; what JavaScript would read differently without an error is refused with the reason.
 */
export function translateRe2(source: string): { source: string; flags: string } {
  let flags = '';
  let body = source;
  const leading = LEADING_FLAGS.exec(body);
  if (leading) {
    flags = [...new Set(leading[1]!)].sort().join('');
    body = body.slice(leading[0].length);
  }
  body = body.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>');
  const inline = /\(\?[a-zA-Z-]+[:)]/.exec(body);
  if (inline) {
    throw new Error(`inline flags ${inline[0]} are only understood at the very start of the regex, as (?i), (?s) or (?m); move them there or write the cases out`);
  }
  if (/\\[AzZQE]/.test(body.replace(/\\\\/g, ''))) {
    throw new Error('\\A, \\z, \\Z, \\Q and \\E are RE2 escapes JavaScript reads differently: use ^ and $ (or a character class) instead');
  }
  if (/\[\[:[a-z]+:\]/.test(body)) throw new Error('POSIX classes such as [[:alpha:]] are not JavaScript regex syntax: use [A-Za-z] and the like');
  return { source: body, flags };
}

function compileRegex(source: string, field: (string | number)[], what: string): RegExp {
  let translated: { source: string; flags: string };
  try {
    translated = translateRe2(source);
  } catch (error) {
    throw new CustomRuleError(`${what}: ${(error as Error).message}`, field);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(translated.source, translated.flags);
  } catch (error) {
    throw new CustomRuleError(`${what} is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`, field);
  }
  return regex;
}

/** redos-detector does not parse named groups; `(?<n>…)` → `(…)` keeps numbering and backtracking the same. */
function analysable(regex: RegExp): RegExp {
  return new RegExp(regex.source.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '('), regex.flags);
}

function linearityProblem(detector: RedosDetector, regex: RegExp): string | null {
  const key = `${regex.flags}/${regex.source}`;
  let problem = verdicts.get(key);
  if (problem === undefined) {
    const result = detector.isSafe(analysable(regex), { maxSteps: MAX_ANALYSIS_STEPS });
    problem = result.safe
      ? null
      : result.error === 'hitMaxSteps' || result.error === 'timedOut'
        ? 'is too complex to prove it runs in linear time: bound its repetitions ({1,40} rather than + or *) or split it'
        : 'can backtrack catastrophically (nested or overlapping repetitions such as (a+)+ or \\s*=\\s*): a crafted line could stall the scan; bound each repetition ({0,4}) and make it match what its neighbours cannot';
    verdicts.set(key, problem);
  }
  return problem;
}

/**
 * Proves every compiled custom rule's regex and allow list linear-time (redos-detector), or throws a
 * CustomRuleError naming the entry and field. Async only because the detector is loaded on demand.
 */
export async function proveLinearTime(rules: SecretRule[]): Promise<void> {
  if (rules.length === 0) return;
  const detector = await redosDetector();
  rules.forEach((rule, index) => {
    const regexProblem = linearityProblem(detector, rule.pattern);
    if (regexProblem) throw new CustomRuleError(`regex ${regexProblem}`, [index, 'regex']);
    (rule.allow ?? []).forEach((allow, i) => {
      const problem = linearityProblem(detector, allow);
      if (problem) throw new CustomRuleError(`allow[${i}] ${problem}`, [index, 'allow', i]);
    });
  });
}

function toRule(spec: CustomRuleSpec): SecretRule {
  const pattern = compileRegex(spec.regex, ['regex'], 'regex');
  if (!/\(\?<secret>/.test(pattern.source)) {
    throw new CustomRuleError('regex needs a named group around the secret: (?<secret>…) (RE2: (?P<secret>…))', ['regex']);
  }
  const allow = (spec.allow ?? []).map((source, i) => compileRegex(source, ['allow', i], `allow[${i}]`));
  const positive = spec.samples.positive;
  const negative = spec.samples.negative ?? [];
  return {
    id: spec.id,
    title: spec.description,
    description: spec.description,
    severity: spec.severity ?? 'high',
    category: 'provider-token',
    keywords: spec.keywords.map((k) => k.toLowerCase()),
    pattern,
    ...(spec.entropy !== undefined ? { minEntropy: spec.entropy } : {}),
    ...(spec.paths ? { paths: spec.paths } : {}),
    ...(allow.length ? { allow } : {}),
    remediation: 'Remove the secret from the repository, revoke or rotate it, and load it from a secret store. (A rule from this repository’s scan.rules.)',
    samples: { positive: () => positive.map((text) => ({ file: SAMPLE_FILE, text })), negative: () => negative.map((text) => ({ file: SAMPLE_FILE, text })) },
  };
}

/** Runs the rule on each sample as the scanner would (path restriction aside): positives must be found, negatives not. */
function checkSamples(rule: SecretRule, spec: CustomRuleSpec): void {
  const anywhere: SecretRule = { ...rule, paths: undefined };
  spec.samples.positive.forEach((text, i) => {
    if (scanText(text, SAMPLE_FILE, [anywhere]).length === 0) {
      throw new CustomRuleError(
        `positive sample ${i + 1} is not found by the rule (check the regex, the keywords — one must occur in the sample — the entropy, the allow list, and that the value is not a placeholder word such as "example")`,
        ['samples', 'positive', i],
      );
    }
  });
  (spec.samples.negative ?? []).forEach((text, i) => {
    if (scanText(text, SAMPLE_FILE, [anywhere]).length > 0) {
      throw new CustomRuleError(`negative sample ${i + 1} is reported by the rule, which must not report it`, ['samples', 'negative', i]);
    }
  });
}

/**
 * The rule table for a scan with custom rules: the values the custom rules' positive samples hold are
 * fake by definition, so no rule reports them (else the config that lists them would be a finding).
 */
export function withCustomRules(builtIn: SecretRule[], custom: SecretRule[]): SecretRule[] {
  if (custom.length === 0) return builtIn;
  const values = new Set(custom.flatMap((rule) => rule.samples.positive().flatMap(({ text }) => scanText(text, SAMPLE_FILE, [{ ...rule, paths: undefined }]).map((m) => m.secret))));
  const allow = [...values].map((value) => new RegExp(`^${escapeRegExp(value)}$`));
  return [...builtIn, ...custom].map((rule) => ({ ...rule, allow: [...(rule.allow ?? []), ...allow] }));
}

/**
 * Compiles and proves `scan.rules`; `builtInIds` are the shipped rules' ids, which a custom rule may not
 * take. Throws a CustomRuleError naming the entry index and field.
 */
export function compileCustomRules(specs: CustomRuleSpec[], builtInIds: ReadonlySet<string>): SecretRule[] {
  const seen = new Set<string>();
  return specs.map((spec, index) => {
    const at = (error: unknown): never => {
      if (error instanceof CustomRuleError) throw new CustomRuleError(error.message, [index, ...error.field]);
      throw error;
    };
    if (builtInIds.has(spec.id)) at(new CustomRuleError(`id "${spec.id}" is a built-in rule's: choose another id (a custom rule adds to the built-in ones, it never replaces one)`, ['id']));
    if (seen.has(spec.id)) at(new CustomRuleError(`id "${spec.id}" is used by an earlier entry of scan.rules`, ['id']));
    seen.add(spec.id);
    try {
      const rule = toRule(spec);
      checkSamples(rule, spec);
      return rule;
    } catch (error) {
      return at(error);
    }
  });
}
