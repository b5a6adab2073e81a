import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { makeFinding } from '../../src/core/finding.js';
import { splitLines, withLfLineEnds } from '../../src/core/lines.js';
import { applySuppressions } from '../../src/core/suppress.js';
import { runScan } from '../../src/scanning/index.js';
import { parseEnv } from '../../src/validation/env/parse.js';
import { decodeEnvBytes } from '../../src/validation/env/text.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { decodePolicyBytes } from '../../src/validation/vault-policy/parse.js';
import { tempDir } from '../support/git-repo.js';
import { demoToken, scanContext, TEST_RULES } from '../scanning/helpers.js';

/**
 * Every check counts lines as editors do, whatever the line ends: the same lines joined by `\n`,
 * `\r\n` or a lone `\r` (classic Mac OS) give the same line and column for every finding.
 */
const ENDINGS = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;
const each = (lines: string[]) => Object.entries(ENDINGS).map(([name, end]) => [name, lines.join(end) + end] as const);

describe('line ends: \\n, \\r\\n and a lone \\r', () => {
  it('splitLines and withLfLineEnds count all three, keeping offsets', () => {
    expect(splitLines('a\rb\r\nc\nd')).toEqual(['a', 'b', 'c', 'd']);
    const text = 'a\rb\r\nc\r';
    expect(withLfLineEnds(text)).toBe('a\nb\r\nc\n');
    expect(withLfLineEnds(text)).toHaveLength(text.length);
  });

  it('the scanner (tree mode) puts each finding on its own line and column', async () => {
    const lines = ['# config', 'first = 1', `  token = "${demoToken()}"`, '', `other: ${demoToken()}`];
    const seen: Record<string, string[]> = {};
    for (const [name, text] of each(lines)) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'app.conf'), text);
      const { ctx } = scanContext(dir);
      const { findings } = await runScan(ctx, { mode: 'tree' }, TEST_RULES);
      seen[name] = findings.map((f) => `${f.ruleId} ${f.startLine}:${f.startColumn}-${f.endLine}:${f.endColumn}`).sort();
    }
    expect(seen.lf).toEqual(['demo-token 3:12-3:48', 'demo-token 5:8-5:44']);
    expect(seen.crlf).toEqual(seen.lf);
    expect(seen.cr).toEqual(seen.lf);
  });

  it('.env parsing reports each problem on its line', () => {
    const lines = ['A=1', 'JUST_A_WORD', 'B = 2', 'A=3', '  C=x # note'];
    const seen = Object.fromEntries(each(lines).map(([name, text]) => [name, parseEnv(text).problems.map((p) => `${p.line}:${p.column} ${p.ruleId}`)]));
    expect(seen.lf).toContain('2:1 env-syntax-no-equals');
    expect(seen.lf).toContain('3:1 env-space-around-equals');
    expect(seen.crlf).toEqual(seen.lf);
    expect(seen.cr).toEqual(seen.lf);
    expect(parseEnv(each(lines)[2]![1]).variables.map((v) => v.key)).toEqual(parseEnv(each(lines)[0]![1]).variables.map((v) => v.key));
  });

  it('.env and policy decoding name the line of a bad byte', () => {
    for (const [, text] of each(['A=1', 'B=2', 'C=\u0000'])) {
      expect(decodeEnvBytes(Buffer.from(text))).toMatchObject({ problem: { line: 3 } });
      expect(decodePolicyBytes(Buffer.from(text))).toMatchObject({ problem: { line: 3 } });
    }
  });

  it('Vault policies: findings and syntax errors on their lines', () => {
    const lint = (text: string) => lintPolicyText(text, 'policies/app.hcl', normalizeConfig({}).vault).map((f) => `${f.ruleId} ${f.startLine}:${f.startColumn}`).sort();
    const policy = ['# app', '', 'path "secret/data/x" {', '  capabilities = ["read", "write", "*"]', '}', 'path "sys/*" {', '  capabilities = ["sudo"]', '}'];
    const seen = Object.fromEntries(each(policy).map(([name, text]) => [name, lint(text)]));
    expect(seen.lf.length).toBeGreaterThan(0);
    expect(seen.lf.some((where) => / [3-8]:/.test(where))).toBe(true);
    expect(seen.crlf).toEqual(seen.lf);
    expect(seen.cr).toEqual(seen.lf);
    const broken = Object.fromEntries(each(['path "a" {', '  capabilities = ["read"]', '  oops = ', '}']).map(([name, text]) => [name, lint(text)]));
    expect(broken.lf[0]).toMatch(/^vault-policy-syntax [3-5]:/);
    expect(broken.cr).toEqual(broken.lf);
  });

  it('suppressions find inline allow comments on the finding line and the line above', () => {
    const lines = ['A=1', '# keywarden:allow-next-line reviewed', 'B=2', 'C=3 # keywarden:allow', 'D=4'];
    for (const [name, text] of each(lines)) {
      const dir = tempDir();
      writeFileSync(path.join(dir, '.env'), text);
      const finding = (line: number) =>
        makeFinding({ ruleId: 'env-x', check: 'validate', severity: 'high', message: 'm', file: '.env', startLine: line, fingerprintMaterial: `v${line}` });
      const out = applySuppressions([finding(1), finding(3), finding(4), finding(5)], {
        root: dir,
        now: new Date('2026-11-22T12:00:00Z'),
        source: { file: '.keywarden.yml', locate: () => ({ line: 1, column: 1 }) },
        ignore: [],
      });
      const suppressed = out.filter((f) => f.ruleId === 'env-x').map((f) => [f.startLine, f.suppression?.justification]);
      expect(suppressed, name).toEqual([
        [1, undefined],
        [3, 'keywarden:allow-next-line at .env:2: reviewed'],
        [4, 'keywarden:allow at .env:4 (no reason given)'],
        [5, undefined],
      ]);
    }
  });
});
