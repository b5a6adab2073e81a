import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { LEVEL_RANK } from '../../src/core/finding.js';
import { buildSarif, renderSarif } from '../../src/reporting/index.js';
import { MAX_SARIF_RESULTS, pascalCase } from '../../src/reporting/sarif.js';
import { finding, manyFindings, reportOf, smallReport } from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
// A separate Ajv instance: the official schema is not written for strict mode.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).toEqual([]);
  expect(ok).toBe(true);
}

/** What GitHub code scanning needs beyond the schema. */
function expectGitHubReady(log: Sarif.Log): void {
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  for (const rule of rules) {
    expect(rule.properties?.['security-severity']).toMatch(/^\d+\.\d$/);
    expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  }
  for (const result of run.results ?? []) {
    const physical = result.locations?.[0]?.physicalLocation;
    expect(physical?.artifactLocation?.uri).toBeTruthy();
    expect(physical?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
    expect(physical?.region?.startLine).toBeGreaterThanOrEqual(1);
    expect(result.partialFingerprints?.['keywarden/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(rules[result.ruleIndex!]?.id).toBe(result.ruleId);
  }
}

describe('SARIF reporter', () => {
  it('produces a log that validates against the official SARIF 2.1.0 schema and suits GitHub', () => {
    const { report } = smallReport();
    const log = JSON.parse(renderSarif(report)) as Sarif.Log;
    expectValid(log);
    expectGitHubReady(log);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({
      name: 'keywarden',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://github.com/keywarden/keywarden',
    });
  });

  it('uses a schema that really rejects malformed SARIF', () => {
    const log = JSON.parse(renderSarif(smallReport().report)) as Sarif.Log;
    log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    expect(validate(log)).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('validates for an empty report and for 40 mixed findings', () => {
    for (const report of [reportOf([]), reportOf(manyFindings(40))]) {
      const log = buildSarif(report);
      expectValid(JSON.parse(JSON.stringify(log)));
      expectGitHubReady(log);
    }
  });

  it('describes declared rules and generates a descriptor for undeclared ones', () => {
    const { report } = smallReport();
    const rules = buildSarif(report).runs[0]!.tool.driver.rules!;
    const token = rules.find((r) => r.id === 'test-token')!;
    expect(token).toMatchObject({
      name: 'TestToken',
      shortDescription: { text: 'A test token is committed.' },
      fullDescription: { text: 'A token of the test provider is committed to the repository.' },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '8.0', precision: 'high' },
    });
    expect(token.help?.text).toContain('Revoke the token');
    expect(token.help?.markdown).toContain('**Test token**');
    expect(token.properties?.tags).toEqual(['security', 'scan', 'provider-token']);
    expect(rules.find((r) => r.id === 'env-default-credential')?.properties?.['security-severity']).toBe('9.5');
    const generated = rules.find((r) => r.id === 'undeclared-rule')!;
    expect(generated.name).toBe('UndeclaredRule');
    expect(generated.defaultConfiguration?.level).toBe('note');
  });

  it('maps locations, snippets, commits and suppressions', () => {
    const { report, history, noColumn, hostile } = smallReport();
    const results = buildSarif(report).runs[0]!.results!;
    const byFile = (file: string) => results.find((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === file)!;

    const token = byFile('src/app.ts');
    expect(token.level).toBe('error');
    expect(token.locations![0]!.physicalLocation!.region).toMatchObject({ startLine: 3, startColumn: 7, endLine: 3 });
    expect(token.locations![0]!.physicalLocation!.region!.snippet!.text).toMatch(/^kwte…$/);
    expect(token.properties).toMatchObject({ check: 'scan', confidence: 'high' });
    expect(token.rank).toBe(90);
    expect(token.suppressions).toBeUndefined();

    expect(byFile(history.file).properties?.commit).toBe(history.commit);
    const region = byFile(noColumn.file).locations![0]!.physicalLocation!.region!;
    expect(region.startColumn).toBeUndefined();
    expect(region.endColumn).toBeUndefined();

    // Paths are URI references: reserved characters are percent-encoded.
    expect(hostile.file).toBe('docs/a|b <i>.md');
    expect(byFile('docs/a%7Cb%20%3Ci%3E.md').message.text).toBe(hostile.message);

    expect(byFile('src/legacy.ts').suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'keywarden:allow comment on line 9' },
    ]);
    expect(byFile('src/old.ts').suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'listed in baseline .keywarden-baseline.json' },
    ]);
  });

  it('keeps the 25,000 most severe results and says how many it dropped', () => {
    const findings = manyFindings(MAX_SARIF_RESULTS + 30);
    const suppressed = finding({ severity: 'critical', file: 'z/suppressed.ts' });
    suppressed.suppression = { kind: 'ignore', justification: 'accepted risk' };
    const log = buildSarif(reportOf([suppressed, ...findings]));
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run.properties).toMatchObject({ resultLimit: MAX_SARIF_RESULTS, resultsDropped: 31 });
    // Active findings outrank the suppressed one, and the dropped ones are the least severe.
    expect(run.results!.some((r) => r.suppressions)).toBe(false);
    const keptLowest = Math.min(...run.results!.map((r) => LEVEL_RANK[r.level as 'error' | 'warning' | 'note']));
    const kept = new Set(run.results!.map((r) => r.partialFingerprints!['keywarden/v1']));
    const dropped = findings.filter((f) => !kept.has(f.fingerprint));
    expect(dropped).toHaveLength(30);
    for (const f of dropped) expect(LEVEL_RANK[f.level]).toBeLessThanOrEqual(keptLowest);
  });

  it('turns rule ids into PascalCase names', () => {
    expect(pascalCase('github-pat-classic')).toBe('GithubPatClassic');
    expect(pascalCase('aws_access.key-id')).toBe('AwsAccessKeyId');
    expect(pascalCase('---')).toBe('Rule');
  });
});
