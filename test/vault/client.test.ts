import { afterEach, describe, expect, it } from 'vitest';
import { connectVault } from '../../src/vault/connect.js';
import { VaultError } from '../../src/vault/errors.js';
import type { VaultClient } from '../../src/vault/types.js';
import { startFakeVault, type FakeVault, type FakeVaultOptions } from '../support/fake-vault.js';
import { vaultContext } from './context.js';
import { simulatedClock } from '../support/clock.js';
import { secret } from '../support/random.js';

const FAST = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 20 };

let vault: FakeVault;
afterEach(async () => vault?.close());

async function setup(options: FakeVaultOptions = {}, policies?: string): Promise<{ client: VaultClient; token: string }> {
  vault = await startFakeVault({ mounts: { secret: { version: 2 }, legacy: { version: 1 } }, ...options });
  let token = vault.rootToken;
  if (policies) {
    vault.addPolicy('test', policies);
    token = vault.createToken(['test']);
  }
  const { ctx } = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: token } });
  return { client: await connectVault(ctx, { retry: FAST }), token };
}

function value(): string {
  return secret.hex(16);
}

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

const writes = (path: string): number => vault.requests.filter((r) => r.method === 'POST' && r.path === path).length;

describe('KV version detection', () => {
  it('detects v1 and v2 per mount, once per mount', async () => {
    const { client } = await setup();
    expect(await client.kvVersion('secret')).toBe(2);
    expect(await client.kvVersion('secret/')).toBe(2);
    expect(await client.kvVersion('legacy')).toBe(1);
    expect(vault.requests.filter((r) => r.path.startsWith('sys/internal/ui/mounts/'))).toHaveLength(2);
  });

  it('a mistyped mount gets Vault’s 403, and the hint says it may not exist', async () => {
    // Vault answers 403 for a mount that does not exist, even to root (vault/logical_system.go,
    // pathInternalUIMountRead), so the test Vault does too and "no such mount" is part of the hint.
    const { client } = await setup({}, 'path "secret/data/*" { capabilities = ["read"] }');
    const unknown = await failure(client.kvVersion('secrte'));
    expect(unknown.status).toBe(403);
    expect(unknown.message).toBe(
      `cannot tell the KV version of mount "secrte" at ${vault.url}: permission denied or no such mount; check the mount name, and that the token's policies grant something under "secrte/"`,
    );
    const root = await connectVault(vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } }).ctx, { retry: FAST });
    expect((await failure(root.kvVersion('secrte'))).status).toBe(403);
    const error = await failure(client.kvVersion('legacy'));
    expect(error.message).toContain('cannot tell the KV version of mount "legacy"');
    expect(error.permissionDenied).toBe(true);
    expect(error.status).toBe(403);
    // A failed detection is not cached: once the policy grants access, detection succeeds.
    vault.addPolicy('test', 'path "legacy/*" { capabilities = ["read"] }');
    expect(await client.kvVersion('legacy')).toBe(1);
  });
});

describe('reads', () => {
  it('reads KV v2 secrets with version and creation time, and null when missing', async () => {
    const { client } = await setup();
    const secret = { token: value(), other: 'keep' };
    vault.seedKv('secret', 'status/dep-1/token', secret, { createdTime: '2026-01-02T03:04:05.000Z' });
    expect(await client.readSecret('secret', 'status/dep-1/token')).toEqual({ data: secret, version: 1, createdTime: '2026-01-02T03:04:05.000Z' });
    expect(await client.readSecret('secret', 'nothing/here')).toBeNull();
  });

  it('reads KV v1 secrets without versions', async () => {
    const { client } = await setup();
    const secret = { pass: value() };
    vault.seedKv('legacy', 'app', secret);
    expect(await client.readSecret('legacy', 'app')).toEqual({ data: secret, version: null });
    await expect(client.readMetadata('legacy', 'app')).rejects.toThrow(/KV v1/);
  });

  it('reads metadata with custom_metadata and versions', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'm', { k: value() }, { createdTime: '2026-01-01T00:00:00.000Z', customMetadata: { 'rotated-at.k': '2026-01-01T00:00:00Z' } });
    vault.seedKv('secret', 'm', { k: value() });
    const metadata = await client.readMetadata('secret', 'm');
    expect(metadata).toMatchObject({ currentVersion: 2, casRequired: false, customMetadata: { 'rotated-at.k': '2026-01-01T00:00:00Z' } });
    expect(Object.keys(metadata!.versions)).toEqual(['1', '2']);
    expect(metadata!.versions['1']!.created_time).toBe('2026-01-01T00:00:00.000Z');
    expect(await client.readMetadata('secret', 'missing')).toBeNull();
  });

  it('lists and reads ACL policies', async () => {
    const { client } = await setup();
    const hcl = 'path "secret/data/app/*" { capabilities = ["read"] }\n';
    vault.addPolicy('app', hcl);
    expect(await client.listPolicies()).toEqual(['app', 'default', 'root']);
    expect(await client.readPolicy('app')).toBe(hcl);
    expect(await client.readPolicy('missing')).toBeNull();
  });

  it('encodes path segments', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'with space/x', { a: 'b' });
    expect((await client.readSecret('secret', '/with space/x/'))?.data).toEqual({ a: 'b' });
  });
});

