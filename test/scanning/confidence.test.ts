import { describe, expect, it } from 'vitest';
import { buildJson } from '../../src/reporting/json.js';
import { runScan } from '../../src/scanning/index.js';
import { GitRepo } from '../support/git-repo.js';
import { scanContext } from './helpers.js';
import { contextOptions, isWeakValue, type LeftOutReason } from '../../src/scanning/confidence.js';
import { scanText } from '../../src/scanning/engine.js';
import { findingsFor } from '../../src/scanning/findings.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { BASE62, checksummedToken, mixed } from '../../src/scanning/rules/support.js';

/** Built from parts: stock defaults and weak, human-chosen passwords. */
const ADMIN = 'ad' + 'min';
const ADMIN123 = ADMIN + '123';
const FOOBARED = 'foo' + 'bared';
const NOGOOD = 'no' + 'good';
const SUMMER = 'Sum' + 'mer2024!';
const strong = (): string => `${mixed(BASE62, 7)}-${mixed(BASE62, 6)}!`;

function scan(file: string, text: string, options: { testPaths?: string[]; reportWeakInTests?: boolean } = {}) {
  const leftOut: LeftOutReason[] = [];
  const findings = findingsFor(file, scanText(text, file, RULES), { context: contextOptions(options), leftOut: (r) => leftOut.push(r) });
  return { findings: findings.map((f) => ({ rule: f.ruleId, level: f.level, confidence: f.confidence })), leftOut };
}

describe('weak values in tests and fixtures', () => {
  const cases: [string, string][] = [
    ['test/api/users.test.js', `    await login({ username: 'tj', password: '${ADMIN123}' });`],
    ['test/auth.js', `      .send('username=tj&password=${NOGOOD}')`],
    ['spec/fixtures/users.yml', `  password: ${ADMIN}`],
    ["src/test/java/AuthTest.java", `    private static final String PASSWORD = "${ADMIN123}";`],
    ['tests/test_login.py', `    resp = client.post("/login", data={"password": "${ADMIN}"})`],
    ['internal/db/db_test.go', `\tdsn := "postgres://app:${ADMIN}@localhost/app"`],
    ['testdata/compose.yml', `      POSTGRES_PASSWORD: ${ADMIN}`],
  ];
  for (const [file, line] of cases) {
    it(`leaves out and counts ${file}: ${line.trim()}`, () => {
      const { findings, leftOut } = scan(file, line);
      expect(findings).toEqual([]);
      expect(leftOut).toEqual(['weak-value-in-test']);
    });
  }

  it('reports them as low-confidence notes with scan.report-weak-in-tests', () => {
    const { findings, leftOut } = scan('spec/fixtures/users.yml', `  password: ${ADMIN}`, { reportWeakInTests: true });
    expect(leftOut).toEqual([]);
    expect(findings).toEqual([{ rule: 'default-credential-env-assignment', level: 'note', confidence: 'low' }]);
  });

  it('takes what a test is from scan.test-paths, replacing the defaults', () => {
    expect(scan('qa/users.yml', `  password: ${ADMIN}`, { testPaths: ['qa/**'] }).leftOut).toEqual(['weak-value-in-test']);
    expect(scan('test/users.yml', `  password: ${ADMIN}`, { testPaths: ['qa/**'] }).findings).toHaveLength(1);
  });

  it('keeps a random password in a test, lowered to a low-confidence note', () => {
    expect(scan('test/db.test.ts', `const password = "${strong()}";`).findings).toEqual([{ rule: 'generic-password', level: 'note', confidence: 'low' }]);
  });

  it('keeps a verified token in a test at medium confidence, one severity step lower', () => {
    const { findings } = scan('test/client.test.ts', `const token = "${checksummedToken('gh' + 'p_')}";`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.confidence).toBe('medium');
  });
});

describe('default credentials in deployable config stay errors', () => {
  const cases: [string, string][] = [
    ['docker-compose.yml', `      POSTGRES_PASSWORD: ${ADMIN}`],
    ['k8s/db.yaml', `        env:\n          - name: POSTGRES_PASSWORD\n            value: ${ADMIN}\n`],
    ['charts/app/values.yaml', `  adminPassword: ${ADMIN}`],
    ['roles/db/defaults/main.yml', `db_password: ${ADMIN}`],
    ['infra/main.tf', `  password = "${ADMIN}"`],
    ['.github/workflows/ci.yml', `          POSTGRES_PASSWORD: ${ADMIN}`],
    ['.env', `POSTGRES_PASSWORD=${ADMIN}`],
    ['redis/redis.conf', `requirepass ${FOOBARED}`],
  ];
  for (const [file, text] of cases) {
    it(`${file}: ${text.trim().split('\n').pop()!.trim()}`, () => {
      const { findings } = scan(file, text);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ level: 'error', confidence: 'low' });
    });
  }

  it('in application code a default is a warning', () => {
    expect(scan('app/settings.py', `DATABASES = {"default": {"PASSWORD": "${ADMIN}"}}`).findings).toEqual([
      { rule: 'default-credential-env-assignment', level: 'warning', confidence: 'low' },
    ]);
  });
});

