import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { Finding } from '../../src/core/finding.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';

type RawVault = Record<string, unknown>;

const lint = (text: string, vault: RawVault = {}, file = 'policies/app.hcl'): Finding[] =>
  lintPolicyText(text, file, normalizeConfig({ vault }).vault);

const only = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId);
const ruleIds = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.ruleId))].sort();

/** A policy with one path block per entry, each on its own line (block i starts on line i + 1). */
const policy = (...blocks: [string, string][]): string =>
  blocks.map(([path, caps]) => `path "${path}" { capabilities = [${caps.split(',').filter(Boolean).map((c) => `"${c.trim()}"`).join(', ')}] }`).join('\n');

describe('seed policy: status_panel/deployment-*/token', () => {
  const seed = ['# Status Panel agent: restrict to the documented KV path', 'path "status_panel/deployment-*/token" {', '  capabilities = ["read"]', '}', ''].join('\n');

  it('says the mid-path * is literal and suggests the + form with data/ on a KV v2 mount', () => {
    const findings = lint(seed, { 'kv-v2-mounts': ['status_panel'] });
    const [glob] = only(findings, 'vault-policy-glob-not-at-end');
    expect(glob).toMatchObject({ startLine: 2, severity: 'high', level: 'error', check: 'validate' });
    expect(glob!.message).toContain('literal asterisk');
    expect(glob!.message).toContain('"status_panel/data/+/token"');
    const [kv] = only(findings, 'vault-policy-kv2-missing-prefix');
    expect(kv).toMatchObject({ startLine: 2 });
    expect(kv!.message).toContain('"status_panel/data/+/token"');
  });

  it('suggests both forms when the mount is not declared as KV v2', () => {
    const [glob] = only(lint(seed), 'vault-policy-glob-not-at-end');
    expect(glob!.message).toContain('"status_panel/+/token"');
    expect(glob!.message).toContain('on a KV v2 mount: "status_panel/data/+/token"');
  });

  it('does not insert data/ twice when the path already has it', () => {
    const [onKv] = only(lint(policy(['secret/data/app-*/config', 'read']), { 'kv-v2-mounts': ['secret'] }), 'vault-policy-glob-not-at-end');
    expect(onKv!.message).toContain('use "secret/data/+/config"');
    const [unknownMount] = only(lint(policy(['kv/metadata/*/config', 'read'])), 'vault-policy-glob-not-at-end');
    expect(unknownMount!.message).toMatch(/use "kv\/metadata\/\+\/config"$/);
  });

  it('accepts the corrected policy', () => {
    const fixed = policy(['status_panel/data/+/token', 'read'], ['status_panel/metadata/+/token', 'read']);
    expect(lint(fixed, { 'kv-v2-mounts': ['status_panel'], 'allowed-paths': ['status_panel/data/*', 'status_panel/metadata/*'] })).toEqual([]);
  });
});

describe('path syntax rules', () => {
  it('flags + inside a segment and +*', () => {
    const findings = lint(policy(['secret/data/app+/x', 'read'], ['secret/data/+*', 'read']));
    expect(only(findings, 'vault-policy-plus-in-segment').map((f) => f.startLine)).toEqual([1]);
    expect(only(findings, 'vault-policy-plus-glob').map((f) => f.startLine)).toEqual([2]);
    expect(only(findings, 'vault-policy-plus-in-segment')).toHaveLength(1);
  });

  it('flags a doubled trailing glob (the first * is literal)', () => {
    const [finding] = only(lint(policy(['secret/data/app/**', 'read'])), 'vault-policy-glob-not-at-end');
    expect(finding!.message).toContain('"secret/data/app/*"');
  });

  it('does not mistake template text or a leading slash for wildcards', () => {
    expect(lint(policy(['/secret/data/{{identity.entity.id}}/*', 'read']))).toEqual([]);
  });
});

describe('KV v2 mounts', () => {
  const vault = { 'kv-v2-mounts': ['secret/'] };

  it('requires data/ or metadata/ and gives the corrected path', () => {
    const findings = lint(policy(['secret/app/config', 'read'], ['secret/data/app/config', 'read'], ['secret/metadata/app/*', 'read']), vault);
    const missing = only(findings, 'vault-policy-kv2-missing-prefix');
    expect(missing.map((f) => f.startLine)).toEqual([1]);
    expect(missing[0]!.message).toContain('"secret/data/app/config"');
  });

  it('accepts the other KV v2 subpaths and broad globs that still reach data/', () => {
    const paths = ['secret/delete/a', 'secret/undelete/a', 'secret/destroy/a', 'secret/subkeys/a', 'secret/config', 'secret/+/a', 'secret/d*'];
    const findings = lint(policy(...paths.map((p): [string, string] => [p, 'read'])), vault);
    expect(only(findings, 'vault-policy-kv2-missing-prefix')).toEqual([]);
  });

  it('flags a glob prefix that reaches no KV v2 subpath', () => {
    expect(only(lint(policy(['secret/app*', 'read']), vault), 'vault-policy-kv2-missing-prefix')).toHaveLength(1);
  });

  it('warns that *_parameters do nothing on KV v2', () => {
    const text = 'path "secret/data/app" {\n  capabilities = ["create"]\n  allowed_parameters = { "token" = [] }\n}';
    const [finding] = only(lint(text, vault), 'vault-policy-kv2-parameters');
    expect(finding).toMatchObject({ startLine: 1, level: 'warning' });
  });
});

