import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { signJwt, startFakeVault, type FakeVault, type FakeVaultOptions } from '../support/fake-vault.js';
import { secret } from '../support/random.js';

/** The fake must behave like Vault's documented API, or client tests prove nothing. */

let vault: FakeVault;
afterEach(async () => vault?.close());

async function start(options: FakeVaultOptions = {}): Promise<FakeVault> {
  vault = await startFakeVault(options);
  return vault;
}

interface Answer {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['X-Vault-Token'] = options.token;
  if (options.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${vault.url}/v1/${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : null, headers: response.headers };
}

const DENIED = { errors: ['1 error occurred:\n\t* permission denied\n\n'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('fake Vault: KV v2', () => {
  it('answers writes and reads in the envelope, with versions and metadata', async () => {
    await start();
    const root = vault.rootToken;
    const write = await call('POST', 'secret/data/app/db', { token: root, body: { data: { user: 'app' }, options: { cas: 0 } } });
    expect(write.status).toBe(200);
    expect(Object.keys(write.json).sort()).toEqual(['auth', 'data', 'lease_duration', 'lease_id', 'mount_type', 'renewable', 'request_id', 'warnings', 'wrap_info']);
    expect(write.json.request_id).toMatch(UUID);
    expect(write.json).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0, wrap_info: null, warnings: null, auth: null, mount_type: 'kv' });
    expect(write.json.data).toMatchObject({ version: 1, deletion_time: '', destroyed: false, custom_metadata: null });

    await call('POST', 'secret/data/app/db', { token: root, body: { data: { user: 'app2' }, options: { cas: 1 } } });
    const latest = await call('GET', 'secret/data/app/db', { token: root });
    expect(latest.json.data.data).toEqual({ user: 'app2' });
    expect(latest.json.data.metadata.version).toBe(2);
    const first = await call('GET', 'secret/data/app/db?version=1', { token: root });
    expect(first.json.data.data).toEqual({ user: 'app' });
    expect((await call('GET', 'secret/data/app/db?version=0', { token: root })).json.data.metadata.version).toBe(2);
    expect((await call('GET', 'secret/data/app/db?version=7', { token: root })).json).toEqual({ errors: [] });

    const metadata = await call('GET', 'secret/metadata/app/db', { token: root });
    expect(metadata.json.data).toMatchObject({ current_version: 2, oldest_version: 1, cas_required: false, max_versions: 0 });
    expect(Object.keys(metadata.json.data.versions)).toEqual(['1', '2']);
  });

  it('answers 404 {"errors":[]} for a missing secret, and the full envelope for a deleted version', async () => {
    await start();
    const missing = await call('GET', 'secret/data/nothing', { token: vault.rootToken });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [] });

    vault.seedKv('secret', 'gone', { a: '1' });
    const deleted = await call('DELETE', 'secret/data/gone', { token: vault.rootToken });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const read = await call('GET', 'secret/data/gone', { token: vault.rootToken });
    expect(read.status).toBe(404);
    expect(read.json.data.data).toBeNull();
    expect(read.json.data.metadata.deletion_time).not.toBe('');
    expect(read.json.errors).toBeUndefined();
  });

  it('enforces check-and-set and cas_required with Vault’s messages', async () => {
    await start({ mounts: { secret: { version: 2 }, strict: { version: 2, casRequired: true } } });
    vault.seedKv('secret', 'x', { v: '1' });
    const stale = await call('POST', 'secret/data/x', { token: vault.rootToken, body: { data: { v: '2' }, options: { cas: 0 } } });
    expect(stale.status).toBe(400);
    expect(stale.json).toEqual({ errors: ['check-and-set parameter did not match the current version'] });
    const noCas = await call('POST', 'strict/data/x', { token: vault.rootToken, body: { data: { v: '1' } } });
    expect(noCas.json).toEqual({ errors: ['check-and-set parameter required for this call'] });
    const noData = await call('POST', 'secret/data/x', { token: vault.rootToken, body: { options: { cas: 1 } } });
    expect(noData.json).toEqual({ errors: ['no data provided'] });
    expect(vault.readKvDirect('secret', 'x')).toMatchObject({ version: 1, data: { v: '1' } });
  });

