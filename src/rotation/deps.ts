import { setTimeout as sleep } from 'node:timers/promises';
import type { RunContext } from '../core/context.js';
import { connectVault } from '../vault/connect.js';
import type { VaultClient } from '../vault/types.js';
import type { FetchLike } from './health.js';

/** What rotation talks to, injectable so tests can use a fake Vault, a local agent and short waits. */
export interface RotationDeps {
  connect: (ctx: RunContext) => Promise<VaultClient>;
  /** For the agent's health endpoint and the GitHub REST API. */
  fetch: FetchLike;
  /** Local wall clock (ms) for verify polling; `ctx.now` may be pinned by SOURCE_DATE_EPOCH. */
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Pause between health polls after a rotation. */
  verifyPollMs: number;
}

export const DEFAULT_DEPS: RotationDeps = {
  connect: (ctx) => connectVault(ctx),
  fetch: (url, init) => fetch(url, init),
  clock: () => Date.now(),
  sleep: (ms) => sleep(ms),
  verifyPollMs: 5000,
};

export function withDefaults(deps: Partial<RotationDeps>): RotationDeps {
  return { ...DEFAULT_DEPS, ...Object.fromEntries(Object.entries(deps).filter(([, value]) => value !== undefined)) };
}
