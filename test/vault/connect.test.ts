import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { connectVault, resolveVaultSettings } from '../../src/vault/connect.js';
import { signJwt, startFakeVault, type FakeVault, type FakeVaultOptions } from '../support/fake-vault.js';
import { vaultContext } from './context.js';
import { secret } from '../support/random.js';

const FAST = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 20 };
const run = promisify(execFile);

const servers: FakeVault[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const vault = await startFakeVault(options);
  servers.push(vault);
  return vault;
}

function secretValue(): string {
  return secret.hex(12);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('settings', () => {
  it('takes the address from trusted inputs, then config, then VAULT_ADDR, then VAULT_ADDRESS', () => {
    const env = { VAULT_ADDR: 'https://env-addr.example', VAULT_ADDRESS: 'https://env-address.example' };
    const yaml = 'vault:\n  address: https://config.example/\n  namespace: cfg\n';
    expect(resolveVaultSettings(vaultContext({ yaml, env, trustedVault: { address: 'https://input.example' } }).ctx).address).toBe('https://input.example');
    expect(resolveVaultSettings(vaultContext({ yaml, env }).ctx)).toMatchObject({ address: 'https://config.example', namespace: 'cfg' });
    expect(resolveVaultSettings(vaultContext({ env }).ctx).address).toBe('https://env-addr.example');
    expect(resolveVaultSettings(vaultContext({ env: { VAULT_ADDRESS: 'http://seed.example:8200' } }).ctx).address).toBe('http://seed.example:8200');
  });

  it('explains a missing or malformed address', () => {
    expect(() => resolveVaultSettings(vaultContext({}).ctx)).toThrow('no Vault address: set vault.address in .keywarden.yml, or VAULT_ADDR');
    expect(() => resolveVaultSettings(vaultContext({ env: { VAULT_ADDR: 'vault:8200' } }).ctx)).toThrow(/must be http\(s\)/);
    // Built at run time so no credential-bearing URL sits in the repository.
    const withCredentials = new URL('https://vault.example');
    withCredentials.username = 'user';
    withCredentials.password = secretValue();
    const ctx = vaultContext({ env: { VAULT_ADDR: withCredentials.href } }).ctx;
    expect(() => resolveVaultSettings(ctx)).toThrow('the Vault address must not carry credentials');
  });

  it('ignores the config’s address, namespace, CA and auth on pull_request events', () => {
    const yaml = [
      'vault:',
      '  address: https://attacker.example',
      '  namespace: theirs',
      '  ca-cert: attacker-ca.pem',
      '  auth: { method: approle, role-id-env: GITHUB_TOKEN, secret-id-env: ACTIONS_RUNTIME_TOKEN }',
      '',
    ].join('\n');
    const { ctx, logs } = vaultContext({ yaml, untrusted: true, env: { VAULT_ADDR: 'https://trusted.example' }, trustedVault: { auth: { method: 'jwt', role: 'ci' } } });
    const settings = resolveVaultSettings(ctx);
    expect(settings).toMatchObject({ address: 'https://trusted.example', namespace: undefined, caFile: undefined });
    expect(settings.auth).toMatchObject({ method: 'jwt', role: 'ci', roleIdEnv: 'VAULT_ROLE_ID', secretIdEnv: 'VAULT_SECRET_ID' });
    expect(logs.join('\n')).toContain('pull request event');
    const onlyConfig = vaultContext({ yaml, untrusted: true });
    expect(() => resolveVaultSettings(onlyConfig.ctx)).toThrow('no Vault address: on pull_request events it comes only from the action input vault-url or VAULT_ADDR');
  });
});

describe('transport safety settings', () => {
  it('warns when the address is plain http to another machine, not for loopback or https', () => {
    for (const [address, warned] of [
      ['http://vault.internal.example:8200', true],
      ['http://10.1.2.3:8200', true],
      ['http://127.0.0.1:8200', false],
      ['http://127.8.9.10:8200', false],
      ['http://localhost:8200', false],
      ['http://[::1]:8200', false],
      ['https://vault.internal.example', false],
    ] as const) {
      const { ctx, logs } = vaultContext({ env: { VAULT_ADDR: address } });
      resolveVaultSettings(ctx);
      expect(logs.some((line) => line.includes('plain http')), address).toBe(warned);
    }
  });

  it('on pull_request events refuses to send VAULT_TOKEN to an address no action input named', () => {
    const fromEnv = vaultContext({ untrusted: true, env: { VAULT_ADDR: 'https://elsewhere.example', VAULT_TOKEN: 't' } });
    expect(() => resolveVaultSettings(fromEnv.ctx)).toThrow(
      'on pull_request events the Vault token is sent only to an address the action input vault-url names; https://elsewhere.example came from VAULT_ADDR',
    );
    const fromInput = vaultContext({ untrusted: true, env: { VAULT_ADDR: 'https://elsewhere.example' }, trustedVault: { address: 'https://vault.example' } });
    expect(resolveVaultSettings(fromInput.ctx).address).toBe('https://vault.example');
    // Not a pull request: VAULT_ADDR is the workflow's own setting.
    expect(resolveVaultSettings(vaultContext({ env: { VAULT_ADDR: 'https://elsewhere.example' } }).ctx).address).toBe('https://elsewhere.example');
  });
});

describe('redirects', () => {
  it('follows one standby redirect to the same scheme and host, like Vault’s client', async () => {
    const vault = await fake();
    vault.seedKv('secret', 'x', { a: 'b' });
    const client = await connectVault(vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } }).ctx, { retry: FAST });
    await client.kvVersion('secret');
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'redirect', to: vault.url });
    expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
    expect(vault.requests.filter((r) => r.path === 'secret/data/x').map((r) => r.fault)).toEqual(['redirect', undefined]);
  });

  it('never carries the token to another host or port, nor follows a second redirect', async () => {
    const vault = await fake();
    const other = await fake();
    vault.seedKv('secret', 'x', { a: 'b' });
    const client = await connectVault(vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } }).ctx, { retry: FAST });
    await client.kvVersion('secret');
    const before = vault.requests.length;
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'redirect', to: other.url });
    const toPort = await rejection(client.readSecret('secret', 'x'));
    expect(toPort.message).toBe(
      `cannot reach Vault at ${vault.url}: Vault at ${vault.url} redirected to ${other.url}: refused, the token is sent only to the configured scheme and host`,
    );
    expect(other.requests).toHaveLength(0);
    // Same server, another name for it: still another host.
    const byName = vault.url.replace('127.0.0.1', 'localhost');
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'redirect', to: byName, status: 302 });
    expect((await rejection(client.readSecret('secret', 'x'))).message).toContain(`redirected to ${byName}: refused`);
    vault.injectFault({ match: { path: 'secret/data/x' }, kind: 'redirect', to: vault.url, times: 2 });
    expect((await rejection(client.readSecret('secret', 'x'))).message).toContain('Vault redirected twice');
    // Refusals are final: one request each (the redirect), never retried; the second case made two.
    expect(vault.requests.length - before).toBe(4);
  });

  it('never follows a redirect with a write, a login or metadata to another host', async () => {
    const roleId = secretValue();
    const secretId = secretValue();
    const vault = await fake({ approle: { roles: [{ roleId, secretId, policies: [] }] } });
    const other = await fake({ approle: { roles: [{ roleId, secretId, policies: [] }] } });
    vault.injectFault({ match: { path: 'auth/approle/login' }, kind: 'redirect', to: other.url });
    const login = vaultContext({ yaml: 'vault:\n  auth: { method: approle }\n', env: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId } });
    expect((await rejection(connectVault(login.ctx, { retry: FAST }))).message).toContain('refused');
    const client = await connectVault(vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } }).ctx, { retry: FAST });
    vault.seedKv('secret', 'x', { a: 'b' });
    vault.injectFault({ match: { method: 'POST', path: 'secret/data/x' }, kind: 'redirect', to: other.url });
    expect((await rejection(client.writeSecret('secret', 'x', { a: secretValue() }, 1))).message).toContain('refused');
    vault.injectFault({ match: { method: 'PATCH' }, kind: 'redirect', to: other.url });
    expect((await rejection(client.patchCustomMetadata('secret', 'x', { k: 'v' }))).message).toContain('refused');
    expect(other.requests).toHaveLength(0);
    expect(vault.readKvDirect('secret', 'x')?.data).toEqual({ a: 'b' });
  });
});