  it('writes metadata with 204, replaces custom_metadata on POST and merges it on PATCH', async () => {
    await start();
    vault.seedKv('secret', 'm', { k: 'v' });
    const post = await call('POST', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: { a: '1', b: '2' } } });
    expect(post.status).toBe(204);
    expect(post.text).toBe('');
    const plainPatch = await call('PATCH', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: { c: '3' } } });
    expect(plainPatch.status).toBe(415);
    const patch = await call('PATCH', 'secret/metadata/m', {
      token: vault.rootToken,
      body: { custom_metadata: { b: null, c: '3' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patch.status).toBe(204);
    expect(vault.readKvDirect('secret', 'm')?.customMetadata).toEqual({ a: '1', c: '3' });
    const replace = await call('POST', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: { z: '9' } } });
    expect(replace.status).toBe(204);
    expect(vault.readKvDirect('secret', 'm')?.customMetadata).toEqual({ z: '9' });
  });

  it('rejects custom_metadata beyond Vault’s limits', async () => {
    await start();
    vault.seedKv('secret', 'm', { k: 'v' });
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect((await call('POST', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: tooMany } })).status).toBe(400);
    const longValue = await call('POST', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: { k: 'x'.repeat(513) } } });
    expect(longValue.json.errors[0]).toContain('max is 512');
    const notString = await call('POST', 'secret/metadata/m', { token: vault.rootToken, body: { custom_metadata: { k: 1 } } });
    expect(notString.status).toBe(400);
  });

  it('lists keys with ?list=true and answers 404 when there are none', async () => {
    await start();
    vault.seedKv('secret', 'team/a', { x: '1' });
    vault.seedKv('secret', 'team/sub/b', { x: '1' });
    vault.seedKv('secret', 'top', { x: '1' });
    const list = await call('GET', 'secret/metadata/team/?list=true', { token: vault.rootToken });
    expect(list.json.data).toEqual({ keys: ['a', 'sub/'] });
    const root = await call('GET', 'secret/metadata/?list=true', { token: vault.rootToken });
    expect(root.json.data.keys).toEqual(['team/', 'top']);
    const empty = await call('GET', 'secret/metadata/none/?list=true', { token: vault.rootToken });
    expect(empty.status).toBe(404);
    expect(empty.json).toEqual({ errors: [] });
  });

  it('keeps versions within max_versions, and supports delete/undelete/destroy', async () => {
    await start({ mounts: { secret: { version: 2, maxVersions: 2 } } });
    for (let i = 0; i < 3; i += 1) vault.seedKv('secret', 'v', { i: String(i) });
    const metadata = await call('GET', 'secret/metadata/v', { token: vault.rootToken });
    expect(metadata.json.data).toMatchObject({ current_version: 3, oldest_version: 2 });
    expect(Object.keys(metadata.json.data.versions)).toEqual(['2', '3']);
    expect((await call('POST', 'secret/destroy/v', { token: vault.rootToken, body: { versions: [3] } })).status).toBe(204);
    expect((await call('GET', 'secret/data/v', { token: vault.rootToken })).status).toBe(404);
    await call('POST', 'secret/delete/v', { token: vault.rootToken, body: { versions: [2] } });
    expect((await call('GET', 'secret/data/v?version=2', { token: vault.rootToken })).status).toBe(404);
    await call('POST', 'secret/undelete/v', { token: vault.rootToken, body: { versions: [2] } });
    expect((await call('GET', 'secret/data/v?version=2', { token: vault.rootToken })).json.data.data).toEqual({ i: '1' });
  });

  it('answers a v1-style path on a v2 mount with a 404 envelope and a warning', async () => {
    await start();
    const wrong = await call('GET', 'secret/app', { token: vault.rootToken });
    expect(wrong.status).toBe(404);
    expect(wrong.json.warnings[0]).toMatch(/^Invalid path for a versioned K\/V secrets engine/);
  });
});

