import { isDeepStrictEqual } from 'node:util';
import { VaultError, vaultErrorText } from './errors.js';
import { isRetryableStatus, type Attempt, type VaultRequest, type VaultResponse, type VaultTransport } from './http.js';
import type { KvMetadata, KvSecret, KvVersion, KvVersionInfo, VaultClient, WriteResult } from './types.js';

/** VaultClient over Vault's HTTP API: KV v1/v2 (detected per mount), CAS writes that survive lost answers, ACL policies. */

interface VersionMeta {
  created_time?: string;
  deletion_time?: string;
  destroyed?: boolean;
  version?: number;
}

interface RawMetadata {
  current_version?: number;
  created_time?: string;
  updated_time?: string;
  custom_metadata?: Record<string, string> | null;
  versions?: Record<string, KvVersionInfo>;
  cas_required?: boolean;
}

/** `a/b c/` → `a/b%20c`: each segment encoded, no empty segments. */
function encodePath(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

function dataOf(response: VaultResponse): Record<string, unknown> {
  const data = response.body?.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

function isCasMismatch(response: VaultResponse): boolean {
  return response.status === 400 && vaultErrorText(response.body).includes('check-and-set parameter did not match');
}

/** What a read-back found at the version a write with unknown outcome would have created. */
type ReadBack =
  | { state: 'written' }
  | { state: 'unchanged' }
  /** Version cas+1 holds other data. */
  | { state: 'other'; currentVersion: number }
  /** The secret moved past cas, but version cas+1 cannot be read (deleted or destroyed): whose it was is unknown. */
  | { state: 'unreadable'; currentVersion: number };

export class HttpVaultClient implements VaultClient {
  readonly address: string;
  readonly #transport: VaultTransport;
  readonly #versions = new Map<string, Promise<KvVersion>>();

  constructor(transport: VaultTransport) {
    this.#transport = transport;
    this.address = transport.address;
  }

  async #call(request: VaultRequest, okStatuses: number[]): Promise<VaultResponse> {
    const response = await this.#transport.request(request);
    if (!okStatuses.includes(response.status)) throw this.#transport.answerError(request, response);
    return response;
  }

  kvVersion(mount: string): Promise<KvVersion> {
    const key = encodePath(mount);
    let cached = this.#versions.get(key);
    if (!cached) {
      cached = this.#detect(key);
      this.#versions.set(key, cached);
      // A failed detection (Vault down, 403) must not stick: the next call asks again.
      cached.catch(() => this.#versions.delete(key));
    }
    return cached;
  }

  async #detect(mount: string): Promise<KvVersion> {
    const request: VaultRequest = { method: 'GET', path: `sys/internal/ui/mounts/${mount}` };
    const response = await this.#transport.request(request);
    // Vault's own CLI treats 404 (no such endpoint, old servers) as KV v1.
    if (response.status === 404) return 1;
    if (response.status === 403) {
      // Vault answers 403 for a mount that does not exist too, so a mistyped name cannot be told apart.
      throw new VaultError(
        `cannot tell the KV version of mount "${mount}" at ${this.address}: permission denied or no such mount; check the mount name, and that the token's policies grant something under "${mount}/"`,
        { status: 403, path: request.path },
      );
    }
    if (response.status !== 200) throw this.#transport.answerError(request, response);
    const options = dataOf(response).options as { version?: unknown } | null | undefined;
    return String(options?.version ?? '') === '2' ? 2 : 1;
  }

  async #requireV2(mount: string, operation: string): Promise<void> {
    if ((await this.kvVersion(mount)) !== 2) {
      throw new VaultError(`${operation} needs a KV v2 mount, but "${encodePath(mount)}" at ${this.address} is KV v1 (no versions, metadata or check-and-set)`, {
        path: encodePath(mount),
      });
    }
  }

  async readSecret(mount: string, path: string, version?: number): Promise<KvSecret | null> {
    if ((await this.kvVersion(mount)) === 1) {
      const response = await this.#call({ method: 'GET', path: encodePath(mount, path) }, [200, 404]);
      return response.status === 404 ? null : { data: dataOf(response), version: null };
    }
    return this.#readVersion(mount, path, version);
  }

  /** KV v2 read of the latest or a given version; null when missing, deleted or destroyed (Vault answers 404). */
  async #readVersion(mount: string, path: string, version?: number): Promise<KvSecret | null> {
    const request: VaultRequest = { method: 'GET', path: encodePath(mount, 'data', path) };
    if (version !== undefined) request.query = { version: String(version) };
    const response = await this.#call(request, [200, 404]);
    if (response.status === 404) return null;
    const data = dataOf(response);
    const metadata = (data.metadata ?? {}) as VersionMeta;
    return { data: (data.data ?? {}) as Record<string, unknown>, version: metadata.version ?? null, createdTime: metadata.created_time };
  }

  async readMetadata(mount: string, path: string): Promise<KvMetadata | null> {
    await this.#requireV2(mount, 'reading metadata');
    const response = await this.#call({ method: 'GET', path: encodePath(mount, 'metadata', path) }, [200, 404]);
    if (response.status === 404) return null;
    const raw = dataOf(response) as RawMetadata;
    return {
      currentVersion: raw.current_version ?? 0,
      createdTime: raw.created_time ?? '',
      updatedTime: raw.updated_time ?? '',
      customMetadata: raw.custom_metadata ?? {},
      versions: raw.versions ?? {},
      casRequired: raw.cas_required ?? false,
    };
  }

  /**
   * A check-and-set write. An attempt whose outcome is unknown (a timeout or reset after sending,
   * a 5xx) may still land later, so from then on only a definitive answer ends the write: a 2xx, or
   * a read showing version cas+1 (ours, or someone else's, after which cas can never match again).
   * A read showing no change proves nothing: the write is sent again with the same cas (which
   * cannot land twice), and when the attempts run out the outcome stays unknown. Answers that
   * Vault gives before doing anything (412, 429) and failed connections are retried as they are.
   */
  async writeSecret(mount: string, path: string, data: Record<string, unknown>, cas: number): Promise<WriteResult> {
    await this.#requireV2(mount, 'writing a secret');
    const request: VaultRequest = { method: 'POST', path: encodePath(mount, 'data', path), body: { options: { cas }, data } };
    const where = `${encodePath(mount, path)} at ${this.address}`;
    const { maxAttempts } = this.#transport.retryPolicy;
    let unknown: Attempt | undefined;
    for (let attempts = 1; ; attempts += 1) {
      const attempt = await this.#transport.attempt(request);
      const answer = attempt.kind === 'answer' ? attempt.response : undefined;
      if (answer?.status === 200) return { version: Number((dataOf(answer) as VersionMeta).version ?? cas + 1), confirmedByReadBack: false };
      if (answer && isCasMismatch(answer) && unknown) {
        // The re-send found a newer version: the earlier send may be it.
        const found = await this.#readBack(mount, path, data, cas, where, unknown);
        if (found.state === 'written') return { version: cas + 1, confirmedByReadBack: true };
        if (found.state === 'other') throw this.#changedMeanwhile(request, where, cas, found.currentVersion);
        throw this.#outcomeUnknown(request, where, cas, unknown, attempt, attempts);
      }
      const final = attempt.kind === 'answer' ? !isRetryableStatus(attempt.response.status) : attempt.permanent;
      if (final) {
        if (unknown) throw this.#outcomeUnknown(request, where, cas, unknown, attempt, attempts);
        throw answer ? this.#writeRefused(request, answer, where) : this.#transport.failure(request, attempt, attempts);
      }
      // 412 and 429 are refused before any work; a failed connection sent nothing.
      const maybeApplied = attempt.kind === 'answer' ? attempt.response.status >= 500 : attempt.maybeSent;
      if (maybeApplied) {
        unknown ??= attempt;
        const found = await this.#readBack(mount, path, data, cas, where, attempt);
        if (found.state === 'written') return { version: cas + 1, confirmedByReadBack: true };
        if (found.state === 'other') throw this.#changedMeanwhile(request, where, cas, found.currentVersion);
        // Past cas, re-sending cannot land; whether the unreadable version was this write stays unknown.
        if (found.state === 'unreadable') throw this.#outcomeUnknown(request, where, cas, unknown, attempt, attempts);
      }
      if (attempts >= maxAttempts) {
        if (unknown) throw this.#outcomeUnknown(request, where, cas, unknown, attempt, attempts);
        throw this.#transport.failure(request, attempt, attempts);
      }
      await this.#transport.pause(attempts, attempt.kind === 'answer' ? attempt.retryAfterMs : undefined);
    }
  }

  #outcomeUnknown(request: VaultRequest, where: string, cas: number, first: Attempt, last: Attempt, attempts: number): VaultError {
    const then = last === first ? '' : `; then ${this.#describe(last)}`;
    return new VaultError(
      `write to ${where}: outcome unknown after ${attempts} attempt${attempts === 1 ? '' : 's'} (${this.#describe(first)}${then}): ` +
        `the write may still land as version ${cas + 1}; check the secret's versions in Vault before writing again`,
      { path: request.path, outcomeUnknown: true, currentVersion: cas },
    );
  }

  /** Version cas+1 exists and is not this write: with check-and-set, this write can never land now. */
  #changedMeanwhile(request: VaultRequest, where: string, cas: number, currentVersion: number): VaultError {
    return new VaultError(
      `write to ${where} not written: the secret changed meanwhile (version ${cas + 1} holds other data, the current version is ${currentVersion}), so the check-and-set ${cas} can no longer match`,
      { path: request.path, currentVersion },
    );
  }

  #describe(attempt: Attempt): string {
    return attempt.kind === 'network' ? attempt.message : `Vault answered ${attempt.response.status}`;
  }

  #writeRefused(request: VaultRequest, response: VaultResponse, where: string): VaultError {
    if (isCasMismatch(response)) {
      return new VaultError(`write to ${where} refused: the secret changed since it was read (check-and-set mismatch); nothing was written`, {
        status: response.status,
        path: request.path,
      });
    }
    return this.#transport.answerError(request, response);
  }

  /** Reads back after an unknown outcome: did version cas+1 land with exactly `data`? */
  async #readBack(mount: string, path: string, data: Record<string, unknown>, cas: number, where: string, cause: Attempt): Promise<ReadBack> {
    try {
      const target = await this.#readVersion(mount, path, cas + 1);
      if (target && target.version === cas + 1 && isDeepStrictEqual(target.data, data)) return { state: 'written' };
      const current = (await this.readMetadata(mount, path))?.currentVersion ?? 0;
      if (target) return { state: 'other', currentVersion: current };
      return current === cas ? { state: 'unchanged' } : { state: 'unreadable', currentVersion: current };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new VaultError(`write to ${where}: outcome unknown (${this.#describe(cause)}) and reading it back failed: ${reason}`, {
        path: encodePath(mount, 'data', path),
        outcomeUnknown: true,
      });
    }
  }

  async patchCustomMetadata(mount: string, path: string, values: Record<string, string | null>): Promise<void> {
    await this.#requireV2(mount, 'updating custom_metadata');
    // A merge of the same keys is idempotent, so the safe-retry path applies.
    await this.#call({ method: 'PATCH', path: encodePath(mount, 'metadata', path), body: { custom_metadata: values }, mergePatch: true }, [200, 204]);
  }

  async listPolicies(): Promise<string[]> {
    const response = await this.#call({ method: 'GET', path: 'sys/policies/acl', query: { list: 'true' } }, [200, 404]);
    const keys = dataOf(response).keys;
    return Array.isArray(keys) ? keys.map(String) : [];
  }

  async readPolicy(name: string): Promise<string | null> {
    const response = await this.#call({ method: 'GET', path: `sys/policies/acl/${encodeURIComponent(name)}` }, [200, 404]);
    if (response.status === 404) return null;
    const policy = dataOf(response).policy;
    return typeof policy === 'string' ? policy : '';
  }
}
