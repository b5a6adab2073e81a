import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runCli } from '../support/run-built.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('the built CLI', () => {
  const repo = new GitRepo('kw-cli-');
  beforeAll(() => {
    repo.commit('fixture', {
      '.env': 'POSTGRES_PASSWORD=' + 'post' + 'gres\n',
      '.env.example': 'POSTGRES_PASSWORD=\n',
      'src/main.py': 'print("hello")\n',
    });
  });
  afterAll(() => repo.remove());

  it('prints its version and help', () => {
    const version = runCli(['--version'], { cwd: repo.dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(['--help'], { cwd: repo.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: keywarden <command>');
    const scanHelp = runCli(['scan', '--help'], { cwd: repo.dir });
    expect(scanHelp.stdout).toContain('--mode tree|diff|history|staged');
  });

  it('finds the committed .env and default credential, exits 1, text on stdout', () => {
    const ran = runCli(['scan', '.', '--no-color'], { cwd: repo.dir });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('.env');
    expect(ran.stdout).not.toContain('\u001b[');
    expect(ran.stdout + ran.stderr).not.toContain('::add-mask::');
    noStack(ran.stderr);
  });

  it('writes JSON and SARIF reports to files', () => {
    const out = tempDir();
    const json = runCli(['check', '.', '--format', 'json', '--output', path.join(out, 'r.json')], { cwd: repo.dir });
    expect(json.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'r.json'), 'utf8'));
    expect(report.findings.some((f: { file: string }) => f.file === '.env')).toBe(true);
    const sarif = runCli(['scan', '--format', 'sarif', '-o', path.join(out, 'r.sarif')], { cwd: repo.dir });
    expect(sarif.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(out, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('exits 0 with --fail-on never', () => {
    expect(runCli(['scan', '--fail-on', 'never'], { cwd: repo.dir }).code).toBe(0);
  });

  it('writes a baseline, after which the same findings no longer fail the build', () => {
    const file = path.join(tempDir(), 'baseline.json');
    const written = runCli(['baseline', '.', '-o', file], { cwd: repo.dir });
    expect(written.code).toBe(0);
    const baseline = JSON.parse(readFileSync(file, 'utf8'));
    expect(baseline.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(baseline)).not.toContain('post' + 'gres\n');
    const again = runCli(['check', '.', '--baseline', file], { cwd: repo.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/suppressed/);
  });

  it('exits 2 with a clear message on usage errors', () => {
    for (const args of [['scan', '--format', 'xml'], ['scan', '--bogus'], ['frobnicate', 'x'], ['scan', '--mode', 'diff'], ['scan', '/no/such/dir']]) {
      const ran = runCli(args, { cwd: repo.dir });
      expect(ran.code, args.join(' ')).toBe(2);
      expect(ran.stderr).toMatch(/^keywarden: /);
      noStack(ran.stderr);
    }
  });

  it('exits 2 with file, line and column on a broken config', () => {
    const dir = new GitRepo('kw-cli-cfg-');
    dir.commit('bad config', { '.keywarden.yml': 'env:\n  - files: .env\n    preset: nope\n' });
    const ran = runCli(['check'], { cwd: dir.dir });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^keywarden: \.keywarden\.yml:3:5: env\[0\]\.preset: must be one of/);
    dir.remove();
  });

  it('init writes a valid starter config once', () => {
    const dir = tempDir();
    expect(runCli(['init'], { cwd: dir }).code).toBe(0);
    const file = path.join(dir, '.keywarden.yml');
    expect(existsSync(file)).toBe(true);
    expect(() => parseConfigText(readFileSync(file, 'utf8'), '.keywarden.yml')).not.toThrow();
    const again = runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(runCli(['init', '--force'], { cwd: dir }).code).toBe(0);
  });
});
