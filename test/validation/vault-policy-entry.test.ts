import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { RunContext } from '../../src/core/context.js';
import { UserError } from '../../src/core/errors.js';
import type { VaultClient } from '../../src/vault/types.js';
import { lintVaultPolicies } from '../../src/validation/vault-policy/index.js';
import { FakeVault } from '../support/fake-vault.js';
import { GitRepo } from '../support/git-repo.js';

const quiet = { info: () => {}, warning: () => {}, debug: () => {} };

function contextFor(root: string, raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): RunContext {
  return {
    root,
    config: normalizeConfig(raw),
    source: { file: '.keywarden.yml', locate: () => ({ line: 1, column: 1 }) },
    now: new Date('2026-01-01T00:00:00Z'),
    env,
    log: quiet,
    mask: () => {},
    isAction: false,
    configUntrusted: false,
    trustedVault: {},
  };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const APP_POLICY = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';
const BROAD_POLICY = '# admin\npath "sys/*" {\n  capabilities = ["read", "update"]\n}\n';

describe('lintVaultPolicies on files', () => {
  it('lints tracked and untracked policy files matching vault.policies, skipping ignored and non-policy files', async () => {
    const repo = new GitRepo();
    cleanup.push(() => repo.remove());
    repo.commit('policies', {
      '.gitignore': 'vault/policies/ignored.hcl\n',
      'vault/policies/app.hcl': APP_POLICY,
      'vault/policies/admin.hcl': BROAD_POLICY,
      'vault/policies/admin.json': JSON.stringify({ path: { '*': { capabilities: ['read'] } } }, null, 2),
      'vault/policies/README.md': 'path "*" { capabilities = ["sudo"] }',
      'other/outside.hcl': BROAD_POLICY,
    });
    repo.write({ 'vault/policies/untracked.hcl': BROAD_POLICY, 'vault/policies/ignored.hcl': BROAD_POLICY });

    const result = await lintVaultPolicies(contextFor(repo.dir, { vault: { policies: ['vault/policies/**'] } }), { live: false });
    const where = result.findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`).sort();
    expect(where).toEqual([
      'vault/policies/admin.hcl:2 vault-policy-sys-broad',
      'vault/policies/admin.json:3 vault-policy-catch-all',
      'vault/policies/untracked.hcl:2 vault-policy-sys-broad',
    ]);
  });

  it('walks a plain directory when there is no git, skipping node_modules', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'policies/nested'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'policies/nested/admin.hcl'), BROAD_POLICY);
    writeFileSync(path.join(dir, 'node_modules/pkg/admin.hcl'), BROAD_POLICY);

    const result = await lintVaultPolicies(contextFor(dir, { vault: { policies: ['**/*.hcl'] } }), { live: false });
    expect(result.findings.map((f) => f.file)).toEqual(['policies/nested/admin.hcl']);
  });

  it('turns binary, oversized and linked files into findings instead of crashing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'p'));
    writeFileSync(path.join(dir, 'p/binary.hcl'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00]));
    writeFileSync(path.join(dir, 'p/huge.hcl'), `${'# filler\n'.repeat(200)}${APP_POLICY}`);
    writeFileSync(path.join(dir, 'outside.txt'), 'not a policy');
    symlinkSync(path.join(dir, 'outside.txt'), path.join(dir, 'p/link.hcl'));

    const ctx = contextFor(dir, { scan: { 'max-file-size': '1KiB' }, vault: { policies: ['p/*'] } });
    const result = await lintVaultPolicies(ctx, { live: false });
    const byFile = Object.fromEntries(result.findings.map((f) => [f.file, f]));
    expect(Object.keys(byFile).sort()).toEqual(['p/binary.hcl', 'p/huge.hcl', 'p/link.hcl']);
    for (const finding of result.findings) expect(finding.ruleId).toBe('vault-policy-syntax');
    expect(byFile['p/binary.hcl']!.message).toContain('binary');
    expect(byFile['p/huge.hcl']!.message).toContain('above scan.max-file-size');
    expect(byFile['p/link.hcl']!.message).toContain('symbolic link');
  });

  it('returns every rule descriptor, with help, even with nothing to lint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const result = await lintVaultPolicies(contextFor(dir, {}), { live: false });
    expect(result.findings).toEqual([]);
    expect(result.rules.length).toBeGreaterThanOrEqual(27);
    for (const rule of result.rules) {
      expect(rule.id).toMatch(/^vault-policy-[a-z0-9-]+$/);
      expect(rule.check).toBe('validate');
      expect(rule.help.length).toBeGreaterThan(10);
    }
  });
});

describe('lintVaultPolicies --live', () => {
  const vault = new FakeVault();
  beforeAll(async () => {
    await vault.listen();
    vault.addPolicy('app', APP_POLICY);
    vault.addPolicy('reader', '\npath "secret/data/app/*" {\n  capabilities = ["read", "delete"]\n}\n');
    vault.addPolicy('admin', BROAD_POLICY);
  });
  afterAll(async () => {
    await vault.close();
  });

  it('lints the policies deployed in Vault (root skipped), pointing at the line in each policy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const ctx = contextFor(dir, { vault: { address: vault.url, 'read-only-policies': ['reader'] } }, { VAULT_TOKEN: vault.rootToken });

    const result = await lintVaultPolicies(ctx, { live: true });
    expect(result.findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`).sort()).toEqual([
      'vault:sys/policies/acl/admin:2 vault-policy-sys-broad',
      'vault:sys/policies/acl/reader:2 vault-policy-read-only-delete',
    ]);
    const read = vault.requests.filter((r) => r.path.startsWith('sys/policies/acl/')).map((r) => r.path);
    expect(read).not.toContain('sys/policies/acl/root');
    expect(read).toContain('sys/policies/acl/default');
    // The token never shows up in findings.
    expect(JSON.stringify(result.findings)).not.toContain(vault.rootToken);
  });

  it('turns a failing policy listing into a clear UserError', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const broken: Pick<VaultClient, 'listPolicies' | 'readPolicy'> = {
      listPolicies: async () => {
        throw new Error('connection refused');
      },
      readPolicy: async () => null,
    };
    const run = lintVaultPolicies(contextFor(dir, {}), { live: true }, async () => broken as VaultClient);
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow('cannot list Vault policies (sys/policies/acl): connection refused');
  });

  it('lints what a tiny in-test client returns, skipping missing policies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-vp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const policies: Record<string, string | null> = { root: 'path "*" { capabilities = ["sudo"] }', gone: null, ci: 'path "auth/token/create" {\n capabilities = ["update", "sudo"]\n}' };
    const client: Pick<VaultClient, 'listPolicies' | 'readPolicy'> = {
      listPolicies: async () => Object.keys(policies),
      readPolicy: async (name) => policies[name] ?? null,
    };
    const result = await lintVaultPolicies(contextFor(dir, {}), { live: true }, async () => client as VaultClient);
    expect(result.findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`)).toEqual(['vault:sys/policies/acl/ci:1 vault-policy-token-create-sudo']);
  });
});
