import { makeFinding, type Finding, type FindingInput, type RuleDescriptor } from '../../src/core/finding.js';
import { redactValue } from '../../src/core/redact.js';
import type { Report } from '../../src/core/report.js';
import { randomChars, secret, HEX_CHARS } from '../support/random.js';

/** A secret made at test time from the seeded generator, so no literal token is ever committed. */
export function fakeSecret(): string {
  return 'kw' + 'test_' + secret.hex(20);
}

export function finding(overrides: Partial<FindingInput> = {}): Finding {
  return makeFinding({
    ruleId: 'test-token',
    check: 'scan',
    severity: 'high',
    message: 'A test token is committed',
    file: 'src/app.ts',
    startLine: 3,
    startColumn: 7,
    fingerprintMaterial: randomChars(HEX_CHARS, 16),
    ...overrides,
  });
}

export const TOKEN_RULE: RuleDescriptor = {
  id: 'test-token',
  check: 'scan',
  name: 'Test token',
  shortDescription: 'A test token is committed.',
  fullDescription: 'A token of the test provider is committed to the repository.',
  help: 'Revoke the token, remove it from the repository and load it from a secret store.',
  severity: 'high',
  tags: ['provider-token'],
};

export const ENV_RULE: RuleDescriptor = {
  id: 'env-default-credential',
  check: 'validate',
  name: 'Default credential in .env',
  shortDescription: 'A .env file sets a well-known default credential.',
  fullDescription: 'A variable in a .env file is set to a vendor default such as admin/admin.',
  help: 'Set a generated credential.',
  severity: 'critical',
};

export interface Fixture {
  report: Report;
  secret: string;
  suppressed: Finding;
  history: Finding;
  noColumn: Finding;
  hostile: Finding;
}

/**
 * A small report covering every case reporters must handle: a redacted snippet, a suppressed
 * finding, a history finding, a finding without column, hostile Markdown/HTML in a message, and a
 * rule that no descriptor declares.
 */
export function smallReport(overrides: Partial<Report> = {}): Fixture {
  const secret = fakeSecret();
  const withSnippet = finding({ snippet: redactValue(secret), fingerprintMaterial: secret, endColumn: 7 + secret.length });
  const suppressed = finding({
    file: 'src/legacy.ts',
    startLine: 9,
    fingerprintMaterial: fakeSecret(),
  });
  suppressed.suppression = { kind: 'inline', justification: 'keywarden:allow comment on line 9' };
  const baselined = finding({ file: 'src/old.ts', startLine: 1, severity: 'medium' });
  baselined.suppression = { kind: 'baseline', justification: 'listed in baseline .keywarden-baseline.json' };
  const history = finding({ file: 'config/old.env', startLine: 2, commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', snippet: redactValue(fakeSecret()) });
  const noColumn = makeFinding({
    ruleId: ENV_RULE.id,
    check: 'validate',
    severity: 'critical',
    message: 'ADMIN_PASSWORD is a well-known default',
    file: 'deploy/.env',
    startLine: 4,
    fingerprintMaterial: 'ADMIN_PASSWORD',
  });
  const hostile = makeFinding({
    ruleId: 'undeclared-rule',
    check: 'validate',
    severity: 'low',
    message: 'key `a|b` <script>alert(1)</script> **bold** [x](https://evil.example) $x$',
    file: 'docs/a|b <i>.md',
    startLine: 2,
    startColumn: 1,
    fingerprintMaterial: 'hostile',
  });
  const report: Report = {
    tool: { name: 'keywarden', version: '0.1.0', informationUri: 'https://github.com/keywarden/keywarden' },
    command: 'check',
    findings: [withSnippet, suppressed, baselined, history, noColumn, hostile],
    rules: [TOKEN_RULE, ENV_RULE],
    failOn: 'error',
    ...overrides,
  };
  return { report, secret, suppressed, history, noColumn, hostile };
}

/** `count` unsuppressed findings cycling through the three levels, spread over files. */
export function manyFindings(count: number): Finding[] {
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  return Array.from({ length: count }, (_, i) =>
    makeFinding({
      ruleId: `rule-${i % 7}`,
      check: i % 2 === 0 ? 'scan' : 'validate',
      severity: severities[i % severities.length]!,
      message: `finding ${i} with | pipe and <b>tag</b>`,
      file: `dir${i % 13}/file${i % 101}.txt`,
      startLine: 1 + (i % 500),
      startColumn: 1 + (i % 40),
      fingerprintMaterial: `m${i}`,
    }),
  );
}

export function reportOf(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    tool: { name: 'keywarden', version: '0.1.0', informationUri: 'https://github.com/keywarden/keywarden' },
    command: 'scan',
    findings,
    rules: [TOKEN_RULE],
    failOn: 'error',
    ...overrides,
  };
}
