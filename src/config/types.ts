import type { SecretRule } from '../scanning/rule.js';

/** The normalized configuration every check reads. Mirrors schemas/keywarden.schema.json. */

export interface IgnoreEntry {
  rule?: string;
  paths?: string[];
  fingerprint?: string;
  /** Tested against the matched secret, in memory only (the scanner holds it; findings never do). */
  value?: RegExp;
  /** Lower-cased; a secret containing one of them is accepted. */
  stopwords?: string[];
  reason: string;
  /** YYYY-MM-DD */
  expires?: string;
  /** Index in `scan.ignore`, to point a finding at the entry. */
  index: number;
}

export interface ScanConfig {
  include: string[];
  exclude: string[];
  maxFileSize: number;
  baseline?: string;
  ignore: IgnoreEntry[];
  /** Rule ids that never report. */
  disable: string[];
  /** Globs of tests and fixtures; undefined means the documented defaults (src/scanning/confidence.ts). */
  testPaths?: string[];
  /** Report weak, human-chosen values found in tests and docs (left out and counted by default). */
  reportWeakInTests: boolean;
  /** `scan.rules`, compiled and checked against their samples (src/scanning/custom-rules.ts). */
  rules: SecretRule[];
}

export type EnvPreset = 'status-panel' | 'leyzen-vault' | 'medic-agent';

export interface EnvEntry {
  files: string[];
  preset?: EnvPreset;
  schema?: string;
  template?: string;
  production: boolean;
  allowPublicBind: boolean;
  index: number;
}

export type VaultAuthMethod = 'token' | 'approle' | 'jwt';

export interface VaultAuthConfig {
  method: VaultAuthMethod;
  mount?: string;
  role?: string;
  audience?: string;
  tokenEnv: string;
  roleIdEnv: string;
  secretIdEnv: string;
}

export interface VaultConfig {
  address?: string;
  namespace?: string;
  caCert?: string;
  timeoutMs: number;
  auth: VaultAuthConfig;
  kvV2Mounts: string[];
  policies: string[];
  allowedPaths: string[];
  readOnlyPolicies: string[];
  allowSudo: string[];
}

export type GenerateFormat = 'hex' | 'base64' | 'base64url' | 'alphanumeric' | 'password';

export interface GenerateSpec {
  format: GenerateFormat;
  bytes: number;
  length: number;
  charset?: string;
}

export interface VerifySpec {
  url: string;
  maxTokenAgeMs?: number;
  timeoutMs: number;
}

export interface RotationSecret {
  name: string;
  mount: string;
  path: string;
  key: string;
  maxAgeMs: number;
  generate: GenerateSpec;
  verify?: VerifySpec;
  /** Index in `rotation.secrets`, to point findings at the declaring line. */
  index: number;
}

export interface RotationConfig {
  warnAt: number;
  maxPerRun: number;
  secrets: RotationSecret[];
}

export interface GithubSecretsConfig {
  maxAgeMs?: number;
  organization?: string;
}

export interface Config {
  scan: ScanConfig;
  env: EnvEntry[];
  vault: VaultConfig;
  rotation: RotationConfig;
  githubSecrets: GithubSecretsConfig;
}

/** Where a config key sits, so findings about Vault secrets can point at their declaration. */
export interface ConfigSource {
  /** Relative to the repository root, posix; undefined when no config file exists. */
  file?: string;
  /** 1-based line and column of the node at `path` (falls back to its nearest ancestor, then line 1). */
  locate(path: (string | number)[]): { line: number; column: number };
}

export interface LoadedConfig {
  config: Config;
  source: ConfigSource;
}

/** Where the config, the baseline and the files the config names were read from. */
export type ConfigOrigin =
  /** The checked-out files, on an event whose code is trusted (push, schedule) or a local run. */
  | { kind: 'workspace' }
  /** A pull request's own files, by the explicit action input `config-from: head`. */
  | { kind: 'head' }
  /** A pull request's base commit. */
  | { kind: 'base'; commit: string }
  /** A pull request whose base commit could not be read: the defaults, no ignores, no baseline. */
  | { kind: 'defaults'; reason: string };

/** The trusted source of config-named files (baseline, env schemas and templates). */
export interface TrustedFiles {
  origin: ConfigOrigin;
  /** Root-relative posix paths of trust files a pull request changes (they apply after the merge). */
  changed: string[];
  /** A file's bytes by path (root-relative or absolute inside the root); undefined when absent. */
  read(file: string): Buffer | undefined;
}
