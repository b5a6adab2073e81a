import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runCommand, type CommandOptions } from '../../src/commands/run.js';
import type { Logger } from '../../src/core/context.js';
import { GitRepo } from '../support/git-repo.js';

const options: CommandOptions = {
  scan: { mode: 'tree' },
  live: false,
  rotate: { selection: { kind: 'due' }, dryRun: false },
};

function context(dir: string, event?: { name: string; payload: Record<string, unknown> }) {
  const logged: string[] = [];
  const log: Logger = { info: (m) => logged.push(m), warning: (m) => logged.push(m), debug: () => undefined };
  const ctx = createContext({ path: dir, env: {}, log, isAction: event !== undefined, mask: () => undefined, event });
  return { ctx, logged };
}

describe('runCommand check', () => {
  const repo = new GitRepo('kw-run-');
  afterAll(() => repo.remove());

  it('reports a default credential once when both the scanner and the .env preset see it', async () => {
    repo.commit('env', {
      '.keywarden.yml': 'env:\n  - files: ".env"\n    preset: leyzen-vault\n',
      '.env': ['VAULT_PASS=' + 'change' + 'me', 'SECRET_KEY=', 'DOCKER_PROXY_TOKEN=', ''].join('\n'),
    });
    const { ctx } = context(repo.dir);
    const result = await runCommand('check', ctx, options);
    const onLine1 = result.findings.filter((f) => f.file === '.env' && f.startLine === 1);
    const defaults = onLine1.filter((f) => /default-credential/.test(f.ruleId));
    expect(defaults.map((f) => f.ruleId)).toEqual(['default-credential-env-assignment']);
    // The committed .env is one finding, not a scanner one plus a preset one.
    expect(result.findings.filter((f) => f.ruleId === 'committed-env-file' || f.ruleId === 'env-tracked-env-file')).toHaveLength(1);
    // validate-only findings the scanner does not make are kept.
    expect(result.findings.some((f) => f.check === 'validate')).toBe(true);
  });

  it('skips rotation-check on pull request events, where the config is not trusted', async () => {
    repo.commit('rotation', {
      '.keywarden.yml': 'vault:\n  address: https://vault.attacker.example\nrotation:\n  secrets:\n    - { name: a, mount: kv, path: p, key: k, max-age: 30d }\n',
      '.env': '',
    });
    const { ctx, logged } = context(repo.dir, { name: 'pull_request', payload: {} });
    const result = await runCommand('check', ctx, options);
    expect(result.findings.filter((f) => f.check === 'rotation')).toEqual([]);
    expect(logged.join('\n')).toContain('rotation-check skipped');
  });
});
