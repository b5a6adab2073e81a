import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/scanning/engine.js';
import { classifyFile, looksBinary, looksMinified, skipDecision } from '../../src/scanning/filters.js';
import { ALNUM, CHANGEME, DEFAULT_RULE, PG_DEFAULT, GENERIC_RULE, TEST_RULES, TOKEN_RULE, demoToken, randomChars } from './helpers.js';

const found = (text: string, file = 'config/app.yml') => scanText(text, file, TEST_RULES).map((m) => m.rule.id);

describe('placeholders and references', () => {
  const values = [
    '<your-password>',
    'your_password_here',
    'xxxxxxxxxxxx',
    '************',
    'REPLACE_ME_NOW',
    'TODO',
    '${DB_PASSWORD}',
    '$DB_PASSWORD',
    '{{ .Values.dbPassword }}',
    '${{ secrets.DB_PASSWORD }}',
    'process.env.DB_PASSWORD',
    "os.environ['DB_PASSWORD']",
    'os.getenv("DB_PASSWORD")',
    "ENV['DB_PASSWORD']",
    'var.db_password',
    '%DB_PASSWORD%',
    'changeme_in_prod',
    'example-password-1',
    'dummy-secret-value',
    'fake_password_123',
    'test-password-987',
    'samplePassword9',
    'myFakeToken42x',
    'VAULT_ADMIN_PASS',
    'aaaaaaaaaaaaaaaa',
    'abababababababab',
    '1234567890',
  ];
  for (const value of values) {
    it(`ignores ${value} for generic rules`, () => {
      expect(found(`db_password: ${value}`)).toEqual([]);
    });
  }

  it('still reports a random password', () => {
    expect(found(`db_password: ${randomChars(ALNUM, 20)}`)).toEqual(['demo-generic-password']);
  });

  it('keeps default credentials such as changeme reportable, including compose fallbacks', () => {
    expect(found(`POSTGRES_PASSWORD=${CHANGEME}`, '.env.production')).toEqual(['default-credential-demo']);
    expect(found(`    environment:\n      DB_PASSWORD: ${'$' + '{DB_PASSWORD:-' + CHANGEME + '}'}\n`, 'docker-compose.yml')).toEqual(['default-credential-demo']);
    // …but not obvious templates.
    expect(scanText('POSTGRES_PASSWORD=<changeme>', 'a.env', [DEFAULT_RULE])).toEqual([]);
  });

  it('treats the AWS and Vault documentation examples as examples', () => {
    const rule = { ...TOKEN_RULE, pattern: /key=(?<secret>\S+)/, minEntropy: undefined, keywords: ['key='] };
    expect(scanText(`key=${'AKIA'}IOSFODNN7${'EXAMPLE'}`, 'a.sh', [rule])).toEqual([]);
    expect(scanText(`key=s.${'x'.repeat(24)}`, 'a.sh', [rule])).toEqual([]);
  });

  it('ignores Kubernetes secretKeyRef blocks', () => {
    const yaml = ['env:', '  - name: DB_PASSWORD', '    valueFrom:', '      secretKeyRef:', '        name: db-password-secret', '        key: password_value_key'].join('\n');
    const rule = { ...GENERIC_RULE, pattern: /(?<key>key|name):[ ]*(?<secret>[a-z][\w-]{7,})/, keywords: ['key:', 'name:'] };
    expect(scanText(yaml, 'k8s/deploy.yaml', [rule])).toEqual([]);
  });
});

describe('hashes, ids and public material', () => {
  const hex = (n: number) => randomChars('0123456789abcdef', n);
  it('ignores digests and ids where the key says so, for generic rules', () => {
    expect(found(`password_hash: ${hex(64)}`)).toEqual([]);
    expect(found(`secret_sha256 = "${hex(64)}"`)).toEqual([]);
    expect(found(`secret_id: ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`)).toEqual([]);
    expect(found(`"secret": "sha512-${randomChars(ALNUM + '+/', 86)}=="`)).toEqual([]);
    expect(found(`uses: org/secret-action@${hex(40)}`)).toEqual([]);
  });

  it('keeps a hex secret assigned to a secret name', () => {
    expect(found(`SESSION_SECRET=${hex(64)}`, 'deploy/.env.production')).toEqual(['demo-generic-password']);
  });

  it('ignores public keys and certificates', () => {
    const blob = 'AAAA' + randomChars(ALNUM, 60);
    const rule = { ...GENERIC_RULE, pattern: /secret_key: (?<secret>.+)$/ };
    expect(scanText(`secret_key: ssh-ed25519 ${blob} me@host`, 'a.yml', [rule])).toEqual([]);
    expect(scanText(`secret_key: -----BEGIN PUBLIC KEY-----${blob}`, 'a.yml', [rule])).toEqual([]);
  });
});

