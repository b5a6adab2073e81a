/** The medic-agent preset, one test per checkable statement of seed 004 (Medic Agent SECURITY.md). */
import { afterEach, describe, expect, it } from 'vitest';
import { envText, secret, validateFixture, where } from './env-support.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A production deployment as 004 recommends; the API key from secrets.token_urlsafe(32). */
function goodEnv(): Record<string, string> {
  return {
    MEDIC_ENV: 'production',
    MEDIC_CORS_ALLOWED_ORIGINS: 'https://console.example.com,https://ops.example.com',
    MEDIC_RATE_LIMIT_PER_MINUTE: '120',
    MEDIC_API_KEY: secret.urlsafe(32),
    MEDIC_REDIS_URL: `redis://:${secret.hex(16)}@redis.medic.svc:6379/0`,
    MEDIC_WEBHOOK_URL: 'https://hooks.example.com/medic',
    PROMETHEUS_URL: 'http://prometheus:9090',
  };
}

function check(vars: Record<string, string>, production = true) {
  return validateFixture({ local: { '.env': envText(vars) }, config: { env: [{ files: '.env', preset: 'medic-agent', production }] }, cleanup }).findings;
}

const lineOf = (vars: Record<string, string>, key: string): number => Object.keys(vars).indexOf(key) + 1;

describe('medic-agent preset', () => {
  it('accepts a production .env that follows the guidelines', () => {
    expect(where(check(goodEnv()))).toEqual([]);
  });

  it('004 "Set MEDIC_ENV=production for production deployments"', () => {
    const vars = { ...goodEnv(), MEDIC_ENV: 'development' };
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:1 env-production-value']);
    expect(findings[0]!.message).toBe('MEDIC_ENV must be "production" in a production entry');
    const absent: Record<string, string> = { ...goodEnv() };
    delete absent.MEDIC_ENV;
    expect(where(check(absent))).toEqual(['.env:1 env-required-in-production']);
  });

  it('MEDIC_ENV is not required outside a production entry', () => {
    const vars: Record<string, string> = { ...goodEnv(), MEDIC_ENV: 'development' };
    expect(where(check(vars, false))).toEqual([]);
  });

  it('004 "Configure CORS origins explicitly": a wildcard is an error, in production or not', () => {
    for (const production of [true, false]) {
      const vars = { ...goodEnv(), MEDIC_CORS_ALLOWED_ORIGINS: '*' };
      expect(where(check(vars, production))).toEqual(['.env:2 env-cors-wildcard']);
    }
    expect(where(check({ ...goodEnv(), CORS_ORIGIN: 'https://*.example.com' }))).toEqual(['.env:8 env-cors-wildcard']);
  });

  it('004 "(HTTPS only in production)": http origins fail in production only', () => {
    const vars = { ...goodEnv(), MEDIC_CORS_ALLOWED_ORIGINS: '["https://console.example.com", "http://console.example.com"]' };
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:2 env-cors-insecure-origin']);
    expect(findings[0]!.message).toContain('http://console.example.com');
    expect(where(check(vars, false))).toEqual([]);
  });

  it('004 "Enable rate limiting": a rate-limit key must exist', () => {
    const vars: Record<string, string> = { ...goodEnv() };
    delete vars.MEDIC_RATE_LIMIT_PER_MINUTE;
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:1 env-required-key-pattern']);
    expect(findings[0]!.message).toMatch(/no rate-limit/);
  });

  it('004 "Enable rate limiting": a rate-limit key set to false, 0 or off is an error', () => {
    for (const off of ['false', '0', 'off', '']) {
      const vars = { ...goodEnv(), RATE_LIMIT_ENABLED: off };
      expect(where(check(vars))).toEqual([`.env:${lineOf(vars, 'RATE_LIMIT_ENABLED')} env-feature-disabled`]);
    }
  });

  it('004 "secrets.token_urlsafe(32)": API keys are at least 32 bytes, URL-safe, not defaults', () => {
    const short = check({ ...goodEnv(), MEDIC_API_KEY: secret.urlsafe(16) });
    expect(where(short)).toEqual(['.env:4 env-weak-secret']);
    expect(short[0]!.message).toBe('MEDIC_API_KEY is 16 bytes, needs at least 32');
    const notUrlSafe = check({ ...goodEnv(), ADMIN_API_KEY: `${secret.urlsafe(30)}+/=` });
    expect(notUrlSafe[0]!.message).toBe('ADMIN_API_KEY is not URL-safe base64-encoded');
    expect(where(check({ ...goodEnv(), MEDIC_API_KEY: ['your', 'api', 'key'].join('-') }))).toEqual(['.env:4 env-default-credential']);
  });

  it('004 "Never commit API keys to version control": an API key in a tracked file is critical', () => {
    const { findings } = validateFixture({
      committed: { 'k8s/medic.env': envText(goodEnv()) },
      config: { env: [{ files: 'k8s/*.env', preset: 'medic-agent', production: true }] },
      cleanup,
    });
    expect(where(findings)).toEqual(['k8s/medic.env:4 env-committed-secret']);
  });

  it('004 "Limit Redis access to internal networks" + "Enable authentication": Redis URLs need a password and a private host', () => {
    const noAuth = check({ ...goodEnv(), MEDIC_REDIS_URL: 'redis://redis.medic.svc:6379/0' });
    expect(where(noAuth)).toEqual(['.env:5 env-redis-insecure']);
    expect(noAuth[0]!.message).toBe('MEDIC_REDIS_URL has no password (redis://redis.medic.svc:6379): Redis must require authentication');
    const pw = secret.hex(16);
    expect(where(check({ ...goodEnv(), MEDIC_REDIS_URL: `redis://:${pw}@0.0.0.0:6379` }))).toEqual(['.env:5 env-redis-insecure']);
    expect(where(check({ ...goodEnv(), CACHE_REDIS_URL: `rediss://default:${pw}@203.0.113.7:6380` }))).toEqual(['.env:8 env-redis-insecure']);
    expect(where(check({ ...goodEnv(), MEDIC_REDIS_URL: `redis://:${pw}@10.1.2.3:6379` }))).toEqual([]);
  });

  it('004 "Use TLS/HTTPS for all external communications": http URLs to outside hosts fail', () => {
    const vars = { ...goodEnv(), MEDIC_WEBHOOK_URL: 'http://hooks.example.com/medic', OIDC_ENDPOINT: 'http://203.0.113.9/auth' };
    const findings = check(vars);
    expect(where(findings)).toEqual(['.env:6 env-external-http', `.env:${lineOf(vars, 'OIDC_ENDPOINT')} env-external-http`]);
    expect(findings.find((f) => f.startLine === 6)!.message).toBe(
      'MEDIC_WEBHOOK_URL uses plain http to http://hooks.example.com: external communication must use HTTPS',
    );
    const internal = { ...goodEnv(), A_URL: 'http://localhost:8000', B_URL: 'http://192.168.1.5', C_URL: 'http://api.cluster.local' };
    expect(where(check(internal))).toEqual([]);
  });
});
