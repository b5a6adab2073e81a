/**
 * The agent's health endpoint, as the Status Panel agent serves it:
 * `{"status":"ok","token_age_seconds":120,"last_refresh_ok":true}` where token_age_seconds counts from
 * the agent's last token change and last_refresh_ok is null when the agent does not use Vault.
 */

import { redactText } from '../core/redact.js';

export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

export type HealthReading =
  | { ok: true; tokenAgeSeconds: number; lastRefreshOk: boolean | null }
  | { ok: false; problem: string };

const HEALTH_REQUEST_TIMEOUT_MS = 10_000;
/** token_age_seconds is whole seconds; an agent that rounds up must not look like it still has the old token. */
const AGE_ROUNDING_MS = 1000;

/** The URL without credentials, query or fragment: safe to print. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** One GET of the health endpoint; every failure becomes a readable problem, never a throw. */
export async function readHealth(url: string, fetchFn: FetchLike, timeoutMs = HEALTH_REQUEST_TIMEOUT_MS): Promise<HealthReading> {
  const where = displayUrl(url);
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/json' } });
  } catch (error) {
    const err = error as Error & { cause?: Error & { code?: string } };
    // The HTTP library's text may quote the URL, credentials included: it goes through the redaction guard.
    const reason = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : redactText(err.cause?.code ?? err.cause?.message ?? err.message);
    return { ok: false, problem: `cannot reach ${where}: ${reason}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return { ok: false, problem: `${where} answered ${response.status} without JSON` };
  }
  if (!response.ok) return { ok: false, problem: `${where} answered ${response.status}` };
  const fields = (body ?? {}) as { token_age_seconds?: unknown; last_refresh_ok?: unknown };
  const age = fields.token_age_seconds;
  const refresh = fields.last_refresh_ok;
  if (typeof age !== 'number' || !Number.isFinite(age) || age < 0) {
    return { ok: false, problem: `${where} answered without a numeric token_age_seconds` };
  }
  if (refresh !== true && refresh !== false && refresh !== null) {
    return { ok: false, problem: `${where} answered without last_refresh_ok` };
  }
  return { ok: true, tokenAgeSeconds: age, lastRefreshOk: refresh };
}

export interface PickupOptions {
  url: string;
  fetch: FetchLike;
  /** Milliseconds (local clock) when the write was sent: the agent cannot have the new value from before. */
  writeStartedAt: number;
  timeoutMs: number;
  pollMs: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

export type PickupOutcome = { pickedUp: true; tokenAgeSeconds: number; waitedMs: number } | { pickedUp: false; last: string; waitedMs: number };

/**
 * Polls until the agent shows a token younger than the time since the write with a good refresh,
 * or the timeout passes (the agent refreshes every 60 s plus 5–10 s jitter, so ~70 s covers one cycle).
 */
export async function waitForPickup(options: PickupOptions): Promise<PickupOutcome> {
  const deadline = options.writeStartedAt + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const reading = await readHealth(options.url, options.fetch, Math.min(HEALTH_REQUEST_TIMEOUT_MS, Math.max(1000, options.timeoutMs)));
    const now = options.clock();
    const sinceWrite = now - options.writeStartedAt;
    if (reading.ok) {
      const fresh = reading.tokenAgeSeconds * 1000 < sinceWrite + AGE_ROUNDING_MS;
      if (fresh && reading.lastRefreshOk === true) return { pickedUp: true, tokenAgeSeconds: reading.tokenAgeSeconds, waitedMs: sinceWrite };
      last = `token_age_seconds ${reading.tokenAgeSeconds} (${fresh ? 'new token' : 'still the old token'}), last_refresh_ok ${String(reading.lastRefreshOk)}`;
    } else {
      last = reading.problem;
    }
    if (now >= deadline) return { pickedUp: false, last, waitedMs: sinceWrite };
    await options.sleep(Math.min(options.pollMs, deadline - now));
  }
}