describe('auth', () => {
  it('uses the token from the configured variable and masks it before any request', async () => {
    const vault = await fake();
    vault.seedKv('secret', 'x', { a: 'b' });
    const token = vault.createToken(['default']);
    vault.addPolicy('reader', 'path "secret/*" { capabilities = ["read"] }');
    const readerToken = vault.createToken(['reader']);
    const { ctx, masked } = vaultContext({ yaml: 'vault:\n  auth: { token-env: MY_VAULT_TOKEN }\n', env: { VAULT_ADDR: vault.url, MY_VAULT_TOKEN: readerToken, VAULT_TOKEN: token } });
    const client = await connectVault(ctx, { retry: FAST });
    expect(masked).toEqual([readerToken]);
    expect(vault.requests).toHaveLength(0);
    expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
  });

  it('says which variable to set when the token is missing', async () => {
    const { ctx } = vaultContext({ env: { VAULT_ADDR: 'http://127.0.0.1:9' } });
    await expect(connectVault(ctx)).rejects.toThrow('Vault auth: the Vault token is missing: set the environment variable VAULT_TOKEN');
  });

  it('logs in with AppRole, masking role id, secret id and the new token', async () => {
    const roleId = secretValue();
    const secretId = secretValue();
    const vault = await fake({ approle: { mount: 'ci-approle', roles: [{ roleId, secretId, policies: ['reader'] }] } });
    vault.addPolicy('reader', 'path "secret/data/*" { capabilities = ["read"] }');
    vault.seedKv('secret', 'x', { a: 'b' });
    const yaml = 'vault:\n  auth: { method: approle, mount: ci-approle, role-id-env: KW_ROLE, secret-id-env: KW_SECRET }\n';
    const { ctx, masked } = vaultContext({ yaml, env: { VAULT_ADDR: vault.url, KW_ROLE: roleId, KW_SECRET: secretId } });
    const client = await connectVault(ctx, { retry: FAST });
    expect(masked.slice(0, 2)).toEqual([roleId, secretId]);
    expect(masked).toHaveLength(3);
    expect(masked[2]).toMatch(/^hvs\./);
    expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });

    const wrong = vaultContext({ yaml, env: { VAULT_ADDR: vault.url, KW_ROLE: roleId, KW_SECRET: secretValue() } });
    const error = await rejection(connectVault(wrong.ctx, { retry: FAST }));
    expect(error.message).toBe(`Vault login (approle) failed: Vault at ${vault.url} answered 400 to POST auth/ci-approle/login: invalid role or secret ID`);
  });

  describe('GitHub OIDC', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issuer = 'https://token.actions.githubusercontent.com';
    const audience = 'https://github.com/acme';
    const jwtOptions: FakeVaultOptions = {
      jwt: { publicKey, boundIssuer: issuer, roles: { rotator: { boundAudiences: [audience], boundClaims: { repository: 'acme/app' }, policies: ['rotator'] } } },
    };
    const idToken = (aud: string | undefined, repository = 'acme/app'): string => {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(privateKey, { iss: issuer, aud, repository, sub: `repo:${repository}:ref:refs/heads/main`, iat: now, nbf: now, exp: now + 300 });
    };
    const yaml = `vault:\n  auth: { method: jwt, role: rotator, audience: "${audience}" }\n`;

    it('gets an ID token for the audience, retrying a transient failure, and logs in with it; both tokens are masked', async () => {
      const vault = await fake(jwtOptions);
      vault.addPolicy('rotator', 'path "secret/data/*" { capabilities = ["read"] }');
      vault.seedKv('secret', 'x', { a: 'b' });
      const audiences: (string | undefined)[] = [];
      let issued = '';
      const getIdToken = async (aud?: string): Promise<string> => {
        audiences.push(aud);
        if (audiences.length === 1) throw new Error('Failed to get ID Token: 502 Bad Gateway');
        issued = idToken(aud);
        return issued;
      };
      vault.injectFault({ match: { path: 'auth/jwt/login' }, kind: 'status', status: 503 });
      const { ctx, masked } = vaultContext({ yaml, env: { VAULT_ADDR: vault.url }, getIdToken });
      const client = await connectVault(ctx, { retry: FAST });
      expect(audiences).toEqual([audience, audience]);
      expect(masked[0]).toBe(issued);
      expect(masked[1]).toMatch(/^hvs\./);
      expect(vault.requests.filter((r) => r.path === 'auth/jwt/login')).toHaveLength(2);
      expect(vault.requests.find((r) => r.path === 'auth/jwt/login')?.body).toEqual({ jwt: issued, role: 'rotator' });
      expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
    });

    it('reports a refused login with Vault’s reason and without the JWT', async () => {
      const vault = await fake(jwtOptions);
      let issued = '';
      const getIdToken = async (aud?: string): Promise<string> => (issued = idToken(aud, 'fork/app'));
      const { ctx } = vaultContext({ yaml, env: { VAULT_ADDR: vault.url }, getIdToken });
      const error = await rejection(connectVault(ctx, { retry: FAST }));
      expect(error.message).toContain('Vault login (jwt, role "rotator") failed');
      expect(error.message).toContain('claim "repository" does not match any associated bound claim values');
      expect(error.message).not.toContain(issued);
      expect(vault.requests.filter((r) => r.path === 'auth/jwt/login')).toHaveLength(1);
    });

    it('needs the OIDC token source and a role', async () => {
      await expect(connectVault(vaultContext({ yaml, env: { VAULT_ADDR: 'http://127.0.0.1:9' } }).ctx)).rejects.toThrow(/id-token: write/);
      const noRole = vaultContext({ yaml: 'vault:\n  auth: { method: jwt }\n', env: { VAULT_ADDR: 'http://127.0.0.1:9' }, getIdToken: async () => 'x' });
      await expect(connectVault(noRole.ctx)).rejects.toThrow(/needs a role/);
    });

    it('on pull_request events sends the OIDC token only to the trusted address', async () => {
      const trusted = await fake(jwtOptions);
      const attacker = await fake(jwtOptions);
      trusted.addPolicy('rotator', 'path "secret/data/*" { capabilities = ["read"] }');
      trusted.seedKv('secret', 'x', { a: 'b' });
      const prYaml = `vault:\n  address: ${attacker.url}\n  auth: { method: jwt, role: rotator, audience: "${audience}", mount: jwt }\n`;
      const { ctx } = vaultContext({
        yaml: prYaml,
        untrusted: true,
        trustedVault: { address: trusted.url, auth: { method: 'jwt', role: 'rotator', audience } },
        getIdToken: async (aud) => idToken(aud),
      });
      const client = await connectVault(ctx, { retry: FAST });
      expect((await client.readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
      expect(attacker.requests).toHaveLength(0);
      expect(trusted.requests.map((r) => r.path)).toContain('auth/jwt/login');
    });
  });
});

