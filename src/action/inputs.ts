import * as core from '@actions/core';
import type { ConfigFrom } from '../config/trusted.js';
import type { VaultAuthMethod } from '../config/types.js';
import { UserError } from '../core/errors.js';
import { MAX_SHOWN, parseShown } from '../core/redact.js';
import { parseFailOn, type CheckCommand, type FailOn } from '../commands/run.js';
import type { RotateSelection } from '../rotation/index.js';
import type { ScanMode } from '../scanning/index.js';

/** Every action input, parsed and checked in one place. Names match action.yml. */
export interface ActionInputs {
  command: CheckCommand;
  path: string;
  config?: string;
  failOn: FailOn;
  sarifFile?: string;
  reportFile?: string;
  annotations: boolean;
  summary: boolean;
  githubToken?: string;
  scanMode: ScanMode | 'auto';
  base?: string;
  head?: string;
  baseline?: string;
  rotate: RotateSelection;
  dryRun: boolean;
  live: boolean;
  vaultUrl?: string;
  vaultNamespace?: string;
  vaultAuth?: VaultAuthMethod;
  vaultRole?: string;
  vaultAudience?: string;
  /** Pull requests: config, ignores and baseline from the base commit (default) or, by explicit opt-in, the head. */
  configFrom: ConfigFrom;
  redactShown: number;
}

const COMMANDS: readonly CheckCommand[] = ['check', 'scan', 'validate', 'rotation-check', 'rotate'];
const SCAN_MODES: readonly (ScanMode | 'auto')[] = ['auto', 'tree', 'diff', 'history', 'staged'];
const CONFIG_FROM: readonly ConfigFrom[] = ['base', 'head'];
const AUTH_METHODS: readonly VaultAuthMethod[] = ['token', 'approle', 'jwt'];

const optional = (name: string): string | undefined => core.getInput(name) || undefined;

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name) || fallback;
  const match = allowed.find((a) => a === value);
  if (!match) throw new UserError(`input "${name}" must be one of ${allowed.join(', ')}, not "${value}"`);
  return match;
}

function flag(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new UserError(`input "${name}" must be true or false, not "${value}"`);
}

function rotateSelection(value: string): RotateSelection {
  const text = value.trim();
  if (text === '' || text === 'due') return { kind: 'due' };
  if (text === 'all') return { kind: 'all' };
  const names = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  return { kind: 'names', names };
}

function shownInput(): number {
  try {
    return parseShown(core.getInput('redact') || String(MAX_SHOWN), 'input "redact"');
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

export function readInputs(): ActionInputs {
  const failOn = parseFailOn(core.getInput('fail-on') || 'error');
  if (!failOn) throw new UserError(`input "fail-on" must be error, warning, note or never, not "${core.getInput('fail-on')}"`);
  const vaultAuth = optional('vault-auth');
  if (vaultAuth && !AUTH_METHODS.includes(vaultAuth as VaultAuthMethod)) {
    throw new UserError(`input "vault-auth" must be one of ${AUTH_METHODS.join(', ')}, not "${vaultAuth}"`);
  }
  return {
    command: oneOf('command', COMMANDS, 'check'),
    path: core.getInput('path') || '.',
    config: optional('config'),
    failOn,
    sarifFile: optional('sarif-file'),
    reportFile: optional('report-file'),
    annotations: flag('annotations', true),
    summary: flag('summary', true),
    githubToken: optional('github-token'),
    scanMode: oneOf('scan-mode', SCAN_MODES, 'auto'),
    base: optional('base'),
    head: optional('head'),
    baseline: optional('baseline'),
    rotate: rotateSelection(core.getInput('rotate')),
    dryRun: flag('dry-run', false),
    live: flag('live', false),
    vaultUrl: optional('vault-url'),
    vaultNamespace: optional('vault-namespace'),
    vaultAuth: vaultAuth as VaultAuthMethod | undefined,
    vaultRole: optional('vault-role'),
    vaultAudience: optional('vault-audience'),
    configFrom: oneOf('config-from', CONFIG_FROM, 'base'),
    redactShown: shownInput(),
  };
}
