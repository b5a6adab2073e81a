/** .env validation end to end: file selection, drift, custom and broken schemas, bad input, no leaks. */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { validateEnvFiles } from '../../src/validation/env/index.js';
import { runValidate } from '../../src/validation/index.js';
import { tempDir } from '../support/git-repo.js';
import { contextFor, envText, ruleIds, secret, validateFixture, where } from './env-support.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

describe('without env config', () => {
  it('lints every .env-family file git sees (.env, .env.*, *.env), skipping ignored ones and other files', () => {
    const { findings } = validateFixture({
      committed: {
        '.gitignore': 'local.env\n',
        'app/.env.production': 'lower=1\n',
        'svc/api.env': 'NO_EQUALS\n',
        'docs/env.md': 'NOT PARSED\n',
        'config/.envrc': 'NOT PARSED\n',
      },
      local: { 'local.env': 'ALSO IGNORED\n', 'untracked.env': 'A = 1\n' },
      cleanup,
    });
    expect(where(findings)).toEqual([
      'app/.env.production:1 env-lowercase-key',
      'svc/api.env:1 env-syntax-no-equals',
      'untracked.env:1 env-space-around-equals',
    ]);
  });

  it('walks the directory outside a git work tree (skipping node_modules)', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/pkg/.env'), 'BROKEN\n');
    writeFileSync(path.join(dir, '.env'), 'A=1\nA=2\n');
    const findings = validateEnvFiles(contextFor(dir));
    expect(where(findings)).toEqual(['.env:2 env-duplicate-key']);
  });

  it('reports drift against .env.example beside the file', () => {
    const { findings } = validateFixture({
      committed: { 'deploy/.env.example': 'A=\n# comment\nB=\nC=\n' },
      local: { 'deploy/.env.staging': 'A=1\nC=3\nEXTRA=4\n' },
      cleanup,
    });
    expect(where(findings)).toEqual(['deploy/.env.staging:1 env-drift-missing-key', 'deploy/.env.staging:3 env-drift-undocumented-key']);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'B is declared in deploy/.env.example:3 but not set in this file',
      'EXTRA is not declared in the template deploy/.env.example',
    ]);
    expect(findings.every((f) => f.level === 'warning')).toBe(true);
  });
});

