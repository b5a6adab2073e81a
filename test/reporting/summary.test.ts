import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../src/core/finding.js';
import type { RotationRecord } from '../../src/core/result.js';
import { renderSummary } from '../../src/reporting/index.js';
import { SUMMARY_BUDGET_BYTES, SUMMARY_SUPPRESSED_ROWS } from '../../src/reporting/summary.js';
import { manyFindings, reportOf, smallReport } from './fixtures.js';

const MIB = 1024 * 1024;
const SHA = 'a'.repeat(40);

/** Table cells of the row that contains `needle` (splitting on the unescaped pipes only). */
function cellsOf(markdown: string, needle: string): string[] {
  const row = markdown.split('\n').find((line) => line.startsWith('|') && line.includes(needle));
  expect(row, `row with ${needle}`).toBeDefined();
  return row!.split('|').slice(1, -1).map((c) => c.trim());
}

describe('job summary', () => {
  it('gives the verdict, totals, a table by rule and the top findings', () => {
    const { report } = smallReport();
    const md = renderSummary(report, { omittedAnnotations: 0 });
    expect(md).toMatch(/^## ❌ keywarden check: failed \(fail-on: error\)/);
    expect(md).toContain('**3 errors**, 0 warnings, 1 note · 2 suppressed');
    expect(md).toContain('### Findings by rule');
    expect(cellsOf(md, 'Default credential in .env')).toEqual([
      'validate',
      '<code>env-default-credential</code>',
      'Default credential in .env',
      '🔴 error',
      '1',
    ]);
    expect(cellsOf(md, '<code>test-token</code> | Test token')[4]).toBe('2');
    expect(md).not.toContain('not annotated');
  });

  it('lists every suppressed finding with rule, location and why, up to a bound', () => {
    const md = renderSummary(smallReport().report, { omittedAnnotations: 0 });
    expect(md).toContain('### Suppressed findings\n');
    expect(cellsOf(md, 'src/legacy.ts:9')).toEqual(['<code>test-token</code>', 'src/legacy.ts:9', 'inline', 'keywarden:allow comment on line 9']);
    expect(cellsOf(md, 'src/old.ts:1')).toEqual(['<code>test-token</code>', 'src/old.ts:1', 'baseline', 'listed in baseline .keywarden-baseline.json']);
    // Not among the active findings: they do not fail the run.
    expect(md.slice(0, md.indexOf('### Suppressed findings'))).not.toContain('src/legacy.ts');

    const many = manyFindings(SUMMARY_SUPPRESSED_ROWS + 7).map((f) => ({ ...f, suppression: { kind: 'ignore' as const, justification: 'accepted | <b>risk</b>' } }));
    const capped = renderSummary(reportOf(many), { omittedAnnotations: 0 });
    expect(capped).toContain(`### Suppressed findings (${SUMMARY_SUPPRESSED_ROWS} of ${SUMMARY_SUPPRESSED_ROWS + 7})`);
    expect(capped).toContain('7 more suppressed findings not shown');
    expect(capped).not.toContain('<b>');
  });

  it('says where suppressions came from on a pull request, and warns when it was the head', () => {
    const base = renderSummary(smallReport({ configOrigin: { kind: 'base', commit: SHA } }).report, { omittedAnnotations: 0 });
    expect(base).toContain(`from the base commit <code>${SHA.slice(0, 12)}</code>`);
    const head = renderSummary(smallReport({ configOrigin: { kind: 'head' } }).report, { omittedAnnotations: 0 });
    expect(head).toContain("⚠️ **Suppressions came from the pull request's head** (`config-from: head`)");
    const closed = renderSummary(smallReport({ configOrigin: { kind: 'defaults', reason: 'fetch failed' } }).report, { omittedAnnotations: 0 });
    expect(closed).toContain('**The base commit could not be read** (fetch failed)');
    expect(renderSummary(smallReport().report, { omittedAnnotations: 0 })).not.toMatch(/base commit|head\*\*/);
  });

  it('passes when nothing reaches fail-on, and says so when clean', () => {
    const { report } = smallReport({ failOn: 'never' });
    expect(renderSummary(report, { omittedAnnotations: 0 })).toMatch(/^## ✅ keywarden check: passed \(fail-on: never\)/);
    const clean = renderSummary(reportOf([]), { omittedAnnotations: 0 });
    expect(clean).toMatch(/^## ✅ keywarden scan: passed/);
    expect(clean).toContain('No findings.');
  });

  it('links findings to the line at the commit only when repository and commit are known', () => {
    const { report } = smallReport({ repositoryUrl: 'https://github.com/octo/repo', commitSha: SHA });
    const linked = renderSummary(report, { omittedAnnotations: 0 });
    expect(linked).toContain(`[src/app.ts:3](https://github.com/octo/repo/blob/${SHA}/src/app.ts#L3)`);
    expect(linked).toContain(`(https://github.com/octo/repo/blob/${SHA}/docs/a%7Cb%20%3Ci%3E.md#L2)`);

    const plain = renderSummary(smallReport().report, { omittedAnnotations: 0 });
    expect(plain).toContain('| src/app.ts:3 |');
    expect(plain).not.toContain('](');
    // A URL that would break out of the link is not used.
    const odd = renderSummary(smallReport({ repositoryUrl: 'https://x.example/a) [y](z', commitSha: SHA }).report, { omittedAnnotations: 0 });
    expect(odd).not.toContain('](');
  });

  it('escapes Markdown and HTML from messages and paths', () => {
    const { report, hostile } = smallReport();
    const md = renderSummary(report, { omittedAnnotations: 0 });
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<i>');
    expect(md).not.toContain('`a|b`');
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('[x](https://evil.example)');
    const cells = cellsOf(md, 'alert(1)');
    expect(cells).toHaveLength(4);
    expect(cells[1]).toBe('docs/a&#124;b &lt;i&gt;.md:2');
    expect(cells[3]).toBe(
      'key &#96;a&#124;b&#96; &lt;script&gt;alert(1)&lt;/script&gt; &#42;&#42;bold&#42;&#42; &#91;x&#93;(https://evil.example) &#36;x&#36;',
    );
    expect(hostile.message).toContain('<script>');
  });

  it('escapes newlines and control characters so a message cannot add rows', () => {
    const f = makeFinding({
      ruleId: 'x',
      check: 'scan',
      severity: 'high',
      message: 'line one\n| injected | row |\u001b[31m',
      file: 'a.txt',
      startLine: 1,
      fingerprintMaterial: 'x',
    });
    const md = renderSummary(reportOf([f]), { omittedAnnotations: 0 });
    expect(md.split('\n').filter((l) => l.includes('injected'))).toHaveLength(1);
    expect(md).not.toContain('\u001b');
    expect(cellsOf(md, 'injected')).toHaveLength(4);
  });

  it('says how many findings were not annotated', () => {
    const md = renderSummary(reportOf(manyFindings(40)), { omittedAnnotations: 12 });
    expect(md).toContain('12 findings not annotated');
  });

  it('shows at most 50 findings and stays under 1 MiB with 100,000 findings', () => {
    const findings = manyFindings(100_000);
    const md = renderSummary(reportOf(findings), { omittedAnnotations: 99_970 });
    expect(Buffer.byteLength(md)).toBeLessThan(MIB);
    expect(md).toContain('### Top findings (50 of 100000)');
    const findingRows = md.split('\n').filter((l) => /^\| (🔴|🟠|🔵) \w+ \| dir/.test(l));
    expect(findingRows).toHaveLength(50);
    expect(md).toContain('99970 findings not annotated');
  });

  it('caps the rule table so the top findings still show with 100,000 distinct rules', () => {
    const findings = manyFindings(100_000).map((f, i) => ({ ...f, ruleId: `rule-${i}-${'x'.repeat(40)}` }));
    const md = renderSummary(reportOf(findings), { omittedAnnotations: 0 });
    expect(Buffer.byteLength(md)).toBeLessThan(MIB);
    expect(md).toContain('99900 more rules not shown.');
    expect(md).toContain('### Top findings (50 of 100000)');
  });

  it('truncates, and says so, when a section would pass the byte budget', () => {
    // 20,000 rotation records with long details: far more than the budget can hold.
    const rotated: RotationRecord[] = Array.from({ length: 20_000 }, (_, i) => ({
      name: `secret-${i}`,
      mount: 'secret',
      path: `app/${i}`,
      key: 'password',
      oldVersion: i,
      newVersion: i + 1,
      status: 'rotated',
      detail: 'd'.repeat(250),
    }));
    const md = renderSummary(reportOf(manyFindings(10), { rotated }), { omittedAnnotations: 0 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(md).toContain('### Top findings');
    expect(md).toContain('Summary truncated to stay under GitHub’s 1 MiB limit');
  });

  it('shows the rotation table', () => {
    const rotated: RotationRecord[] = [
      { name: 'db', mount: 'secret', path: 'app/db', key: 'password', oldVersion: 3, newVersion: 4, status: 'rotated' },
      { name: 'api|key', mount: 'kv', path: 'svc', key: 'token', oldVersion: 7, newVersion: null, status: 'failed', detail: 'Vault said <no>' },
    ];
    const md = renderSummary(reportOf([], { rotated }), { omittedAnnotations: 0 });
    expect(md).toContain('### Rotation');
    expect(cellsOf(md, 'app/db')).toEqual(['db', 'secret/app/db', 'password', '3 → 4', 'rotated', '']);
    expect(cellsOf(md, 'kv/svc')).toEqual(['api&#124;key', 'kv/svc', 'token', '7 → –', 'failed', 'Vault said &lt;no&gt;']);
  });
});
