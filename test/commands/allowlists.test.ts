import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runCommand, type CommandOptions } from '../../src/commands/run.js';
import type { Logger } from '../../src/core/context.js';
import { UserError } from '../../src/core/errors.js';
import { checksummedToken } from '../../src/scanning/rules/support.js';
import { GitRepo } from '../support/git-repo.js';

/** A classic GitHub token with a random body and a valid CRC32 checksum, assembled at run time. */
const githubToken = (): string => checksummedToken(['gh', 'p_'].join(''));

const options: CommandOptions = { scan: { mode: 'tree' }, live: false, rotate: { selection: { kind: 'due' }, dryRun: false } };
const log: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };

async function check(repo: GitRepo, config: string, files: Record<string, string>) {
  repo.commit('case', { '.keywarden.yml': config, ...files });
  const ctx = await createContext({ path: repo.dir, env: {}, log, isAction: false, mask: () => undefined });
  const result = await runCommand('check', ctx, options);
  return result.findings.filter((f) => f.ruleId !== 'config-change-after-merge');
}

describe('scan.disable', () => {
  const repo = new GitRepo('kw-disable-');
  afterAll(() => repo.remove());

  it('drops every finding of the named rules, of any check, and keeps the others', async () => {
    const files = {
      'src/a.js': `export const t = "${githubToken()}";\n`,
      'deploy/.env': `GH_TOKEN=${githubToken()}\n`,
      'docker-compose.yml': `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${['post', 'gres'].join('')}\n`,
    };
    const all = await check(repo, 'scan:\n  exclude: []\n', files);
    expect(all.map((f) => f.ruleId)).toContain('github-pat-classic');
    const disabled = await check(repo, 'scan:\n  disable:\n    - github-pat-classic\n    - committed-env-file\n', files);
    const ids = disabled.map((f) => f.ruleId);
    expect(ids).not.toContain('github-pat-classic');
    expect(ids).not.toContain('committed-env-file');
    expect(ids.some((id) => id.startsWith('default-credential'))).toBe(true);
  });

  it('refuses an id no rule has, naming its line', async () => {
    repo.commit('typo', { '.keywarden.yml': 'scan:\n  disable:\n    - github-pat-classic\n    - github-pat-clasic\n' });
    const made = createContext({ path: repo.dir, env: {}, log, isAction: false, mask: () => undefined });
    await expect(made).rejects.toThrow(UserError);
    await expect(made).rejects.toMatchObject({ message: expect.stringContaining('scan.disable[1]: no rule has the id "github-pat-clasic"'), line: 4 });
  });
});

describe('scan.ignore allowlists (value, stopwords)', () => {
  const repo = new GitRepo('kw-allowlist-');
  afterAll(() => repo.remove());

  it('a value regex accepts only the secrets it matches, with the entry\'s reason', async () => {
    const [kept, accepted] = [githubToken(), githubToken()];
    const config = ['scan:', '  ignore:', '    - rule: github-pat-classic', `      value: "^${accepted.slice(0, 14)}"`, '      reason: revoked test token', ''].join('\n');
    const findings = await check(repo, config, { 'src/a.js': `const a = "${kept}";\nconst b = "${accepted}";\n` });
    const tokens = findings.filter((f) => f.ruleId === 'github-pat-classic');
    expect(tokens.map((f) => [f.startLine, f.suppression])).toEqual([
      [1, undefined],
      [2, { kind: 'ignore', justification: 'revoked test token' }],
    ]);
  });

  it('stopwords accept a secret that contains one of them, whatever the case', async () => {
    const [kept, accepted] = [githubToken(), githubToken()];
    const word = accepted.slice(8, 14);
    const config = ['scan:', '  ignore:', '    - stopwords: ["zzzqqq", ' + JSON.stringify(word.toUpperCase()) + ']', '      reason: known sample', ''].join('\n');
    const findings = await check(repo, config, { 'src/a.js': `const a = "${kept}";\nconst b = "${accepted}";\n` });
    const suppressed = findings.filter((f) => f.ruleId === 'github-pat-classic' && f.suppression).map((f) => f.startLine);
    expect(suppressed).toEqual(kept.toLowerCase().includes(word.toLowerCase()) ? [1, 2] : [2]);
  });

  it('an entry with a value never matches on its rule or paths alone, and an expired one accepts nothing', async () => {
    const token = githubToken();
    const config = [
      'scan:',
      '  ignore:',
      '    - rule: "*"',
      '      paths: ["src/**"]',
      '      value: "^no-such-prefix"',
      '      reason: only that value',
      '    - value: "."',
      '      reason: old decision',
      '      expires: 2000-01-01',
      '',
    ].join('\n');
    const findings = await check(repo, config, { 'src/a.js': `const a = "${token}";\n` });
    expect(findings.find((f) => f.ruleId === 'github-pat-classic')!.suppression).toBeUndefined();
    expect(findings.some((f) => f.ruleId === 'config-ignore-expired')).toBe(true);
  });

  it('refuses a value that is not a regular expression, naming its line and never echoing it', async () => {
    repo.commit('bad', { '.keywarden.yml': 'scan:\n  ignore:\n    - value: "([a-z"\n      reason: broken pattern\n' });
    const made = createContext({ path: repo.dir, env: {}, log, isAction: false, mask: () => undefined });
    await expect(made).rejects.toMatchObject({ message: 'scan.ignore[0].value: not a valid JavaScript regular expression', line: 3 });
  });
});
