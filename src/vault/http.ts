import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { VaultError, vaultErrorText } from './errors.js';

/** Talking HTTP to Vault: headers, per-request timeout, custom CA, and retries with backoff for safe requests. */

export interface RetryPolicy {
  /** Total attempts for one request, first included: VAULT_MAX_RETRIES + 1, as Vault's client counts. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After above this is cut down to it. */
  maxRetryAfterMs: number;
}

/** Vault's client default: MaxRetries 2, so three attempts (api/client.go, DefaultConfig). */
export const DEFAULT_MAX_RETRIES = 2;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: DEFAULT_MAX_RETRIES + 1, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30_000 };

/** How the transport waits; tests pass a simulated clock's, so no test waits on the wall clock. */
export interface TransportTimers {
  sleep(ms: number): Promise<void>;
  /** A signal that aborts with a `TimeoutError` once `ms` have passed. */
  timeout(ms: number): AbortSignal;
}

export const REAL_TIMERS: TransportTimers = { sleep: (ms) => sleep(ms), timeout: (ms) => AbortSignal.timeout(ms) };

export interface TransportOptions {
  address: string;
  namespace?: string;
  /** PEM of the CA(s) that signed Vault's certificate. */
  ca?: string;
  timeoutMs: number;
  retry: RetryPolicy;
  timers?: TransportTimers;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface VaultRequest {
  method: HttpMethod;
  /** API path without `/v1/`, segments already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** PATCH requests need `application/merge-patch+json`. */
  mergePatch?: boolean;
  /** Login calls carry no token. */
  anonymous?: boolean;
}

export interface VaultResponse {
  status: number;
  /** Parsed JSON, or null for 204 and empty bodies. */
  body: Record<string, unknown> | null;
}

/** One attempt's outcome: an answer, or a network failure that says whether the request may have reached Vault. */
export type Attempt =
  | { kind: 'answer'; response: VaultResponse; retryAfterMs?: number }
  | { kind: 'network'; message: string; maybeSent: boolean; permanent: boolean };

/** Failures where the request never left this machine: connecting failed. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** TLS verification failures do not heal by retrying. */
const TLS_CODE = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** The redirect statuses Vault's client follows (a standby answers 307). */
const REDIRECTS = new Set([301, 302, 307]);

type RedirectTarget = { ok: true; url: URL } | { ok: false; refusal: string };

function redirectTarget(from: URL, location: string | null): RedirectTarget {
  let to: URL;
  try {
    to = new URL(location ?? '', from);
  } catch {
    return { ok: false, refusal: 'Vault answered a redirect without a usable Location: refused' };
  }
  if (!location) return { ok: false, refusal: 'Vault answered a redirect without a Location: refused' };
  if (to.protocol !== from.protocol || to.host !== from.host) {
    return {
      ok: false,
      refusal: `Vault at ${from.origin} redirected to ${to.protocol}//${to.host}: refused, the token is sent only to the configured scheme and host`,
    };
  }
  return { ok: true, url: to };
}

/**
 * The answers Vault's own client retries (api/client.go, DefaultRetryPolicy, at commit
 * 003c000008d2f3814c7f78f2f00ba949b69691a0, on top of go-retryablehttp's policy): 412 (a
 * performance standby that has not yet seen a token just created), 429, and every 5xx except 501
 * (not implemented: asking again cannot help). One rule for reads and writes.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 412 || status === 429 || (status >= 500 && status !== 501);
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class VaultTransport {
  readonly address: string;
  readonly #options: TransportOptions;
  readonly #dispatcher: Agent;
  #token: string | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.address = options.address;
    this.#dispatcher = new Agent({ connect: options.ca ? { ca: options.ca } : {} });
  }

  get retryPolicy(): RetryPolicy {
    return this.#options.retry;
  }

  setToken(token: string): void {
    this.#token = token;
  }

  /**
   * One attempt, no retry: writes use this to decide themselves what an unknown outcome means.
   * One redirect is followed, as Vault's client does (a standby node sends clients to the active
   * one), but only to the same scheme and host: the token, or a login's credentials in the body,
   * never go to a server the settings did not name, nor over plain http (Vault's api/client.go,
   * rawRequestWithContext, refuses the downgrade; this also refuses a change of host).
   */
  async attempt(request: VaultRequest): Promise<Attempt> {
    let url = new URL(`${this.address}/v1/${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
    if (this.#options.namespace) headers['X-Vault-Namespace'] = this.#options.namespace;
    if (!request.anonymous && this.#token) headers['X-Vault-Token'] = this.#token;
    if (request.body !== undefined) headers['Content-Type'] = request.mergePatch ? 'application/merge-patch+json' : 'application/json';
    try {
      let response = await this.#send(url, request, headers);
      if (REDIRECTS.has(response.status)) {
        const target = redirectTarget(url, response.headers.get('location'));
        await response.body?.cancel();
        if (!target.ok) return { kind: 'network', message: target.refusal, maybeSent: false, permanent: true };
        url = target.url;
        response = await this.#send(url, request, headers);
        if (REDIRECTS.has(response.status)) {
          await response.body?.cancel();
          return { kind: 'network', message: `Vault redirected twice (to ${url.origin} and on): refused`, maybeSent: false, permanent: true };
        }
      }
      const text = await response.text();
      let body: Record<string, unknown> | null = null;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { errors: [`non-JSON answer (${response.headers.get('content-type') ?? 'no content type'})`] };
        }
      }
      return { kind: 'answer', response: { status: response.status, body }, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()) };
    } catch (error) {
      return this.#networkFailure(error);
    }
  }

  #send(url: URL, request: VaultRequest, headers: Record<string, string>): ReturnType<typeof fetch> {
    return fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      dispatcher: this.#dispatcher,
      signal: (this.#options.timers ?? REAL_TIMERS).timeout(this.#options.timeoutMs),
    });
  }

  #networkFailure(error: unknown): Attempt {
    const err = error as Error & { cause?: Error & { code?: string } };
    if (err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError') {
      return { kind: 'network', message: `no answer within ${this.#options.timeoutMs} ms`, maybeSent: true, permanent: false };
    }
    const cause = err.cause ?? err;
    const code = (cause as { code?: string }).code ?? '';
    if (TLS_CODE.test(code)) {
      return {
        kind: 'network',
        message: `TLS verification failed (${code}): set vault.ca-cert or VAULT_CACERT to the CA that signed Vault's certificate`,
        maybeSent: false,
        permanent: true,
      };
    }
    return { kind: 'network', message: cause.message || code || 'network error', maybeSent: !NOT_SENT_CODES.has(code), permanent: false };
  }

  /** Delay before attempt `attempt + 1`: exponential backoff with jitter, at least Retry-After (bounded). */
  backoffMs(attempt: number, retryAfterMs?: number): number {
    const { baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.#options.retry;
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const jittered = cap / 2 + Math.random() * (cap / 2);
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, maxRetryAfterMs));
  }

