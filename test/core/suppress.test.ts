import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigSource, IgnoreEntry } from '../../src/config/types.js';
import { UserError } from '../../src/core/errors.js';
import { makeFinding, type Finding } from '../../src/core/finding.js';
import { redactValue } from '../../src/core/redact.js';
import { applySuppressions, buildBaseline, readBaseline } from '../../src/core/suppress.js';
import { tempDir } from '../support/git-repo.js';

const source: ConfigSource = { file: '.keywarden.yml', locate: (p) => ({ line: 10 + Number(p[2] ?? 0), column: 5 }) };
const now = new Date('2026-11-22T12:00:00Z');

function finding(overrides: Partial<Parameters<typeof makeFinding>[0]> = {}): Finding {
  return makeFinding({
    ruleId: 'default-credential-env-assignment',
    check: 'scan',
    severity: 'high',
    message: 'DB_PASSWORD is a well-known default',
    file: 'deploy/.env',
    startLine: 3,
    fingerprintMaterial: 'value-a',
    ...overrides,
  });
}

const entry = (e: Partial<IgnoreEntry>, index = 0): IgnoreEntry => ({ reason: 'accepted', index, ...e });

describe('finding helpers', () => {
  it('derives level and security-severity from severity', () => {
    expect(finding({ severity: 'critical' })).toMatchObject({ level: 'error', securitySeverity: 9.5 });
    expect(finding({ severity: 'high' })).toMatchObject({ level: 'error', securitySeverity: 8 });
    expect(finding({ severity: 'medium' })).toMatchObject({ level: 'warning', securitySeverity: 5 });
    expect(finding({ severity: 'low' })).toMatchObject({ level: 'note' });
  });

  it('fingerprints by rule, file and value hash, not by line, and never stores the value', () => {
    const a = finding({ startLine: 3 });
    const b = finding({ startLine: 40 });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(finding({ fingerprintMaterial: 'value-b' }).fingerprint).not.toBe(a.fingerprint);
    expect(finding({ file: 'other/.env' }).fingerprint).not.toBe(a.fingerprint);
    expect(JSON.stringify(a)).not.toContain('value-a');
  });

  it('redacts: 4 characters at most, nothing below 12', () => {
    const value = ['abcd', 'efgh', 'ijkl', 'mnop'].join('');
    expect(redactValue(value)).toBe('abcd…');
    expect(redactValue('short-value')).toBe('…');
  });
});

describe('applySuppressions', () => {
  const root = tempDir();

  it('applies ignore entries by rule glob, paths and fingerprint', () => {
    const f = finding();
    const [byRule] = applySuppressions([f], { root, now, source, ignore: [entry({ rule: 'default-credential-*' })] });
    expect(byRule!.suppression).toEqual({ kind: 'ignore', justification: 'accepted' });
    const [byPath] = applySuppressions([f], { root, now, source, ignore: [entry({ paths: ['deploy/**'] })] });
    expect(byPath!.suppression?.kind).toBe('ignore');
    const [otherPath] = applySuppressions([f], { root, now, source, ignore: [entry({ rule: 'default-credential-*', paths: ['src/**'] })] });
    expect(otherPath!.suppression).toBeUndefined();
    const [byPrint] = applySuppressions([f], { root, now, source, ignore: [entry({ fingerprint: f.fingerprint })] });
    expect(byPrint!.suppression?.kind).toBe('ignore');
  });

  it('reports an expired entry as an error at its config line and stops applying it', () => {
    const out = applySuppressions([finding()], {
      root,
      now,
      source,
      ignore: [entry({ rule: 'x' }, 0), entry({ rule: 'default-credential-*', expires: '2026-11-21' }, 1)],
    });
    expect(out[0]!.suppression).toBeUndefined();
    const expired = out.find((f) => f.ruleId === 'config-ignore-expired')!;
    expect(expired).toMatchObject({ level: 'error', file: '.keywarden.yml', startLine: 11 });
    expect(expired.message).toContain('expired on 2026-11-21');
  });

  it('keeps an entry that expires today', () => {
    const out = applySuppressions([finding()], { root, now, source, ignore: [entry({ rule: '*', expires: '2026-11-22' })] });
    expect(out).toHaveLength(1);
    expect(out[0]!.suppression?.kind).toBe('ignore');
  });

  it('applies a baseline written by buildBaseline', () => {
    const dir = tempDir();
    const known = finding();
    const baseline = buildBaseline([known], now, false);
    expect(JSON.stringify(baseline)).not.toContain('value-a');
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify(baseline));
    const set = readBaseline(dir, 'b.json');
    const fresh = finding({ fingerprintMaterial: 'value-new' });
    const out = applySuppressions([known, fresh], { root, now, source, ignore: [], baseline: set, baselineFile: 'b.json' });
    expect(out[0]!.suppression?.kind).toBe('baseline');
    expect(out[1]!.suppression).toBeUndefined();
  });

  it('refuses a missing or malformed baseline with a clear error', () => {
    const dir = tempDir();
    expect(() => readBaseline(dir, 'none.json')).toThrow(UserError);
    writeFileSync(path.join(dir, 'bad.json'), '{"version": 1, "findings": 3}');
    expect(() => readBaseline(dir, 'bad.json')).toThrow(/fingerprints/);
  });

  it('honours keywarden:allow on its line and allow-next-line above for non-scan findings', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'deploy'));
    writeFileSync(path.join(dir, 'deploy/.env'), 'A=1\n# keywarden:allow-next-line reviewed\nB=2\nC=3 # keywarden:allow\n# keywarden:allow old habit\nD=4\n');
    const v = (line: number) => finding({ check: 'validate', ruleId: 'env-x', startLine: line });
    const out = applySuppressions([v(3), v(4), v(1), v(6)], { root: dir, now, source, ignore: [] });
    expect(out.map((f) => [f.ruleId, f.startLine, f.suppression?.justification])).toEqual([
      ['env-x', 3, 'keywarden:allow-next-line at deploy/.env:2: reviewed'],
      ['env-x', 4, 'keywarden:allow at deploy/.env:4 (no reason given)'],
      ['env-x', 1, undefined],
      ['env-x', 6, undefined],
      ['inline-allow-without-reason', 4, undefined],
      ['inline-allow-line-above', 5, undefined],
    ]);
  });
});
