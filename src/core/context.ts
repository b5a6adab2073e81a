import type { Config, ConfigSource, TrustedFiles, VaultAuthConfig } from '../config/types.js';

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/** Vault connection settings given by a trusted source (the action's inputs), which win over config. */
export interface TrustedVaultSettings {
  address?: string;
  namespace?: string;
  auth?: Partial<VaultAuthConfig>;
}

/** GitHub event the run belongs to (action only). */
export interface EventInfo {
  name: string;
  payload: Record<string, unknown>;
}

/** Everything a check may read. Checks never read process.env or the clock directly. */
export interface RunContext {
  /** Absolute path of the repository (or directory) being checked. */
  root: string;
  config: Config;
  source: ConfigSource;
  /**
   * Where the baseline and the files the config names (env schemas, templates) are read from; on a
   * pull request the base commit (see src/config/trusted.ts). Undefined means the workspace.
   */
  trustedFiles?: TrustedFiles;
  /** `SOURCE_DATE_EPOCH` when set, for reproducible runs. */
  now: Date;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** As the action: `core.setSecret`. As the CLI: nothing (it must never print workflow commands). */
  mask(value: string): void;
  isAction: boolean;
  event?: EventInfo;
  /**
   * True when the config comes from code the run must not trust with credentials
   * (a pull_request event): Vault address and auth then come only from `trustedVault`.
   */
  configUntrusted: boolean;
  trustedVault: TrustedVaultSettings;
  /** GitHub OIDC token for an audience (action with `id-token: write`). */
  getIdToken?(audience?: string): Promise<string>;
  /** Token for the GitHub REST API (action input `github-token`, or GITHUB_TOKEN). */
  githubToken?: string;
  /** owner/repo, from GITHUB_REPOSITORY. */
  repository?: string;
  /** Leading characters of a reported value that snippets show (0–4, `--redact N`); 4 when unset. */
  redactShown?: number;
}

export function nowFrom(env: NodeJS.ProcessEnv): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
