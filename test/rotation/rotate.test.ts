import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { runRotate, runRotationCheck, type RotateSelection } from '../../src/rotation/index.js';
import { rotatedAtKey, rotatedByKey, rotatingKey } from '../../src/rotation/metadata.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { DAY, randomToken, rotationContext, startFakeAgent, testDeps, vaultEnv, type FakeAgentOptions, type LocalServer } from './helpers.js';

const LEYZEN = 'prod/orchestrator';
const AGENT_PATH = 'deployment-123-abc/token';

function config(maxPerRun = 1, verify = ''): string {
  return `rotation:
  warn-at: 80%
  max-per-run: ${maxPerRun}
  secrets:
    - name: vault-pass
      mount: leyzen
      path: ${LEYZEN}
      key: VAULT_PASS
      max-age: 90d
      generate: { format: password, length: 24 }
    - name: secret-key
      mount: leyzen
      path: ${LEYZEN}
      key: SECRET_KEY
      max-age: 90d
    - name: docker-proxy-token
      mount: leyzen
      path: ${LEYZEN}
      key: DOCKER_PROXY_TOKEN
      max-age: 90d
    - name: status-agent-token
      mount: status_panel
      path: ${AGENT_PATH}
      key: token
      max-age: 30d
      generate: { format: base64url, bytes: 32 }${verify}
    - name: legacy
      mount: legacy
      path: app
      key: password
      max-age: 90d
`;
}

let vault: FakeVault;
let agent: LocalServer | undefined;
afterEach(async () => {
  await vault?.close();
  await agent?.close();
  agent = undefined;
});

interface Seeded {
  leyzen: Record<string, string>;
  agentToken: string;
}

/** VAULT_PASS rotated 85 days ago, SECRET_KEY 100, DOCKER_PROXY_TOKEN 10; the agent token 26 days ago. */
async function seed(): Promise<Seeded> {
  vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 }, legacy: { version: 1 } } });
  const now = Date.now();
  const ago = (days: number): string => new Date(now - days * DAY).toISOString();
  const leyzen = { VAULT_PASS: randomToken(), SECRET_KEY: randomToken(), DOCKER_PROXY_TOKEN: randomToken(), ORCHESTRATOR_USER: 'admin' };
  vault.seedKv('leyzen', LEYZEN, leyzen, {
    createdTime: ago(10),
    customMetadata: {
      owner: 'ops',
      [rotatedAtKey('VAULT_PASS')]: ago(85),
      [rotatedAtKey('SECRET_KEY')]: ago(100),
      [rotatedAtKey('DOCKER_PROXY_TOKEN')]: ago(10),
    },
  });
  const agentToken = randomToken();
  vault.seedKv('status_panel', AGENT_PATH, { token: agentToken }, { createdTime: ago(26) });
  vault.seedKv('legacy', 'app', { password: randomToken() });
  return { leyzen, agentToken };
}

const ACTIONS_ENV = { GITHUB_WORKFLOW: 'Rotate secrets', GITHUB_RUN_ID: '4242', GITHUB_ACTOR: 'octocat' };

async function rotate(selection: RotateSelection, options: { maxPerRun?: number; dryRun?: boolean; verify?: string } = {}) {
  const test = rotationContext(config(options.maxPerRun, options.verify), { env: { ...vaultEnv(vault), ...ACTIONS_ENV } });
  const result = await runRotate(test.ctx, { selection, dryRun: options.dryRun ?? false }, testDeps());
  return { ...test, result };
}

function writes(): string[] {
  return vault.requests.filter((r) => r.method !== 'GET' && r.method !== 'LIST' && !r.path.startsWith('auth/')).map((r) => `${r.method} ${r.path}`);
}

