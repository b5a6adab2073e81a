import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotatedAtKey } from '../../src/rotation/metadata.js';
import { startJsonServer, type LocalServer } from '../rotation/helpers.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { runActionAsync, runCli } from '../support/run-built.js';

/**
 * A pull request's config is the attacker's: on pull-request events the built action neither
 * writes to the workflow's Vault, nor calls it for rotation-check, nor fetches a verify URL.
 * And paths in any repository's config stay inside the workspace, refused without content.
 */

const DAY = 86_400_000;
let vault: FakeVault | undefined;
const servers: LocalServer[] = [];
afterEach(async () => {
  await vault?.close();
  vault = undefined;
  while (servers.length) await servers.pop()!.close();
});

function prConfig(verifyUrl: string): string {
  return `rotation:
  secrets:
    - name: prod-db
      mount: secret
      path: prod/db
      key: password
      max-age: 1d
      generate: { format: password, length: 12, charset: "0123456789" }
      verify: { url: "${verifyUrl}/health" }
`;
}

async function onPullRequest(command: string, dir: string, vaultUrl: string, token: string, base = '0'.repeat(40)) {
  const work = tempDir('kw-runner-');
  const event = path.join(work, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 3, base: { sha: base }, head: { sha: '1'.repeat(40) } } }));
  writeFileSync(path.join(work, 'output.txt'), '');
  return runActionAsync({
    cwd: dir,
    inputs: { command, rotate: 'all', 'vault-url': vaultUrl, summary: 'false', 'sarif-file': '', 'report-file': '' },
    env: {
      GITHUB_WORKSPACE: dir,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_OUTPUT: path.join(work, 'output.txt'),
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: work,
      VAULT_TOKEN: token,
    },
  });
}

describe('the built action on a pull_request event never acts on Vault', () => {
  it('rotate refuses to run: nothing is read or written, the verify URL is not fetched', async () => {
    vault = await startFakeVault();
    const old = 'kept-' + 'a'.repeat(8);
    vault.seedKv('secret', 'prod/db', { password: old }, { createdTime: new Date(Date.now() - 30 * DAY) });
    const agent = await startJsonServer(() => ({ status: 200, body: { status: 'ok', token_age_seconds: 1, last_refresh_ok: true } }));
    servers.push(agent);
    const dir = tempDir('kw-pr-rotate-');
    writeFileSync(path.join(dir, '.keywarden.yml'), prConfig(agent.url));
    const ran = await onPullRequest('rotate', dir, vault.url, vault.rootToken);
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).toContain('rotate does not run on pull_request events');
    expect(vault.requests).toHaveLength(0);
    expect(agent.requests).toHaveLength(0);
    expect(vault.readKvDirect('secret', 'prod/db')).toMatchObject({ version: 1, data: { password: old } });
  });

  it('rotation-check makes no network call at all', async () => {
    vault = await startFakeVault();
    vault.seedKv('secret', 'prod/db', { password: 'x' }, { customMetadata: { [rotatedAtKey('password')]: new Date(Date.now() - 30 * DAY).toISOString() } });
    const agent = await startJsonServer(() => ({ status: 200, body: { status: 'ok', token_age_seconds: 1, last_refresh_ok: true } }));
    servers.push(agent);
    const dir = tempDir('kw-pr-check-');
    writeFileSync(path.join(dir, '.keywarden.yml'), prConfig(agent.url));
    const ran = await onPullRequest('rotation-check', dir, vault.url, vault.rootToken);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('rotation-check made no network call');
    expect(vault.requests).toHaveLength(0);
    expect(agent.requests).toHaveLength(0);
  });
});

describe('rotation-check on a pull_request event with the config from the base commit', () => {
  it('checks the base commit’s secrets in Vault, not the pull request’s, and still fetches no verify URL', async () => {
    vault = await startFakeVault();
    vault.seedKv('secret', 'prod/db', { password: 'x' }, { customMetadata: { [rotatedAtKey('password')]: new Date(Date.now() - 30 * DAY).toISOString() } });
    const agent = await startJsonServer(() => ({ status: 200, body: { status: 'ok', token_age_seconds: 1, last_refresh_ok: true } }));
    servers.push(agent);
    const repo = new GitRepo('kw-pr-base-');
    const base = repo.commit('base', { '.keywarden.yml': prConfig(agent.url) });
    repo.commit('pr', { '.keywarden.yml': prConfig(agent.url).replace('path: prod/db', 'path: prod/other') });
    const ran = await onPullRequest('rotation-check', repo.dir, vault.url, vault.rootToken, base);
    expect(ran.stdout).toContain('rotation-overdue');
    expect(vault.requests.some((r) => r.path === 'secret/data/prod/db')).toBe(true);
    expect(vault.requests.some((r) => r.path.includes('prod/other'))).toBe(false);
    expect(agent.requests).toHaveLength(0);
    repo.remove();
  });
});