describe('fake Vault: KV v1 and mount detection', () => {
  it('stores v1 secrets without versions and answers writes with 204', async () => {
    await start({ mounts: { kv: { version: 1 } } });
    const write = await call('POST', 'kv/app', { token: vault.rootToken, body: { pass: 'x' } });
    expect(write.status).toBe(204);
    const read = await call('GET', 'kv/app', { token: vault.rootToken });
    expect(read.json.data).toEqual({ pass: 'x' });
    expect(read.json.lease_duration).toBe(2764800);
  });

  it('reports the KV version under sys/internal/ui/mounts and 403s a token with nothing under the mount', async () => {
    await start({ mounts: { secret: { version: 2 }, kv: { version: 1 } } });
    const v2 = await call('GET', 'sys/internal/ui/mounts/secret/some/path', { token: vault.rootToken });
    expect(v2.json.data).toMatchObject({ options: { version: '2' }, path: 'secret/', type: 'kv' });
    const v1 = await call('GET', 'sys/internal/ui/mounts/kv', { token: vault.rootToken });
    expect(v1.json.data.options).toBeNull();
    vault.addPolicy('only-secret', 'path "secret/data/*" { capabilities = ["read"] }');
    const token = vault.createToken(['only-secret']);
    const denied = await call('GET', 'sys/internal/ui/mounts/kv', { token });
    expect(denied.status).toBe(403);
    expect(denied.json.errors[0]).toContain('preflight capability check returned 403');
  });

  it('answers 403, never 404, for a mount that does not exist, even to root (vault/logical_system.go, pathInternalUIMountRead)', async () => {
    await start({ mounts: { secret: { version: 2 } } });
    const missing = await call('GET', 'sys/internal/ui/mounts/secrte/app', { token: vault.rootToken });
    expect(missing.status).toBe(403);
    expect(missing.json.errors).toEqual(['preflight capability check returned 403, please ensure client\'s policies grant access to path "secrte/app/"']);
  });
});

