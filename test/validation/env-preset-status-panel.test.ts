/**
 * The status-panel preset, one test per checkable statement of seeds 000, 001 and 003
 * (Status Panel agent SECURITY.md and VAULT_INTEGRATION.md), on .env files shaped like 003's example.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { envText, secret, validateFixture, where } from './env-support.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const ENTRY = { files: '.env', preset: 'status-panel' };

/** A correct agent .env, as VAULT_INTEGRATION.md configures it, with generated values. */
function goodEnv(): Record<string, string> {
  return {
    STATUS_PANEL_USERNAME: `ops-${secret.hex(3)}`,
    STATUS_PANEL_PASSWORD: secret.password(),
    AGENT_ID: `agent-${secret.hex(4)}`,
    STATUS_PANEL_BIND: '127.0.0.1:5000',
    UPDATE_SERVER_URL: 'https://updates.example.com/status/latest',
    UPDATE_EXPECTED_SHA256: secret.hex(32),
    VAULT_ADDRESS: 'http://127.0.0.1:8200',
    VAULT_TOKEN: `hvs.${secret.urlsafe(18)}`,
    VAULT_AGENT_PATH_PREFIX: 'status_panel',
    DEPLOYMENT_HASH: 'deployment-123-abc',
    AGENT_TOKEN: secret.hex(16),
  };
}

function check(vars: Record<string, string>, entry: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  return validateFixture({ local: { '.env': envText(vars) }, config: { env: [{ ...ENTRY, ...entry }], ...config }, cleanup }).findings;
}

function lineOf(vars: Record<string, string>, key: string): number {
  return Object.keys(vars).indexOf(key) + 1;
}

