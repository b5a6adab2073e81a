import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksummedToken } from '../../src/scanning/rules/support.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runActionOnEvent, runCli } from '../support/run-built.js';

/** A classic GitHub token with a random body and a valid CRC32 checksum, assembled at run time. */
const fakeGithubToken = (): string => checksummedToken(['gh', 'p_'].join(''));

/** Everything a pull request's own config could use to switch the scan off for itself. */
const PERMISSIVE_CONFIG = [
  'scan:',
  '  exclude: ["**"]',
  '  max-file-size: 1',
  '  baseline: .keywarden-baseline.json',
  '  ignore:',
  '    - rule: "*"',
  '      reason: not needed',
  '',
].join('\n');

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The attack of issue 9, break 2: a pull request adds a token and, in the same change, a
 * .keywarden.yml (and a baseline) that would hide it.
 */
describe('the built action on a pull request that tries to switch the scan off', () => {
  const repo = new GitRepo('kw-pr-trust-');
  let base: string;
  let head: string;
  let payload: object;

  beforeAll(() => {
    base = repo.commit('base', { '.keywarden.yml': 'scan:\n  exclude: ["docs/**"]\n', 'src/app.js': 'export const port = 8080;\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/app.js': `export const port = 8080;\nexport const token = "${fakeGithubToken()}";\n`, '.keywarden.yml': PERMISSIVE_CONFIG });
    // The pull request's baseline lists the token it adds (written by keywarden itself).
    const wrote = runCli(['baseline', '.', '-o', '.keywarden-baseline.json'], { cwd: repo.dir });
    expect(wrote.code, wrote.stderr).toBe(0);
    head = repo.commit('add a token and a config that hides it');
    payload = { pull_request: { number: 9, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } } };
  });
  afterAll(() => repo.remove());

  it('fails: config, ignores and baseline come from the base commit, and the changed files get notes', () => {
    const { ran, summary } = runActionOnEvent(repo.dir, 'pull_request', payload, {}, tempDir('kw-runner-'));
    expect(ran.code, ran.stdout).toBe(1);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=src\/app\.js,line=2/);
    expect(ran.stdout).toMatch(/::notice title=[^,]*,file=\.keywarden\.yml,line=1,[^:]*::.*take effect after merge/);
    expect(ran.stdout).toMatch(/::notice title=[^,]*,file=\.keywarden-baseline\.json,line=1,/);
    expect(summary).toContain(`from the base commit <code>${base.slice(0, 12)}</code>`);
    expect(summary).not.toContain('suppressed');
  });

  it('with the explicit input config-from: head, applies the head\'s config and says so in the summary', () => {
    const { ran, summary } = runActionOnEvent(repo.dir, 'pull_request', payload, { 'config-from': 'head' }, tempDir('kw-runner-'));
    expect(ran.code, ran.stdout).toBe(0);
    expect(ran.stdout).toMatch(/::warning::config-from: head/);
    expect(summary).toContain("⚠️ **Suppressions came from the pull request's head**");
  });

  it('in a depth-1 clone fetches the base commit through git and still fails', () => {
    const clone = tempDir('kw-pr-shallow-');
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, '.');
    expect(() => git(clone, 'cat-file', '-e', `${base}^{commit}`)).toThrow();
    const { ran, summary } = runActionOnEvent(clone, 'pull_request', payload, { 'scan-mode': 'tree' }, tempDir('kw-runner-'));
    expect(ran.code, ran.stdout).toBe(1);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=src\/app\.js,line=2/);
    expect(summary).toContain(`from the base commit <code>${base.slice(0, 12)}</code>`);
    expect(git(clone, 'cat-file', '-t', base)).toBe('commit');
  });

  it('fails closed when the base commit cannot be fetched: defaults and a warning, never the head\'s files', () => {
    const clone = tempDir('kw-pr-closed-');
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, '.');
    git(clone, 'remote', 'set-url', 'origin', `file://${path.join(clone, 'gone')}`);
    const { ran, summary } = runActionOnEvent(clone, 'pull_request', payload, { 'scan-mode': 'tree' }, tempDir('kw-runner-'));
    expect(ran.code, ran.stdout).toBe(1);
    expect(ran.stdout).toMatch(/::warning::the pull request's base commit cannot be read \(commit [0-9a-f]{12} is not in the clone and fetching it failed\)/);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=src\/app\.js,line=2/);
    expect(summary).toContain('**The base commit could not be read**');
  });
});