describe('writes and metadata', () => {
  it('writes a new version with check-and-set and keeps other keys as given', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { token: value(), keep: 'me' });
    const next = { token: value(), keep: 'me' };
    expect(await client.writeSecret('secret', 'app', next, 1)).toEqual({ version: 2, confirmedByReadBack: false });
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: next });
    expect(vault.requests.find((r) => r.method === 'POST')?.body).toMatchObject({ options: { cas: 1 } });
  });

  it('creates a secret with cas 0', async () => {
    const { client } = await setup();
    expect(await client.writeSecret('secret', 'fresh', { a: value() }, 0)).toEqual({ version: 1, confirmedByReadBack: false });
  });

  it('fails cleanly on a CAS conflict, without retrying and without writing', async () => {
    const { client } = await setup();
    const current = { token: value() };
    vault.seedKv('secret', 'app', { token: value() });
    vault.seedKv('secret', 'app', current);
    const error = await failure(client.writeSecret('secret', 'app', { token: value() }, 1));
    expect(error.message).toContain('check-and-set mismatch');
    expect(error.message).toContain('nothing was written');
    expect(error.status).toBe(400);
    expect(writes('secret/data/app')).toBe(1);
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: current });
  });

  it('refuses writes to KV v1', async () => {
    const { client } = await setup();
    await expect(client.writeSecret('legacy', 'app', { a: 'b' }, 0)).rejects.toThrow(/needs a KV v2 mount/);
  });

  it('merges custom_metadata with PATCH, never replacing other keys', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { a: value(), b: value() }, { customMetadata: { owner: 'ops', 'rotated-at.a': 'old' } });
    await client.patchCustomMetadata('secret', 'app', { 'rotated-at.a': '2026-11-22T08:00:00Z', 'rotated-by.a': 'workflow rotate #7' });
    expect(vault.readKvDirect('secret', 'app')?.customMetadata).toEqual({
      owner: 'ops',
      'rotated-at.a': '2026-11-22T08:00:00Z',
      'rotated-by.a': 'workflow rotate #7',
    });
    const patch = vault.requests.find((r) => r.method === 'PATCH');
    expect(patch?.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('sends the namespace header', async () => {
    vault = await startFakeVault({ namespace: 'team-a' });
    vault.seedKv('secret', 'x', { a: 'b' });
    const { ctx } = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken, VAULT_NAMESPACE: 'team-a/' } });
    const client = await connectVault(ctx, { retry: FAST });
    expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
    expect(vault.requests.every((r) => r.headers['x-vault-namespace'] === 'team-a/')).toBe(true);
  });
});

