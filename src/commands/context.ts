import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, proveConfigRules } from '../config/load.js';
import { checkDisabledRules } from './rule-ids.js';
import { pullRequestConfig, workspaceFiles, type ConfigFrom } from '../config/trusted.js';
import { nowFrom, type EventInfo, type Logger, type RunContext, type TrustedVaultSettings } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { redactingLogger } from '../core/redact.js';

export interface ContextInputs {
  /** The directory to check (absolute or relative to the working directory). */
  path: string;
  configPath?: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  isAction: boolean;
  mask(value: string): void;
  event?: EventInfo;
  trustedVault?: TrustedVaultSettings;
  getIdToken?(audience?: string): Promise<string>;
  githubToken?: string;
  /** Action input `config-from`: on untrusted events, read the config from the base commit (default) or the head. */
  configFrom?: ConfigFrom;
  /** Action input `baseline`, resolved: a trusted path, whose content on a pull request comes from the base commit. */
  baselinePath?: string;
  /** `--redact N` / input `redact`: leading characters of a found value that snippets show (0–4). */
  redactShown?: number;
}

/** Events whose checked-out code (and so its .keywarden.yml) may come from a fork. */
const UNTRUSTED_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export async function createContext(inputs: ContextInputs): Promise<RunContext> {
  const root = path.resolve(inputs.path);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`not a directory: ${inputs.path}`);
  const untrusted = inputs.event !== undefined && UNTRUSTED_EVENTS.has(inputs.event.name);
  const { config, source, files } = untrusted
    ? await pullRequestConfig({
        root,
        configPath: inputs.configPath,
        baselinePath: inputs.baselinePath,
        configFrom: inputs.configFrom ?? 'base',
        baseSha: baseShaOf(inputs.event!),
        log: inputs.log,
      })
    : { ...loadConfig(root, inputs.configPath), files: workspaceFiles(root) };
  await proveConfigRules({ config, source });
  checkDisabledRules(config, source);
  return {
    root,
    config,
    source,
    trustedFiles: files,
    now: nowFrom(inputs.env),
    env: inputs.env,
    log: redactingLogger(inputs.log),
    mask: inputs.mask,
    isAction: inputs.isAction,
    event: inputs.event,
    configUntrusted: untrusted,
    trustedVault: inputs.trustedVault ?? {},
    getIdToken: inputs.getIdToken,
    githubToken: inputs.githubToken,
    repository: inputs.env.GITHUB_REPOSITORY,
    ...(inputs.redactShown !== undefined ? { redactShown: inputs.redactShown } : {}),
  };
}

function baseShaOf(event: EventInfo): string | undefined {
  const pr = event.payload.pull_request as { base?: { sha?: unknown } } | undefined;
  return typeof pr?.base?.sha === 'string' ? pr.base.sha : undefined;
}
