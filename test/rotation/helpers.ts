import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { parseConfigText } from '../../src/config/load.js';
import type { RunContext } from '../../src/core/context.js';
import type { RotationDeps } from '../../src/rotation/index.js';
import { connectVault } from '../../src/vault/connect.js';
import type { FakeVault } from '../support/fake-vault.js';
import { simulatedClock, type SimulatedClock } from '../support/clock.js';
import { secret } from '../support/random.js';

export const DAY = 86_400_000;

/** A RunContext over a YAML config that records every log line and every masked value. */
export interface RotationTestContext {
  ctx: RunContext;
  logs: string[];
  masked: string[];
}

export function rotationContext(yaml: string, options: { env?: NodeJS.ProcessEnv; now?: Date; githubToken?: string; repository?: string } = {}): RotationTestContext {
  const { config, source } = parseConfigText(yaml, '.keywarden.yml');
  const logs: string[] = [];
  const masked: string[] = [];
  const ctx: RunContext = {
    root: tmpdir(),
    config,
    source,
    now: options.now ?? new Date(),
    env: options.env ?? {},
    log: { info: (m) => logs.push(m), warning: (m) => logs.push(m), debug: (m) => logs.push(m) },
    mask: (value) => masked.push(value),
    isAction: true,
    configUntrusted: false,
    trustedVault: {},
    githubToken: options.githubToken,
    repository: options.repository,
  };
  return { ctx, logs, masked };
}

/** Env pointing the real client at the fake Vault with the given token. */
export function vaultEnv(vault: FakeVault, token = vault.rootToken): NodeJS.ProcessEnv {
  return { VAULT_ADDR: vault.url, VAULT_TOKEN: token };
}

/**
 * The clock rotation's verify polling and the fake agent share in tests: simulated, so waiting for a
 * pickup (or for its timeout) takes no wall-clock time.
 */
export const testClock: SimulatedClock = simulatedClock();

/** Deps using the real client; its retry pauses and timeouts, and verify polling, run on the simulated clock. */
export function testDeps(extra: Partial<RotationDeps> = {}): Partial<RotationDeps> {
  return {
    connect: (ctx) => connectVault(ctx, { retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 }, timers: testClock }),
    clock: testClock.now,
    sleep: testClock.sleep,
    verifyPollMs: 50,
    ...extra,
  };
}

/** A random value of the shape a real token has, built at test time (never a literal). */
export function randomToken(bytes = 24): string {
  return secret.hex(bytes);
}

export interface LocalServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A tiny local HTTP server; `handle` returns status and JSON body per request path. */
export async function startJsonServer(handle: (req: IncomingMessage) => { status: number; body: unknown } | 'drop'): Promise<LocalServer> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ? 'auth' : 'anon'}`);
    const answer = handle(req);
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FakeAgentOptions {
  /** The agent never sees a new value (its refresh is broken but reports ok, or it reads elsewhere). */
  frozen?: boolean;
  lastRefreshOk?: boolean | null;
  /** Seconds of token age reported before the first change is seen. */
  initialAgeSeconds?: number;
}

/**
 * A Status Panel-like agent: on each /health request it "refreshes" from the fake Vault (as its 60 s
 * loop would), swaps when the value changed, and reports token_age_seconds since its last swap, on
 * the simulated test clock.
 */
export async function startFakeAgent(vault: FakeVault, mount: string, path: string, key: string, options: FakeAgentOptions = {}): Promise<LocalServer> {
  let seen = vault.readKvDirect(mount, path)?.data?.[key];
  let swappedAt = testClock.now() - (options.initialAgeSeconds ?? 3600) * 1000;
  return startJsonServer(() => {
    const current = vault.readKvDirect(mount, path)?.data?.[key];
    if (!options.frozen && current !== seen) {
      seen = current;
      swappedAt = testClock.now();
    }
    return {
      status: 200,
      body: {
        status: 'ok',
        token_age_seconds: Math.floor((testClock.now() - swappedAt) / 1000),
        last_refresh_ok: options.lastRefreshOk === undefined ? true : options.lastRefreshOk,
      },
    };
  });
}