describe('comments and docs lower the level', () => {
  it('a commented-out default in a stock config file is a note', () => {
    expect(scan('redis/redis.conf', `# requirepass ${FOOBARED}`).findings).toEqual([{ rule: 'default-credential-cli-argument', level: 'note', confidence: 'low' }]);
    expect(scan('docker-compose.yml', `      # POSTGRES_PASSWORD: ${ADMIN}`).findings).toEqual([{ rule: 'default-credential-env-assignment', level: 'note', confidence: 'low' }]);
  });

  it('a commented-out random password is a low-confidence note, in every comment style', () => {
    for (const [file, line] of [
      ['config/app.yml', `# password: ${strong()}`],
      ['src/db.ts', `// const password = "${strong()}";`],
      ['conf/settings.xml', `<!-- <password>${strong()}</password> -->`],
      ['config.ini', `; password = ${strong()}`],
    ]) {
      expect(scan(file!, line!).findings, line).toEqual([{ rule: 'generic-password', level: 'note', confidence: 'low' }]);
    }
  });

  it('a random password in docs is low confidence; a weak one is left out', () => {
    expect(scan('docs/setup.md', `    password: ${strong()}`).findings).toEqual([{ rule: 'generic-password', level: 'note', confidence: 'low' }]);
    expect(scan('docs/setup.md', `    password: ${SUMMER}`).leftOut).toEqual(['weak-value-in-doc']);
    // A script or config under docs/ is run as it is: a deployable default.
    expect(scan('docs/replication/setup.sh', `export MINIO_ROOT_PASSWORD="${ADMIN123}"`).findings).toEqual([{ rule: 'default-credential-env-assignment', level: 'error', confidence: 'low' }]);
  });

  it('a random password in deployable config is medium confidence and an error', () => {
    expect(scan('config/app.yml', `password: ${strong()}`).findings).toEqual([{ rule: 'generic-password', level: 'error', confidence: 'medium' }]);
  });
});

describe('weak values', () => {
  it('are stock defaults, short words with a few digits or symbols, or low-entropy short strings', () => {
    for (const value of [ADMIN123, NOGOOD, 'Sum' + 'mer2024!', 'hunter' + '22', 'aaaa' + 'bbbb']) expect(isWeakValue(value), value).toBe(true);
    for (let i = 0; i < 20; i++) expect(isWeakValue(strong())).toBe(false);
  });
});

describe('through a tree scan and the JSON report', () => {
  it('counts what context left out, by reason, and takes scan.test-paths / report-weak-in-tests from the config', async () => {
    const repo = new GitRepo('kw-context-');
    try {
      repo.commit('init', {
        'test/login.test.js': `login({ password: '${ADMIN123}' });\n`,
        'docs/setup.md': `    password: ${SUMMER}\n`,
        'docker-compose.yml': `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${ADMIN}\n`,
      });
      const run = async (yaml: string) => runScan(scanContext(repo.dir, { yaml }).ctx, { mode: 'tree' });
      const plain = await run('{}\n');
      expect(plain.coverage!.leftOut).toEqual({ 'weak-value-in-test': 1, 'weak-value-in-doc': 1 });
      expect(plain.findings.map((f) => `${f.file} ${f.level} ${f.confidence}`)).toEqual(['docker-compose.yml error low']);
      const report = { tool: { name: 'keywarden', version: '0', informationUri: '' }, command: 'scan', findings: plain.findings, rules: plain.rules, coverage: plain.coverage!, failOn: 'error' as const };
      expect(buildJson(report).coverage!.leftOut).toEqual({ 'weak-value-in-test': 1, 'weak-value-in-doc': 1 });

      const all = await run('scan:\n  report-weak-in-tests: true\n');
      expect(all.coverage!.leftOut).toEqual({});
      expect(all.findings.map((f) => `${f.file} ${f.level}`).sort()).toEqual(['docker-compose.yml error', 'docs/setup.md note', 'test/login.test.js note']);

      const custom = await run('scan:\n  test-paths: ["qa/**"]\n');
      expect(custom.coverage!.leftOut).toEqual({ 'weak-value-in-doc': 1 });
    } finally {
      repo.remove();
    }
  });
});