describe('retries', () => {
  it('retries reads on 412, 429 (honouring Retry-After within bounds) and 5xx, then succeeds on the third attempt', async () => {
    for (const [first, second] of [[412, 503], [429, 500], [502, 412]] as const) {
      const { client } = await setup();
      vault.seedKv('secret', 'x', { a: 'b' });
      vault.injectFault({ match: { method: 'GET', path: 'secret/data/x' }, kind: 'status', status: first, retryAfter: first === 429 ? 3600 : undefined });
      vault.injectFault({ match: { method: 'GET', path: 'secret/data/x' }, kind: 'status', status: second });
      expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
      expect(vault.requests.filter((r) => r.path === 'secret/data/x').map((r) => r.fault)).toEqual(['status', 'status', undefined]);
      await vault.close();
    }
  });

  it('never retries 501 (not implemented), like Vault’s client', async () => {
    const { client } = await setup();
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'status', status: 501, times: 5 });
    const error = await failure(client.readSecret('secret', 'x'));
    expect(error.status).toBe(501);
    expect(vault.requests.filter((r) => r.path === 'secret/data/x')).toHaveLength(1);
  });

  it('follows VAULT_MAX_RETRIES: retries after the first attempt, 0 for none; refuses a value that is not a count', async () => {
    for (const [retries, attempts] of [['0', 1], ['4', 5]] as const) {
      vault = await startFakeVault();
      const { ctx } = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken, VAULT_MAX_RETRIES: retries } });
      const client = await connectVault(ctx, { retry: FAST });
      await client.kvVersion('secret');
      vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'status', status: 503, times: 10 });
      await failure(client.readSecret('secret', 'x'));
      expect(vault.requests.filter((r) => r.path === 'secret/data/x')).toHaveLength(attempts);
      await vault.close();
    }
    const bad = vaultContext({ env: { VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 't', VAULT_MAX_RETRIES: 'many' } });
    await expect(connectVault(bad.ctx)).rejects.toThrow('VAULT_MAX_RETRIES must be a whole number of retries (0 to 999), not "many"');
  });

  it('gives up after the attempt limit and says how many attempts it made', async () => {
    const { client } = await setup();
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'status', status: 503, times: 10 });
    const error = await failure(client.readSecret('secret', 'x'));
    expect(error.message).toMatch(/answered 503 to GET secret\/data\/x: Vault is sealed \(after 3 attempts\)$/);
    expect(vault.requests.filter((r) => r.path === 'secret/data/x')).toHaveLength(3);
  });

  it('retries a dropped read', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'x', { a: 'b' });
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'drop' });
    expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
  });

  it('never retries 400 or 403', async () => {
    const { client } = await setup({}, 'path "secret/data/allowed" { capabilities = ["read"] }\npath "secret/metadata/*" { capabilities = ["read"] }');
    const denied = await failure(client.readSecret('secret', 'forbidden'));
    expect(denied.permissionDenied).toBe(true);
    expect(denied.message).toBe(`Vault at ${vault.url} answered 403 to GET secret/data/forbidden: permission denied`);
    expect(vault.requests.filter((r) => r.path === 'secret/data/forbidden')).toHaveLength(1);
    vault.seedKv('secret', 'allowed', { a: 'b' });
    const badWrite = await failure(client.writeSecret('secret', 'allowed', { a: 'c' }, 1));
    expect(badWrite.status).toBe(403);
    expect(writes('secret/data/allowed')).toBe(1);
  });

  it('times out a slow answer, retries, and names the timeout', async () => {
    const clock = simulatedClock();
    vault = await startFakeVault({ time: clock });
    vault.seedKv('secret', 'slow', { a: 'b' });
    vault.injectFault({ match: { path: 'secret/data/slow' }, kind: 'latency', ms: 1500, times: 2 });
    const { ctx } = vaultContext({ yaml: 'vault:\n  timeout: 100ms\n', env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } });
    const client = await connectVault(ctx, { retry: { ...FAST, maxAttempts: 2 }, timers: clock });
    const error = await failure(client.readSecret('secret', 'slow'));
    expect(error.message).toBe(`cannot reach Vault at ${vault.url}: no answer within 100 ms (after 2 attempts)`);
    const again = await connectVault(ctx, { retry: { ...FAST, maxAttempts: 3 }, timers: clock });
    vault.injectFault({ match: { path: 'secret/data/slow' }, kind: 'latency', ms: 1500, times: 1 });
    expect((await again.readSecret('secret', 'slow'))?.data).toEqual({ a: 'b' });
  });
});