describe('fake Vault: ACL', () => {
  it('enforces policies with exact, * and + rules, and answers 403 with Vault’s body', async () => {
    await start();
    vault.addPolicy(
      'app',
      `path "secret/data/app/*" { capabilities = ["read"] }
path "secret/data/app/locked" { capabilities = ["deny"] }
path "secret/data/+/shared" { capabilities = ["read", "create", "update"] }`,
    );
    vault.seedKv('secret', 'app/one', { a: '1' });
    vault.seedKv('secret', 'app/locked', { a: '1' });
    vault.seedKv('secret', 'other/one', { a: '1' });
    const token = vault.createToken(['app']);
    expect((await call('GET', 'secret/data/app/one', { token })).status).toBe(200);
    const locked = await call('GET', 'secret/data/app/locked', { token });
    expect(locked.status).toBe(403);
    expect(locked.json).toEqual(DENIED);
    expect((await call('GET', 'secret/data/other/one', { token })).json).toEqual(DENIED);
    expect((await call('POST', 'secret/data/app/one', { token, body: { data: { a: '2' } } })).status).toBe(403);
    expect((await call('POST', 'secret/data/team/shared', { token, body: { data: { a: '1' } } })).status).toBe(200);
    // `secret/data/app/*` beats `secret/data/+/shared`: its first wildcard comes later. It only grants read.
    expect((await call('POST', 'secret/data/app/shared', { token, body: { data: { a: '1' } } })).status).toBe(403);
  });

  it('tells create from update on writes', async () => {
    await start();
    vault.addPolicy('create-only', 'path "secret/data/*" { capabilities = ["create"] }');
    const token = vault.createToken(['create-only']);
    expect((await call('POST', 'secret/data/new', { token, body: { data: { a: '1' } } })).status).toBe(200);
    expect((await call('POST', 'secret/data/new', { token, body: { data: { a: '2' } } })).status).toBe(403);
  });

  it('rejects missing and unknown tokens', async () => {
    await start();
    expect((await call('GET', 'secret/data/x')).json).toEqual(DENIED);
    const unknown = await call('GET', 'secret/data/x', { token: 'not-a-token' });
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors[0]).toContain('invalid token');
  });

  it('serves sys/policies/acl: LIST, GET, POST (with parse errors), DELETE', async () => {
    await start();
    const root = vault.rootToken;
    const hcl = 'path "secret/data/app" { capabilities = ["read"] }';
    expect((await call('POST', 'sys/policies/acl/app', { token: root, body: { policy: hcl } })).status).toBe(204);
    expect((await call('GET', 'sys/policies/acl?list=true', { token: root })).json.data.keys).toEqual(['app', 'default', 'root']);
    const read = await call('GET', 'sys/policies/acl/app', { token: root });
    expect(read.json.data).toEqual({ name: 'app', policy: hcl });
    const bad = await call('POST', 'sys/policies/acl/bad', { token: root, body: { policy: 'path "x" { capabilities = ["write"] }' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatch(/^failed to parse policy: .*invalid capability/);
    expect((await call('DELETE', 'sys/policies/acl/app', { token: root })).status).toBe(204);
    expect((await call('GET', 'sys/policies/acl/app', { token: root })).json).toEqual({ errors: [] });
  });

  it('answers lookup-self for any valid token, through the default policy', async () => {
    await start();
    vault.addPolicy('app', 'path "secret/data/app" { capabilities = ["read"] }');
    const token = vault.createToken(['app'], { ttlSeconds: 600 });
    const self = await call('GET', 'auth/token/lookup-self', { token });
    expect(self.status).toBe(200);
    expect(self.json.data).toMatchObject({ policies: ['default', 'app'], ttl: 600, type: 'service' });
    const root = await call('GET', 'auth/token/lookup-self', { token: vault.rootToken });
    expect(root.json.data).toMatchObject({ policies: ['root'], ttl: 0, expire_time: null });
  });

  it('expires tokens on the settable clock', async () => {
    await start();
    const token = vault.createToken([], { ttlSeconds: 60 });
    vault.setClock(new Date(Date.now() + 120_000));
    expect((await call('GET', 'auth/token/lookup-self', { token })).status).toBe(403);
  });

  it('requires the configured namespace', async () => {
    await start({ namespace: 'team-a' });
    vault.seedKv('secret', 'x', { a: '1' });
    expect((await call('GET', 'secret/data/x', { token: vault.rootToken })).status).toBe(403);
    expect((await call('GET', 'secret/data/x', { token: vault.rootToken, headers: { 'X-Vault-Namespace': 'team-a/' } })).status).toBe(200);
  });
});

describe('fake Vault: logins', () => {
  it('logs in with AppRole and refuses wrong credentials with Vault’s message', async () => {
    const roleId = secret.hex(8);
    const secretId = secret.hex(8);
    await start({ approle: { roles: [{ roleId, secretId, policies: ['app'] }] } });
    const ok = await call('POST', 'auth/approle/login', { body: { role_id: roleId, secret_id: secretId } });
    expect(ok.status).toBe(200);
    expect(ok.json.data).toBeNull();
    expect(ok.json.auth).toMatchObject({ policies: ['default', 'app'], renewable: true, token_type: 'service', orphan: true });
    expect(ok.json.auth.client_token).toMatch(/^hvs\./);
    const bad = await call('POST', 'auth/approle/login', { body: { role_id: roleId, secret_id: 'wrong' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ errors: ['invalid role or secret ID'] });
  });

  describe('JWT', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issuer = 'https://token.actions.githubusercontent.com';
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, aud: 'https://github.com/acme', repository: 'acme/app', ref: 'refs/heads/main', sub: 'repo:acme/app:ref:refs/heads/main', iat: now, nbf: now, exp: now + 300 };
    const options: FakeVaultOptions = {
      jwt: {
        publicKey,
        boundIssuer: issuer,
        roles: {
          rotator: { boundAudiences: ['https://github.com/acme'], boundClaims: { repository: 'acme/app', ref: ['refs/heads/main', 'refs/heads/release'] }, policies: ['rotator'] },
          open: { policies: [] },
        },
      },
    };
    const login = (body: Record<string, unknown>): Promise<Answer> => call('POST', 'auth/jwt/login', { body });

    it('accepts a correctly signed token that meets the role’s bindings', async () => {
      await start(options);
      const ok = await login({ role: 'rotator', jwt: signJwt(privateKey, claims) });
      expect(ok.status).toBe(200);
      expect(ok.json.auth.metadata).toEqual({ role: 'rotator' });
      const token = ok.json.auth.client_token as string;
      expect((await call('GET', 'auth/token/lookup-self', { token })).json.data.policies).toEqual(['default', 'rotator']);
    });

    it.each([
      ['a wrong signature', { role: 'rotator', jwt: () => signJwt(other.privateKey, claims) }, 'error validating token: failed to verify id token signature'],
      ['an unknown role', { role: 'nope', jwt: () => signJwt(privateKey, claims) }, 'role "nope" could not be found'],
      ['an expired token', { role: 'rotator', jwt: () => signJwt(privateKey, { ...claims, exp: now - 3600 }) }, 'error validating token: invalid expiration time (exp) claim: token is expired'],
      ['a future nbf', { role: 'rotator', jwt: () => signJwt(privateKey, { ...claims, nbf: now + 3600 }) }, 'error validating token: invalid not before (nbf) claim: token not yet valid'],
      ['a wrong issuer', { role: 'rotator', jwt: () => signJwt(privateKey, { ...claims, iss: 'https://evil.example' }) }, 'error validating token: invalid issuer (iss) claim'],
      ['a wrong audience', { role: 'rotator', jwt: () => signJwt(privateKey, { ...claims, aud: 'https://github.com/other' }) }, 'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience'],
      ['an audience with none bound', { role: 'open', jwt: () => signJwt(privateKey, claims) }, 'error validating token: audience claim found in JWT but no audiences bound to the role'],
      ['a bound claim mismatch', { role: 'rotator', jwt: () => signJwt(privateKey, { ...claims, repository: 'fork/app' }) }, 'error validating claims: claim "repository" does not match any associated bound claim values'],
      ['alg none', { role: 'rotator', jwt: () => signJwt(privateKey, claims, { alg: 'none' }) }, 'error validating token: unsupported signing algorithm "none"'],
    ])('refuses %s with 400', async (_name, input, message) => {
      await start(options);
      const answer = await login({ role: input.role, jwt: input.jwt() });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ errors: [message] });
    });
  });
});

