import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { fingerprintOf } from '../../src/core/finding.js';
import { FINGERPRINT_KEY_ENV, guessBits } from '../../src/core/fingerprint.js';
import { renderJson } from '../../src/reporting/index.js';
import { GitRepo } from '../support/git-repo.js';
import { ALNUM, randomChars, scanContext } from '../scanning/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SEASONS = ['Spring', 'Summer', 'Autumn', 'Winter'];
const WORDS = ['Dragon', 'Monkey', 'Falcon', 'Sunset', 'Harbor', 'Copper', 'Meadow', 'Rocket'];
const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function jsonFingerprints(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ ruleId: string; file: string; fingerprint: string }[]> {
  const r = new GitRepo('kw-fp-');
  dirs.push(r.dir);
  r.commit('add', files);
  const { ctx } = scanContext(r.dir);
  ctx.env = env;
  const result = await runCommand('scan', ctx, { scan: { mode: 'tree' }, live: false, rotate: { selection: { kind: 'due' }, dryRun: true } });
  const report = JSON.parse(renderJson({ tool: { name: 'keywarden', version: '0', informationUri: 'x' }, command: 'scan', findings: result.findings, rules: result.rules, failOn: 'error' }));
  return report.findings;
}

describe('fingerprints cannot be brute-forced', () => {
  it('a Season+Year+"!"+Word password is not recovered from the JSON report by hashing guesses', async () => {
    const password = `${SEASONS[1]}2024!${WORDS[0]}`;
    const guesses = SEASONS.flatMap((season) => Array.from({ length: 16 }, (_, i) => 2015 + i).flatMap((year) => WORDS.map((word) => `${season}${year}!${word}`)));
    expect(guesses).toContain(password);
    for (const env of [{}, { [FINGERPRINT_KEY_ENV]: randomChars(ALNUM, 32) }]) {
      const findings = (await jsonFingerprints({ 'config/settings.py': `DB_PASSWORD = "${password}"\n` }, env)).filter((f) => f.file === 'config/settings.py');
      expect(findings.length, JSON.stringify(env)).toBeGreaterThan(0);
      for (const f of findings) {
        // Every way a reader could hash a guess: today's formula, and the bare hashes.
        const hit = guesses.find((g) => fingerprintOf(f.ruleId, f.file, g) === f.fingerprint || sha(g).startsWith(f.fingerprint) || fingerprintOf(f.ruleId, f.file, { valuePart: sha(g) }) === f.fingerprint);
        expect(hit, `recovered with ${Object.keys(env).length ? 'a key' : 'no key'}`).toBeUndefined();
      }
    }
  });

  it('keyed: an HMAC of the value, stable across line moves, different under another key', async () => {
    const line = `TOKEN = "${randomChars(ALNUM, 40)}"\n`;
    const key = randomChars(ALNUM, 32);
    const a = await jsonFingerprints({ 'app.py': line }, { [FINGERPRINT_KEY_ENV]: key });
    const b = await jsonFingerprints({ 'app.py': `\n\n# moved\n${line}` }, { [FINGERPRINT_KEY_ENV]: key });
    const c = await jsonFingerprints({ 'app.py': line }, { [FINGERPRINT_KEY_ENV]: randomChars(ALNUM, 32) });
    expect(a.length).toBeGreaterThan(0);
    expect(b.map((f) => f.fingerprint)).toEqual(a.map((f) => f.fingerprint));
    expect(c.map((f) => f.fingerprint)).not.toEqual(a.map((f) => f.fingerprint));
  });

  it('unkeyed: a strong value keeps the fingerprint it had, so existing baselines still match', async () => {
    const value = randomChars(ALNUM, 40);
    const [f] = await jsonFingerprints({ 'app.py': `API_SECRET = "${value}"\n` });
    expect(f).toBeDefined();
    expect(f!.fingerprint).toBe(fingerprintOf(f!.ruleId, f!.file, value));
  });

  it('estimates guessing work as a cracker would', () => {
    expect(guessBits('Summer2024!Dragon')).toBeLessThan(72);
    expect(guessBits('correcthorsebatterystaple')).toBeLessThan(72);
    expect(guessBits(randomChars(ALNUM, 24))).toBeGreaterThan(72);
  });
});