describe('status-panel preset', () => {
  it('accepts a correct agent .env (the documented configuration, strong generated values)', () => {
    expect(where(check(goodEnv()))).toEqual([]);
  });

  it('001 "no default credentials, disabled until you configure" STATUS_PANEL_USERNAME/PASSWORD: both must be set', () => {
    const vars = goodEnv();
    delete vars.STATUS_PANEL_USERNAME;
    vars.STATUS_PANEL_PASSWORD = '';
    expect(where(check(vars))).toEqual(['.env:1 env-required-key', '.env:1 env-required-key']);
    expect(check(vars).map((f) => f.message).sort()).toEqual(['STATUS_PANEL_PASSWORD is empty; it must be set', 'required key STATUS_PANEL_USERNAME is missing']);
  });

  it('001 "no default credentials": well-known defaults and the template placeholders are errors', () => {
    const vars = { ...goodEnv(), STATUS_PANEL_USERNAME: 'admin', STATUS_PANEL_PASSWORD: ['your', 'strong', 'password'].join('-') };
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:1 env-default-credential', '.env:2 env-default-credential']);
    expect(findings.every((f) => f.level === 'error' && f.severity === 'critical')).toBe(true);
    expect(where(check({ ...goodEnv(), STATUS_PANEL_PASSWORD: 'change' + 'me123' }))).toEqual(['.env:2 env-default-credential']);
  });

  it('001 "your-strong-password": a short or predictable password is weak', () => {
    const short = check({ ...goodEnv(), STATUS_PANEL_PASSWORD: secret.hex(4) });
    expect(where(short)).toEqual(['.env:2 env-weak-secret']);
    expect(short[0]!.message).toBe('STATUS_PANEL_PASSWORD is 8 characters, needs at least 12');
    const repetitive = check({ ...goodEnv(), STATUS_PANEL_PASSWORD: 'abababababababab' });
    expect(repetitive[0]!.message).toMatch(/bits of entropy, needs at least 50/);
  });

  it('001 "AGENT_ID must be set to protect API endpoints"', () => {
    const vars = goodEnv();
    delete vars.AGENT_ID;
    expect(where(check(vars))).toEqual(['.env:1 env-required-key']);
    expect(where(check({ ...goodEnv(), AGENT_ID: '' }))).toEqual(['.env:3 env-required-key']);
  });

  it('001 "defaults to 127.0.0.1 … explicitly pass 0.0.0.0": every bind/listen/host key pattern is checked', () => {
    const vars = {
      ...goodEnv(),
      STATUS_PANEL_BIND: '0.0.0.0:5000',
      API_BIND_ADDRESS: '::',
      HTTP_LISTEN_ADDR: '[::]:8080',
      METRICS_HOST: '0.0.0.0',
      SAFE_HOST: '10.0.0.5',
    };
    expect(where(check(vars))).toEqual([
      `.env:${lineOf(vars, 'STATUS_PANEL_BIND')} env-public-bind`,
      `.env:${lineOf(vars, 'API_BIND_ADDRESS')} env-public-bind`,
      `.env:${lineOf(vars, 'HTTP_LISTEN_ADDR')} env-public-bind`,
      `.env:${lineOf(vars, 'METRICS_HOST')} env-public-bind`,
    ].sort());
  });

  it('001 bind: allow-public-bind: true on the entry accepts 0.0.0.0 (the explicit opt-in)', () => {
    expect(where(check({ ...goodEnv(), STATUS_PANEL_BIND: '0.0.0.0:5000' }, { 'allow-public-bind': true }))).toEqual([]);
  });

  it('001 "Update downloads require HTTPS — HTTP URLs are rejected"', () => {
    const vars = { ...goodEnv(), UPDATE_SERVER_URL: 'http://updates.example.com/latest', AGENT_DOWNLOAD_URL: 'ftp://files.example.com/agent' };
    const findings = check(vars);
    expect(where(findings)).toEqual([`.env:${lineOf(vars, 'UPDATE_SERVER_URL')} env-https-only`, `.env:${lineOf(vars, 'AGENT_DOWNLOAD_URL')} env-https-only`].sort());
    expect(findings[0]!.message).toMatch(/must be an https:\/\/ URL/);
  });

  it('001 "If not set, a warning is logged": an absent UPDATE_EXPECTED_SHA256 is a warning', () => {
    const vars = goodEnv();
    delete vars.UPDATE_EXPECTED_SHA256;
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:1 env-recommended-key']);
    expect(findings[0]!.level).toBe('warning');
    expect(findings[0]!.message).toMatch(/^UPDATE_EXPECTED_SHA256 is not set/);
  });

  it('001 "If UPDATE_EXPECTED_SHA256 is set, hash must match": a malformed pin is an error', () => {
    const vars = { ...goodEnv(), UPDATE_EXPECTED_SHA256: secret.hex(20) };
    const findings = check(vars);
    expect(where(findings)).toEqual([`.env:${lineOf(vars, 'UPDATE_EXPECTED_SHA256')} env-sha256-pin`]);
    expect(findings[0]!.level).toBe('error');
  });

  it('000/001 "Always use HTTPS to Vault": VAULT_ADDRESS over http is an error except to loopback', () => {
    const vars = { ...goodEnv(), VAULT_ADDRESS: 'http://vault.internal.example.com:8200' };
    expect(where(check(vars))).toEqual([`.env:${lineOf(vars, 'VAULT_ADDRESS')} env-https-only`]);
    expect(where(check({ ...goodEnv(), VAULT_ADDRESS: 'https://vault.example.com:8200' }))).toEqual([]);
    expect(where(check({ ...goodEnv(), VAULT_ADDRESS: 'http://[::1]:8200' }))).toEqual([]);
  });

  it('000/001 "… in production": a production entry needs https even to loopback', () => {
    const vars = goodEnv();
    expect(where(check(vars, { production: true }))).toEqual([`.env:${lineOf(vars, 'VAULT_ADDRESS')} env-https-only`]);
  });

  it('000/001 "Never commit VAULT_TOKEN" (and AGENT_TOKEN): set in a tracked file is critical', () => {
    const vars = goodEnv();
    const { findings } = validateFixture({
      committed: { 'deploy/agent.env': envText(vars) },
      config: { env: [{ files: 'deploy/agent.env', preset: 'status-panel' }] },
      cleanup,
    });
    expect(where(findings)).toEqual([`deploy/agent.env:${lineOf(vars, 'VAULT_TOKEN')} env-committed-secret`, `deploy/agent.env:${lineOf(vars, 'AGENT_TOKEN')} env-committed-secret`].sort());
    expect(findings.every((f) => f.severity === 'critical')).toBe(true);
  });

  it('tokens: empty values or placeholders in a committed template are fine; an ignored local .env is fine', () => {
    const template = { ...goodEnv(), VAULT_TOKEN: '', AGENT_TOKEN: 's.' + 'x'.repeat(14) };
    const { findings } = validateFixture({
      committed: { '.env.example': envText(template) },
      local: { '.env': envText(goodEnv()) },
      config: { env: [{ files: ['.env', '.env.example'], preset: 'status-panel' }] },
      cleanup,
    });
    expect(where(findings)).toEqual([]);
  });

  it('templates: keys left empty or with placeholders are fine, but what a template sets is still judged', () => {
    const template = envText({ STATUS_PANEL_USERNAME: '', STATUS_PANEL_PASSWORD: ['your', 'strong', 'password'].join('-'), AGENT_ID: '', UPDATE_URL: 'http://updates.example.com' });
    const { findings } = validateFixture({
      committed: { '.env.example': template },
      config: { env: [{ files: '.env*', preset: 'status-panel' }] },
      cleanup,
    });
    expect(where(findings)).toEqual(['.env.example:4 env-https-only']);
  });

  describe('000 "Restrict to specific KV path" / 003 {VAULT_AGENT_PATH_PREFIX}/{DEPLOYMENT_HASH}/token', () => {
    const vault = (allowed: string[]) => ({ vault: { 'allowed-paths': allowed, 'kv-v2-mounts': ['status_panel'] } });

    it('accepts the path when vault.allowed-paths contains it (KV v2: data/ after the mount)', () => {
      expect(where(check(goodEnv(), {}, vault(['status_panel/data/+/token'])))).toEqual([]);
    });

    it('reports the path outside vault.allowed-paths on the prefix line, naming the KV path', () => {
      const vars = goodEnv();
      const findings = check(vars, {}, vault(['status_panel/data/other/*']));
      expect(where(findings)).toEqual([`.env:${lineOf(vars, 'VAULT_AGENT_PATH_PREFIX')} env-vault-path-not-allowed`]);
      expect(findings[0]!.message).toContain('status_panel/data/deployment-123-abc/token');
    });

    it('uses Vault semantics: the seed\'s status_panel/deployment-*/token matches nothing (a literal * mid-path)', () => {
      const vars = goodEnv();
      const findings = check(vars, {}, { vault: { 'allowed-paths': ['status_panel/deployment-*/token'] } });
      expect(where(findings)).toEqual([`.env:${lineOf(vars, 'VAULT_AGENT_PATH_PREFIX')} env-vault-path-not-allowed`]);
    });

    it('DEPLOYMENT_HASH defaults to "default"; nothing is checked without allowed-paths', () => {
      const vars = goodEnv();
      delete vars.DEPLOYMENT_HASH;
      expect(where(check(vars, {}, vault(['status_panel/data/default/token'])))).toEqual([]);
      expect(where(check(vars, {}, vault(['status_panel/data/deployment-123-abc/token'])))).toHaveLength(1);
      expect(where(check({ ...goodEnv(), VAULT_AGENT_PATH_PREFIX: 'anything/else' }))).toEqual([]);
    });
  });
});
