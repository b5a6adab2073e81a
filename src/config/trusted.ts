import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { commitExists, fetchCommit, gitSync } from '../core/git.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/context.js';
import { makeFinding, type Finding, type RuleDescriptor } from '../core/finding.js';
import { CONFIG_FILE_NAMES, loadConfig, parseConfigText } from './load.js';
import { normalizeConfig } from './normalize.js';
import type { Config, ConfigOrigin, ConfigSource, LoadedConfig, TrustedFiles } from './types.js';

/** Where a pull request's run takes its config from: the base commit (default) or, by explicit opt-in, the head. */
export type ConfigFrom = 'base' | 'head';

const NO_CONFIG: ConfigSource = { locate: () => ({ line: 1, column: 1 }) };

/** The checked-out files: trusted on push, schedule and local runs. */
export function workspaceFiles(root: string, origin: ConfigOrigin = { kind: 'workspace' }): TrustedFiles {
  return { origin, changed: [], read: (file) => readWorkspaceFile(root, file) };
}

export interface PullRequestTrust {
  root: string;
  configPath?: string;
  /** The action input `baseline`: a trusted path whose content is still the checkout's. */
  baselinePath?: string;
  configFrom: ConfigFrom;
  baseSha?: string;
  log: Logger;
}

/**
 * On an untrusted event everything that can weaken the scan (ignores, baseline, excludes,
 * max-file-size, the files the config names) comes from the pull request's base commit, read with
 * git (never the work tree). When that commit cannot be read the run fails closed: the defaults,
 * no ignores and no baseline, never the head's files.
 */
export async function pullRequestConfig(trust: PullRequestTrust): Promise<LoadedConfig & { files: TrustedFiles }> {
  const { root, log } = trust;
  if (trust.configFrom === 'head') {
    log.warning('config-from: head: the pull request\'s own config, ignores and baseline decide what is suppressed');
    return { ...loadConfig(root, trust.configPath), files: workspaceFiles(root, { kind: 'head' }) };
  }
  const base = await readableBase(root, trust.baseSha);
  if ('reason' in base) {
    log.warning(
      `the pull request's base commit cannot be read (${base.reason}): its config, ignores and baseline are not used, ` +
        'and the pull request\'s own are not trusted, so the scan runs with the defaults',
    );
    const files: TrustedFiles = { origin: { kind: 'defaults', reason: base.reason }, changed: [], read: () => undefined };
    return { config: normalizeConfig({}), source: NO_CONFIG, files };
  }
  const read = (file: string): Buffer | undefined => readAtCommit(root, base.sha, file);
  const loaded = loadAt(root, trust.configPath, read, base.sha);
  const files: TrustedFiles = { origin: { kind: 'base', commit: base.sha }, changed: [], read };
  files.changed = changedTrustFiles(root, trust, loaded.config, read);
  return { ...loaded, files };
}

async function readableBase(root: string, sha: string | undefined): Promise<{ sha: string } | { reason: string }> {
  if (!sha || !/^[0-9a-f]{40,64}$/i.test(sha)) return { reason: 'the event names no base commit' };
  if (await commitExists(root, sha)) return { sha };
  try {
    // A depth-1 checkout holds only the merge or head commit: fetch the base, that one commit.
    await fetchCommit(root, 'origin', sha);
  } catch {
    return { reason: `commit ${sha.slice(0, 12)} is not in the clone and fetching it failed` };
  }
  return (await commitExists(root, sha)) ? { sha } : { reason: `commit ${sha.slice(0, 12)} is not in the clone` };
}

function loadAt(root: string, configPath: string | undefined, read: (file: string) => Buffer | undefined, sha: string): LoadedConfig {
  const candidates = configPath ? [relativeTo(root, configPath)] : [...CONFIG_FILE_NAMES];
  for (const file of candidates) {
    const bytes = file === undefined ? undefined : read(file);
    if (bytes !== undefined) return parseConfigText(bytes.toString('utf8'), file!);
  }
  if (configPath) throw new UserError(`config file ${configPath} is not in the pull request's base commit ${sha.slice(0, 12)}`);
  return { config: normalizeConfig({}), source: NO_CONFIG };
}

/** A root-relative posix path inside the root, or undefined for one outside it. */
export function relativeTo(root: string, file: string): string | undefined {
  const relative = path.relative(root, path.resolve(root, file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** `git cat-file blob <sha>:./<path>`: the file as the commit holds it (a symlink's blob is its target text). */
function readAtCommit(root: string, sha: string, file: string): Buffer | undefined {
  const relative = relativeTo(root, file);
  if (relative === undefined) return undefined;
  const result = gitSync(root, ['cat-file', 'blob', `${sha}:./${relative}`]);
  return result.status === 0 ? result.stdout : undefined;
}

/** The checkout's bytes of a file in the same form git stores it: a symlink is its target, never followed. */
function readWorkspaceFile(root: string, file: string): Buffer | undefined {
  const relative = relativeTo(root, file);
  if (relative === undefined) return undefined;
  const full = path.join(root, relative);
  try {
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) return Buffer.from(readlinkSync(full), 'utf8');
    return stat.isFile() ? readFileSync(full) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The trust files (config, baselines, the schemas and templates either config names) whose
 * checkout differs from the base commit: their changes only take effect after the merge.
 */
function changedTrustFiles(root: string, trust: PullRequestTrust, base: Config, readBase: (file: string) => Buffer | undefined): string[] {
  const files = new Set<string>(trust.configPath ? [trust.configPath] : CONFIG_FILE_NAMES);
  let head: Config | undefined;
  try {
    head = loadConfig(root, trust.configPath).config;
  } catch {
    head = undefined; // A head config that does not load is still a changed config file.
  }
  for (const config of head ? [base, head] : [base]) {
    if (config.scan.baseline) files.add(config.scan.baseline);
    for (const entry of config.env) for (const named of [entry.schema, entry.template]) if (named) files.add(named);
  }
  if (trust.baselinePath) files.add(trust.baselinePath);
  const changed = new Set<string>();
  for (const file of files) {
    const relative = relativeTo(root, file);
    if (relative === undefined) continue;
    const before = readBase(relative);
    const after = readWorkspaceFile(root, relative);
    if (before === undefined && after === undefined) continue;
    if (before === undefined || after === undefined || !before.equals(after)) changed.add(relative);
  }
  return [...changed].sort();
}

export const CONFIG_CHANGE_RULE: RuleDescriptor = {
  id: 'config-change-after-merge',
  check: 'scan',
  name: 'Config change applies after merge',
  shortDescription: 'A pull request changes keywarden’s config, baseline or a file the config names.',
  fullDescription:
    'On pull requests keywarden reads its config, ignores, baseline, env schemas and templates from the base commit, so the code under review cannot switch the scan off for itself. This pull request changes one of those files: its changes take effect after the merge, and this run did not use them.',
  help: 'Review the change like code: new ignores and baseline entries hide findings once merged.',
  severity: 'info',
};

/** A note on each trust file the pull request changes. */
export function pendingChangeFindings(files: TrustedFiles | undefined): Finding[] {
  if (!files || files.origin.kind !== 'base') return [];
  const commit = files.origin.commit.slice(0, 12);
  return files.changed.map((file) =>
    makeFinding({
      ruleId: CONFIG_CHANGE_RULE.id,
      check: 'scan',
      severity: CONFIG_CHANGE_RULE.severity,
      message: `${file} is changed by this pull request: keywarden used the base commit's version (${commit}); the changes take effect after merge`,
      file,
      startLine: 1,
      fingerprintMaterial: `config-change:${file}`,
    }),
  );
}
