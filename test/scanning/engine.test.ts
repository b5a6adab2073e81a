import { describe, expect, it } from 'vitest';
import { scanText, shannonEntropy, LONG_LINE } from '../../src/scanning/engine.js';
import type { SecretRule } from '../../src/scanning/rule.js';
import { findingsFor } from '../../src/scanning/findings.js';
import { ALNUM, DEFAULT_RULE, PG_DEFAULT, GENERIC_RULE, NPMRC_RULE, PEM_RULE, TEST_RULES, TOKEN_RULE, demoToken, pemBlock, randomChars } from './helpers.js';

describe('scanText', () => {
  it('finds a token with 1-based line and columns of the secret', () => {
    const token = demoToken();
    const text = `const a = 1;\nconst client = new Client("${token}");\n`;
    const [match, ...rest] = scanText(text, 'src/client.ts', TEST_RULES);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ secret: token, line: 2, column: 28, endLine: 2, endColumn: 28 + token.length });
    expect(match!.rule.id).toBe('demo-token');
  });

  it('runs a rule only where one of its keywords occurs, whatever the case', () => {
    const counting: SecretRule = { ...TOKEN_RULE, id: 'counting', keywords: ['dmo_'], confirm: () => (calls++, true) };
    let calls = 0;
    const filler = 'let x = 1;\n'.repeat(500);
    scanText(filler, 'a.ts', [counting]);
    expect(calls).toBe(0);
    scanText(`${filler}const t = "${demoToken()}";\n${filler}`, 'a.ts', [counting]);
    expect(calls).toBe(1);
    const upper: SecretRule = { ...GENERIC_RULE, id: 'upper' };
    expect(scanText(`DB_PASSWORD=${randomChars(ALNUM, 20)}`, '.env.prod', [upper])).toHaveLength(1);
  });

  it('triggers rules of a keyword that is a prefix of a longer one at the same spot', () => {
    const short: SecretRule = { ...GENERIC_RULE, id: 'short', keywords: ['secret'] };
    const long: SecretRule = { ...TOKEN_RULE, id: 'long', keywords: ['secret_access'], pattern: /secret_access=(?<secret>[A-Za-z0-9]{30})/ };
    const value = randomChars(ALNUM, 30);
    const ids = scanText(`secret_access=${value}`, 'x.env', [short, long]).map((m) => m.rule.id).sort();
    expect(ids).toEqual(['long', 'short']);
  });

  it('checks entropy only for rules that ask for it', () => {
    const low = 'dmo_' + 'ab'.repeat(16);
    const noEntropy: SecretRule = { ...TOKEN_RULE, id: 'no-entropy', minEntropy: undefined };
    expect(scanText(`t=${low}`, 'a.txt', [TOKEN_RULE])).toEqual([]);
    // Without a threshold only the global repeated-characters filter could drop it, and two letters repeated are caught there.
    expect(scanText(`t=${'dmo_' + 'abcd'.repeat(8)}`, 'a.txt', [noEntropy])).toHaveLength(1);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('applies allow lists and confirm functions', () => {
    const token = demoToken();
    const allowRule: SecretRule = { ...TOKEN_RULE, allow: [new RegExp(token.slice(-6) + '$')] };
    expect(scanText(token, 'a.txt', [allowRule])).toEqual([]);
    const body = randomChars(ALNUM, 24);
    expect(scanText(`_authToken=${body}`, '.npmrc', [NPMRC_RULE])).toHaveLength(1);
    expect(scanText(`_authToken=${body} # old`, '.npmrc', [NPMRC_RULE])).toEqual([]);
  });

  it('applies path-scoped rules only to matching files, in any folder', () => {
    const line = `_authToken=${randomChars(ALNUM, 24)}`;
    expect(scanText(line, 'packages/web/.npmrc', [NPMRC_RULE])).toHaveLength(1);
    expect(scanText(line, 'notes.txt', [NPMRC_RULE])).toEqual([]);
  });

  it('reports a multi-line private key block once, spanning its lines', () => {
    const text = `intro\n${pemBlock(6)}\nafter\n${pemBlock(3)}\n`;
    const matches = scanText(text, 'deploy/key.txt', [PEM_RULE]);
    expect(matches).toHaveLength(2);
    expect(matches[0]).toMatchObject({ line: 3, endLine: 8 });
    expect(matches[1]).toMatchObject({ line: 12, endLine: 14 });
  });

  it('never lets a single-line rule reach into the next line', () => {
    const text = `DB_PASSWORD=\nOTHER_SETTING_VALUE=${randomChars(ALNUM, 20)}\n`;
    expect(scanText(text, 'app.env', [GENERIC_RULE])).toEqual([]);
  });

  it('scans lines longer than 20,000 characters in bounded windows and keeps correct columns', () => {
    const tokens = [demoToken(), demoToken(), demoToken()];
    const filler = (n: number) => 'a '.repeat(n);
    const line = `${filler(15_000)}"${tokens[0]}" ${filler(30_000)}"${tokens[1]}"${filler(20_000)}"${tokens[2]}"`;
    expect(line.length).toBeGreaterThan(LONG_LINE * 4);
    const matches = scanText(`first\n${line}\n`, 'data.json', [TOKEN_RULE]);
    expect(matches.map((m) => m.secret)).toEqual(tokens);
    for (const m of matches) {
      expect(m.line).toBe(2);
      expect(line.slice(m.column - 1, m.endColumn - 1)).toBe(m.secret);
      expect(m.lineText.length).toBeLessThanOrEqual(LONG_LINE);
    }
  });

  it('handles a long line with a keyword hit in nearly every window without repeating matches', () => {
    const token = demoToken();
    const line = Array.from({ length: 3_000 }, (_, i) => (i === 1_500 ? `"${token}"` : `"dmo_short${i}"`)).join(',');
    expect(line.length).toBeGreaterThan(LONG_LINE);
    const matches = scanText(line, 'bundle.json', [TOKEN_RULE]);
    expect(matches.map((m) => m.secret)).toEqual([token]);
  });

  it('stays linear on a multi-megabyte line full of keyword hits and matches', () => {
    const tokens = Array.from({ length: 200 }, () => demoToken());
    const parts: string[] = [];
    for (let i = 0; i < 200_000; i++) parts.push(i % 1_000 === 0 ? `"${tokens[i / 1_000]}"` : '"dmo_x"');
    const line = parts.join(',');
    expect(line.length).toBeGreaterThan(1_500_000);
    const matches = scanText(`${line}\n${line}`, 'dump.json', [TOKEN_RULE]);
    expect(matches.map((m) => m.secret)).toEqual([...tokens, ...tokens]);
    expect(matches.at(-1)!.line).toBe(2);
  });

  it('numbers lines from a line map when the text is a selection of a file', () => {
    const token = demoToken();
    const matches = scanText(`x = 1\n// keywarden:allow-next-line fixture\nt = "${token}"`, 'a.js', [TOKEN_RULE], { lineNumbers: [3, 10, 11] });
    expect(matches[0]).toMatchObject({ line: 11, allow: { kind: 'next-line', line: 10, reason: 'fixture' } });
    const gap = scanText(`// keywarden:allow-next-line fixture\nt = "${token}"`, 'a.js', [TOKEN_RULE], { lineNumbers: [3, 11] });
    expect(gap[0]).toMatchObject({ line: 11 });
    expect(gap[0]!.allow).toBeUndefined();
  });

  it('keywarden:allow covers exactly its own line; allow-next-line the next line only', () => {
    const t = () => demoToken();
    const text = [
      `a = "${t()}" // keywarden:allow test fixture`,
      `b = "${t()}"`,
      '# keywarden:allow',
      `c = "${t()}"`,
      '# keywarden:allow-next-line generated sample',
      `d = "${t()}"`,
      `e = "${t()}"`,
      `f = "${t()}" # keywarden:allow-next-line`,
    ].join('\n');
    const matches = scanText(text, 'a.py', [TOKEN_RULE]);
    expect(matches.map((m) => [m.line, m.allow?.kind, m.allow?.line, m.staleAllowAbove])).toEqual([
      [1, 'line', 1, undefined],
      // The comment on line 1 covers line 1 (its own finding): no note, and line 2 is reported.
      [2, undefined, undefined, undefined],
      [4, undefined, undefined, 3],
      [6, 'next-line', 5, undefined],
      [7, undefined, undefined, undefined],
      [8, undefined, undefined, undefined],
    ]);
  });

  it('reads the reason after the marker in every comment syntax, and no look-alike marker', () => {
    const t = demoToken();
    const reasons = [
      [`x = "${t}" # keywarden:allow: revoked fixture`, 'revoked fixture'],
      [`x = "${t}"; /* keywarden:allow — docs sample */`, 'docs sample'],
      [`<k v="${t}"/> <!-- keywarden:allow test key -->`, 'test key'],
      [`x: "${t}" {{/* keywarden:allow  */}}`, ''],
      [`x = "${t}" -- keywarden:allow`, ''],
    ];
    for (const [line, reason] of reasons) expect(scanText(line!, 'a.txt', [TOKEN_RULE])[0]!.allow).toEqual({ kind: 'line', line: 1, reason });
    for (const line of [`x = "${t}" # keywarden:allowed`, `x = "${t}" # keywarden:allow-this`, `x = "${t}" # keywarden:allow-next-lines`]) {
      expect(scanText(line, 'a.txt', [TOKEN_RULE])[0]!.allow).toBeUndefined();
    }
  });

  it('survives invalid UTF-8 and non-ASCII text whose lower-case form is longer', () => {
    const token = demoToken();
    const text = Buffer.concat([Buffer.from('İİİ \xff\xfe '), Buffer.from([0xc3, 0x28, 0xe2, 0x82]), Buffer.from(` key "${token}"`)]).toString('utf8');
    const [match] = scanText(text, 'a.txt', [TOKEN_RULE]);
    expect(match?.secret).toBe(token);
    expect(text.slice(match!.column - 1, match!.endColumn - 1)).toBe(token);
  });

  it('handles CRLF line endings', () => {
    const token = demoToken();
    const [match] = scanText(`a=1\r\nb="${token}"\r\n`, 'a.ini', [TOKEN_RULE]);
    expect(match).toMatchObject({ line: 2, column: 4, lineText: `b="${token}"` });
  });

  it('works with an empty rule set and empty text', () => {
    expect(scanText('anything', 'a', [])).toEqual([]);
    expect(scanText('', 'a', TEST_RULES)).toEqual([]);
  });
});

