import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { nowFrom, type EventInfo, type Logger, type RunContext, type TrustedVaultSettings } from '../core/context.js';
import { UserError } from '../core/errors.js';

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
}

/** Events whose checked-out code (and so its .keywarden.yml) may come from a fork. */
const UNTRUSTED_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export function createContext(inputs: ContextInputs): RunContext {
  const root = path.resolve(inputs.path);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`not a directory: ${inputs.path}`);
  const { config, source } = loadConfig(root, inputs.configPath);
  return {
    root,
    config,
    source,
    now: nowFrom(inputs.env),
    env: inputs.env,
    log: inputs.log,
    mask: inputs.mask,
    isAction: inputs.isAction,
    event: inputs.event,
    configUntrusted: inputs.event !== undefined && UNTRUSTED_EVENTS.has(inputs.event.name),
    trustedVault: inputs.trustedVault ?? {},
    getIdToken: inputs.getIdToken,
    githubToken: inputs.githubToken,
    repository: inputs.env.GITHUB_REPOSITORY,
  };
}
