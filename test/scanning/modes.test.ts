import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { EventInfo } from '../../src/core/context.js';
import { planScan, runScan, type ScanOptions } from '../../src/scanning/index.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { TEST_RULES, demoToken, pemBlock } from './helpers.js';
import { scanContext } from './helpers.js';

const cleanup: string[] = [];
function repo(): GitRepo {
  const r = new GitRepo('kw-modes-');
  cleanup.push(r.dir);
  return r;
}
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function scan(root: string, options: ScanOptions, event?: EventInfo) {
  const { ctx, logs } = scanContext(root, { event });
  const result = await runScan(ctx, options, TEST_RULES);
  return { ...result, logs, where: result.findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}${f.commit ? ` @${f.commit.slice(0, 7)}` : ''}`).sort() };
}

const ZERO = '0'.repeat(40);

describe('diff mode', () => {
  it('reports only lines added on the head side since the merge base', async () => {
    const r = repo();
    const old = demoToken();
    r.commit('base', { 'a.ts': `const old = "${old}";\nconst x = 1;\n`, 'gone.ts': `t = "${demoToken()}"\n` });
    r.git('checkout', '-q', '-b', 'feature');
    const added = demoToken();
    r.commit('feature', { 'a.ts': `const old = "${old}";\nconst x = 1;\nconst added = "${added}";\n` });
    r.git('rm', '-q', 'gone.ts');
    r.commit('remove a file');
    // A later commit on main must not count: the diff starts at the merge base.
    r.git('checkout', '-q', 'main');
    r.commit('main moves on', { 'main.ts': `t = "${demoToken()}"\n` });
    const { where, findings, logs } = await scan(r.dir, { mode: 'diff', base: 'main', head: 'feature' });
    expect(where).toEqual(['demo-token a.ts:3']);
    expect(findings[0]!.commit).toBeUndefined();
    expect(logs[0]).toMatch(/^scan: main\.\.\.feature \(/);
  });

  it('reads the head commit, not the working tree, and honours allow comments the change adds', async () => {
    const r = repo();
    r.commit('base', { 'a.ts': 'const x = 1;\n' });
    r.git('checkout', '-q', '-b', 'feature');
    const head = r.commit('feature', {
      'a.ts': `// keywarden:allow-next-line documented test token\nconst t = "${demoToken()}";\nconst v = "${demoToken()}"; // keywarden:allow revoked\n`,
      'b.ts': `const u = "${demoToken()}";\n`,
    });
    r.write({ 'b.ts': 'cleaned up in the work tree only\n' });
    const { findings } = await scan(r.dir, { mode: 'diff', base: 'main', head });
    expect(findings.map((f) => [f.file, f.startLine, f.suppression?.justification])).toEqual([
      ['a.ts', 2, 'keywarden:allow-next-line at a.ts:1: documented test token'],
      ['a.ts', 3, 'keywarden:allow at a.ts:3: revoked'],
      ['b.ts', 1, undefined],
    ]);
  });

  it('fails a change that adds a token under an existing allow comment', async () => {
    const r = repo();
    r.commit('base', { 'a.ts': `const fixture = "${demoToken()}"; // keywarden:allow test fixture\n// keywarden:allow-next-line sample\nconst x = 1;\n` });
    r.git('checkout', '-q', '-b', 'feature');
    const lines = r.git('show', 'main:a.ts').split('\n');
    const head = r.commit('feature', { 'a.ts': [lines[0], `const prod = "${demoToken()}";`, lines[1], `const y = "${demoToken()}";`, ''].join('\n') });
    const { findings } = await scan(r.dir, { mode: 'diff', base: 'main', head });
    expect(findings.filter((f) => f.ruleId === 'demo-token').map((f) => [f.startLine, f.suppression])).toEqual([
      [2, undefined],
      [4, undefined],
    ]);
  });

  it('reports a key block when any of its lines is added, and skips binary diffs', async () => {
    const r = repo();
    r.commit('base', { 'README.txt': 'hello\n' });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('key', { 'deploy/key.txt': `${pemBlock(4)}\n`, 'img.bin': Buffer.from([0, 1, 2, 3]) });
    expect((await scan(r.dir, { mode: 'diff', base: 'main', head: 'feature' })).where).toEqual(['demo-private-key deploy/key.txt:2']);
  });

  it('reports secret files added or changed in the range, not untouched ones', async () => {
    const r = repo();
    r.commit('base', { '.env': 'A=1\n', 'config/.env.production': 'B=1\n' });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('change', { '.env': 'A=2\n', 'certs/id_rsa': 'x\n' });
    const { where, findings } = await scan(r.dir, { mode: 'diff', base: 'main', head: 'feature' });
    expect(where).toEqual(['committed-env-file .env:1', 'committed-private-key-file certs/id_rsa:1']);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'Committed .env file: .env is changed by this change',
      'Committed private key file: certs/id_rsa is added by this change',
    ]);
  });

  it('does not report a secret that a rename merely moves', async () => {
    const r = repo();
    const body = Array.from({ length: 20 }, (_, i) => `const line${i} = ${i};`).join('\n');
    r.commit('base', { 'old/name.ts': `${body}\nconst t = "${demoToken()}";\n` });
    r.git('checkout', '-q', '-b', 'feature');
    r.git('mv', 'old/name.ts', 'new-name.ts');
    r.commit('rename');
    expect((await scan(r.dir, { mode: 'diff', base: 'main', head: 'feature' })).findings).toEqual([]);
  });

  it('explains unknown refs and refuses a folder that is not a repository', async () => {
    const r = repo();
    r.commit('base');
    await expect(scan(r.dir, { mode: 'diff', base: 'nope' })).rejects.toThrow(/base nope is not a commit in this repository/);
    await expect(scan(tempDir(), { mode: 'diff', base: 'main' })).rejects.toThrow(UserError);
  });
});

