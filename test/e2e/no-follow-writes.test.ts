import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runAction, runCli } from '../support/run-built.js';

/**
 * A pull request can commit a symlink where keywarden writes its reports: the default
 * keywarden.sarif / keywarden.json, or a folder on the way to a configured path. Writing must never
 * follow it: the target outside stays as it was and the run says why it did not write.
 */

const ORIGINAL = 'original content of a file outside the workspace\n';

function victim(): string {
  const file = path.join(tempDir('kw-victim-'), 'victim.txt');
  writeFileSync(file, ORIGINAL);
  return file;
}

function repoWithLinks(links: Record<string, string>): GitRepo {
  const repo = new GitRepo('kw-nofollow-');
  repo.write({ 'src/app.py': 'print(1)\n' });
  for (const [name, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(repo.dir, name)), { recursive: true });
    symlinkSync(target, path.join(repo.dir, name));
  }
  repo.commit('links');
  return repo;
}

function action(repo: GitRepo, inputs: Record<string, string>) {
  const work = tempDir('kw-runner-');
  writeFileSync(path.join(work, 'output.txt'), '');
  return runAction({
    cwd: repo.dir,
    inputs: { summary: 'false', annotations: 'false', ...inputs },
    env: { GITHUB_WORKSPACE: repo.dir, GITHUB_OUTPUT: path.join(work, 'output.txt'), GITHUB_ACTIONS: 'true', RUNNER_TEMP: work, GITHUB_EVENT_NAME: 'push' },
  });
}

describe('report and baseline writes never follow a symlink', () => {
  it('the action refuses a symlinked default sarif-file and report-file', () => {
    for (const name of ['keywarden.sarif', 'keywarden.json']) {
      const target = victim();
      const repo = repoWithLinks({ [name]: target });
      const ran = action(repo, name.endsWith('.json') ? { 'sarif-file': '', 'report-file': name } : {});
      expect(readFileSync(target, 'utf8')).toBe(ORIGINAL);
      expect(ran.code).not.toBe(0);
      expect(ran.stdout + ran.stderr).toContain(`refusing to write ${name}: it is a symbolic link`);
      repo.remove();
    }
  });

  it('the action refuses a symlinked folder on the way to the report', () => {
    const outside = tempDir('kw-outside-dir-');
    const repo = repoWithLinks({ reports: outside });
    const ran = action(repo, { 'sarif-file': 'reports/out/keywarden.sarif' });
    expect(ran.stdout + ran.stderr).toContain('refusing to write reports/out/keywarden.sarif: its folder reports is a symbolic link');
    expect(() => readFileSync(path.join(outside, 'out/keywarden.sarif'))).toThrow();
    repo.remove();
  });

  it('the CLI refuses a symlinked -o and baseline destination, default or given', () => {
    for (const [args, name] of [
      [['scan', '.', '-o', 'report.json', '--format', 'json'], 'report.json'],
      [['baseline', '.'], '.keywarden-baseline.json'],
      [['baseline', '.', '-o', 'ci/baseline.json'], 'ci/baseline.json'],
    ] as const) {
      const target = victim();
      const repo = repoWithLinks({ [name]: target });
      const ran = runCli([...args], { cwd: repo.dir });
      expect(readFileSync(target, 'utf8'), name).toBe(ORIGINAL);
      expect(ran.code, name).toBe(2);
      expect(ran.stderr, name).toContain(`refusing to write ${name}: it is a symbolic link`);
      repo.remove();
    }
  });

  it('still writes plain files, creating folders inside the workspace', () => {
    const repo = repoWithLinks({});
    const ran = runCli(['baseline', '.', '-o', 'ci/new/baseline.json'], { cwd: repo.dir });
    expect(ran.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(repo.dir, 'ci/new/baseline.json'), 'utf8')).findings).toEqual([]);
    const again = action(repo, { 'sarif-file': 'out/k.sarif' });
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(repo.dir, 'out/k.sarif'), 'utf8')).version).toBe('2.1.0');
    repo.remove();
  });
});