describe('transport', () => {
  it('names the address and the attempts when Vault is down', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const token = secretValue();
    const { ctx } = vaultContext({ env: { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: token } });
    const client = await connectVault(ctx, { retry: FAST });
    const error = await rejection(client.readSecret('secret', 'x'));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`cannot reach Vault at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (after 3 attempts)`);
  });

  describe('custom CA over HTTPS', () => {
    let dir: string;
    let tls: { key: string; cert: string };
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'kw-vault-ca-'));
      const openssl = (...args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
      await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=keywarden test CA',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
      await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
      writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
      await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
      tls = { key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.pem'), 'utf8') };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('trusts the CA from vault.ca-cert (relative to the repository) or VAULT_CACERT', async () => {
      const vault = await fake({ tls });
      vault.seedKv('secret', 'x', { a: 'b' });
      expect(vault.url).toMatch(/^https:/);
      const fromConfig = vaultContext({ yaml: 'vault:\n  ca-cert: ca.pem\n', root: dir, env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } });
      expect((await (await connectVault(fromConfig.ctx, { retry: FAST })).readSecret('secret', 'x'))?.data).toEqual({ a: 'b' });
      const fromEnv = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken, VAULT_CACERT: path.join(dir, 'ca.pem') } });
      expect((await (await connectVault(fromEnv.ctx, { retry: FAST })).kvVersion('secret'))).toBe(2);
    });

    it('fails once, clearly, without the CA', async () => {
      const vault = await fake({ tls });
      const { ctx } = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken } });
      const error = await rejection((await connectVault(ctx, { retry: FAST })).readSecret('secret', 'x'));
      expect(error.message).toMatch(/^cannot reach Vault at https:\/\/127\.0\.0\.1:\d+: TLS verification failed \(\w+\): set vault.ca-cert or VAULT_CACERT/);
      expect(error.message).not.toContain('attempts');
    });

    it('refuses a redirect from https to http (a protocol downgrade), sending nothing there', async () => {
      const vault = await fake({ tls });
      const plain = await fake();
      vault.seedKv('secret', 'x', { a: 'b' });
      const { ctx } = vaultContext({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken, VAULT_CACERT: path.join(dir, 'ca.pem') } });
      const client = await connectVault(ctx, { retry: FAST });
      vault.injectFault({ match: { path: /^sys\/internal\/ui\/mounts\// }, kind: 'redirect', to: plain.url });
      const error = await rejection(client.readSecret('secret', 'x'));
      expect(error.message).toContain(`redirected to ${plain.url}: refused`);
      expect(plain.requests).toHaveLength(0);
    });

    it('names an unreadable or non-PEM CA file', async () => {
      const missing = vaultContext({ yaml: 'vault:\n  ca-cert: nope.pem\n', root: dir, env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't' } });
      await expect(connectVault(missing.ctx)).rejects.toThrow(`cannot read the Vault CA file ${path.join(dir, 'nope.pem')}: ENOENT`);
      const notPem = vaultContext({ yaml: 'vault:\n  ca-cert: ext.cnf\n', root: dir, env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't' } });
      await expect(connectVault(notPem.ctx)).rejects.toThrow(/holds no PEM certificate/);
    });
  });
});