describe('env entries', () => {
  it('validates ignored files the entry names, and drift uses the entry template', () => {
    const { findings } = validateFixture({
      committed: { 'templates/agent.env.example': 'AGENT_ID=\nSTATUS_PANEL_USERNAME=\n' },
      local: { 'deploy/.env': envText({ AGENT_ID: 'a1', STATUS_PANEL_USERNAME: 'ops', LOCAL_ONLY: '1' }) },
      config: { env: [{ files: './deploy/**/.env', template: 'templates/agent.env.example' }] },
      cleanup,
    });
    expect(where(findings)).toEqual(['deploy/.env:3 env-drift-undocumented-key']);
  });

  it('a missing configured template is a UserError naming the config line', () => {
    const dir = tempDir();
    cleanup.push(() => {});
    writeFileSync(path.join(dir, '.env'), 'A=1\n');
    const run = () => validateEnvFiles(contextFor(dir, { env: [{ files: '.env', template: 'nope.env.example' }] }));
    expect(run).toThrow(UserError);
    expect(run).toThrow(/env template not found: nope.env.example/);
  });

  it('a file matched by two entries is linted once and validated by both', () => {
    const { findings } = validateFixture({
      local: { '.env': 'lower=1\nSTATUS_PANEL_USERNAME=ops\n' },
      config: { env: [{ files: '.env' }, { files: ['.env*'], preset: 'status-panel' }] },
      cleanup,
    });
    expect(findings.filter((f) => f.ruleId === 'env-lowercase-key')).toHaveLength(1);
    expect(ruleIds(findings)).toEqual(['env-lowercase-key', 'env-recommended-key', 'env-required-key']);
  });

  it('binary and invalid UTF-8 files give one finding each, no crash', () => {
    const { findings } = validateFixture({
      local: {
        'bin.env': Buffer.from([0x41, 0x3d, 0x00, 0xff, 0x10]),
        'latin1.env': Buffer.concat([Buffer.from('A=1\nB=caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      },
      config: { env: [{ files: '*.env', preset: 'leyzen-vault' }] },
      cleanup,
    });
    expect(where(findings)).toEqual(['bin.env:1 env-not-text', 'latin1.env:2 env-not-text']);
    expect(findings.find((f) => f.file === 'bin.env')!.message).toMatch(/binary/);
  });

  it('files over scan.max-file-size are skipped with a finding', () => {
    const { findings } = validateFixture({
      local: { '.env': `A=${'x'.repeat(2000)}\n` },
      config: { scan: { 'max-file-size': '1KiB' }, env: [{ files: '.env' }] },
      cleanup,
    });
    expect(where(findings)).toEqual(['.env:1 env-file-too-large']);
  });

  it('does not follow a symlink out of the repository', () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'target.env'), 'lower=1\n');
    const { repo } = validateFixture({ cleanup });
    symlinkSync(path.join(outside, 'target.env'), path.join(repo.dir, 'link.env'));
    expect(validateEnvFiles(contextFor(repo.dir, { env: [{ files: '*.env' }] }))).toEqual([]);
  });

  it('dotenvx encrypted: values and ${VAR} references are opaque: never judged for strength or defaults', () => {
    const { findings } = validateFixture({
      local: { '.env': envText({ VAULT_PASS: `"encrypted:${secret.urlsafe(40)}"`, SECRET_KEY: '${SECRET_KEY}', DOCKER_PROXY_TOKEN: `encrypted:${secret.urlsafe(40)}` }) },
      config: { env: [{ files: '.env', preset: 'leyzen-vault' }] },
      cleanup,
    });
    expect(where(findings)).toEqual([]);
  });
});

describe('custom schemas', () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['APP_URL', 'APP_MODE'],
    properties: {
      APP_URL: { type: 'string', format: 'https-url' },
      APP_MODE: { type: 'string', enum: ['prod', 'staging'] },
      SESSION_TTL: { type: 'string', format: 'duration' },
      ADMIN_LISTEN: { type: 'string', format: 'loopback-address' },
      JWT_SECRET: { type: 'string', 'x-min-strength': { encoding: 'base64', minBytes: 32 }, 'x-not-default-credential': true },
    },
    'x-required-in-production': ['JWT_SECRET'],
    additionalProperties: { type: 'string' },
  };

  function withSchema(env: Record<string, string>, schemaText: string, entry: Record<string, unknown> = {}) {
    return validateFixture({
      committed: { 'schemas/app.schema.json': schemaText },
      local: { '.env': envText(env) },
      config: { env: [{ files: '.env', schema: 'schemas/app.schema.json', ...entry }] },
      cleanup,
    }).findings;
  }

  it('applies standard keywords and keywarden formats with a rule per keyword, on the key lines', () => {
    const findings = withSchema(
      { APP_URL: 'http://app.example.com', APP_MODE: 'dev', SESSION_TTL: 'forever', ADMIN_LISTEN: '0.0.0.0:9000' },
      JSON.stringify(schema),
    );
    expect(where(findings)).toEqual(['.env:1 env-https-only', '.env:2 env-schema-violation', '.env:3 env-invalid-duration', '.env:4 env-loopback-only']);
    expect(findings.find((f) => f.startLine === 2)!.message).toBe('APP_MODE must be equal to one of the allowed values: "prod", "staging"');
    expect(findings.find((f) => f.startLine === 1)!.startColumn).toBe(9);
  });

  it('a missing required key is on line 1 and names the key; production-only keys apply with production: true', () => {
    const env = { APP_URL: 'https://app.example.com' };
    expect(withSchema(env, JSON.stringify(schema)).map((f) => `${f.startLine} ${f.message}`)).toEqual(['1 required key APP_MODE is missing']);
    const production = withSchema(env, JSON.stringify(schema), { production: true });
    expect(where(production)).toEqual(['.env:1 env-required-in-production', '.env:1 env-required-key']);
  });

  it('x-min-strength with base64: counts decoded bytes', () => {
    const env = { APP_URL: 'https://app.example.com', APP_MODE: 'prod', JWT_SECRET: secret.hex(8) };
    expect(withSchema({ ...env, JWT_SECRET: Buffer.from(secret.hex(16), 'hex').toString('base64') }, JSON.stringify(schema))[0]!.message).toBe(
      'JWT_SECRET is 16 bytes, needs at least 32',
    );
    expect(withSchema({ ...env, JWT_SECRET: Buffer.from(secret.hex(32), 'hex').toString('base64') }, JSON.stringify(schema))).toEqual([]);
  });

  it('a preset and a schema on one entry both apply', () => {
    const findings = validateFixture({
      committed: { 'extra.schema.json': JSON.stringify({ type: 'object', required: ['TEAM'] }) },
      local: { '.env': envText({ VAULT_PASS: secret.password(), SECRET_KEY: secret.hex(32), DOCKER_PROXY_TOKEN: secret.hex(31) }) },
      config: { env: [{ files: '.env', preset: 'leyzen-vault', schema: 'extra.schema.json' }] },
      cleanup,
    }).findings;
    expect(where(findings)).toEqual(['.env:1 env-required-key', '.env:3 env-weak-secret']);
  });

  it('broken schemas are UserErrors naming the file: invalid JSON (with its line), unknown keyword, unknown format, missing, outside the repo', () => {
    const cases: [string, RegExp, number?][] = [
      ['{\n  "type": "object"\n  "required": ["A"]\n}', /env schema is not valid JSON/, 3],
      ['{\n  "type": "object",\n  "required": [oops]\n}', /^env schema is not valid JSON$/],
      [JSON.stringify({ type: 'object', 'x-unknown': true }), /env schema is invalid: .*x-unknown/],
      [JSON.stringify({ type: 'object', properties: { A: { type: 'string', format: 'nope' } } }), /unknown format "nope"/],
      [JSON.stringify({ type: 'object', 'x-min-strength': { minBytes: 'many' } }), /env schema is invalid/],
      ['[1, 2]', /must be a JSON object/],
    ];
    for (const [text, message, line] of cases) {
      let error: unknown;
      try {
        withSchema({ A: '1' }, text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(message);
      expect((error as UserError).file).toBe('schemas/app.schema.json');
      if (line) expect((error as UserError).line).toBe(line);
    }
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), 'A=1\n');
    expect(() => validateEnvFiles(contextFor(dir, { env: [{ files: '.env', schema: 'missing.json' }] }))).toThrow(/env schema not found: missing.json/);
    expect(() => validateEnvFiles(contextFor(dir, { env: [{ files: '.env', schema: '../../etc/passwd' }] }))).toThrow(/outside the repository/);
  });
});