describe('vault.allowed-paths', () => {
  const vault = { 'allowed-paths': ['secret/data/*', 'kv/data/apps/+/config'] };

  it('accepts paths inside an allowed pattern with Vault semantics', () => {
    const findings = lint(policy(['secret/data/app/*', 'read'], ['secret/data/+/x', 'read'], ['kv/data/apps/web/config', 'read']), vault);
    expect(only(findings, 'vault-policy-outside-allowed-paths')).toEqual([]);
  });

  it('rejects paths a string-prefix check would wrongly accept or that reach further', () => {
    const findings = lint(
      policy(['secret/data', 'read'], ['secret/metadata/app', 'read'], ['kv/data/apps/web/config/extra', 'read'], ['kv/data/apps/*', 'read']),
      vault,
    );
    expect(only(findings, 'vault-policy-outside-allowed-paths').map((f) => f.startLine)).toEqual([1, 2, 3, 4]);
  });

  it('does not require deny-only rules to be inside', () => {
    expect(only(lint(policy(['sys/*', 'deny']), vault), 'vault-policy-outside-allowed-paths')).toEqual([]);
  });
});

describe('critical paths', () => {
  it.each([
    ['*', 'read', 'vault-policy-catch-all'],
    ['+/*', 'create', 'vault-policy-catch-all'],
    ['+/data/*', 'read', 'vault-policy-catch-all'],
    ['sys/*', 'read', 'vault-policy-sys-broad'],
    ['sys*', 'read', 'vault-policy-sys-broad'],
    ['sys/+/*', 'read', 'vault-policy-sys-broad'],
    ['sys/policy/app', 'update', 'vault-policy-policy-write'],
    ['sys/policies/acl/*', 'create', 'vault-policy-policy-write'],
    ['sys/policies/acl/default', 'update', 'vault-policy-default-policy-write'],
    ['sys/policy/default', 'patch', 'vault-policy-default-policy-write'],
    ['auth/token/create', 'update,sudo', 'vault-policy-token-create-sudo'],
    ['auth/token/create*', 'sudo', 'vault-policy-token-create-sudo'],
    ['identity/entity/id/*', 'update', 'vault-policy-identity-write'],
    ['identity/group*', 'create', 'vault-policy-identity-write'],
    ['auth/token/roles/ci', 'update', 'vault-policy-auth-role-write'],
    ['auth/approle/role/*', 'create', 'vault-policy-auth-role-write'],
    ['sys/auth/github', 'read', 'vault-policy-sys-sensitive'],
    ['sys/mounts', 'read', 'vault-policy-sys-sensitive'],
    ['sys/audit/file', 'update', 'vault-policy-sys-sensitive'],
    ['sys/raw/core', 'read', 'vault-policy-sys-sensitive'],
    ['sys/generate-root/attempt', 'update', 'vault-policy-sys-sensitive'],
    ['sys/rekey/init', 'update', 'vault-policy-sys-sensitive'],
    ['sys/seal', 'update', 'vault-policy-sys-sensitive'],
    ['secret/data/app', 'read,sudo', 'vault-policy-sudo'],
  ])('path "%s" with %s → %s', (path, caps, ruleId) => {
    const findings = only(lint(policy([path, caps])), ruleId);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'critical', level: 'error', startLine: 1, startColumn: 6 });
  });

  it('accepts deny on the same paths', () => {
    expect(lint(policy(['*', 'deny'], ['sys/*', 'deny'], ['sys/policies/acl/default', 'deny']))).toEqual([]);
  });

  it('reports one catch-all finding instead of every sys/ rule it implies', () => {
    expect(ruleIds(lint(policy(['*', 'create,update'])))).toEqual(['vault-policy-catch-all']);
  });

  it('accepts sudo inside vault.allow-sudo', () => {
    const vault = { 'allow-sudo': ['sys/leases/lookup/*', 'auth/token/create'] };
    const findings = lint(policy(['sys/leases/lookup/app/*', 'read,sudo'], ['auth/token/create', 'update,sudo']), vault);
    expect(only(findings, 'vault-policy-sudo')).toEqual([]);
    expect(only(findings, 'vault-policy-token-create-sudo')).toEqual([]);
  });

  it('notes plain token creation without sudo', () => {
    const [finding] = lint(policy(['auth/token/create', 'create,update']));
    expect(finding).toMatchObject({ ruleId: 'vault-policy-token-create', severity: 'low', level: 'note' });
  });

  it('does not treat issuing AppRole secret IDs or reading policies as escalation', () => {
    expect(lint(policy(['auth/approle/role/ci/secret-id', 'update'], ['sys/policies/acl/app', 'read']))).toEqual([]);
  });
});

