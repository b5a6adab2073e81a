import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { makeFinding, type Finding, type Severity } from '../../src/core/finding.js';
import type { Report } from '../../src/core/report.js';
import { buildJson, renderJson, renderSarif } from '../../src/reporting/index.js';
import { RUNS, anyChars } from '../support/arbitraries.js';

const schema = JSON.parse(readFileSync(new URL('../sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const segment = fc.oneof(fc.string({ unit: fc.constantFrom(...'ab Z9._-%#?&[]()!*\'"\\|<>'), minLength: 1, maxLength: 8 }), anyChars(6).filter((s) => s.length > 0 && !s.includes('/')));

/** Findings with arbitrary names, messages and positions, as any check could emit them. */
const findingArb: fc.Arbitrary<Finding> = fc
  .record({
    ruleId: fc.string({ unit: fc.constantFrom(...'abz09-'), minLength: 1, maxLength: 16 }),
    check: fc.constantFrom('scan', 'validate', 'rotation') as fc.Arbitrary<Finding['check']>,
    severity: fc.constantFrom(...SEVERITIES),
    message: anyChars(60),
    file: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
    startLine: fc.integer({ min: 1, max: 100_000 }),
    lines: fc.integer({ min: 0, max: 5 }),
    startColumn: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    width: fc.integer({ min: 1, max: 80 }),
    snippet: fc.option(anyChars(40), { nil: undefined }),
    material: fc.string(),
    commit: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: undefined }),
    suppressed: fc.option(fc.tuple(fc.constantFrom('inline', 'ignore', 'baseline') as fc.Arbitrary<'inline' | 'ignore' | 'baseline'>, anyChars(30)), { nil: undefined }),
  })
  .map((r) => {
    const f = makeFinding({
      ruleId: r.ruleId,
      check: r.check,
      severity: r.severity,
      message: r.message,
      file: r.file,
      startLine: r.startLine,
      endLine: r.startLine + r.lines,
      startColumn: r.startColumn,
      endColumn: r.startColumn === undefined ? undefined : r.startColumn + r.width,
      snippet: r.snippet,
      fingerprintMaterial: r.material,
      commit: r.commit,
    });
    if (r.suppressed) f.suppression = { kind: r.suppressed[0], justification: r.suppressed[1] };
    return f;
  });

const reportArb: fc.Arbitrary<Report> = fc.record({
  command: fc.constantFrom('scan', 'check', 'validate'),
  findings: fc.array(findingArb, { maxLength: 12 }),
  failOn: fc.constantFrom('error', 'warning', 'note', 'never') as fc.Arbitrary<Report['failOn']>,
}).map((r) => ({ tool: { name: 'keywarden', version: '0.1.0', informationUri: 'https://github.com/keywarden/keywarden' }, rules: [], ...r }));

/** The fields a consumer keys on; the same finding in and out. */
const identity = (f: { ruleId: string; fingerprint: string; startLine: number; level: string }): string => `${f.ruleId} ${f.fingerprint} ${f.startLine} ${f.level}`;

describe('report round trips', () => {
  it('JSON: the rendered text parses back to the report it was built from, every finding kept', () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const parsed = JSON.parse(renderJson(report)) as ReturnType<typeof buildJson>;
        expect(parsed).toEqual(JSON.parse(JSON.stringify(buildJson(report))));
        expect(parsed.findings.map(identity).sort()).toEqual(report.findings.map(identity).sort());
        expect(parsed.findings.map((f) => f.file).sort()).toEqual(report.findings.map((f) => f.file).sort());
        expect(parsed.totals.total + parsed.totals.suppressed).toBe(report.findings.length);
      }),
      { numRuns: RUNS.pipeline },
    );
  });

  it('SARIF: valid against the 2.1.0 schema, and each result names its finding, file, region and suppression', () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const log = JSON.parse(renderSarif(report)) as Sarif.Log;
        expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
        const results = log.runs[0]!.results ?? [];
        const back = results.map((r) => {
          const location = r.locations![0]!.physicalLocation!;
          return {
            key: `${r.ruleId} ${r.partialFingerprints!['keywarden/v1']} ${location.region!.startLine} ${r.level}`,
            file: decodeURIComponent(location.artifactLocation!.uri!),
            suppressed: (r.suppressions ?? []).length > 0,
          };
        });
        const given = report.findings.map((f) => ({ key: identity(f), file: f.file, suppressed: f.suppression !== undefined }));
        const order = (a: { key: string; file: string }, b: { key: string; file: string }): number => (a.key + a.file < b.key + b.file ? -1 : 1);
        expect(back.sort(order)).toEqual(given.sort(order));
      }),
      { numRuns: RUNS.pipeline },
    );
  });
});
