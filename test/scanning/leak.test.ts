import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { runScan, type ScanOptions } from '../../src/scanning/index.js';
import { GitRepo } from '../support/git-repo.js';
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