describe('rotate --due', () => {
  it('rotates the oldest due secret, keeps the other keys, merges custom_metadata, and defers the rest', async () => {
    const seeded = await seed();
    const { result, masked } = await rotate({ kind: 'due' });

    expect(result.findings).toEqual([]);
    expect(result.rotated).toEqual([
      { name: 'secret-key', mount: 'leyzen', path: LEYZEN, key: 'SECRET_KEY', oldVersion: 1, newVersion: 2, status: 'rotated', detail: 'version 2 written and read back' },
      expect.objectContaining({ name: 'vault-pass', status: 'skipped', oldVersion: null, newVersion: null, detail: expect.stringContaining('left for a later run: max-per-run is 1') }),
      expect.objectContaining({ name: 'status-agent-token', status: 'skipped' }),
    ]);

    const after = vault.readKvDirect('leyzen', LEYZEN)!;
    expect(after.version).toBe(2);
    const newValue = after.data!.SECRET_KEY as string;
    expect(newValue).toMatch(/^[0-9a-f]{64}$/);
    expect(newValue).not.toBe(seeded.leyzen.SECRET_KEY);
    // The client masks the Vault token it logs in with; rotation masks the value it generates.
    expect(masked.filter((m) => m !== vault.rootToken)).toEqual([newValue]);
    expect(after.data).toEqual({ ...seeded.leyzen, SECRET_KEY: newValue });

    const meta = after.customMetadata!;
    expect(meta.owner).toBe('ops');
    expect(meta[rotatedAtKey('SECRET_KEY')]).toBe(after.createdTime);
    expect(meta[rotatedAtKey('VAULT_PASS')]).toBe(new Date(Date.parse(meta[rotatedAtKey('VAULT_PASS')]!)).toISOString());
    expect(JSON.parse(meta[rotatedByKey('SECRET_KEY')]!)).toEqual({ reason: 'due', workflow: 'Rotate secrets', run: '4242', actor: 'octocat' });
    // The marker before the data write, then the record (which removes the marker).
    expect(writes()).toEqual([`PATCH leyzen/metadata/${LEYZEN}`, `POST leyzen/data/${LEYZEN}`, `PATCH leyzen/metadata/${LEYZEN}`]);
    expect(meta[rotatingKey('SECRET_KEY')]).toBeUndefined();
    const write = vault.requests.find((r) => r.method === 'POST')!;
    expect((write.body as { options: { cas: number } }).options.cas).toBe(1);
  });

  it('staggers by max-per-run, oldest first, and afterwards rotation-check finds nothing overdue', async () => {
    await seed();
    const { result, ctx } = await rotate({ kind: 'due' }, { maxPerRun: 2 });
    expect(result.rotated!.map((r) => `${r.name}:${r.status}`)).toEqual(['secret-key:rotated', 'vault-pass:rotated', 'status-agent-token:skipped']);
    expect(vault.readKvDirect('leyzen', LEYZEN)!.version).toBe(3);

    const check = await runRotationCheck(ctx, testDeps());
    expect(check.findings.map((f) => `${f.ruleId}:${f.message.match(/"([^"]+)"/)![1]}`)).toEqual([
      'rotation-due-soon:status-agent-token',
      'rotation-age-unknown:legacy',
    ]);
  });

  it('records the replaced version’s time for sibling keys without a record, so they do not look freshly rotated', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 }, legacy: { version: 1 } } });
    const created = new Date(Date.now() - 100 * DAY);
    vault.seedKv('leyzen', LEYZEN, { VAULT_PASS: randomToken(), SECRET_KEY: randomToken(), DOCKER_PROXY_TOKEN: randomToken() }, { createdTime: created });
    vault.seedKv('status_panel', AGENT_PATH, { token: randomToken() });
    const { result, ctx } = await rotate({ kind: 'names', names: ['vault-pass'] });
    expect(result.rotated!.map((r) => r.status)).toEqual(['rotated']);
    const meta = vault.readKvDirect('leyzen', LEYZEN)!.customMetadata!;
    expect(meta[rotatedAtKey('SECRET_KEY')]).toBe(created.toISOString());
    expect(meta[rotatedAtKey('DOCKER_PROXY_TOKEN')]).toBe(created.toISOString());
    const check = await runRotationCheck(ctx, testDeps());
    expect(check.findings.filter((f) => f.ruleId === 'rotation-overdue').map((f) => f.message.match(/"([^"]+)"/)![1])).toEqual(['secret-key', 'docker-proxy-token']);
  });

  it('rotates nothing when nothing is due', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 }, legacy: { version: 1 } } });
    vault.seedKv('leyzen', LEYZEN, { VAULT_PASS: randomToken(), SECRET_KEY: randomToken(), DOCKER_PROXY_TOKEN: randomToken() });
    vault.seedKv('status_panel', AGENT_PATH, { token: randomToken() });
    const { result, logs } = await rotate({ kind: 'due' });
    expect(result.rotated).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(writes()).toEqual([]);
    expect(logs).toContain('rotate: nothing is due');
  });
});

