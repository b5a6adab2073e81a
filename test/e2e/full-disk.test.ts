import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { CLI_BUNDLE, REPO_ROOT, requireBuilt, runAction, runCli } from '../support/run-built.js';

/**
 * A full or read-only disk while writing a report, a baseline or -o output: one line naming the
 * file and the reason, exit 2 from the CLI (1 means "findings"), a failed step from the action;
 * never a stack trace, never a half-written report left behind. The failure is injected into the
 * built bundle's file system calls (test/support/write-fault.cjs) with the errno the kernel gives.
 */

const FAULT = path.join(REPO_ROOT, 'test/support/write-fault.cjs');
const faultEnv = (code: string, name: string) => ({ NODE_OPTIONS: `--require ${FAULT}`, KEYWARDEN_WRITE_FAULT: `${code}:${name}` });
const REASONS = { ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system', EACCES: 'permission denied' } as const;

function expectOneLine(output: string, expected: string): void {
  const lines = output.split('\n').filter((line) => line.includes(expected));
  expect(lines, output).toHaveLength(1);
  expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(output).not.toContain('Error:');
}

describe('a full or read-only disk while writing outputs', () => {
  const repo = new GitRepo('kw-full-disk-');
  // A finding, so that an exit of 1 ("findings") could not pass for the error code.
  beforeAll(() => repo.commit('fixture', { '.env': 'POSTGRES_PASSWORD=' + 'post' + 'gres\n', 'src/main.py': 'print(1)\n' }));
  afterAll(() => repo.remove());

  it('the CLI: -o report, baseline, default baseline: one line, exit 2, no partial file', () => {
    for (const [code, reason] of Object.entries(REASONS)) {
      for (const [args, name] of [
        [['scan', '.', '-o', 'report.json', '--format', 'json'], 'report.json'],
        [['scan', '.', '-o', 'out/report.sarif', '--format', 'sarif'], 'out/report.sarif'],
        [['baseline', '.', '-o', 'ci/baseline.json'], 'ci/baseline.json'],
        [['baseline', '.'], '.keywarden-baseline.json'],
      ] as const) {
        const ran = runCli([...args], { cwd: repo.dir, env: faultEnv(code, path.basename(name)) });
        expect(ran.code, `${code} ${name}: ${ran.stderr}`).toBe(2);
        expectOneLine(ran.stderr, `keywarden: cannot write ${name}: ${reason} (${code})`);
        expect(existsSync(path.join(repo.dir, name)), name).toBe(false);
      }
    }
  });

  it.skipIf(!existsSync('/dev/full'))('the CLI: standard output redirected to a full disk (/dev/full)', () => {
    requireBuilt();
    const full = openSync('/dev/full', 'w');
    try {
      const ran = spawnSync(process.execPath, [CLI_BUNDLE, 'scan', '.', '--no-color'], { cwd: repo.dir, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(ran.status, ran.stderr).toBe(2);
      expectOneLine(ran.stderr, 'keywarden: cannot write the report to standard output: no space left on device (ENOSPC)');
    } finally {
      closeSync(full);
    }
  });

  it('the action: sarif-file and report-file on a full disk fail the step with one line', () => {
    for (const [input, name] of [
      ['sarif-file', 'keywarden.sarif'],
      ['report-file', 'reports/keywarden.json'],
    ] as const) {
      for (const code of ['ENOSPC', 'EROFS'] as const) {
        const work = tempDir('kw-runner-');
        writeFileSync(path.join(work, 'output.txt'), '');
        const ran = runAction({
          cwd: repo.dir,
          inputs: { summary: 'false', annotations: 'false', 'fail-on': 'never', [input]: name },
          env: {
            GITHUB_WORKSPACE: repo.dir,
            GITHUB_OUTPUT: path.join(work, 'output.txt'),
            GITHUB_ACTIONS: 'true',
            RUNNER_TEMP: work,
            GITHUB_EVENT_NAME: 'push',
            ...faultEnv(code, path.basename(name)),
          },
        });
        const out = ran.stdout + ran.stderr;
        expect(ran.code, out).toBe(1);
        expectOneLine(out, `::error::keywarden: cannot write ${name}: ${REASONS[code]} (${code})`);
        expect(existsSync(path.join(repo.dir, name))).toBe(false);
        expect(readFileSync(path.join(work, 'output.txt'), 'utf8')).not.toContain(`${input}<<`);
      }
    }
  });
});
