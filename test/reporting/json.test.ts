import { describe, expect, it } from 'vitest';
import type { RotationRecord } from '../../src/core/result.js';
import { renderJson, renderReport, renderSarif, renderSummary, type JsonReport } from '../../src/reporting/index.js';
import { reportOf, smallReport } from './fixtures.js';

const FINDING_KEYS = [
  'ruleId',
  'check',
  'severity',
  'level',
  'securitySeverity',
  'confidence',
  'message',
  'file',
  'startLine',
  'startColumn',
  'endLine',
  'endColumn',
  'snippet',
  'fingerprint',
  'commit',
  'suppression',
];

describe('JSON reporter', () => {
  it('has the documented top-level shape', () => {
    const { report } = smallReport();
    const json = JSON.parse(renderJson(report)) as JsonReport;
    expect(Object.keys(json)).toEqual(['version', 'tool', 'command', 'verdict', 'failOn', 'totals', 'coverage', 'findings', 'rotated']);
    expect(json).toMatchObject({
      version: 1,
      tool: { name: 'keywarden', version: '0.1.0' },
      command: 'check',
      verdict: 'fail',
      failOn: 'error',
      totals: { total: 4, error: 3, warning: 0, note: 1, suppressed: 2 },
      rotated: [],
    });
  });

  it('lists every finding, suppressed ones included, with every field and nulls for absent ones', () => {
    const { report, suppressed, history, noColumn } = smallReport();
    const json = JSON.parse(renderJson(report)) as JsonReport;
    expect(json.findings).toHaveLength(report.findings.length);
    for (const f of json.findings) expect(Object.keys(f)).toEqual(FINDING_KEYS);

    const byFingerprint = new Map(json.findings.map((f) => [f.fingerprint, f]));
    expect(byFingerprint.get(suppressed.fingerprint)!.suppression).toEqual({
      kind: 'inline',
      justification: 'keywarden:allow comment on line 9',
    });
    expect(byFingerprint.get(history.fingerprint)!.commit).toBe(history.commit);
    expect(byFingerprint.get(noColumn.fingerprint)).toMatchObject({
      startColumn: null,
      endColumn: null,
      snippet: null,
      commit: null,
      suppression: null,
      securitySeverity: 9.5,
      confidence: 'high',
      level: 'error',
      startLine: 4,
      endLine: 4,
    });
    // Most severe first.
    expect(json.findings[0]!.severity).toBe('critical');
  });

  it('passes under fail-on never and carries rotation records', () => {
    const rotated: RotationRecord[] = [{ name: 'db', mount: 'secret', path: 'app/db', key: 'password', oldVersion: 1, newVersion: 2, status: 'rotated' }];
    const json = JSON.parse(renderJson(reportOf([], { rotated, failOn: 'never' }))) as JsonReport;
    expect(json.verdict).toBe('pass');
    expect(json.rotated).toEqual(rotated);
    expect(json.totals).toEqual({ total: 0, error: 0, warning: 0, note: 0, suppressed: 0 });
  });

  it('is stable: the same report renders byte for byte the same', () => {
    const { report } = smallReport();
    const shuffled = { ...report, findings: [...report.findings].reverse() };
    expect(renderJson(shuffled)).toBe(renderJson(report));
  });

  it('is what renderReport gives for the json and sarif formats', () => {
    const { report } = smallReport();
    expect(renderReport(report, 'json')).toBe(renderJson(report));
    expect(renderReport(report, 'sarif')).toBe(renderSarif(report));
  });
});

describe('coverage: files not scanned, by reason, in every report', () => {
  const coverage = { scannedFiles: 12, scannedChars: 3400, skipped: { 'lock-file': 2, 'binary-content': 1 }, leftOut: { 'weak-value-in-test': 2 } };

  it('JSON counts them by reason, and is null when no scan ran', () => {
    const json = JSON.parse(renderJson(reportOf([], { coverage }))) as JsonReport;
    expect(json.coverage).toEqual({ scannedFiles: 12, skippedFiles: 3, skipped: { 'lock-file': 2, 'binary-content': 1 }, leftOut: { 'weak-value-in-test': 2 } });
    expect((JSON.parse(renderJson(reportOf([]))) as JsonReport).coverage).toBeNull();
  });

  it('the text totals and the job summary say it too', () => {
    const line = '12 files scanned, 3 not scanned (lock file: 2, binary content: 1).';
    expect(renderReport(reportOf([], { coverage }), 'text')).toContain(line);
    expect(renderSummary(reportOf([], { coverage }), { omittedAnnotations: 0 })).toContain(line);
  });
});