describe('rotate --all and --secret', () => {
  it('--all rotates every listed secret in config order, beyond max-per-run, and stops at the KV v1 one', async () => {
    const seeded = await seed();
    const { result } = await rotate({ kind: 'all' });
    expect(result.rotated!.map((r) => `${r.name}:${r.status}:${r.oldVersion}->${r.newVersion}`)).toEqual([
      'vault-pass:rotated:1->2',
      'secret-key:rotated:2->3',
      'docker-proxy-token:rotated:3->4',
      'status-agent-token:rotated:1->2',
      'legacy:failed:null->null',
    ]);
    const final = vault.readKvDirect('leyzen', LEYZEN)!;
    expect(final.data!.ORCHESTRATOR_USER).toBe('admin');
    for (const key of ['VAULT_PASS', 'SECRET_KEY', 'DOCKER_PROXY_TOKEN']) expect(final.data![key]).not.toBe(seeded.leyzen[key]);
    expect(final.data!.VAULT_PASS).toMatch(/^.{24}$/);
    expect(vault.readKvDirect('status_panel', AGENT_PATH)!.data!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(final.customMetadata![rotatedByKey('VAULT_PASS')]!).reason).toBe('all');

    expect(result.findings.map((f) => [f.ruleId, f.level])).toEqual([['rotation-failed', 'error']]);
    expect(result.findings[0]!.message).toContain('mount "legacy" is KV v1, which has no versions or check-and-set');
    expect(result.findings[0]!.message).toContain('Nothing was written');
  });

  it('--secret rotates the named secrets (reason manual), oldest first within max-per-run', async () => {
    await seed();
    const { result } = await rotate({ kind: 'names', names: ['docker-proxy-token', 'vault-pass'] }, { maxPerRun: 5 });
    expect(result.rotated!.map((r) => `${r.name}:${r.status}`)).toEqual(['vault-pass:rotated', 'docker-proxy-token:rotated']);
    const meta = vault.readKvDirect('leyzen', LEYZEN)!.customMetadata!;
    expect(JSON.parse(meta[rotatedByKey('DOCKER_PROXY_TOKEN')]!).reason).toBe('manual');
  });

  it('refuses unknown names before talking to Vault', async () => {
    await seed();
    const attempt = rotate({ kind: 'names', names: ['vault-pass', 'nope'] });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow('unknown secret nope (rotation.secrets has: vault-pass, secret-key, docker-proxy-token, status-agent-token, legacy)');
    expect(vault.requests).toEqual([]);
  });

  it('--dry-run says what it would do, reads only, and generates nothing', async () => {
    await seed();
    const { result, masked, logs } = await rotate({ kind: 'all' }, { dryRun: true });
    expect(result.rotated!.slice(0, 4).map((r) => `${r.name}:${r.status}:${r.oldVersion}`)).toEqual([
      'vault-pass:would-rotate:1',
      'secret-key:would-rotate:1',
      'docker-proxy-token:would-rotate:1',
      'status-agent-token:would-rotate:1',
    ]);
    expect(result.rotated![0]!.detail).toMatch(/^would write version 2 with a new password value for "VAULT_PASS" \(now 85 days old\), keeping 3 other key\(s\)$/);
    expect(writes()).toEqual([]);
    expect(masked.filter((m) => m !== vault.rootToken)).toEqual([]);
    expect(logs.filter((l) => l.startsWith('dry run:'))).toHaveLength(4);
    expect(vault.readKvDirect('leyzen', LEYZEN)!.version).toBe(1);
  });
});