  async pause(attempt: number, retryAfterMs?: number): Promise<void> {
    await (this.#options.timers ?? REAL_TIMERS).sleep(this.backoffMs(attempt, retryAfterMs));
  }

  /**
   * A request that is safe to repeat (reads, idempotent merges, logins): retried on network errors
   * and isRetryableStatus answers up to the attempt limit, never on other 4xx. Returns any other answer.
   */
  async request(request: VaultRequest): Promise<VaultResponse> {
    const { maxAttempts } = this.#options.retry;
    let last: Attempt | undefined;
    let attempts = 0;
    while (attempts < maxAttempts) {
      attempts += 1;
      last = await this.attempt(request);
      if (last.kind === 'answer' && !isRetryableStatus(last.response.status)) return last.response;
      if (last.kind === 'network' && last.permanent) break;
      if (attempts < maxAttempts) await this.pause(attempts, last.kind === 'answer' ? last.retryAfterMs : undefined);
    }
    throw this.failure(request, last!, attempts);
  }

  /** The VaultError for a failed attempt: names the address and path, never the token. */
  failure(request: VaultRequest, attempt: Attempt, attempts: number): VaultError {
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (attempt.kind === 'network') {
      return new VaultError(`cannot reach Vault at ${this.address}: ${attempt.message}${tries}`, { path: request.path });
    }
    return this.answerError(request, attempt.response, tries);
  }

  answerError(request: VaultRequest, response: VaultResponse, suffix = ''): VaultError {
    const text = vaultErrorText(response.body) || 'no error message';
    return new VaultError(`Vault at ${this.address} answered ${response.status} to ${request.method} ${request.path}: ${text}${suffix}`, {
      status: response.status,
      path: request.path,
    });
  }
}