describe('staged mode', () => {
  it('reports lines added in the index, also before the first commit', async () => {
    const r = repo();
    r.write({ 'a.ts': `t = "${demoToken()}"\n`, 'unstaged.ts': `t = "${demoToken()}"\n` });
    r.git('add', 'a.ts');
    expect((await scan(r.dir, { mode: 'staged' })).where).toEqual(['demo-token a.ts:1']);
    r.git('commit', '-q', '-m', 'first');
    const staged = demoToken();
    r.write({ 'a.ts': `t = "${demoToken()}"\n// more\nu = "${staged}"\n` });
    r.git('add', 'a.ts');
    r.write({ 'a.ts': 'work tree differs from the index\n' });
    expect((await scan(r.dir, { mode: 'staged' })).where).toEqual(['demo-token a.ts:1', 'demo-token a.ts:3']);
  });
});

describe('history mode', () => {
  it('finds secrets in every commit, once per secret with its first commit, even after removal', async () => {
    const r = repo();
    const token = demoToken();
    const first = r.commit('add', { 'a.ts': `t = "${token}"\n` });
    r.commit('touch', { 'a.ts': `// moved\nt = "${token}"\n`, 'b.ts': 'x = 1\n' });
    r.commit('remove', { 'a.ts': 'clean\n' });
    r.git('checkout', '-q', '-b', 'side');
    const side = r.commit('side', { 'c.ts': `\n\nu = "${demoToken()}"\n` });
    r.git('checkout', '-q', 'main');
    const { findings, logs } = await scan(r.dir, { mode: 'history' });
    expect(findings.map((f) => [f.file, f.startLine, f.commit])).toEqual([
      ['a.ts', 1, first],
      ['c.ts', 3, side],
    ]);
    expect(logs[0]).toMatch(/all commits of all refs \(4 commits\)/);
  });

  it('counts an allow comment only when the same commit adds it on the line it covers', async () => {
    const r = repo();
    r.commit('fixture', { 'a.ts': `// keywarden:allow-next-line sample\nconst x = 1;\nconst f = "${demoToken()}"; // keywarden:allow fixture\n` });
    r.commit('token under the comments', {
      'a.ts': `// keywarden:allow-next-line sample\nconst p = "${demoToken()}";\nconst f = "${'x'}"; // keywarden:allow fixture\nconst q = "${demoToken()}";\n`,
    });
    const { findings } = await scan(r.dir, { mode: 'history' });
    expect(findings.filter((f) => f.ruleId === 'demo-token').map((f) => [f.startLine, f.suppression?.kind])).toEqual([
      [3, 'inline'],
      [2, undefined],
      [4, undefined],
    ]);
  });

  it('reports a committed secret file with the commit that added it', async () => {
    const r = repo();
    r.commit('init', { 'README.txt': 'x\n' });
    const added = r.commit('oops', { '.env.production': 'LOG=1\n' });
    r.git('rm', '-q', '.env.production');
    r.commit('fix');
    const { findings } = await scan(r.dir, { mode: 'history' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'committed-env-file', file: '.env.production', commit: added });
    expect(findings[0]!.message).toBe(`Committed .env file: .env.production is added in commit ${added.slice(0, 12)}`);
  });

  it('streams long lines of multi-byte characters across pipe chunks intact', async () => {
    const r = repo();
    const token = demoToken();
    const line = `${'ü€'.repeat(70_000)} t="${token}"`;
    r.commit('init', { 'data.txt': `first\n${line}\n` });
    const [finding] = (await scan(r.dir, { mode: 'history' })).findings;
    expect(finding).toMatchObject({ file: 'data.txt', startLine: 2, startColumn: line.indexOf(token) + 1 });
  });

  it('handles paths with spaces and non-ASCII characters', async () => {
    const r = repo();
    r.commit('init', { 'dir with space/ünï "q".ts': `t = "${demoToken()}"\n` });
    expect((await scan(r.dir, { mode: 'history' })).findings.map((f) => f.file)).toEqual(['dir with space/ünï "q".ts']);
  });
});

