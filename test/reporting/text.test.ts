import { describe, expect, it } from 'vitest';
import type { RotationRecord } from '../../src/core/result.js';
import { renderReport, renderText } from '../../src/reporting/index.js';
import { finding, reportOf, smallReport } from './fixtures.js';

const ESC = '\u001b';

describe('text reporter', () => {
  it('groups findings by file, files sorted and lines in order, with totals', () => {
    const { report } = smallReport();
    const text = renderText(report, { color: false });
    const lines = text.split('\n');
    const files = lines.filter((l) => l !== '' && !l.startsWith(' '));
    expect(files).toEqual(['config/old.env', 'deploy/.env', 'docs/a|b <i>.md', 'src/app.ts', '3 errors, 0 warnings, 1 note (2 suppressed)']);
    expect(lines).toContain('  4  error  ADMIN_PASSWORD is a well-known default  env-default-credential');
    // The redacted snippet goes under the message.
    expect(text).toContain('src/app.ts\n  3:7  error  A test token is committed  test-token\n              snippet: kwte…\n');
    // Suppressed findings are counted, not listed.
    expect(text).not.toContain('src/legacy.ts');
    expect(text).not.toContain('src/old.ts');
    expect(text.endsWith('3 errors, 0 warnings, 1 note (2 suppressed)\n')).toBe(true);
  });

  it('orders by line within a file and aligns the columns', () => {
    const findings = [
      finding({ startLine: 120, startColumn: 4, severity: 'medium', message: 'later' }),
      finding({ startLine: 5, startColumn: 12, message: 'earlier' }),
    ];
    const lines = renderText(reportOf(findings), { color: false }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'src/app.ts',
      '    5:12  error    earlier  test-token',
      '  120:4   warning  later  test-token',
    ]);
  });

  it('groups by confidence, high first, with a heading when more than one confidence is listed', () => {
    const findings = [
      finding({ file: 'a.env', startLine: 1, confidence: 'low', severity: 'medium', message: 'weak' }),
      finding({ file: 'b.ts', startLine: 2, confidence: 'high', message: 'verified' }),
      finding({ file: 'c.yml', startLine: 3, confidence: 'medium', message: 'random' }),
    ];
    const lines = renderText(reportOf(findings), { color: false }).split('\n').filter((l) => l !== '' && !l.startsWith(' '));
    expect(lines.slice(0, 6)).toEqual([
      expect.stringMatching(/^High confidence/),
      'b.ts',
      expect.stringMatching(/^Medium confidence/),
      'c.yml',
      expect.stringMatching(/^Low confidence/),
      'a.env',
    ]);
  });

  it('shows the commit of history findings', () => {
    const { report, history } = smallReport();
    const text = renderText(report, { color: false });
    expect(text).toContain(`commit: ${history.commit!.slice(0, 12)}`);
  });

  it('uses ANSI colour only when asked', () => {
    const { report } = smallReport();
    expect(renderText(report, { color: false })).not.toContain(ESC);
    const coloured = renderText(report, { color: true });
    expect(coloured).toContain(`${ESC}[31merror${ESC}[39m`);
    expect(coloured).toContain(`${ESC}[1msrc/app.ts${ESC}[22m`);
  });

  it('never lets a message drive the terminal', () => {
    const hostile = finding({ message: `fake ${ESC}[2J${ESC}]0;title\u0007 done\nsecond line`, file: `a${ESC}[31m.txt` });
    const text = renderText(reportOf([hostile]), { color: false });
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u0007');
    expect(text).toContain('fake \\x1b[2J\\x1b]0;title\\x07 done second line');
    expect(text.split('\n')[0]).toBe('a\\x1b[31m.txt');
  });

  it('says "No findings." when clean, with the suppressed count when any', () => {
    expect(renderText(reportOf([]), { color: false })).toBe('No findings.\n');
    const suppressed = finding();
    suppressed.suppression = { kind: 'ignore', justification: 'test fixture' };
    expect(renderText(reportOf([suppressed]), { color: false })).toBe('No findings (1 suppressed).\n');
  });

  it('prints rotation records as a table', () => {
    const rotated: RotationRecord[] = [
      { name: 'db', mount: 'secret', path: 'app/db', key: 'password', oldVersion: 3, newVersion: 4, status: 'rotated' },
      { name: 'api', mount: 'kv', path: 'svc', key: 'token', oldVersion: null, newVersion: null, status: 'would-rotate', detail: 'dry run' },
    ];
    const text = renderText(reportOf([], { rotated }), { color: false });
    expect(text).toBe(
      [
        'Rotation',
        '  SECRET  PATH                    VERSION  STATUS        DETAIL',
        '  db      secret/app/db#password  3 -> 4   rotated',
        '  api     kv/svc#token            - -> -   would-rotate  dry run',
        '',
        'No findings.',
        '',
      ].join('\n'),
    );
  });

  it('is what renderReport gives for the text format', () => {
    const { report } = smallReport();
    expect(renderReport(report, 'text', { color: false })).toBe(renderText(report, { color: false }));
    expect(renderReport(report, 'text')).not.toContain(ESC);
  });
});