describe('paths in the repository config stay inside the workspace', () => {
  const outside = tempDir('kw-outside-');
  // What a runner keeps next to the workspace; its content must never be shown.
  const marker = 'OUTSIDE-' + 'f'.repeat(6) + '-CONTENT';
  writeFileSync(path.join(outside, 'secret.json'), `${marker}\n`);
  writeFileSync(path.join(outside, 'schema.json'), `${marker}\n`);

  function repoWith(config: string, files: Record<string, string> = {}, links: Record<string, string> = {}): GitRepo {
    const repo = new GitRepo('kw-confine-');
    repo.write({ ...(config ? { '.keywarden.yml': config } : {}), 'src/app.py': 'print(1)\n', ...files });
    for (const [name, target] of Object.entries(links)) {
      mkdirSync(path.dirname(path.join(repo.dir, name)), { recursive: true });
      symlinkSync(target, path.join(repo.dir, name));
    }
    return repo;
  }

  const cases: { name: string; config: string; links?: Record<string, string>; files?: Record<string, string>; command: string; says: RegExp }[] = [
    { name: 'an absolute baseline', config: `scan:\n  baseline: ${path.join(outside, 'secret.json')}\n`, command: 'scan', says: /scan\.baseline ".*" is outside the repository: an absolute path/ },
    { name: 'a baseline through ..', config: `scan:\n  baseline: ../${path.basename(outside)}/secret.json\n`, command: 'scan', says: /scan\.baseline ".*" is outside the repository: "\.\." is not allowed/ },
    {
      name: 'a baseline through a symlinked folder',
      config: 'scan:\n  baseline: ci/secret.json\n',
      links: { ci: outside },
      command: 'scan',
      says: /scan\.baseline "ci\/secret\.json" is outside the repository through a symbolic link/,
    },
    {
      name: 'an env schema that is a symlink out',
      config: 'env:\n  - files: [".env.example"]\n    schema: schemas/env.json\n',
      files: { '.env.example': 'A=\n' },
      links: { 'schemas/env.json': path.join(outside, 'schema.json') },
      command: 'validate',
      says: /env schema "schemas\/env\.json" is outside the repository/,
    },
    {
      name: 'an env template that is a symlink out',
      config: 'env:\n  - files: [".env.example"]\n    template: tpl.env\n',
      files: { '.env.example': 'A=\n' },
      links: { 'tpl.env': path.join(outside, 'secret.json') },
      command: 'validate',
      says: /env template "tpl\.env" is outside the repository/,
    },
    {
      name: 'the config file itself as a symlink out',
      config: '',
      links: { '.keywarden.yml': path.join(outside, 'secret.json') },
      command: 'scan',
      says: /the config file is outside the repository/,
    },
    {
      name: 'a Vault CA certificate from the config',
      config: `vault:\n  address: https://127.0.0.1:1\n  ca-cert: ${path.join(outside, 'secret.json')}\nrotation:\n  secrets:\n    - { name: a, mount: secret, path: a, key: a, max-age: 1d }\n`,
      command: 'rotation-check',
      says: /vault\.ca-cert ".*" is outside the repository: an absolute path/,
    },
  ];

  for (const item of cases) {
    it(`refuses ${item.name}, naming the path, never its content`, () => {
      const repo = repoWith(item.config, item.files, item.links);
      const ran = runCli([item.command, '.', '--no-color'], { cwd: repo.dir, env: { VAULT_TOKEN: 't' } });
      const all = ran.stdout + ran.stderr;
      expect(all).toMatch(item.says);
      expect(all).not.toContain(marker);
      expect(all).not.toContain('OUTSIDE-');
      expect(ran.code).not.toBe(0);
      repo.remove();
    });
  }

  it('still reads config paths inside the workspace, symlinks within it included', () => {
    const repo = repoWith('scan:\n  baseline: ci/baseline.json\n', { 'real/baseline.json': JSON.stringify({ version: 1, findings: [] }) }, { ci: 'real' });
    const ran = runCli(['scan', '.', '--no-color'], { cwd: repo.dir });
    expect(ran.code).toBe(0);
    expect(readFileSync(path.join(repo.dir, 'ci/baseline.json'), 'utf8')).toContain('findings');
    repo.remove();
  });
});
