import { normalizeConfig } from '../../src/config/normalize.js';
import type { RunContext } from '../../src/core/context.js';
import type { Finding } from '../../src/core/finding.js';
import { validateEnvFiles } from '../../src/validation/env/index.js';
import { GitRepo } from '../support/git-repo.js';

/** Random secrets built at test time from the seeded generator: nothing secret-looking is committed. */
export { secret } from '../support/random.js';

const quiet = { info: () => {}, warning: () => {}, debug: () => {} };

export function contextFor(root: string, raw: Record<string, unknown> = {}): RunContext {
  return {
    root,
    config: normalizeConfig(raw),
    source: { file: '.keywarden.yml', locate: (p) => ({ line: 10 + p.length, column: 3 }) },
    now: new Date('2026-01-01T00:00:00Z'),
    env: {},
    log: quiet,
    mask: () => {},
    isAction: false,
    configUntrusted: false,
    trustedVault: {},
  };
}

/** `file:line ruleId` of each finding, sorted: the shape most assertions compare. */
export function where(findings: Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`).sort();
}

export function ruleIds(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

export interface EnvFixture {
  repo: GitRepo;
  findings: Finding[];
}

/**
 * A git repo with `.gitignore` ignoring `.env` unless told otherwise; `committed` files are
 * committed, `local` ones only written. Runs .env validation with the given config.
 */
export function validateFixture(options: {
  committed?: Record<string, string | Buffer>;
  local?: Record<string, string | Buffer>;
  config?: Record<string, unknown>;
  cleanup: (() => void)[];
}): EnvFixture {
  const repo = new GitRepo('kw-env-');
  options.cleanup.push(() => repo.remove());
  repo.commit('fixture', { '.gitignore': '.env\n', ...options.committed });
  if (options.local) repo.write(options.local);
  return { repo, findings: validateEnvFiles(contextFor(repo.dir, options.config ?? {})) };
}

/** Lines of a .env file. */
export function envText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}
