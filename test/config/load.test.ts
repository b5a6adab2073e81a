import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { STARTER_CONFIG } from '../../src/config/init-template.js';
import { UserError } from '../../src/core/errors.js';
import { formatDuration, parseDuration, parsePercent, parseSize } from '../../src/config/units.js';

function errorOf(text: string): UserError {
  try {
    parseConfigText(text, '.keywarden.yml');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a config error');
}

describe('config loader', () => {
  it('gives defaults for an empty file', () => {
    const { config } = parseConfigText('', '.keywarden.yml');
    expect(config.scan.maxFileSize).toBe(10 * 1024 * 1024);
    expect(config.rotation.warnAt).toBe(0.8);
    expect(config.rotation.maxPerRun).toBe(1);
    expect(config.vault.auth.method).toBe('token');
    expect(config.vault.auth.tokenEnv).toBe('VAULT_TOKEN');
    expect(config.env).toEqual([]);
  });

  it('normalizes the whole shape', () => {
    const { config } = parseConfigText(
      [
        'scan:',
        '  exclude: ["fixtures/**"]',
        '  max-file-size: 512KiB',
        '  ignore:',
        '    - rule: default-credential-*',
        '      paths: ["dev/**"]',
        '      reason: local only',
        '      expires: 2027-01-31',
        'env:',
        '  - files: "deploy/**/.env"',
        '    preset: status-panel',
        '    production: true',
        'vault:',
        '  address: https://vault.example.com',
        '  auth: { method: jwt, role: rotator, audience: https://github.com/acme }',
        '  kv-v2-mounts: [status_panel]',
        'rotation:',
        '  warn-at: 75%',
        '  secrets:',
        '    - name: agent-token',
        '      mount: status_panel',
        '      path: deployment-123-abc/token',
        '      key: token',
        '      max-age: 30d',
        '      generate: { format: base64url, bytes: 48 }',
        '      verify: { url: https://agent.example.com/health, max-token-age: 10m }',
        'github-secrets: { max-age: 90d }',
      ].join('\n'),
      '.keywarden.yml',
    );
    expect(config.scan.maxFileSize).toBe(512 * 1024);
    expect(config.scan.ignore[0]).toMatchObject({ rule: 'default-credential-*', expires: '2027-01-31', index: 0 });
    expect(config.env[0]).toMatchObject({ files: ['deploy/**/.env'], preset: 'status-panel', production: true, allowPublicBind: false });
    expect(config.vault.auth).toMatchObject({ method: 'jwt', role: 'rotator' });
    expect(config.rotation.warnAt).toBe(0.75);
    expect(config.rotation.secrets[0]).toMatchObject({
      maxAgeMs: 30 * 86_400_000,
      generate: { format: 'base64url', bytes: 48 },
      verify: { url: 'https://agent.example.com/health', maxTokenAgeMs: 600_000, timeoutMs: 70_000 },
    });
    expect(config.githubSecrets.maxAgeMs).toBe(90 * 86_400_000);
  });

  it('locates keys for findings that point into the config', () => {
    const { source } = parseConfigText('rotation:\n  secrets:\n    - name: a\n      mount: m\n      path: p\n      key: k\n      max-age: 1d\n', 'kw.yml');
    expect(source.file).toBe('kw.yml');
    expect(source.locate(['rotation', 'secrets', 0])).toEqual({ line: 3, column: 7 });
    expect(source.locate(['rotation', 'secrets', 0, 'max-age'])).toEqual({ line: 7, column: 7 });
    expect(source.locate(['nothing', 'here'])).toEqual({ line: 1, column: 1 });
  });

  it('rejects unknown keys with file, line, column and key', () => {
    const error = errorOf('scan:\n  exclude: []\n  exlcude: ["x"]\n');
    expect(error.describe()).toBe('.keywarden.yml:3:3: scan.exlcude: unknown key (a typo would silently disable a check, so keywarden refuses it)');
  });

  it('names the offending value of a wrong enum', () => {
    const error = errorOf('env:\n  - files: .env\n    preset: status\n');
    expect(error.line).toBe(3);
    expect(error.message).toContain('env[0].preset');
    expect(error.message).toContain('"status-panel"');
  });

  it('reports a missing required key at its parent', () => {
    const error = errorOf('rotation:\n  secrets:\n    - name: a\n      mount: m\n      path: p\n      key: k\n');
    expect(error.message).toContain('missing required key "max-age"');
    expect(error.line).toBe(3);
  });

  it('requires a reason on ignore entries', () => {
    const error = errorOf('scan:\n  ignore:\n    - rule: x\n');
    expect(error.message).toContain('missing required key "reason"');
  });

  it('reports broken YAML with its position', () => {
    const error = errorOf('scan:\n  exclude: [a, b\n');
    expect(error.message).toMatch(/^invalid YAML/);
    expect(error.file).toBe('.keywarden.yml');
    expect(error.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an alias to an anchor set nowhere before it at the alias, not as a crash (found by the config property)', () => {
    for (const [text, line] of [['*b? ', 1], ['scan:\n  exclude: *globs\n', 2], ['scan:\n  exclude: [a]\nenv:\n  - *later\n  - &later {}\n', 4]] as const) {
      const error = errorOf(text);
      expect(error.describe()).toMatch(new RegExp(`^\\.keywarden\\.yml:${line}:\\d+: invalid YAML: an alias \\(\\*name\\) refers to an anchor`));
    }
  });

  it('rejects duplicate keys', () => {
    expect(errorOf('scan: {}\nscan: {}\n').message).toMatch(/invalid YAML/);
  });

  it('accepts the starter config that init writes', () => {
    expect(() => parseConfigText(STARTER_CONFIG, '.keywarden.yml')).not.toThrow();
  });
});

describe('units', () => {
  it('parses durations, sizes and percentages', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseSize('10MiB')).toBe(10_485_760);
    expect(parseSize('2MB')).toBe(2_000_000);
    expect(parseSize(4096)).toBe(4096);
    expect(parsePercent('80%')).toBe(0.8);
    expect(() => parseDuration('soon')).toThrow(UserError);
  });

  it('formats durations for messages', () => {
    expect(formatDuration(12 * 86_400_000 + 5000)).toBe('12 days');
    expect(formatDuration(3_600_000)).toBe('1 hour');
    expect(formatDuration(90_000)).toBe('1 minute');
  });
});