describe('templates and docs', () => {
  it('classifies template and doc files', () => {
    for (const file of ['.env.example', 'deploy/.env.sample', 'config.yml.template', 'app.ini.dist', 'x.tmpl', 'settings.example']) {
      expect(classifyFile(file), file).toBe('template');
    }
    for (const file of ['README.md', 'docs/setup.rst', 'guide.adoc']) expect(classifyFile(file), file).toBe('doc');
    for (const file of ['.env', '.env.production', 'src/app.ts', '.env.test']) expect(classifyFile(file), file).toBe('code');
  });

  it('never reports default credentials in templates or docs', () => {
    expect(scanText(`POSTGRES_PASSWORD=${PG_DEFAULT}`, '.env.example', [DEFAULT_RULE])).toEqual([]);
    expect(scanText(`POSTGRES_PASSWORD=${PG_DEFAULT}`, 'docs/setup.md', [DEFAULT_RULE])).toEqual([]);
    expect(scanText(`POSTGRES_PASSWORD=${PG_DEFAULT}`, '.env', [DEFAULT_RULE])).toHaveLength(1);
  });

  it('drops placeholder-looking values in templates but keeps real tokens there', () => {
    expect(scanText('API_SECRET=generate-a-long-random-string', '.env.example', [GENERIC_RULE])).toEqual([]);
    expect(scanText('API_SECRET=generate-a-long-random-string', '.env', [GENERIC_RULE])).toHaveLength(1);
    expect(scanText(`API_TOKEN=${demoToken()}`, '.env.example', [TOKEN_RULE])).toHaveLength(1);
  });
});

describe('files that are not scanned', () => {
  it('skips lock files, dependency folders, minified assets and binary formats, each with its reason', () => {
    for (const file of ['package-lock.json', 'web/yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock', 'poetry.lock', 'go.sum', 'composer.lock', 'Gemfile.lock']) {
      expect(skipDecision(file), file).toBe('lock-file');
    }
    for (const file of ['node_modules/x/index.js', 'app/vendor/lib.php', '.git/config']) expect(skipDecision(file), file).toBe('dependency-folder');
    for (const file of ['dist/app.min.js', 'style.min.css']) expect(skipDecision(file), file).toBe('minified-name');
    expect(skipDecision('app.js.map')).toBe('source-map');
    expect(skipDecision('logo.png')).toBe('binary-name');
    expect(skipDecision('src/vendored.ts')).toBeUndefined();
    expect(skipDecision('src/app.ts', { size: 11, maxFileSize: 10 })).toBe('too-large');
    expect(skipDecision('src/app.ts', { size: 10, maxFileSize: 10 })).toBeUndefined();
  });

  it('sniffs binaries by their share of control and invalid UTF-8 bytes, not by one NUL', () => {
    expect(looksBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]))).toBe(true);
    expect(looksBinary(Buffer.from('plain text'))).toBe(false);
    expect(looksBinary(Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])]))).toBe(false);
    // A NUL with text around it (a .env written by a buggy tool, a NUL-separated list) is text.
    expect(looksBinary(Buffer.from('KEY=value\0OTHER=value\nMORE=text\n'))).toBe(false);
    expect(looksBinary(Buffer.from('caf\u00e9 na\u00efve \u2014 UTF-8 text\n'))).toBe(false);
    // Seeded pseudo-random bytes stand in for compressed data.
    let seed = 7;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff));
    expect(looksBinary(noise)).toBe(true);
    expect(skipDecision('blob.dat', { bytes: noise })).toBe('binary-content');
  });

  it('takes a bundle for minified JavaScript, but not a source file with one long line', () => {
    const bundle = `a=1;${'b=function(c){return c};'.repeat(400)}`;
    expect(looksMinified('dist/app.js', bundle)).toBe(true);
    expect(skipDecision('dist/app.js', { text: bundle })).toBe('minified-content');
    expect(looksMinified('dist/app.js', `${bundle}\n${'const a = 1;\n'.repeat(2000)}`)).toBe(false);
    expect(looksMinified('src/app.js', 'const a = 1;\n'.repeat(300))).toBe(false);
    expect(looksMinified('src/data.js', `export const data = "${'x'.repeat(1001)}";\n`)).toBe(false);
    expect(looksMinified('src/app.js', `const a = 1;\nconst list = "${'y'.repeat(1001)}";\n${'const b = 2;\n'.repeat(10)}`)).toBe(false);
    expect(looksMinified('data.json', 'x'.repeat(20000))).toBe(false);
  });
});