describe('high-severity rules', () => {
  it('flags list on a mount root, KV v2 or not', () => {
    const findings = lint(
      policy(['secret/metadata/*', 'list'], ['secret/metadata/', 'list'], ['kv/*', 'list'], ['secret/metadata/app/*', 'list']),
      { 'kv-v2-mounts': ['secret'] },
    );
    expect(only(findings, 'vault-policy-list-mount-root').map((f) => f.startLine)).toEqual([1, 2, 3]);
    expect(only(findings, 'vault-policy-list-mount-root')[0]!.severity).toBe('high');
  });

  it('flags delete and destroy in read-only policies only', () => {
    const text = policy(['secret/data/app/*', 'read,delete'], ['secret/destroy/app/*', 'update'], ['secret/data/app/x', 'read']);
    const vault = { 'kv-v2-mounts': ['secret'], 'read-only-policies': ['policies/readers/*.hcl'] };
    expect(only(lint(text, vault, 'policies/readers/app.hcl'), 'vault-policy-read-only-delete').map((f) => f.startLine)).toEqual([1, 2]);
    expect(only(lint(text, vault, 'policies/writers/app.hcl'), 'vault-policy-read-only-delete')).toEqual([]);
  });

  it('flags sys/leases/revoke*', () => {
    expect(only(lint(policy(['sys/leases/revoke-prefix/aws/*', 'update'])), 'vault-policy-lease-revoke')).toHaveLength(1);
  });
});

describe('warnings and notes', () => {
  it('warns about deny mixed with other capabilities', () => {
    const [finding] = lint(policy(['secret/data/x', 'read,deny']));
    expect(finding).toMatchObject({ ruleId: 'vault-policy-deny-mixed', level: 'warning' });
    expect(finding!.message).toContain('ignore read');
  });

  it('warns about duplicate path blocks, pointing at both lines', () => {
    const findings = only(lint(policy(['secret/data/a', 'read'], ['secret/data/b', 'read'], ['/secret/data/a', 'list'])), 'vault-policy-duplicate-path');
    expect(findings.map((f) => f.startLine)).toEqual([3]);
    expect(findings[0]!.message).toContain('line 1');
  });

  it('warns when a more specific allow overrides a broad deny', () => {
    const findings = lint(policy(['secret/*', 'deny'], ['secret/data/app/*', 'read'], ['other/data/x', 'read']));
    const overridden = only(findings, 'vault-policy-deny-overridden');
    expect(overridden.map((f) => f.startLine)).toEqual([2]);
    expect(overridden[0]!.message).toContain('line 1');
  });

  it('does not warn when the deny is the more specific rule', () => {
    expect(lint(policy(['secret/data/*', 'read'], ['secret/data/admin/*', 'deny']))).toEqual([]);
  });

  it('warns when max_wrapping_ttl is below min_wrapping_ttl', () => {
    const text = 'path "secret/data/x" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "2m"\n  max_wrapping_ttl = 90\n}';
    const [finding] = lint(text);
    expect(finding).toMatchObject({ ruleId: 'vault-policy-wrapping-ttl', level: 'warning' });
    expect(finding!.message).toContain('(90s)');
    expect(lint(text.replace('90', '"1h"'))).toEqual([]);
  });

  it('notes capabilities and keys known to only one of Vault and OpenBao', () => {
    const findings = lint('path "secret/data/x" {\n  capabilities = ["read", "subscribe", "scan"]\n  expiration = "2030-01-01T00:00:00Z"\n}');
    const [note] = only(findings, 'vault-policy-engine-specific');
    expect(note).toMatchObject({ level: 'note', startLine: 1 });
    expect(note!.message).toContain('"subscribe" exists only in Vault');
    expect(note!.message).toContain('"scan" exists only in OpenBao');
    expect(note!.message).toContain('"expiration" exists only in OpenBao');
    expect(only(findings, 'vault-policy-schema')).toEqual([]);
  });
});

describe('fingerprints', () => {
  it('stay stable when a block moves and differ between duplicate blocks', () => {
    const a = lint(policy(['sys/*', 'read']));
    const b = lint(`# moved down\n\n${policy(['sys/*', 'read'])}`);
    expect(b[0]!.startLine).toBe(3);
    expect(b[0]!.fingerprint).toBe(a[0]!.fingerprint);
    const dup = only(lint(policy(['sys/*', 'read'], ['sys/*', 'read'])), 'vault-policy-sys-broad');
    expect(new Set(dup.map((f) => f.fingerprint)).size).toBe(2);
  });
});