describe('secrecy', () => {
  it('never puts a token, credential or secret value in an error message', async () => {
    const roleId = secretValue();
    const secretId = secretValue();
    const vault = await fake({ approle: { roles: [{ roleId, secretId, policies: ['narrow'] }] } });
    vault.addPolicy('narrow', 'path "secret/data/allowed" { capabilities = ["read", "update"] }\npath "secret/metadata/allowed" { capabilities = ["read"] }');
    const stored = secretValue();
    const written = secretValue();
    vault.seedKv('secret', 'allowed', { v: stored });
    vault.seedKv('secret', 'allowed', { v: secretValue() });
    const { ctx, masked } = vaultContext({ yaml: 'vault:\n  auth: { method: approle }\n', env: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId } });
    const client = await connectVault(ctx, { retry: FAST });
    const messages: string[] = [];
    const collect = async (promise: Promise<unknown>): Promise<void> => void messages.push((await rejection(promise)).message);
    await collect(client.readSecret('secret', 'forbidden'));
    await collect(client.writeSecret('secret', 'allowed', { v: written }, 1));
    vault.injectFault({ match: { method: 'POST' }, kind: 'drop', times: 3 });
    await collect(client.writeSecret('secret', 'allowed', { v: written }, 2));
    await collect(client.patchCustomMetadata('secret', 'allowed', { k: written }));
    await collect(client.listPolicies());
    const badLogin = vaultContext({ yaml: 'vault:\n  auth: { method: approle }\n', env: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretValue() } });
    await collect(connectVault(badLogin.ctx, { retry: FAST }));
    expect(messages).toHaveLength(6);
    const all = messages.join('\n');
    for (const secret of [...masked, ...badLogin.masked, stored, written, vault.rootToken]) expect(all).not.toContain(secret);
  });
});
