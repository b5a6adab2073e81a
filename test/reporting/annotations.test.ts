import type { AnnotationProperties } from '@actions/core';
import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/core/finding.js';
import { emitAnnotations, planAnnotations, type AnnotationSink } from '../../src/reporting/index.js';
import { finding, manyFindings, reportOf, smallReport } from './fixtures.js';

function recordingSink(): AnnotationSink & { calls: { level: string; message: string; props: AnnotationProperties }[] } {
  const calls: { level: string; message: string; props: AnnotationProperties }[] = [];
  return {
    calls,
    error: (message, props) => calls.push({ level: 'error', message, props }),
    warning: (message, props) => calls.push({ level: 'warning', message, props }),
    notice: (message, props) => calls.push({ level: 'notice', message, props }),
  };
}

describe('GitHub annotations', () => {
  it('annotates at most 10 per level, most severe first, and counts the rest', () => {
    const findings = manyFindings(45);
    const suppressed = finding({ severity: 'critical' });
    suppressed.suppression = { kind: 'inline', justification: 'allowed' };
    const { annotations, omitted } = planAnnotations(reportOf([suppressed, ...findings]));

    const count = (level: string) => annotations.filter((a) => a.level === level).length;
    expect(count('error')).toBe(10);
    expect(count('warning')).toBe(9); // 45 findings cycle 5 severities: 9 medium
    expect(count('notice')).toBe(10);
    expect(omitted).toBe(45 - 29);

    // The 10 errors are the 10 most severe findings: all the critical ones before any high one.
    const expected = findings.filter((f) => f.level === 'error').sort(compareFindings).slice(0, 10);
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => `${a.properties.file}:${a.properties.startLine}`)).toEqual(
      expected.map((f) => `${f.file}:${f.startLine}`),
    );
    expect(expected.slice(0, 9).every((f) => f.severity === 'critical')).toBe(true);
    // Suppressed findings are never annotated.
    expect(annotations.some((a) => a.properties.file === suppressed.file)).toBe(false);
  });

  it('sends annotations through the sink with file, lines, columns and a title', () => {
    const { report, history, noColumn } = smallReport();
    const sink = recordingSink();
    expect(emitAnnotations(report, sink)).toBe(0);
    expect(sink.calls).toHaveLength(4); // 6 findings, 2 suppressed

    const token = sink.calls.find((c) => c.props.file === 'src/app.ts')!;
    expect(token.level).toBe('error');
    expect(token.props).toMatchObject({ title: 'keywarden: Test token', startLine: 3, endLine: 3, startColumn: 7 });
    expect(token.message).toContain('A test token is committed');
    expect(token.message).toMatch(/Snippet: kwte…/);

    const hist = sink.calls.find((c) => c.props.file === history.file)!;
    expect(hist.message).toContain(`commit ${history.commit!.slice(0, 12)}`);

    const env = sink.calls.find((c) => c.props.file === noColumn.file)!;
    expect(env.props.title).toBe('keywarden: Default credential in .env');
    expect(env.props.startColumn).toBeUndefined();

    const generated = sink.calls.find((c) => c.level === 'notice')!;
    expect(generated.props.title).toBe('keywarden: Undeclared rule');
  });

  it('drops columns on multi-line findings, as GitHub requires', () => {
    const multi = finding({ startLine: 4, endLine: 9, startColumn: 3, endColumn: 8 });
    const { annotations } = planAnnotations(reportOf([multi]));
    expect(annotations[0]!.properties).toEqual({ title: 'keywarden: Test token', file: 'src/app.ts', startLine: 4, endLine: 9 });
  });

  it('annotates nothing for a clean report', () => {
    const sink = recordingSink();
    expect(emitAnnotations(reportOf([]), sink)).toBe(0);
    expect(sink.calls).toEqual([]);
  });
});