describe('fake Vault: health and faults', () => {
  it('answers sys/health outside the envelope with the status of its state', async () => {
    await start();
    const active = await call('GET', 'sys/health');
    expect(active.status).toBe(200);
    expect(active.json).toMatchObject({ initialized: true, sealed: false, standby: false });
    expect(active.json.request_id).toBeUndefined();
    vault.setHealth('standby');
    expect((await call('GET', 'sys/health')).status).toBe(429);
    expect((await call('GET', 'sys/health?standbyok=true')).status).toBe(200);
    vault.setHealth('sealed');
    expect((await call('GET', 'sys/health')).status).toBe(503);
    expect((await call('GET', 'secret/data/x', { token: vault.rootToken })).json).toEqual({ errors: ['Vault is sealed'] });
  });

  it('injects status faults with Retry-After, a set number of times, and logs requests without token values', async () => {
    await start();
    vault.seedKv('secret', 'x', { a: '1' });
    vault.injectFault({ match: { method: 'GET', path: 'secret/data/x' }, kind: 'status', status: 429, retryAfter: 2, times: 1 });
    const limited = await call('GET', 'secret/data/x', { token: vault.rootToken });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call('GET', 'secret/data/x', { token: vault.rootToken })).status).toBe(200);
    expect(vault.pendingFaults()).toBe(0);
    expect(vault.requests.map((r) => r.fault)).toEqual(['status', undefined]);
    expect(JSON.stringify(vault.requests)).not.toContain(vault.rootToken);
    expect(vault.requests[0]!.headers['x-vault-token']).toBe('[redacted]');
  });

  it('drops the connection before applying, or applies and then loses the answer', async () => {
    await start();
    vault.injectFault({ match: { method: 'POST', path: /data\/x$/ }, kind: 'drop' });
    await expect(call('POST', 'secret/data/x', { token: vault.rootToken, body: { data: { a: '1' } } })).rejects.toThrow();
    expect(vault.readKvDirect('secret', 'x')).toBeNull();
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/x' }, kind: 'lost-answer' });
    await expect(call('POST', 'secret/data/x', { token: vault.rootToken, body: { data: { a: '1' } } })).rejects.toThrow();
    expect(vault.readKvDirect('secret', 'x')).toMatchObject({ version: 1, data: { a: '1' } });
  });
});