describe('never leaks a value', () => {
  it('no fixture value appears in any message, snippet or fingerprint; snippets are redacted', () => {
    const values = {
      STATUS_PANEL_USERNAME: 'admin',
      STATUS_PANEL_PASSWORD: secret.hex(5),
      AGENT_ID: '',
      VAULT_ADDRESS: `http://svc:${secret.hex(8)}@vault.example.com:8200/v1/${secret.hex(6)}`,
      VAULT_TOKEN: `hvs.${secret.urlsafe(20)}`,
      AGENT_TOKEN: secret.hex(24),
      UPDATE_EXPECTED_SHA256: secret.hex(31),
      UPDATE_URL: `http://u:${secret.hex(8)}@updates.example.com/${secret.hex(6)}`,
      MEDIC_API_KEY: secret.urlsafe(12),
      MEDIC_REDIS_URL: `redis://${secret.hex(6)}@0.0.0.0:6379`,
      CORS_ORIGINS: '*',
      VAULT_PASS: 'pa#' + secret.hex(6),
      SECRET_KEY: secret.urlsafe(20),
    };
    const { findings } = validateFixture({
      committed: { 'leak.env': envText(values) + 'BROKEN_LINE_' + secret.hex(8) + '\nDUP=' + secret.hex(10) + '\nDUP=' + secret.hex(10) + '\n' },
      config: {
        env: [
          { files: 'leak.env', preset: 'status-panel', production: true },
          { files: 'leak.env', preset: 'medic-agent', production: true },
          { files: 'leak.env', preset: 'leyzen-vault' },
        ],
      },
      cleanup,
    });
    expect(findings.length).toBeGreaterThan(12);
    const secrets = Object.values(values)
      .filter((v) => v.length >= 6 && v !== 'admin')
      .flatMap((v) => [v, ...v.split(/[:@/.]/).filter((part) => part.length >= 8)]);
    for (const finding of findings) {
      const text = JSON.stringify(finding);
      for (const value of secrets) expect(text).not.toContain(value);
      if (finding.snippet) expect(finding.snippet).toMatch(/^[A-Z0-9_]+=(.{4})?…$/);
    }
  });
});

describe('runValidate', () => {
  it('merges .env findings with the Vault policy linter and describes every rule it can emit', async () => {
    const { repo } = validateFixture({
      committed: { 'policies/app.hcl': 'path "*" {\n  capabilities = ["read"]\n}\n' },
      local: { 'app.env': 'A=1\nA=2\n' },
      cleanup,
    });
    const result = await runValidate(contextFor(repo.dir, { vault: { policies: ['policies/*.hcl'] } }), { live: false });
    expect(where(result.findings)).toEqual(['app.env:2 env-duplicate-key', 'policies/app.hcl:1 vault-policy-catch-all']);
    const ids = new Set(result.rules.map((r) => r.id));
    for (const f of result.findings) expect(ids.has(f.ruleId)).toBe(true);
    expect(result.rules.every((r) => r.check === 'validate')).toBe(true);
    for (const id of ['env-syntax-no-equals', 'env-drift-missing-key', 'env-vault-path-not-allowed', 'env-tracked-env-file']) expect(ids.has(id)).toBe(true);
  });
});

describe('the example schema in schemas/env', () => {
  it('compiles and catches what it describes', () => {
    const { findings } = validateFixture({
      committed: { 'schemas/env/web.schema.json': readFileSync(path.resolve('schemas/env/web-service.example.schema.json'), 'utf8') },
      local: { 'web.env': envText({ APP_ENV: 'staging', PUBLIC_URL: 'http://127.0.0.1:3000', SESSION_SECRET: secret.hex(32), API_HOST: '0.0.0.0' }) },
      config: { env: [{ files: 'web.env', schema: 'schemas/env/web.schema.json', production: true }] },
      cleanup,
    });
    expect(where(findings)).toEqual([
      'web.env:1 env-production-value',
      'web.env:1 env-recommended-key',
      'web.env:1 env-required-in-production',
      'web.env:2 env-https-only',
      'web.env:4 env-public-bind',
    ]);
  });
});
