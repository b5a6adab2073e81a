import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { runScan, type ScanOptions } from '../../src/scanning/index.js';
import { GitRepo } from '../support/git-repo.js';
import { everyOutput, expectNoLeak } from '../support/leak.js';
import { checksummedToken } from '../../src/scanning/rules/support.js';
import { ALNUM, TEST_RULES, demoToken, pemBlock, randomChars, scanContext } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every planted value, and every 8-character piece of it past the 4 a redaction may show. */
function pieces(values: string[]): string[] {
  return values.flatMap((value) => [value, ...Array.from({ length: Math.max(0, value.length - 11) }, (_, i) => value.slice(i + 4, i + 12))]);
}

it('never puts a found value in findings or logs, in any mode', async () => {
  const r = new GitRepo('kw-leak-');
  dirs.push(r.dir);
  const planted = [demoToken(), demoToken(), randomChars(ALNUM, 24), randomChars(ALNUM, 30)];
  const key = pemBlock(4);
  r.commit('base', { 'README.txt': 'hi\n' });
  r.git('checkout', '-q', '-b', 'feature');
  r.commit('secrets', {
    'src/a b/client.ts': `const a = "${planted[0]}"; const b = "${planted[1]}";\n`,
    'deploy/.env.production': `DB_PASSWORD=${planted[2]}\nAPI_SECRET="${planted[3]}"\n`,
    'deploy/key.txt': `${key}\n`,
  });
  const bodyLines = key.split('\n').slice(1, -1);
  const forbidden = pieces([...planted, ...bodyLines]);
  const modes: ScanOptions[] = [{ mode: 'tree' }, { mode: 'diff', base: 'main', head: 'feature' }, { mode: 'history' }];
  for (const options of modes) {
    const { ctx, logs } = scanContext(r.dir);
    const result = await runScan(ctx, options, TEST_RULES);
    const where = result.findings.filter((f) => f.ruleId !== 'committed-env-file').map((f) => `${f.file}:${f.startLine}`).sort();
    expect(where, options.mode).toEqual(['deploy/.env.production:1', 'deploy/.env.production:2', 'deploy/key.txt:2', 'src/a b/client.ts:1', 'src/a b/client.ts:1']);
    const output = JSON.stringify(result) + logs.join('\n');
    for (const piece of forbidden) expect(output.includes(piece), `${options.mode} leaks a value`).toBe(false);
  }
});

describe('snippets through the shipped rules and every report format', () => {
  const B64 = ALNUM + '+/';
  const keyLabel = ['PRIVATE', 'KEY'].join(' ');
  const mixedToken = (length: number): string => {
    for (;;) {
      const value = randomChars(ALNUM, length);
      if (/[0-9]/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && !/x{4}|test|fake|mock|dummy|sample|example/i.test(value)) return value;
    }
  };

  it('shows no key body in any encoding and no unreported value on a reported line', async () => {
    const r = new GitRepo('kw-leak-shipped-');
    dirs.push(r.dir);
    const body = Array.from({ length: 6 }, () => randomChars(B64, 64));
    const escaped = body.join('\\n');
    const keyId = randomChars('0123456789abcdef', 40);
    const neighbours = [mixedToken(18), mixedToken(22), mixedToken(26)];
    const github = checksummedToken('gh' + 'p_');
    const planted = {
      // A GCP service-account key on one line, and a JS constant with a \n-escaped key.
      'deploy/sa.json': `{"type": "service_account", "private_key_id": "${keyId}", "private_key": "-----BEGIN ${keyLabel}-----\\n${escaped}\\n-----END ${keyLabel}-----\\n", "client_email": "ci@shop.iam.gserviceaccount.com"}\n`,
      'src/key.js': `export const KEY = "-----BEGIN RSA ${keyLabel}-----\\n${escaped}\\n-----END RSA ${keyLabel}-----\\n"; export const OTHER = "${neighbours[0]}";\n`,
      'certs/server.pem': `-----BEGIN ${keyLabel}-----\n${body.join('\n')}\n-----END ${keyLabel}-----\n`,
      // A reported token between values no rule reports.
      'src/client.py': `client = Client(user="${neighbours[1]}", token="${github}", region='${neighbours[2]}')\n`,
    };
    r.commit('secrets', planted);
    const { ctx, logs } = scanContext(r.dir);
    const result = await runCommand('scan', ctx, { scan: { mode: 'tree' }, live: false, rotate: { selection: { kind: 'due' }, dryRun: true } });
    const files = new Set(result.findings.map((f) => f.file));
    expect([...files].sort()).toEqual(['certs/server.pem', 'deploy/sa.json', 'src/client.py', 'src/key.js']);
    const keyFindings = result.findings.filter((f) => f.snippet !== undefined && f.file !== 'src/client.py');
    expect(keyFindings.length).toBeGreaterThanOrEqual(3);
    for (const f of keyFindings) expect(f.snippet, f.ruleId).toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----…$/);
    const outputs: Record<string, string> = { ...everyOutput(result.findings, result.rules), logs: logs.join('\n') };
    expect(outputs.json!).toContain(`${github.slice(0, 4)}…`);
    expectNoLeak(outputs, [...body, keyId, ...neighbours], 0);
    expectNoLeak(outputs, [github], 4);
  });

  it('shows N characters with --redact N, none with 0', async () => {
    const r = new GitRepo('kw-leak-shown-');
    dirs.push(r.dir);
    const github = checksummedToken('gh' + 'p_');
    r.commit('token', { 'app.py': `TOKEN = "${github}"\n` });
    for (const shown of [0, 2, 4]) {
      const { ctx } = scanContext(r.dir);
      ctx.redactShown = shown;
      const result = await runCommand('scan', ctx, { scan: { mode: 'tree' }, live: false, rotate: { selection: { kind: 'due' }, dryRun: true } });
      expect(result.findings.map((f) => f.snippet)).toEqual([`TOKEN = "${github.slice(0, shown)}…"`]);
      expectNoLeak(everyOutput(result.findings, result.rules), [github], shown);
    }
  });
});