describe('rotate: refusals before any write', () => {
  it('refuses a missing secret or key; Vault down or unset: nothing rotated, and the report says so', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 }, legacy: { version: 1 } } });
    vault.seedKv('leyzen', LEYZEN, { VAULT_PASS: randomToken() });
    const missingKey = await rotate({ kind: 'names', names: ['secret-key'] });
    expect(missingKey.result.rotated).toEqual([expect.objectContaining({ status: 'failed', oldVersion: null, newVersion: null })]);
    expect(missingKey.result.findings[0]!.message).toContain('the secret has no key "SECRET_KEY"; create it before rotating. Nothing was written');
    const missing = await rotate({ kind: 'names', names: ['status-agent-token'] });
    expect(missing.result.findings[0]!.message).toContain('the secret does not exist; create it before rotating');
    expect(writes()).toEqual([]);

    const url = vault.url;
    await vault.close();
    const down = await runRotate(rotationContext(config(), { env: { VAULT_ADDR: url, VAULT_TOKEN: randomToken() } }).ctx, { selection: { kind: 'all' }, dryRun: false }, testDeps());
    expect(down.rotated!.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(down.rotated![0]!.detail).toMatch(/^reading the secret failed: cannot reach Vault at .*; nothing was written$/);
    expect(down.findings.map((f) => f.ruleId)).toEqual(['rotation-failed']);

    const unset = await runRotate(rotationContext(config(), { env: {} }).ctx, { selection: { kind: 'due' }, dryRun: false }, testDeps());
    expect(unset.rotated).toEqual([]);
    expect(unset.findings.map((f) => [f.ruleId, f.level, f.startLine])).toEqual([['rotation-vault-error', 'error', 1]]);
    expect(unset.findings[0]!.message).toBe('cannot rotate: no Vault address: set vault.address in .keywarden.yml, or VAULT_ADDR; nothing was rotated');
  });
});

describe('rotate: the documented minimal Vault policy', () => {
  it('is enough to check and rotate; without patch on metadata the rotation fails after the write and reports the new version', async () => {
    await seed();
    vault.addPolicy(
      'keywarden-rotator',
      `path "leyzen/data/${LEYZEN}" { capabilities = ["read", "create", "update"] }
path "leyzen/metadata/${LEYZEN}" { capabilities = ["read", "patch"] }`,
    );
    const yaml = config(3).split('    - name: status-agent-token')[0]!;
    const env = vaultEnv(vault, vault.createToken(['keywarden-rotator']));
    const { ctx } = rotationContext(yaml, { env });
    const result = await runRotate(ctx, { selection: { kind: 'all' }, dryRun: false }, testDeps());
    expect(result.findings).toEqual([]);
    expect(result.rotated!.map((r) => r.status)).toEqual(['rotated', 'rotated', 'rotated']);
    expect((await runRotationCheck(ctx, testDeps())).findings).toEqual([]);

    vault.addPolicy('no-patch', `path "leyzen/data/${LEYZEN}" { capabilities = ["read", "create", "update"] }
path "leyzen/metadata/${LEYZEN}" { capabilities = ["read"] }`);
    const denied = rotationContext(yaml, { env: vaultEnv(vault, vault.createToken(['no-patch'])) });
    const failed = await runRotate(denied.ctx, { selection: { kind: 'names', names: ['secret-key'] }, dryRun: false }, testDeps());
    // Without patch the marker cannot be set, so nothing is written: no new version without its record.
    expect(failed.rotated).toEqual([expect.objectContaining({ status: 'failed', newVersion: null })]);
    expect(failed.rotated![0]!.detail).toMatch(/^marking the rotation as under way in custom_metadata failed: .*permission denied; Vault still holds the old value \(version 4\)$/);
    expect(vault.readKvDirect('leyzen', LEYZEN)!.version).toBe(4);
  });
});

