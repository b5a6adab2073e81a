import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksummedToken } from '../../src/scanning/rules/support.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runActionOnEvent } from '../support/run-built.js';

/** A classic GitHub token with a random body and a valid CRC32 checksum, assembled at run time. */
const fakeGithubToken = (): string => checksummedToken(['gh', 'p_'].join(''));

/** Runs the built action on a repo for an event, the way the runner does, and collects its files. */
function runOnEvent(repo: GitRepo, eventName: string, payload: object, inputs: Record<string, string> = {}) {
  return runActionOnEvent(repo.dir, eventName, payload, inputs, tempDir('kw-runner-'));
}

describe('the built action on a pull_request event', () => {
  const repo = new GitRepo('kw-action-pr-');
  const token = fakeGithubToken();
  let base: string;
  let head: string;

  beforeAll(() => {
    base = repo.commit('base', {
      'README.md': '# widgets\n',
      'src/app.js': 'export const port = 8080;\n',
      '.env.example': 'DB_PASSWORD=\nGITHUB_TOKEN=\n',
    });
    repo.git('checkout', '-q', '-b', 'feature');
    head = repo.commit('add config', {
      '.env': ['DB_PASSWORD=' + 'change' + 'me', `GITHUB_TOKEN=${token}`, ''].join('\n'),
      'src/app.js': 'export const port = 8080;\nexport const name = "widgets";\n',
    });
  });
  afterAll(() => repo.remove());

  it('annotates the added lines, writes outputs, SARIF, JSON and a summary, and fails', () => {
    const payload = { pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } } };
    const { ran, outputs, summary } = runOnEvent(repo, 'pull_request', payload);

    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=\.env,line=1/);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=\.env,line=2/);
    expect(ran.stdout).toMatch(/::error::keywarden found \d+ findings? at or above "error"/);

    expect(Number(outputs.findings)).toBeGreaterThanOrEqual(3);
    expect(Number(outputs.errors)).toBeGreaterThanOrEqual(2);
    expect(Number(outputs.warnings)).toBeGreaterThanOrEqual(1);
    expect(outputs['sarif-file']).toBe(path.join(repo.dir, 'keywarden.sarif'));
    expect(outputs.report).toBe(path.join(repo.dir, 'keywarden.json'));

    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const files = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(files).toContain('.env');
    expect(files).not.toContain('src/app.js');

    const json = JSON.parse(readFileSync(outputs.report!, 'utf8'));
    expect(json.findings.length).toBe(Number(outputs.findings));
    expect(summary).toContain('keywarden');
    expect(summary).toContain(`https://github.com/acme/widgets/blob/${head}/.env#L`);

    // Nothing the action wrote holds the token. `::add-mask::` lines are consumed by the runner
    // (never shown) and make it hide the value if a later step prints it.
    const shownLog = ran.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
    for (const text of [shownLog, ran.stderr, summary, readFileSync(outputs['sarif-file']!, 'utf8'), readFileSync(outputs.report!, 'utf8')]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(4));
    }
  });

  it('passes with fail-on never and still reports', () => {
    const payload = { pull_request: { number: 7, base: { sha: base }, head: { sha: head } } };
    const { ran, outputs } = runOnEvent(repo, 'pull_request', payload, { 'fail-on': 'never', annotations: 'false', 'sarif-file': '' });
    expect(ran.code).toBe(0);
    expect(ran.stdout).not.toContain('::error');
    expect(outputs['sarif-file']).toBeUndefined();
    expect(Number(outputs.findings)).toBeGreaterThan(0);
  });
});

describe('the built action, errors and clean runs', () => {
  it('fails with a line-precise message on a broken config', () => {
    const repo = new GitRepo('kw-action-cfg-');
    repo.commit('config', { '.keywarden.yml': 'scan:\n  exclude: []\n  excldue: ["x"]\n' });
    const { ran } = runOnEvent(repo, 'push', {});
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('::error::keywarden: .keywarden.yml:3:3: scan.excldue: unknown key');
    expect(ran.stdout).not.toMatch(/\n\s+at /);
    repo.remove();
  });

  it('passes on a clean repository on workflow_dispatch (tree scan)', () => {
    const repo = new GitRepo('kw-action-clean-');
    repo.commit('clean', { 'src/index.ts': 'export const answer = 42;\n', '.env.example': 'API_KEY=\n' });
    const { ran, outputs, summary } = runOnEvent(repo, 'workflow_dispatch', {});
    expect(ran.code).toBe(0);
    expect(outputs.findings).toBe('0');
    expect(outputs.errors).toBe('0');
    expect(summary.length).toBeGreaterThan(0);
    repo.remove();
  });

  it('keeps paths workspace-relative when the path input names a subdirectory', () => {
    const repo = new GitRepo('kw-action-sub-');
    repo.commit('monorepo', { 'services/api/.env': 'REDIS_PASSWORD=' + 'foo' + 'bared\n', 'README.md': '# mono\n' });
    const { ran, outputs } = runOnEvent(repo, 'workflow_dispatch', {}, { path: 'services/api' });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=services\/api\/\.env,line=1/);
    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('services/api/.env');
    repo.remove();
  });

  it('rejects an invalid input value', () => {
    const repo = new GitRepo('kw-action-input-');
    repo.commit('x', { 'a.txt': 'a\n' });
    const { ran } = runOnEvent(repo, 'push', {}, { 'fail-on': 'sometimes' });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('::error::keywarden: input "fail-on" must be error, warning, note or never');
    repo.remove();
  });
});
