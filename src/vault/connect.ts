import { readFileSync } from 'node:fs';
import type { VaultAuthConfig } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { workspaceFile } from '../core/workspace-path.js';
import { authenticate } from './auth.js';
import { HttpVaultClient } from './client.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY, VaultTransport, type RetryPolicy, type TransportTimers } from './http.js';
import type { VaultClient } from './types.js';

/** Where to find Vault and how to log in, from trusted inputs, config and environment. */
export interface VaultSettings {
  address: string;
  namespace?: string;
  /** Absolute path of the CA file, when one is set. */
  caFile?: string;
  timeoutMs: number;
  auth: VaultAuthConfig;
}

export interface ConnectOptions {
  /** Overrides of the retry policy (tests use tiny delays). */
  retry?: Partial<RetryPolicy>;
  /** Simulated timers in tests (retry pauses, request timeouts). */
  timers?: TransportTimers;
}

const DEFAULT_AUTH: VaultAuthConfig = { method: 'token', tokenEnv: 'VAULT_TOKEN', roleIdEnv: 'VAULT_ROLE_ID', secretIdEnv: 'VAULT_SECRET_ID' };

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * On pull_request events (`ctx.configUntrusted`) the repository's own .keywarden.yml may come from a fork:
 * address, namespace, CA and auth then come only from the action's inputs and the environment, so a pull
 * request cannot send the OIDC or Vault token to a server of its choice.
 */
export function resolveVaultSettings(ctx: RunContext): VaultSettings {
  const config = ctx.config.vault;
  const trusted = ctx.trustedVault;
  const env = ctx.env;
  const untrusted = ctx.configUntrusted;
  if (untrusted && (config.address || config.namespace || config.caCert || config.auth.method !== 'token')) {
    ctx.log.info('pull request event: Vault address, namespace, CA and auth come only from the action inputs and environment, not from the config file');
  }
  const fromConfig = untrusted ? undefined : config;
  const address =
    nonEmpty(trusted.address) ?? nonEmpty(fromConfig?.address) ?? nonEmpty(env.VAULT_ADDR) ?? nonEmpty(env.VAULT_ADDRESS);
  if (!address) {
    throw new UserError(
      untrusted
        ? 'no Vault address: on pull_request events it comes only from the action input vault-url or VAULT_ADDR'
        : 'no Vault address: set vault.address in .keywarden.yml, or VAULT_ADDR',
    );
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UserError(`the Vault address is not a URL: ${address}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`the Vault address must be http(s): ${address}`);
  if (url.username || url.password) throw new UserError('the Vault address must not carry credentials');

  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    ctx.log.warning(`the Vault address ${url.origin} is plain http: the token and every secret cross the network unencrypted; use https`);
  }
  const auth = { ...DEFAULT_AUTH, ...defined(fromConfig?.auth), ...defined(trusted.auth) };
  if (untrusted && auth.method === 'token' && !nonEmpty(trusted.address)) {
    // VAULT_ADDR may have been set by an earlier step from the pull request's own files.
    throw new UserError(
      `on pull_request events the Vault token is sent only to an address the action input vault-url names; ${url.origin} came from VAULT_ADDR`,
    );
  }

  const caFromConfig = fromConfig?.caCert
    ? workspaceFile(ctx.root, fromConfig.caCert, 'vault.ca-cert', { file: ctx.source.file ?? '.keywarden.yml', ...ctx.source.locate(['vault', 'ca-cert']) })
    : undefined;
  const caFile = caFromConfig ?? nonEmpty(env.VAULT_CACERT);
  return {
    address: address.replace(/\/+$/, ''),
    namespace: nonEmpty(trusted.namespace) ?? nonEmpty(fromConfig?.namespace) ?? nonEmpty(env.VAULT_NAMESPACE),
    caFile,
    timeoutMs: config.timeoutMs,
    auth,
  };
}

/** localhost, 127.0.0.0/8 and [::1]: traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** VAULT_MAX_RETRIES, read as Vault's client reads it (a whole number; 0 turns retries off). */
function maxRetries(env: NodeJS.ProcessEnv): number {
  const text = nonEmpty(env.VAULT_MAX_RETRIES);
  if (text === undefined) return DEFAULT_MAX_RETRIES;
  if (!/^\d{1,3}$/.test(text)) throw new UserError(`VAULT_MAX_RETRIES must be a whole number of retries (0 to 999), not "${text}"`);
  return Number(text);
}

function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the Vault CA file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`the Vault CA file ${file} holds no PEM certificate`);
  return text;
}

/** Resolves settings, logs in (masking every credential as soon as it is known) and returns a ready client. */
export async function connectVault(ctx: RunContext, options: ConnectOptions = {}): Promise<VaultClient> {
  const settings = resolveVaultSettings(ctx);
  const transport = new VaultTransport({
    address: settings.address,
    namespace: settings.namespace,
    ca: settings.caFile ? readCa(settings.caFile) : undefined,
    timeoutMs: settings.timeoutMs,
    retry: { ...DEFAULT_RETRY, maxAttempts: maxRetries(ctx.env) + 1, ...defined(options.retry) },
    timers: options.timers,
  });
  transport.setToken(await authenticate(transport, ctx, settings.auth));
  return new HttpVaultClient(transport);
}
