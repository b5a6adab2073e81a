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

async function context(dir: string, event?: { name: string; payload: Record<string, unknown> }) {
  const logged: string[] = [];
  const log: Logger = { info: (m) => logged.push(m), warning: (m) => logged.push(m), debug: () => undefined };
  const ctx = await createContext({ path: dir, env: {}, log, isAction: event !== undefined, mask: () => undefined, event });
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
    const { ctx } = await context(repo.dir);
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
    const base = repo.commit('rotation', {
      '.keywarden.yml': 'vault:\n  address: https://vault.attacker.example\nrotation:\n  secrets:\n    - { name: a, mount: kv, path: p, key: k, max-age: 30d }\n',
      '.env': '',
    });
    const { ctx, logged } = await context(repo.dir, { name: 'pull_request', payload: { pull_request: { base: { sha: base } } } });
    const result = await runCommand('check', ctx, options);
    expect(result.findings.filter((f) => f.check === 'rotation')).toEqual([]);
    expect(logged.join('\n')).toContain('rotation-check skipped');
  });

  it('on a pull request reads env schemas and templates the config names from the base commit', async () => {
    const r = new GitRepo('kw-run-base-');
    try {
      const base = r.commit('base', {
        '.keywarden.yml': 'env:\n  - files: "deploy/.env"\n    schema: env.schema.json\n    template: deploy/template.env\n',
        'env.schema.json': JSON.stringify({ type: 'object', required: ['API_URL'] }),
        'deploy/template.env': 'API_URL=\nLOG_LEVEL=\n',
        'deploy/.env': 'API_URL=https://api.example.com\nLOG_LEVEL=info\n',
      });
      // The change drops the requirement and the template key together with the keys themselves.
      r.commit('loosen', {
        'env.schema.json': JSON.stringify({ type: 'object' }),
        'deploy/template.env': 'LOG_LEVEL=\n',
        'deploy/.env': 'LOG_LEVEL=info\n',
      });
      const event = { name: 'pull_request', payload: { pull_request: { base: { sha: base } } } };
      const validateOnly = { ...options, scan: { mode: 'tree' as const } };
      const fromBase = await runCommand('validate', (await context(r.dir, event)).ctx, validateOnly);
      const ids = fromBase.findings.map((f) => `${f.ruleId} ${f.file}`);
      expect(ids).toContain('env-required-key deploy/.env');
      expect(ids).toContain('config-change-after-merge env.schema.json');
      expect(ids).toContain('config-change-after-merge deploy/template.env');
      expect(ids.some((id) => id.startsWith('env-drift') && id.endsWith('deploy/.env'))).toBe(true);
      const fromHead = await runCommand('validate', (await context(r.dir)).ctx, validateOnly);
      expect(fromHead.findings.map((f) => f.ruleId)).not.toContain('env-required-key');
    } finally {
      r.remove();
    }
  });
});
