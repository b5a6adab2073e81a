import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scanning/index.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { ALNUM, DEFAULT_RULE, PG_DEFAULT, TEST_RULES, demoToken, pemBlock, randomChars } from './helpers.js';
import { scanContext } from './helpers.js';

const repos: GitRepo[] = [];
function repo(): GitRepo {
  const r = new GitRepo('kw-scan-');
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

async function scan(root: string, yaml?: string) {
  const { ctx, logs, masked } = scanContext(root, { yaml });
  const result = await runScan(ctx, { mode: 'tree' }, TEST_RULES);
  return { ...result, logs, masked, where: result.findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}`).sort() };
}

describe('tree mode', () => {
  it('scans tracked files and untracked files git does not ignore, never ignored ones', async () => {
    const r = repo();
    r.commit('init', { 'src/a.ts': `const t = "${demoToken()}";\n`, '.gitignore': 'secret.log\n' });
    r.write({ 'src/new.ts': `const t = "${demoToken()}";\n`, 'secret.log': `t=${demoToken()}\n` });
    const { where, logs } = await scan(r.dir);
    expect(where).toEqual(['demo-token src/a.ts:1', 'demo-token src/new.ts:1']);
    expect(logs.join('\n')).toMatch(/scan: the working tree: 3 files, .* 2 findings/);
  });

  it('walks a plain folder, skipping .git and node_modules', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'node_modules/x/index.js'), `t = "${demoToken()}"`);
    writeFileSync(path.join(dir, 'conf/app.ini'), `token = ${demoToken()}`);
    const { where } = await scan(dir);
    expect(where).toEqual(['demo-token conf/app.ini:1']);
  });

  it('walks the folder, with a warning, when git refuses its .git', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.git'), 'gitdir: /nonexistent/keywarden-test\n');
    writeFileSync(path.join(dir, 'app.ini'), `token = ${demoToken()}`);
    const { where, logs } = await scan(dir);
    expect(where).toEqual(['demo-token app.ini:1']);
    expect(logs[0]).toMatch(/^git cannot read this repository \(fatal: .*\); scanning every file in the folder instead$/);
  });

  it('applies scan.include and scan.exclude globs', async () => {
    const r = repo();
    r.commit('init', {
      'src/a.ts': `t = "${demoToken()}"`,
      'test/fixtures/b.ts': `t = "${demoToken()}"`,
      'docs/c.txt': `t = "${demoToken()}"`,
      'src/d.snap': `t = "${demoToken()}"`,
    });
    expect((await scan(r.dir, 'scan:\n  exclude: ["test/fixtures/**", "*.snap"]\n')).where).toEqual(['demo-token docs/c.txt:1', 'demo-token src/a.ts:1']);
    expect((await scan(r.dir, 'scan:\n  include: ["src/**"]\n  exclude: ["*.snap"]\n')).where).toEqual(['demo-token src/a.ts:1']);
  });

  it('reports files over max-file-size as a note without reading them', async () => {
    const r = repo();
    r.commit('init', { 'big.txt': `t = "${demoToken()}"\n${'x = 1\n'.repeat(400)}`, 'small.txt': 'nothing here\n' });
    const { findings } = await scan(r.dir, 'scan:\n  max-file-size: 1KiB\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'scan-file-too-large', level: 'note', file: 'big.txt', startLine: 1 });
    expect(findings[0]!.message).toContain('over scan.max-file-size (1.0 KiB)');
  });

  it('skips binary files, scans text around a NUL byte and survives invalid UTF-8 and UTF-16', async () => {
    const r = repo();
    const token = demoToken();
    let seed = 11;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff));
    r.commit('init', {
      'blob.bin': Buffer.concat([noise, Buffer.from(`t="${demoToken()}"`)]),
      'nul.txt': Buffer.concat([Buffer.from('header\0'), Buffer.from(`\nt="${token}"\n`)]),
      'latin1.txt': Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`\nt="${token}"\n`), Buffer.from([0xe2, 0x82])]),
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`t="${token}"\n`, 'utf16le')]),
    });
    const { where } = await scan(r.dir);
    expect(where).toEqual(['demo-token latin1.txt:2', 'demo-token nul.txt:2', 'demo-token utf16.txt:1']);
  });

  it('does not follow symlinks out of the repository', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'creds.txt'), `t="${demoToken()}"`);
    const r = repo();
    symlinkSync(path.join(outside, 'creds.txt'), path.join(r.dir, 'link.txt'));
    r.commit('init');
    expect((await scan(r.dir)).findings).toEqual([]);
  });

  it('never reads through a linked folder, even for a path git lists, and warns about links leaving the tree', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'id_deploy'), `t="${demoToken()}"\n`);
    const r = repo();
    r.commit('init', { 'keys/id_deploy': 'placeholder\n' });
    // The work tree's folder becomes a link out of the repository; git's index still lists keys/id_deploy.
    rmSync(path.join(r.dir, 'keys'), { recursive: true });
    symlinkSync(outside, path.join(r.dir, 'keys'));
    const { findings, coverage, logs } = await scan(r.dir);
    expect(findings).toEqual([]);
    // The link itself (untracked now) and the path listed under it.
    expect(coverage?.skipped).toEqual({ symlink: 2 });
    expect(logs.some((l) => l.includes('keys/id_deploy') && l.includes('outside the repository'))).toBe(true);
  });

  it('ends on link loops and dangling links, in git and in a plain folder, counting each', async () => {
    const r = repo();
    symlinkSync('b', path.join(r.dir, 'a'));
    symlinkSync('a', path.join(r.dir, 'b'));
    symlinkSync('.', path.join(r.dir, 'self'));
    symlinkSync('missing', path.join(r.dir, 'dangling'));
    r.commit('init', { 'ok.txt': `t="${demoToken()}"\n` });
    const inGit = await scan(r.dir);
    expect(inGit.where).toEqual(['demo-token ok.txt:1']);
    expect(inGit.coverage?.skipped).toEqual({ symlink: 4 });

    const plain = tempDir();
    symlinkSync('.', path.join(plain, 'self'));
    symlinkSync('x', path.join(plain, 'y'));
    symlinkSync('y', path.join(plain, 'x'));
    writeFileSync(path.join(plain, 'ok.txt'), `t="${demoToken()}"\n`);
    expect((await scan(plain)).where).toEqual(['demo-token ok.txt:1']);
  });

  it('counts every file it does not scan by reason', async () => {
    const r = repo();
    const token = demoToken();
    const bundle = `a=1;${'b=function(c){return c};'.repeat(400)}`;
    r.commit('init', {
      'src/app.js': `const a = 1;\nconst t = "${token}";\nconst blob = "${'z'.repeat(1001)}";\n`,
      'one-line.js': `const t = "${token}"; const pad = "${'q'.repeat(1001)}";`,
      'dist/bundle.js': bundle,
      'dist/app.min.js': 'x',
      'dist/app.js.map': '{}',
      'yarn.lock': 'x',
      'vendor/lib.php': 'x',
      'logo.png': 'x',
      'big.txt': 'x'.repeat(70 * 1024),
    });
    const { where, coverage, logs } = await scan(r.dir, 'scan:\n  max-file-size: 64KiB\n');
    // One long line in a .js file does not make it unscanned.
    expect(where).toEqual(['demo-token one-line.js:1', 'demo-token src/app.js:2', 'scan-file-too-large big.txt:1']);
    expect(coverage?.skipped).toEqual({
      'dependency-folder': 1,
      'lock-file': 1,
      'source-map': 1,
      'minified-name': 1,
      'minified-content': 1,
      'binary-name': 1,
      'too-large': 1,
    });
    expect(coverage?.scannedFiles).toBe(2);
    expect(logs[0]).toContain('7 not scanned (in node_modules/ or vendor/: 1, lock file: 1, source map: 1');
  });

  it.skipIf(userInfo().uid === 0)('reports an unreadable file as a note', async () => {
    const r = repo();
    r.commit('init', { 'locked.txt': 'x' });
    chmodSync(path.join(r.dir, 'locked.txt'), 0o000);
    const { findings } = await scan(r.dir);
    expect(findings.map((f) => f.ruleId)).toEqual(['scan-file-unreadable']);
  });

  it('returns every rule descriptor, also for rules without findings', async () => {
    const { rules } = await scan(tempDir());
    const ids = rules.map((r) => r.id);
    for (const rule of TEST_RULES) expect(ids).toContain(rule.id);
    expect(ids).toEqual(expect.arrayContaining(['committed-env-file', 'committed-private-key-file', 'committed-keystore-file', 'committed-credential-file', 'scan-file-too-large', 'scan-file-unreadable']));
    expect(rules.every((r) => r.check === 'scan' && r.help.length > 0)).toBe(true);
  });

  it('masks found values in the action log, but not short public defaults', async () => {
    const r = repo();
    const token = demoToken();
    r.commit('init', { 'a.ts': `t = "${token}"`, '.env.production': `POSTGRES_PASSWORD=${PG_DEFAULT}\n` });
    const { masked, findings } = await scan(r.dir);
    expect(masked).toEqual([token]);
    expect(findings.some((f) => f.ruleId === DEFAULT_RULE.id)).toBe(true);
  });
});

describe('committed secret files', () => {
  it('reports committed env files, key files, keystores and credential stores, not templates', async () => {
    const r = repo();
    r.commit('init', {
      '.env': 'PORT=8080\n',
      'deploy/.env.production': 'LOG_LEVEL=info\n',
      'config/prod.env': 'X=1\n',
      '.env.local': 'X=1\n',
      '.env.example': 'API_KEY=\n',
      '.env.sample': 'API_KEY=\n',
      '.env.template': 'API_KEY=\n',
      '.env.dist': 'API_KEY=\n',
      '.env.test': 'X=1\n',
      '.env.development': 'X=1\n',
      'docker/example.env': 'X=1\n',
      '.ssh/id_ed25519': 'not really a key\n',
      '.ssh/id_ed25519.pub': 'ssh-ed25519 AAAA\n',
      'certs/server.pem': `${pemBlock(3).replace(/DEMO /g, 'RSA ')}\n`,
      'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      'keys/app.p12': Buffer.from([0x30, 0x82, 0, 1]),
      'android/debug.keystore': Buffer.from([0xfe, 0xed]),
      'config/master.key': randomChars('0123456789abcdef', 32),
      '.git-credentials': 'x\n',
      '.env.keys': 'X=1\n',
      'putty/server.ppk': 'PuTTY-User-Key-File-3: ssh-ed25519\n',
      'vendor/lib/testdata/id_rsa': 'x\n',
      'node_modules/pkg/.env': 'X=1\n',
    });
    const { where } = await scan(r.dir);
    expect(where).toEqual([
      'committed-credential-file .env.keys:1',
      'committed-credential-file .git-credentials:1',
      'committed-credential-file config/master.key:1',
      'committed-env-file .env.local:1',
      'committed-env-file .env:1',
      'committed-env-file config/prod.env:1',
      'committed-env-file deploy/.env.production:1',
      'committed-keystore-file keys/app.p12:1',
      'committed-private-key-file .ssh/id_ed25519:1',
      'committed-private-key-file certs/server.pem:1',
      'committed-private-key-file putty/server.ppk:1',
    ]);
  });

  it('says whether the file is committed or merely not ignored', async () => {
    const r = repo();
    r.commit('init', { '.env': 'X=1\n' });
    r.write({ '.env.production': 'X=1\n' });
    const { findings } = await scan(r.dir);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'Committed .env file: .env is committed to the repository',
      'Committed .env file: .env.production is not ignored by git, so `git add -A` would commit it',
    ]);
  });
});

describe('speed', () => {
  it('logs throughput and scans a realistic tree', async () => {
    const r = repo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`src/m${i}.ts`] = `export const v${i} = ${JSON.stringify(randomChars(ALNUM, 40))};\n`.repeat(200);
    r.commit('init', files);
    const { logs, findings } = await scan(r.dir);
    expect(findings).toEqual([]);
    expect(logs[0]).toMatch(/50 files, .* scanned, 0 not scanned, 0 findings in [\d.]+ s/);
  });
});