describe('rotate: concurrent change', () => {
  it('fails cleanly on a check-and-set mismatch: the concurrent value stays, and the rest is not attempted', async () => {
    await seed();
    const concurrent = randomToken();
    vault.injectFault({
      kind: 'latency',
      ms: 0,
      match: { method: 'POST', path: `leyzen/data/${LEYZEN}` },
      onFire: () => vault.seedKv('leyzen', LEYZEN, { ...vault.readKvDirect('leyzen', LEYZEN)!.data!, VAULT_PASS: concurrent }),
    });
    const { result } = await rotate({ kind: 'all' });
    expect(result.rotated!.map((r) => `${r.name}:${r.status}`)).toEqual([
      'vault-pass:failed',
      'secret-key:skipped',
      'docker-proxy-token:skipped',
      'status-agent-token:skipped',
      'legacy:skipped',
    ]);
    expect(result.rotated![0]).toMatchObject({ oldVersion: 1, newVersion: null });
    expect(result.rotated![0]!.detail).toContain('check-and-set mismatch');
    expect(result.rotated![0]!.detail).toContain('Vault holds a value of "VAULT_PASS" keywarden did not write (version 2): it was changed concurrently');
    expect(result.rotated![1]!.detail).toBe('not attempted: the rotation of "vault-pass" failed');
    const after = vault.readKvDirect('leyzen', LEYZEN)!;
    expect(after.version).toBe(2);
    expect(after.data!.VAULT_PASS).toBe(concurrent);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['rotation-failed']);
    expect(vault.readKvDirect('status_panel', AGENT_PATH)!.version).toBe(1);
  });
});

describe('rotate: verify the agent picked up the new value', () => {
  const verify = (url: string, timeout = '2s'): string => `\n      verify: { url: "${url}", timeout: ${timeout} }`;

  async function rotateAgent(options: FakeAgentOptions) {
    await seed();
    agent = await startFakeAgent(vault, 'status_panel', AGENT_PATH, 'token', options);
    return rotate({ kind: 'names', names: ['status-agent-token'] }, { verify: verify(`${agent.url}/health`) });
  }

  it('polls /health until token_age_seconds is newer than the write and last_refresh_ok is true', async () => {
    const { result } = await rotateAgent({});
    expect(result.findings).toEqual([]);
    expect(result.rotated).toEqual([expect.objectContaining({ name: 'status-agent-token', status: 'verified', oldVersion: 1, newVersion: 2 })]);
    expect(result.rotated![0]!.detail).toMatch(/picked up by the agent \(token_age_seconds 0\)/);
    expect(agent!.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('reports an agent that never picks it up as not verified, with the new version', async () => {
    const { result } = await rotateAgent({ frozen: true });
    expect(result.rotated).toEqual([expect.objectContaining({ status: 'not-verified', oldVersion: 1, newVersion: 2 })]);
    expect(result.findings.map((f) => [f.ruleId, f.level])).toEqual([['rotation-not-verified', 'error']]);
    expect(result.findings[0]!.message).toContain('version 2 holds the new value, but the agent did not show it within 2 seconds');
    expect(result.findings[0]!.message).toContain('still the old token');
    expect(result.findings[0]!.message).toContain('the old value is version 1');
    expect(agent!.requests.length).toBeGreaterThan(2);
  });

  it('does not accept a picked-up token while last_refresh_ok is false', async () => {
    const { result } = await rotateAgent({ lastRefreshOk: false });
    expect(result.rotated).toEqual([expect.objectContaining({ status: 'not-verified', newVersion: 2 })]);
    expect(result.findings[0]!.message).toContain('last_refresh_ok false');
  });
});
