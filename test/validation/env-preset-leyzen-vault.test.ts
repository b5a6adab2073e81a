/** The leyzen-vault preset, one test per checkable statement of seed 002 (Leyzen Vault SECURITY.md). */
import { afterEach, describe, expect, it } from 'vitest';
import { envText, secret, validateFixture, where } from './env-support.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const CONFIG = { env: [{ files: '.env', preset: 'leyzen-vault' }] };

/** Generated as 002 documents: openssl rand -base64 32, openssl rand -hex 32, openssl rand -hex 32. */
function goodEnv(): Record<string, string> {
  return { VAULT_PASS: secret.password(), SECRET_KEY: secret.hex(32), DOCKER_PROXY_TOKEN: secret.hex(32), ORCH_PORT: '8080' };
}

function check(vars: Record<string, string>) {
  return validateFixture({ local: { '.env': envText(vars) }, config: CONFIG, cleanup }).findings;
}

describe('leyzen-vault preset', () => {
  it('accepts a git-ignored .env with the secrets generated as documented', () => {
    expect(where(check(goodEnv()))).toEqual([]);
  });

  it('002 core secrets VAULT_PASS, SECRET_KEY and DOCKER_PROXY_TOKEN must be present', () => {
    const findings = check({ ORCH_PORT: '8080' });
    expect(where(findings)).toEqual(['.env:1 env-required-key', '.env:1 env-required-key', '.env:1 env-required-key']);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'required key DOCKER_PROXY_TOKEN is missing',
      'required key SECRET_KEY is missing',
      'required key VAULT_PASS is missing',
    ]);
  });

  it('002 "Generate a new strong password" (VAULT_PASS): defaults and short passwords fail', () => {
    expect(where(check({ ...goodEnv(), VAULT_PASS: ['ad', 'min'].join('') }))).toEqual(['.env:1 env-default-credential']);
    const weak = check({ ...goodEnv(), VAULT_PASS: secret.hex(5) });
    expect(where(weak)).toEqual(['.env:1 env-weak-secret']);
    expect(weak[0]!.message).toBe('VAULT_PASS is 10 characters, needs at least 16');
  });

  it('002 "openssl rand -hex 32" (SECRET_KEY): at least 32 bytes of hex', () => {
    const short = check({ ...goodEnv(), SECRET_KEY: secret.hex(16) });
    expect(where(short)).toEqual(['.env:2 env-weak-secret']);
    expect(short[0]!.message).toBe('SECRET_KEY is 16 bytes, needs at least 32');
    const notHex = check({ ...goodEnv(), SECRET_KEY: secret.urlsafe(48) });
    expect(notHex[0]!.message).toBe('SECRET_KEY is not hex-encoded');
  });

  it('002 "openssl rand -hex 32" (DOCKER_PROXY_TOKEN): at least 32 bytes of hex, random', () => {
    expect(where(check({ ...goodEnv(), DOCKER_PROXY_TOKEN: secret.hex(31) }))).toEqual(['.env:3 env-weak-secret']);
    const patterned = check({ ...goodEnv(), DOCKER_PROXY_TOKEN: '0123456789abcdef'.repeat(4) });
    expect(patterned[0]!.message).toMatch(/^DOCKER_PROXY_TOKEN has about \d+ bits of entropy, needs at least 128/);
  });

  it('002 secrets are not defaults: placeholders in SECRET_KEY and DOCKER_PROXY_TOKEN are reported once each', () => {
    const findings = check({ ...goodEnv(), SECRET_KEY: 'change' + 'me', DOCKER_PROXY_TOKEN: '<docker-proxy-token>' });
    expect(where(findings)).toEqual(['.env:2 env-default-credential', '.env:3 env-default-credential']);
  });

  it('002 ".env … is excluded from version control via .gitignore": a tracked .env is critical', () => {
    const { findings } = validateFixture({ committed: { '.gitignore': '', '.env': envText(goodEnv()) }, config: CONFIG, cleanup });
    expect(where(findings)).toEqual(['.env:1 env-tracked-env-file']);
    expect(findings[0]!.severity).toBe('critical');
  });

  it('002 .gitignore: an untracked .env that .gitignore does not exclude is reported', () => {
    const { findings } = validateFixture({ committed: { '.gitignore': 'node_modules/\n' }, local: { '.env': envText(goodEnv()) }, config: CONFIG, cleanup });
    expect(where(findings)).toEqual(['.env:1 env-not-gitignored']);
  });

  it('002 .gitignore, in CI where no .env exists: the .env the entry names must be ignored (finding on the config entry)', () => {
    const missing = validateFixture({ committed: { '.gitignore': 'node_modules/\n', '.env.example': envText({ VAULT_PASS: '', SECRET_KEY: '', DOCKER_PROXY_TOKEN: '' }) }, config: CONFIG, cleanup });
    expect(where(missing.findings)).toEqual(['.keywarden.yml:13 env-not-gitignored']);
    const ignored = validateFixture({ committed: {}, config: CONFIG, cleanup });
    expect(where(ignored.findings)).toEqual([]);
  });
});
