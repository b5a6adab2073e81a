/** Value checks and helpers behind the schema keywords. */
import { describe, expect, it } from 'vitest';
import {
  corsProblems,
  entropyBits,
  isHttpsOrLoopbackUrl,
  isLoopbackAddress,
  publicBindProblem,
  redisProblems,
  strengthProblem,
} from '../../src/validation/env/checks.js';
import { isDefaultCredential } from '../../src/validation/env/defaults.js';
import { compileEnvSchema, kvPolicyPath, MAX_SCHEMA_ERRORS, validateEnvObject } from '../../src/validation/env/schema.js';
import { secret } from './env-support.js';

const FACTS = { production: false, allowPublicBind: false, template: false, allowedPaths: [], kvV2Mounts: [] };

describe('value checks', () => {
  it('public bind: 0.0.0.0 and :: in their usual spellings, not loopback or private hosts', () => {
    for (const v of ['0.0.0.0', '0.0.0.0:8080', '::', '[::]:80', 'tcp://0.0.0.0:9000', '*:8080']) expect(publicBindProblem(v)).toBeDefined();
    for (const v of ['127.0.0.1:8080', '::1', '[::1]:80', 'localhost', '10.0.0.4:80', 'agent.internal']) expect(publicBindProblem(v)).toBeUndefined();
  });

  it('loopback addresses and loopback-only http', () => {
    for (const v of ['127.0.0.1', '127.0.0.1:8200', '::1', '[::1]:8200', 'localhost:3000']) expect(isLoopbackAddress(v)).toBe(true);
    for (const v of ['10.0.0.1', '0.0.0.0', 'example.com', '']) expect(isLoopbackAddress(v)).toBe(false);
    expect(isHttpsOrLoopbackUrl('http://localhost:8200')).toBe(true);
    expect(isHttpsOrLoopbackUrl('http://127.0.0.1.nip.io:8200')).toBe(false);
    expect(isHttpsOrLoopbackUrl('not a url')).toBe(false);
  });

  it('entropy: random values score high, repeated patterns count once', () => {
    expect(entropyBits(secret.hex(32))).toBeGreaterThan(200);
    expect(entropyBits('abc'.repeat(20))).toBeLessThan(5);
    expect(entropyBits('')).toBe(0);
  });

  it('strength messages give sizes, never the value', () => {
    expect(strengthProblem(secret.hex(8), { encoding: 'hex', minBytes: 32 })).toBe('is 8 bytes, needs at least 32');
    expect(strengthProblem(secret.urlsafe(32), { encoding: 'urlsafe', minBytes: 32 })).toBeUndefined();
    expect(strengthProblem(secret.hex(4), { minLength: 12 })).toBe('is 8 characters, needs at least 12');
  });

  it('default credentials: known words with separators, case and trailing digits, and placeholders', () => {
    for (const v of ['admin', 'Admin123', 'change_me', 'P@ssw0rd'.replace('@', 'a'), 'xxxxxx', '<token>', '000000', 'your-password']) {
      expect(isDefaultCredential(v), v).toBe(true);
    }
    for (const v of [secret.hex(8), 'ops-team-7', '']) expect(isDefaultCredential(v), v).toBe(false);
  });

  it('redis and cors problems name only scheme and host', () => {
    const pw = secret.hex(8);
    expect(redisProblems(`redis://:${pw}@redis:6379`)).toEqual([]);
    expect(redisProblems('http://redis:6379')).toEqual(['is not a redis:// or rediss:// URL']);
    expect(corsProblems('https://a.example.com https://b.example.com', true)).toEqual([]);
    expect(corsProblems('http://a.example.com', true)[0]!.message).toContain('http://a.example.com');
  });

  it('KV v2 policy paths put data/ after the mount (longest mount wins)', () => {
    expect(kvPolicyPath('status_panel/dep/token', ['status_panel'])).toBe('status_panel/data/dep/token');
    expect(kvPolicyPath('kv/team/app/token', ['kv', 'kv/team'])).toBe('kv/team/data/app/token');
    expect(kvPolicyPath('secret/data/app/token', ['secret'])).toBe('secret/data/app/token');
    expect(kvPolicyPath('kv1/app/token', ['secret'])).toBe('kv1/app/token');
  });
});

describe('schema errors are capped', () => {
  it(`reports at most ${MAX_SCHEMA_ERRORS} problems for one file`, () => {
    const validate = compileEnvSchema('test:cap', { type: 'object', additionalProperties: { type: 'string', format: 'https-url' } });
    const env = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`URL_${i}`, 'http://example.com']));
    const problems = validateEnvObject(validate, env, FACTS);
    expect(problems).toHaveLength(MAX_SCHEMA_ERRORS);
    expect(problems[0]).toEqual({ ruleId: 'env-https-only', key: 'URL_0', message: 'URL_0 must be an https:// URL' });
  });
});
