import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigSource } from '../../src/config/types.js';
import { runCommand } from '../../src/commands/run.js';
import { UserError } from '../../src/core/errors.js';
import { makeFinding } from '../../src/core/finding.js';
import { FINGERPRINT_KEY_ENV } from '../../src/core/fingerprint.js';
import { applySuppressions, buildBaseline, parseBaseline } from '../../src/core/suppress.js';
import { renderJson } from '../../src/reporting/index.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { ALNUM, PG_DEFAULT, randomChars, scanContext } from '../scanning/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** The v1 recipe, written out here independently of the code under test. */
const v1Fingerprint = (ruleId: string, file: string, value: string): string => sha(`${ruleId}\u0000${file}\u0000${sha(value)}`).slice(0, 32);

const STRONG = randomChars(ALNUM, 40);
const FILES = {
  'app.py': `API_SECRET = "${STRONG}"\n`,
  'deploy/.env': `DB_PASSWORD=${PG_DEFAULT}\n`,
};

async function scan(env: NodeJS.ProcessEnv, baseline?: string) {
  const r = new GitRepo('kw-bl-');
  dirs.push(r.dir);
  r.commit('add', FILES);
  if (baseline !== undefined) writeFileSync(path.join(r.dir, 'baseline.json'), baseline);
  const { ctx, logs } = scanContext(r.dir);
  ctx.env = env;
  const result = await runCommand('scan', ctx, {
    scan: { mode: 'tree' },
    live: false,
    rotate: { selection: { kind: 'due' }, dryRun: true },
    ...(baseline !== undefined ? { baseline: path.join(r.dir, 'baseline.json') } : {}),
  });
  const json = renderJson({ tool: { name: 'keywarden', version: '0', informationUri: 'x' }, command: 'scan', findings: result.findings, rules: result.rules, failOn: 'error' });
  const secrets = result.findings.filter((f) => f.file in FILES);
  return { findings: secrets, logs, json };
}

