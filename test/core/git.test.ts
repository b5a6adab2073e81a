import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitExists, fetchCommit, git, gitSync } from '../../src/core/git.js';
import { isGitIgnored, listRepoFiles } from '../../src/validation/files.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runCli } from '../support/run-built.js';

/**
 * A downloaded repository whose `.git/config` names a program for every setting through which git
 * can run one. Each program appends its name to a log; nothing keywarden does may write to it.
 */
function armedRepo(): { repo: GitRepo; ran: () => string[] } {
  const repo = new GitRepo('kw-armed-');
  repo.commit('base', { '.env.example': 'API_URL=\n', 'src/app.py': 'print(1)\n', '.gitattributes': '* diff=armed\n' });
  repo.commit('change', { 'src/app.py': 'print(2)\n', '.env': 'API_URL=https://example.invalid\n', 'policy.hcl': 'path "secret/*" {\n  capabilities = ["read"]\n}\n' });
  const bin = tempDir('kw-armed-bin-');
  const log = path.join(bin, 'ran.log');
  const program = (name: string): string => {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/bin/sh\necho ${name} >> '${log}'\ncat >/dev/null 2>&1 </dev/null\nexit 0\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const hooks = path.join(bin, 'hooks');
  mkdirSync(hooks);
  for (const hook of ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-auto-gc', 'post-merge']) {
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\necho hook-${hook} >> '${log}'\n`);
    chmodSync(path.join(hooks, hook), 0o755);
  }
  const set = (key: string, value: string) => repo.git('config', key, value);
  set('core.fsmonitor', program('fsmonitor'));
  set('core.hooksPath', hooks);
  set('core.pager', program('pager'));
  set('core.askPass', program('askpass'));
  set('core.sshCommand', program('ssh'));
  set('diff.external', program('external-diff'));
  set('diff.armed.textconv', program('textconv'));
  set('diff.armed.command', program('diff-driver'));
  set('credential.helper', `!${program('credential')}`);
  set('remote.origin.url', `ext::${program('ext-transport')}`);
  set('remote.origin.uploadpack', program('uploadpack'));
  // The hook directory also sits where git looks by default.
  for (const hook of ['post-index-change', 'reference-transaction']) {
    writeFileSync(path.join(repo.dir, '.git/hooks', hook), `#!/bin/sh\necho default-hook-${hook} >> '${log}'\n`);
    chmodSync(path.join(repo.dir, '.git/hooks', hook), 0o755);
  }
  return { repo, ran: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

describe('the git helper runs nothing a repository names', () => {
  const { repo, ran } = armedRepo();
  afterAll(() => repo.remove());

  it('is armed: plain git runs the repository fsmonitor program (the setup is live)', () => {
    const probe = armedRepo();
    probe.repo.git('ls-files', '--cached');
    expect(probe.ran()).toContain('fsmonitor');
    probe.repo.remove();
  });

  it('lists, checks ignores, diffs and reads history without running any of them', async () => {
    expect(listRepoFiles(repo.dir).visible).toContain('src/app.py');
    expect(isGitIgnored(repo.dir, '.env')).toBe(false);
    expect(gitSync(repo.dir, ['status', '--porcelain']).status).toBe(0);
    await git(repo.dir, ['diff', 'HEAD~1', 'HEAD']);
    await git(repo.dir, ['log', '-p', '-1']);
    await git(repo.dir, ['show', 'HEAD']);
    expect(ran()).toEqual([]);
  });

  it('refuses the ext:: transport and never starts the remote uploadpack program', async () => {
    await expect(fetchCommit(repo.dir, 'origin', '0'.repeat(40))).rejects.toThrow();
    expect(ran()).toEqual([]);
  });

  it('fetches one missing commit from a plain remote, without running uploadpack, hooks or gc', async () => {
    const upstream = new GitRepo('kw-upstream-');
    const first = upstream.commit('one', { 'a.txt': 'a\n' });
    const second = upstream.commit('two', { 'a.txt': 'b\n' });
    const shallow = tempDir('kw-shallow-');
    upstream.git('clone', '-q', '--depth', '1', `file://${upstream.dir}`, shallow);
    const armed = armedRepo();
    // Give the shallow clone the armed settings, pointing at the real upstream.
    const config = readFileSync(path.join(armed.repo.dir, '.git/config'), 'utf8').replace(/url = ext::.*/, `url = file://${upstream.dir}`);
    writeFileSync(path.join(shallow, '.git/config'), config);
    expect(await commitExists(shallow, first)).toBe(false);
    await fetchCommit(shallow, 'origin', first);
    expect(await commitExists(shallow, first)).toBe(true);
    expect(await commitExists(shallow, second)).toBe(true);
    expect(armed.ran()).toEqual([]);
    armed.repo.remove();
    upstream.remove();
  });

  it('the built CLI validates, checks and scans every mode without running any of them', () => {
    for (const args of [
      ['validate', '.'],
      ['check', '.'],
      ['scan', '.', '--mode', 'history'],
      ['scan', '.', '--mode', 'diff', '--base', 'HEAD~1', '--head', 'HEAD'],
      ['scan', '.', '--mode', 'staged'],
    ]) {
      const result = runCli([...args, '--no-color'], { cwd: repo.dir });
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(ran(), args.join(' ')).toEqual([]);
    }
  });
});

beforeAll(() => {
  // A clean environment: a developer's own GIT_* variables must not change what these tests see.
  for (const name of Object.keys(process.env)) if (name.startsWith('GIT_')) delete process.env[name];
});