describe('findings from matches', () => {
  it('redacts every found secret on the line and names the variable, never the value', () => {
    const token = demoToken();
    const password = randomChars(ALNUM, 24);
    const text = `API_TOKEN="${token}" DB_PASSWORD="${password}"`;
    const findings = findingsFor('app.env', scanText(text, 'app.env', TEST_RULES));
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['demo-generic-password', 'demo-token']);
    for (const f of findings) {
      expect(JSON.stringify(f)).not.toContain(token);
      expect(JSON.stringify(f)).not.toContain(password);
      expect(JSON.stringify(f)).not.toContain(token.slice(4, 12));
    }
    const tokenFinding = findings.find((f) => f.ruleId === 'demo-token')!;
    expect(tokenFinding.snippet).toBe(`API_TOKEN="${token.slice(0, 4)}…" DB_PASSWORD="${password.slice(0, 4)}…"`);
    expect(tokenFinding.message).toBe('Demo token assigned to API_TOKEN');
    expect(findings.find((f) => f.ruleId === 'demo-generic-password')!.message).toBe('Generic password assigned to DB_PASSWORD');
  });

  it('keeps the specific finding when a generic rule matches the same value', () => {
    const token = demoToken();
    const findings = findingsFor('a.env', scanText(`SECRET_TOKEN=${token}`, 'a.env', TEST_RULES));
    expect(findings.map((f) => f.ruleId)).toEqual(['demo-token']);
  });

  it('names a default credential since it is public knowledge', () => {
    const [finding] = findingsFor('docker-compose.yml', scanText(`      POSTGRES_PASSWORD: ${PG_DEFAULT}\n`, 'docker-compose.yml', [DEFAULT_RULE]));
    expect(finding!.message).toBe("POSTGRES_PASSWORD is set to the well-known default 'postgres' (Default database password)");
    expect(finding!.snippet).toBe('POSTGRES_PASSWORD: …');
  });

  it('names only values on the public list of stock passwords', () => {
    const local: SecretRule = { ...DEFAULT_RULE, pattern: /(?<key>[A-Z_]*PASSWORD)=(?<secret>\S+)/ };
    const [unlisted] = findingsFor('.env', scanText('DB_PASSWORD=team-dev-pass7', '.env', [local]));
    expect(unlisted!.message).toBe('DB_PASSWORD is set to a default credential (Default database password)');
  });

  it('marks inline-allowed findings as suppressed with the comment\'s line and reason, and keeps them', () => {
    const [finding, ...rest] = findingsFor('a.ts', scanText(`// keywarden:allow-next-line test fixture, revoked\nconst t = "${demoToken()}";`, 'a.ts', [TOKEN_RULE]));
    expect(rest).toEqual([]);
    expect(finding!.suppression).toEqual({ kind: 'inline', justification: 'keywarden:allow-next-line at a.ts:1: test fixture, revoked' });
  });

  it('reports a bare marker and a comment that no longer covers the line below as notes', () => {
    const t = demoToken();
    const text = [`a = "${demoToken()}" # keywarden:allow`, '# keywarden:allow old habit', `b = "${t}"`].join('\n');
    const findings = findingsFor('a.py', scanText(text, 'a.py', [TOKEN_RULE]));
    expect(findings.map((f) => [f.ruleId, f.startLine, f.level, f.suppression?.justification])).toEqual([
      ['demo-token', 1, 'error', 'keywarden:allow at a.py:1 (no reason given)'],
      ['demo-token', 3, 'error', undefined],
      ['inline-allow-without-reason', 1, 'note', undefined],
      ['inline-allow-line-above', 2, 'note', undefined],
    ]);
    expect(findings[3]!.message).toContain('keywarden:allow-next-line');
  });

  it('never prints a found value that sits in the reason text', () => {
    const t = demoToken();
    const [finding] = findingsFor('a.ts', scanText(`t = "${t}" // keywarden:allow was ${t}`, 'a.ts', [TOKEN_RULE]));
    expect(finding!.suppression!.justification).toBe(`keywarden:allow at a.ts:1: was ${t.slice(0, 4)}…`);
  });

  it('cuts long snippets to 200 characters around the secret', () => {
    const token = demoToken();
    const [finding] = findingsFor('a.js', scanText(`${'x = 1; '.repeat(100)}t = "${token}"; ${'y = 2; '.repeat(100)}`, 'a.js', [TOKEN_RULE]));
    expect(finding!.snippet!.length).toBeLessThanOrEqual(200);
    expect(finding!.snippet).toContain(`t = "${token.slice(0, 4)}…"`);
  });

  it('gives the same fingerprint to the same secret on another line, and a different one to another secret', () => {
    const token = demoToken();
    const a = findingsFor('a.ts', scanText(`t = "${token}"`, 'a.ts', [TOKEN_RULE]))[0]!;
    const b = findingsFor('a.ts', scanText(`\n\n  t = "${token}"`, 'a.ts', [TOKEN_RULE]))[0]!;
    const c = findingsFor('a.ts', scanText(`t = "${demoToken()}"`, 'a.ts', [TOKEN_RULE]))[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });
});
