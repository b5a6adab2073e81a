import { minimatch } from 'minimatch';
import type { LeftOutReason } from '../core/coverage.js';
import type { Confidence, Severity } from '../core/finding.js';
import type { Match } from './engine.js';
import { classifyFile, isDependencyPath } from './filters.js';
import { DEFAULT_PASSWORDS } from './rules/default-credentials.js';
import { shannonEntropy } from './engine.js';
import { syntaxOf } from './values.js';

/**
 * Context and confidence: how sure a finding is, and where it sits (a test, a doc, a comment, a
 * deployable config). Both adjust the rule's severity, so the existing severity → level mapping,
 * `security-severity` and `fail-on` stay the one axis.
 */

/** Where the match sits, as far as its risk goes. */
export type Place = 'test' | 'doc' | 'comment' | 'deployable' | 'code';

export type { LeftOutReason } from '../core/coverage.js';

/** Files that are tests or fixtures unless `scan.test-paths` says otherwise (documented in docs/scanning.md). */
export const DEFAULT_TEST_PATHS = [
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/spec/**',
  '**/specs/**',
  '**/testdata/**',
  '**/test-data/**',
  '**/fixtures/**',
  '**/__fixtures__/**',
  '**/__mocks__/**',
  '**/mocks/**',
  '**/e2e/**',
  '**/cypress/**',
  '**/*.test.*',
  '**/*.spec.*',
  '**/*_test.*',
  '**/*_spec.*',
  '**/test_*.*',
  '**/*Test.{java,kt,scala,groovy,cs}',
  '**/*Tests.{java,kt,scala,groovy,cs}',
  '**/*IT.{java,kt}',
];

/** Terraform and HCL are code to the value reader, deployable config to the risk reader. */
const DEPLOYABLE_CODE = /\.(?:tf|tfvars|hcl|nomad)$/i;

/** What the scan knows about context, from `scan.test-paths` and `scan.report-weak-in-tests`. */
export interface ContextOptions {
  isTest: (file: string) => boolean;
  reportWeakInTests: boolean;
}

export function contextOptions(config: { testPaths?: string[]; reportWeakInTests?: boolean } = {}): ContextOptions {
  const globs = config.testPaths ?? DEFAULT_TEST_PATHS;
  const matchers = globs.map((glob) => new minimatch.Minimatch(glob, { dot: true, nocase: true, matchBase: !glob.includes('/') }));
  return { isTest: (file) => matchers.some((m) => m.match(file)), reportWeakInTests: config.reportWeakInTests ?? false };
}

/** The place of a match: a comment wins over the file's own place; then tests, docs, deployable config. */
export function placeOf(match: Match, file: string, isTest: ContextOptions['isTest']): Place {
  if (match.value.position === 'comment') return 'comment';
  if (isTest(file)) return 'test';
  // Docs are prose and templates; a script or config under docs/ or examples/ is run as it is.
  if (classifyFile(file) !== 'code' || isDependencyPath(file)) return 'doc';
  const syntax = syntaxOf(file);
  if (syntax === 'config' || syntax === 'shell' || DEPLOYABLE_CODE.test(file)) return 'deployable';
  return 'code';
}

/** A value a person chose: a stock default, a short word with a few digits or symbols, or too little entropy. */
export function isWeakValue(value: string): boolean {
  if (DEFAULT_PASSWORDS.has(value)) return true;
  if (value.length <= 16 && /^[A-Za-z][a-z]+[0-9]{0,4}[!@#$%&*._-]{0,2}$/.test(value)) return true;
  return value.length < 12 && shannonEntropy(value) < 3;
}

/** The password of a user:password pair or a URL looks generated (long, mixed, high entropy). */
function looksRandom(value: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return !isWeakValue(value) && value.length >= 10 && classes >= 2 && shannonEntropy(value) >= 3;
}

/** How sure the match is a real secret, before context. */
function baseConfidence(match: Match): Confidence {
  if (match.rule.confidence) return match.rule.confidence;
  switch (match.rule.category) {
    case 'provider-token':
    case 'private-key':
    case 'credential-file-entry':
      return 'high';
    case 'connection-string':
      return looksRandom(match.secret) ? 'high' : 'medium';
    case 'generic-secret':
      return isWeakValue(match.secret) ? 'low' : 'medium';
    case 'default-credential':
      return 'low';
  }
}

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const atMost = (severity: Severity, cap: Severity): Severity => (ORDER.indexOf(severity) > ORDER.indexOf(cap) ? cap : severity);
const lower = (severity: Severity): Severity => ORDER[Math.max(1, ORDER.indexOf(severity) - 1)]!;

export type Judgement =
  | { report: true; confidence: Confidence; severity: Severity; place: Place }
  | { report: false; reason: LeftOutReason };

/**
 * Confidence and severity of one match in its place. Verified formats (tokens, keys, credential
 * files) keep `high` anywhere but a test, doc or comment (there `medium`); everything else found
 * there is `low`. A low-confidence finding is at most `medium` (a warning); a test, doc or comment
 * lowers the severity one more step; a default credential in deployable config keeps its severity.
 * A weak, human-chosen value in a test or doc is left out unless `scan.report-weak-in-tests`.
 */
export function judge(match: Match, place: Place, options: ContextOptions): Judgement {
  const base = baseConfidence(match);
  const human = match.rule.category === 'default-credential' || (match.rule.category !== 'provider-token' && match.rule.category !== 'private-key' && isWeakValue(match.secret));
  if ((place === 'test' || place === 'doc') && human && !options.reportWeakInTests) {
    return { report: false, reason: place === 'test' ? 'weak-value-in-test' : 'weak-value-in-doc' };
  }
  const aside = place === 'test' || place === 'doc' || place === 'comment';
  const confidence: Confidence = aside ? (base === 'high' ? 'medium' : 'low') : base;
  let severity = match.rule.severity;
  if (match.rule.category === 'default-credential' && place === 'deployable') return { report: true, confidence, severity, place };
  if (confidence === 'low') severity = atMost(severity, 'medium');
  if (aside) severity = lower(severity);
  return { report: true, confidence, severity, place };
}