describe('baseline migration', () => {
  it('a version 1 baseline of the old recipe still suppresses strong and guessable values, with or without a key', async () => {
    const { findings: fresh } = await scan({});
    // The two values, and the finding that deploy/.env is committed at all (its v1 material is the file name).
    expect(fresh.map((f) => f.file).sort()).toEqual(['app.py', 'deploy/.env', 'deploy/.env']);
    expect(fresh.filter((f) => f.ruleId === 'committed-env-file' || f.ruleId.startsWith('default-credential'))).toHaveLength(2);
    const valueOf = (ruleId: string, file: string): string => (ruleId === 'committed-env-file' ? `file:${file}` : file === 'app.py' ? STRONG : PG_DEFAULT);
    const v1 = { version: 1, generated: '2026-01-01T00:00:00.000Z', findings: fresh.map((f) => ({ fingerprint: v1Fingerprint(f.ruleId, f.file, valueOf(f.ruleId, f.file)), ruleId: f.ruleId, file: f.file })) };
    // The guessable value's fingerprint changed recipe: only the legacy form can match it.
    const guessable = (e: { ruleId: string }) => e.ruleId.startsWith('default-credential');
    expect(fresh.find(guessable)!.fingerprint).not.toBe(v1.findings.find(guessable)!.fingerprint);
    for (const env of [{}, { [FINGERPRINT_KEY_ENV]: randomChars(ALNUM, 32) }]) {
      const { findings, json, logs } = await scan(env, JSON.stringify(v1));
      expect(findings.length).toBe(fresh.length);
      expect(findings.every((f) => f.suppression?.kind === 'baseline')).toBe(true);
      // The legacy form is for matching only: never in a report.
      expect(json).not.toContain(v1.findings.find(guessable)!.fingerprint);
      expect(json).not.toContain('matchParts');
      expect(logs.join('\n')).not.toContain('KEYWARDEN_FINGERPRINT_KEY');
    }
  });

  it('keywarden baseline writes version 2 with keyed, and reading it back suppresses everything it lists', async () => {
    const env = { [FINGERPRINT_KEY_ENV]: randomChars(ALNUM, 32) };
    const { findings } = await scan(env);
    const written = buildBaseline(findings, new Date('2026-01-02T00:00:00Z'), true);
    expect(written).toMatchObject({ version: 2, keyed: true });
    expect(written.findings.map((e) => Object.keys(e).sort())).toEqual(written.findings.map(() => ['file', 'fingerprint', 'ruleId']));
    const text = JSON.stringify(written);
    expect(text).not.toContain(STRONG);
    expect(parseBaseline(text, 'b.json')).toEqual({ version: 2, keyed: true, fingerprints: new Set(findings.map((f) => f.fingerprint)) });
    const again = await scan(env, text);
    expect(again.findings.length).toBe(findings.length);
    expect(again.findings.every((f) => f.suppression?.kind === 'baseline')).toBe(true);
    expect(again.logs.join('\n')).not.toContain('was written');
  });

  it('a run whose key setting differs from the baseline warns instead of reporting everything again silently', async () => {
    const { findings } = await scan({});
    const unkeyed = JSON.stringify(buildBaseline(findings, new Date('2026-01-02T00:00:00Z'), false));
    const { logs, findings: rerun } = await scan({ [FINGERPRINT_KEY_ENV]: randomChars(ALNUM, 32) }, unkeyed);
    expect(rerun.some((f) => !f.suppression)).toBe(true);
    expect(logs).toContainEqual(expect.stringMatching(/^baseline baseline\.json was written without KEYWARDEN_FINGERPRINT_KEY and this run has one: .*keywarden baseline/));
    const keyed = JSON.stringify({ ...JSON.parse(unkeyed), keyed: true });
    expect((await scan({}, keyed)).logs).toContainEqual(expect.stringMatching(/written with KEYWARDEN_FINGERPRINT_KEY and this run has none/));
  });

  it('refuses an unknown version or a version 2 without keyed with one line naming the file', () => {
    for (const [text, pattern] of [
      ['{"version": 3, "findings": []}', /unknown version 3/],
      ['{"findings": []}', /unknown version none/],
      ['{"version": 2, "findings": []}', /no "keyed"/],
    ] as const) {
      let error: unknown;
      try {
        parseBaseline(text, 'ci/baseline.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      const line = (error as UserError).describe();
      expect(line).toMatch(pattern);
      expect(line.startsWith('ci/baseline.json: ')).toBe(true);
      expect(line).not.toContain('\n');
    }
  });
});

describe('rule-id renames', () => {
  const source: ConfigSource = { file: '.keywarden.yml', locate: () => ({ line: 1, column: 1 }) };
  const now = new Date('2026-01-01T00:00:00Z');
  const [oldId, newId] = ['sample-old-rule', 'sample-new-rule'];
  const renames = { [oldId]: newId };
  const material = { valuePart: sha(randomChars(ALNUM, 40)) };
  const current = makeFinding({ ruleId: newId, check: 'scan', severity: 'high', message: 'm', file: 'app.py', startLine: 1, fingerprintMaterial: material });
  const before = makeFinding({ ruleId: oldId, check: 'scan', severity: 'high', message: 'm', file: 'app.py', startLine: 1, fingerprintMaterial: material });
  const apply = (inputs: Partial<Parameters<typeof applySuppressions>[1]>, table = renames) =>
    applySuppressions([current], { root: tempDir(), now, source, ignore: [], renames: table, ...inputs })[0]!.suppression?.kind;

  it('baseline entries written under an old id match the renamed rule', () => {
    const baseline = parseBaseline(JSON.stringify(buildBaseline([before], now, false)), 'b.json');
    expect(before.fingerprint).not.toBe(current.fingerprint);
    expect(apply({ baseline })).toBe('baseline');
    expect(apply({ baseline }, {})).toBeUndefined();
  });

  it('scan.ignore rules and fingerprints naming an old id match the renamed rule', () => {
    expect(apply({ ignore: [{ reason: 'r', index: 0, rule: oldId }] })).toBe('ignore');
    expect(apply({ ignore: [{ reason: 'r', index: 0, rule: 'sample-old-*' }] })).toBe('ignore');
    expect(apply({ ignore: [{ reason: 'r', index: 0, rule: oldId }] }, {})).toBeUndefined();
    expect(apply({ ignore: [{ reason: 'r', index: 0, fingerprint: before.fingerprint }] })).toBe('ignore');
    expect(apply({ ignore: [{ reason: 'r', index: 0, fingerprint: before.fingerprint }] }, {})).toBeUndefined();
  });
});