describe('writes whose outcome is unknown', () => {
  it('confirms a write whose answer was lost by reading it back, without sending it again', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { token: value() });
    const next = { token: value(), keep: 'x' };
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'lost-answer' });
    expect(await client.writeSecret('secret', 'app', next, 1)).toEqual({ version: 2, confirmedByReadBack: true });
    expect(writes('secret/data/app')).toBe(1);
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: next });
  });

  it('retries once, with the same cas, a write dropped before it landed', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { token: value() });
    const next = { token: value() };
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'drop' });
    expect(await client.writeSecret('secret', 'app', next, 1)).toEqual({ version: 2, confirmedByReadBack: false });
    const sent = vault.requests.filter((r) => r.method === 'POST' && r.path === 'secret/data/app');
    expect(sent.map((r) => (r.body as { options: { cas: number } }).options.cas)).toEqual([1, 1]);
    const between = vault.requests.slice(vault.requests.indexOf(sent[0]!) + 1, vault.requests.indexOf(sent[1]!));
    expect(between.some((r) => r.method === 'GET' && r.path === 'secret/data/app' && r.query.version === '2')).toBe(true);
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: next });
  });

  it('treats a 5xx answer to a write as unknown: reads back, then re-sends once', async () => {
    const { client } = await setup();
    const next = { token: value() };
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/new' }, kind: 'status', status: 500 });
    expect(await client.writeSecret('secret', 'new', next, 0)).toEqual({ version: 1, confirmedByReadBack: false });
    expect(writes('secret/data/new')).toBe(2);
  });

  it('after the attempts run out the outcome stays unknown: a read showing no change never means nothing was written', async () => {
    const { client } = await setup();
    const old = { token: value() };
    vault.seedKv('secret', 'app', old);
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'drop', times: 5 });
    const error = await failure(client.writeSecret('secret', 'app', { token: value() }, 1));
    expect(error.message).toMatch(/^write to secret\/app at .*: outcome unknown after 3 attempts \(.*\): the write may still land as version 2; check/);
    expect(error.message).not.toContain('nothing was written');
    expect(error.outcomeUnknown).toBe(true);
    expect(writes('secret/data/app')).toBe(3);
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 1, data: old });
  });

  it('a write held past the timeout, then 503 on each re-send: outcome unknown, and the held write may land later', async () => {
    const clock = simulatedClock();
    vault = await startFakeVault({ time: clock });
    vault.seedKv('secret', 'app', { token: value() });
    const { ctx } = vaultContext({ yaml: 'vault:\n  timeout: 5s\n', env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } });
    const client = await connectVault(ctx, { retry: FAST, timers: clock });
    const next = { token: value() };
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'latency', ms: 6000 });
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'status', status: 503, times: 5 });
    const error = await failure(client.writeSecret('secret', 'app', next, 1));
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('no answer within 5000 ms');
    expect(error.message).not.toContain('nothing was written');
    await vault.releaseLate();
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: next });
  });

  it('says not written when someone else wrote version cas+1 meanwhile (check-and-set can no longer match)', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { token: value() });
    const theirs = { token: value() };
    vault.injectFault({
      match: { method: 'POST', path: 'secret/data/app' },
      kind: 'drop',
      onFire: () => vault.seedKv('secret', 'app', theirs),
    });
    const error = await failure(client.writeSecret('secret', 'app', { token: value() }, 1));
    expect(error.outcomeUnknown).toBe(false);
    expect(error.currentVersion).toBe(2);
    expect(error.message).toContain('not written: the secret changed meanwhile (version 2 holds other data, the current version is 2)');
    expect(writes('secret/data/app')).toBe(1);
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: theirs });
  });

  it('confirms by read-back when the re-send meets a CAS mismatch because the first send landed late', async () => {
    const { client } = await setup();
    vault.seedKv('secret', 'app', { token: value() });
    const next = { token: value() };
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'drop' });
    // The first send "lands" just as the re-send arrives.
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/app' }, kind: 'latency', ms: 0, onFire: () => vault.seedKv('secret', 'app', next) });
    expect(await client.writeSecret('secret', 'app', next, 1)).toEqual({ version: 2, confirmedByReadBack: true });
    expect(vault.readKvDirect('secret', 'app')).toMatchObject({ version: 2, data: next });
  });

  it('retries a write refused with 429 (nothing was done) without reading back', async () => {
    const { client } = await setup();
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/rl' }, kind: 'status', status: 429, retryAfter: 1 });
    expect(await client.writeSecret('secret', 'rl', { a: value() }, 0)).toEqual({ version: 1, confirmedByReadBack: false });
    expect(vault.requests.filter((r) => r.method === 'GET' && r.path === 'secret/data/rl')).toHaveLength(0);
  });
});