describe('a subfolder of a repository', () => {
  it('scans only the subfolder and reports paths relative to it, in every mode', async () => {
    const r = repo();
    r.commit('base', { 'README.txt': 'x\n' });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('both', { 'app/src/a.ts': `t = "${demoToken()}"\n`, 'other/b.ts': `t = "${demoToken()}"\n` });
    const app = path.join(r.dir, 'app');
    for (const options of [{ mode: 'tree' }, { mode: 'diff', base: 'main', head: 'feature' }, { mode: 'history' }] as ScanOptions[]) {
      expect((await scan(app, options)).findings.map((f) => f.file), options.mode).toEqual(['src/a.ts']);
    }
  });
});

describe('auto mode', () => {
  function pullRequest(base: string, head: string): EventInfo {
    return { name: 'pull_request', payload: { pull_request: { base: { sha: base }, head: { sha: head } } } };
  }

  it('scans a pull request as base...head from the event', async () => {
    const r = repo();
    const base = r.commit('base', { 'a.ts': `t = "${demoToken()}"\n` });
    r.git('checkout', '-q', '-b', 'pr');
    const head = r.commit('pr', { 'b.ts': `t = "${demoToken()}"\n` });
    expect((await scan(r.dir, { mode: 'auto' }, pullRequest(base, head))).where).toEqual(['demo-token b.ts:1']);
  });

  it('scans a push as the commits between before and after', async () => {
    const r = repo();
    const before = r.commit('base', { 'a.ts': `t = "${demoToken()}"\n` });
    const c1 = r.commit('c1', { 'b.ts': `t = "${demoToken()}"\n` });
    r.commit('c2', { 'b.ts': 'removed again\n' });
    const after = r.git('rev-parse', 'HEAD');
    const { findings } = await scan(r.dir, { mode: 'auto' }, { name: 'push', payload: { ref: 'refs/heads/main', before, after } });
    expect(findings.map((f) => [f.file, f.commit])).toEqual([['b.ts', c1]]);
  });

  it('scans a new branch (all-zero before) as the commits no other branch has', async () => {
    const upstream = repo();
    upstream.commit('one', { 'old.ts': `t = "${demoToken()}"\n` });
    upstream.git('checkout', '-q', '-b', 'other');
    upstream.commit('other', { 'other.ts': `t = "${demoToken()}"\n` });
    upstream.git('checkout', '-q', 'main');
    const clone = tempDir('kw-clone-');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', upstream.dir, clone]);
    const local = Object.assign(Object.create(GitRepo.prototype) as GitRepo, { dir: clone });
    local.git('checkout', '-q', '-b', 'feature/new');
    const mine = local.commit('mine', { 'new.ts': `t = "${demoToken()}"\n` });
    // actions/checkout with fetch-depth 0 has the pushed branch as a remote-tracking ref too.
    local.git('update-ref', 'refs/remotes/origin/feature/new', mine);
    const event = { name: 'push', payload: { ref: 'refs/heads/feature/new', before: ZERO, after: mine } };
    const { findings, logs } = await scan(clone, { mode: 'auto' }, event);
    expect(findings.map((f) => [f.file, f.commit])).toEqual([['new.ts', mine]]);
    expect(logs[0]).toContain('commits of new branch feature/new not on any other branch (1 commits)');
  });

  it('after a force push whose old tip is gone, scans the commits no other branch has', async () => {
    const r = repo();
    r.commit('base', { 'a.ts': `t = "${demoToken()}"\n` });
    r.git('checkout', '-q', '-b', 'topic');
    const mine = r.commit('rewritten', { 'b.ts': `t = "${demoToken()}"\n` });
    r.git('checkout', '-q', 'main');
    const gone = 'f'.repeat(40);
    const event = { name: 'push', payload: { ref: 'refs/heads/topic', before: gone, after: mine } };
    expect((await scan(r.dir, { mode: 'auto' }, event)).findings.map((f) => [f.file, f.commit])).toEqual([['b.ts', mine]]);
  });

  it('does nothing for a deleted branch and scans the tree for other events or the CLI', () => {
    const { ctx } = scanContext(tempDir(), { event: { name: 'push', payload: { ref: 'refs/heads/x', before: 'a'.repeat(40), after: ZERO } } });
    expect(planScan(ctx, { mode: 'auto' })).toMatchObject({ mode: 'none' });
    expect(planScan(scanContext(tempDir(), { event: { name: 'schedule', payload: {} } }).ctx, { mode: 'auto' })).toEqual({ mode: 'tree' });
    expect(planScan(scanContext(tempDir()).ctx, { mode: 'auto' })).toEqual({ mode: 'tree' });
    expect(() => planScan(scanContext(tempDir(), { event: { name: 'pull_request', payload: {} } }).ctx, { mode: 'auto' })).toThrow(UserError);
  });

  it('tells the user to set fetch-depth: 0 when the clone is too shallow', async () => {
    const upstream = repo();
    const base = upstream.commit('one', { 'a.ts': 'x\n' });
    upstream.commit('two', { 'a.ts': 'y\n' });
    const head = upstream.commit('three', { 'a.ts': 'z\n' });
    const shallow = path.join(tempDir('kw-shallow-'), 'clone');
    cleanup.push(path.dirname(shallow));
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${upstream.dir}`, shallow]);
    await expect(scan(shallow, { mode: 'auto' }, pullRequest(base, head))).rejects.toThrow(/fetch-depth: 0/);
    await expect(scan(shallow, { mode: 'history' })).rejects.toThrow(/fetch-depth: 0/);
    const event = { name: 'push', payload: { ref: 'refs/heads/main', before: ZERO, after: head } };
    await expect(scan(shallow, { mode: 'auto' }, event)).rejects.toThrow(/fetch-depth: 0/);
    expect((await scan(shallow, { mode: 'tree' })).findings).toEqual([]);
  });
});
