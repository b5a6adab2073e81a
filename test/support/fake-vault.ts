import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { anyAccessUnder, capabilitiesFor, mergeRules, parsePolicy, type Capability, type PolicyRules } from './fake-vault/acl.js';
import { JwtLoginError, verifyJwtLogin, type JwtAuthOptions } from './fake-vault/jwt.js';
import {
  checkCustomMetadata,
  KvBadRequest,
  mergePatch,
  metadataBody,
  newEntry,
  versionMetadata,
  writeVersion,
  type KvEntry,
  type KvMountConfig,
} from './fake-vault/kv.js';
import type { SimulatedClock } from './clock.js';

/**
 * A local HTTP(S) server that speaks Vault's documented API (see /work/shared/research/vault-api.md):
 * the envelope, 204s, `{"errors":[]}` 404s, KV v1/v2, ACL policies, token/AppRole/JWT auth, sys/health,
 * namespaces, and faults injected on demand. No Vault binary exists here; tests run against this.
 */

export { signJwt, type JwtAuthOptions, type JwtRole } from './fake-vault/jwt.js';

export interface KvMountOptions {
  version: 1 | 2;
  casRequired?: boolean;
  maxVersions?: number;
}

export interface AppRoleCredentials {
  roleId: string;
  secretId: string;
  policies: string[];
}

export type HealthState = 'active' | 'standby' | 'sealed' | 'uninitialized';

export interface FakeVaultOptions {
  /** Default: a random token. */
  rootToken?: string;
  /** Mount path → KV version. Default: `{ secret: { version: 2 } }` like a dev server. */
  mounts?: Record<string, KvMountOptions>;
  /** When set, every request but sys/health must carry this X-Vault-Namespace. */
  namespace?: string;
  approle?: { mount?: string; roles: AppRoleCredentials[] };
  jwt?: JwtAuthOptions;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /**
   * The client's simulated clock: a latency fault moves it instead of waiting; a request whose client
   * timed out meanwhile is held, and lands only when the test calls `releaseLate()`.
   */
  time?: SimulatedClock;
}

export interface FaultMatch {
  method?: string;
  /** API path without `/v1/` (exact), or a RegExp tested against it. */
  path?: string | RegExp;
}

export type FaultKind =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 412 | 429 | 500 | 501 | 502 | 503; retryAfter?: number }
  /** Destroy the socket before answering; the request is not applied. */
  | { kind: 'drop' }
  /** Apply the request, then destroy the socket instead of answering. */
  | { kind: 'lost-answer' }
  /**
   * Answer a redirect to the same path and query under `to` (an origin), without handling the
   * request: what a standby node does when it cannot forward (Vault's http/handler.go,
   * respondStandby, at commit 0084d2932350a7241fcd10e7716d80e41cad33df: 307, Location = the active
   * node's address with the request's path and query, no body).
   */
  | { kind: 'redirect'; to: string; status?: 301 | 302 | 307 };

export type Fault = FaultKind & {
  match?: FaultMatch;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Runs when the fault hits, before the request is handled (e.g. to simulate a concurrent writer). */
  onFire?: () => void;
};

export interface LoggedRequest {
  method: string;
  /** API path without `/v1/`. */
  path: string;
  query: Record<string, string>;
  /** Request headers; token headers show `[redacted]` instead of their value. */
  headers: Record<string, string>;
  body: unknown;
  fault?: FaultKind['kind'];
}

export interface KvDirect {
  data: Record<string, unknown> | null;
  /** KV v2: current version; KV v1: null. */
  version: number | null;
  createdTime?: string;
  customMetadata?: Record<string, string> | null;
}

interface TokenInfo {
  policies: string[];
  accessor: string;
  createdAt: Date;
  ttlSeconds: number;
  displayName: string;
  meta: Record<string, string> | null;
  path: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(errors.join('; '));
  }
}

/** What Vault says with each injected status (412: a performance standby behind the token's index). */
const FAULT_MESSAGES: Record<number, string> = {
  412: 'required index state not present',
  429: 'rate limit quota exceeded',
  501: 'unsupported operation',
  503: 'Vault is sealed',
};
const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n';
const INVALID_TOKEN = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n';
const V2_INVALID_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";
const DEFAULT_POLICY = `path "auth/token/lookup-self" { capabilities = ["read"] }
path "auth/token/renew-self" { capabilities = ["update"] }
path "sys/capabilities-self" { capabilities = ["update"] }
`;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomBase62(length: number): string {
  return [...randomBytes(length)].map((byte) => BASE62[byte % 62]).join('');
}

function notFound(): HttpError {
  return new HttpError(404, []);
}

function denied(): HttpError {
  return new HttpError(403, [PERMISSION_DENIED]);
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export class FakeVault {
  readonly rootToken: string;
  readonly requests: LoggedRequest[] = [];
  url = '';
  private readonly server: Server;
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly policies = new Map<string, { text: string; rules: PolicyRules }>();
  private readonly mounts = new Map<string, KvMountOptions>();
  private readonly kv2 = new Map<string, Map<string, KvEntry>>();
  private readonly kv1 = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly faults: Fault[] = [];
  private late: (() => void)[] = [];
  private clock: Date | undefined;
  private health: HealthState = 'active';

  constructor(private readonly options: FakeVaultOptions = {}) {
    this.rootToken = options.rootToken ?? `hvs.${randomBase62(24)}`;
    this.tokens.set(this.rootToken, this.tokenInfo(['root'], 0, 'root', null, 'auth/token/root'));
    this.policies.set('default', { text: DEFAULT_POLICY, rules: parsePolicy(DEFAULT_POLICY) });
    for (const [mount, config] of Object.entries(options.mounts ?? { secret: { version: 2 } })) this.mountKv(mount, config);
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.late.splice(0).forEach((release) => release());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- test helpers ----

  /** Lets held late requests (see `time`) reach Vault now; resolves once they have been applied. */
  async releaseLate(): Promise<void> {
    this.late.splice(0).forEach((release) => release());
    // Routing is synchronous once a held request resumes, so it is done before the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async delay(ms: number): Promise<void> {
    const time = this.options.time;
    if (!time) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return;
    }
    if (time.advance(ms) > 0) await new Promise<void>((release) => this.late.push(release));
  }

  mountKv(mount: string, config: KvMountOptions): void {
    const name = trimSlashes(mount);
    this.mounts.set(name, config);
    if (config.version === 2) this.kv2.set(name, new Map());
    else this.kv1.set(name, new Map());
  }

  /** Writes a secret directly (no ACL, no CAS); returns the new version (KV v1: null). */
  seedKv(
    mount: string,
    path: string,
    data: Record<string, unknown>,
    options: { createdTime?: Date | string; customMetadata?: Record<string, string> } = {},
  ): number | null {
    const name = trimSlashes(mount);
    const key = trimSlashes(path);
    const v1 = this.kv1.get(name);
    if (v1) {
      v1.set(key, { ...data });
      return null;
    }
    const store = this.kv2Store(name);
    const time = options.createdTime === undefined ? this.nowIso() : new Date(options.createdTime).toISOString();
    const entry = store.get(key) ?? newEntry(time);
    store.set(key, entry);
    const version = writeVersion(entry, { ...data }, undefined, { maxVersions: this.mounts.get(name)?.maxVersions ?? 0, casRequired: false }, time);
    if (options.customMetadata) entry.customMetadata = { ...options.customMetadata };
    return version;
  }

  readKvDirect(mount: string, path: string): KvDirect | null {
    const name = trimSlashes(mount);
    const key = trimSlashes(path);
    const v1 = this.kv1.get(name);
    if (v1) {
      const data = v1.get(key);
      return data ? { data: { ...data }, version: null } : null;
    }
    const entry = this.kv2Store(name).get(key);
    if (!entry || entry.currentVersion === 0) return null;
    const current = entry.versions.get(entry.currentVersion);
    return {
      data: current?.data && !current.deletionTime && !current.destroyed ? { ...current.data } : null,
      version: entry.currentVersion,
      createdTime: current?.createdTime,
      customMetadata: entry.customMetadata ? { ...entry.customMetadata } : null,
    };
  }

  addPolicy(name: string, hcl: string): void {
    this.policies.set(name, { text: hcl, rules: parsePolicy(hcl) });
  }

  /** A service token with these policies (plus `default`). */
  createToken(policies: string[], options: { ttlSeconds?: number; displayName?: string } = {}): string {
    const token = `hvs.${randomBase62(24)}`;
    this.tokens.set(token, this.tokenInfo(['default', ...policies], options.ttlSeconds ?? 3600, options.displayName ?? 'token', null, 'auth/token/create'));
    return token;
  }

  setClock(date: Date | undefined): void {
    this.clock = date;
  }

  setHealth(state: HealthState): void {
    this.health = state;
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Faults not yet used up. */
  pendingFaults(): number {
    return this.faults.reduce((sum, fault) => sum + (fault.times ?? 0), 0);
  }

  // ---- plumbing ----

  private now(): Date {
    return this.clock ?? new Date();
  }

  private nowIso(): string {
    return this.now().toISOString();
  }

  private kv2Store(mount: string): Map<string, KvEntry> {
    const store = this.kv2.get(mount);
    if (!store) throw new Error(`fake vault: no KV v2 mount "${mount}"`);
    return store;
  }

  private tokenInfo(policies: string[], ttlSeconds: number, displayName: string, meta: Record<string, string> | null, path: string): TokenInfo {
    return { policies, accessor: randomBase62(24), createdAt: this.now(), ttlSeconds, displayName, meta, path };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((candidate) => {
      if ((candidate.times ?? 0) <= 0) return false;
      const match = candidate.match ?? {};
      if (match.method && match.method.toUpperCase() !== method) return false;
      if (match.path instanceof RegExp) return match.path.test(path);
      return match.path === undefined || trimSlashes(match.path.replace(/^\/?v1\//, '')) === trimSlashes(path);
    });
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const rawMethod = (req.method ?? 'GET').toUpperCase();
    const method = rawMethod === 'GET' && query.list === 'true' ? 'LIST' : rawMethod;
    let path = url.pathname.replace(/^\/v1\//, '');
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape stays as sent: no route matches it, so the answer is a 404.
    }

    let body: unknown = undefined;
    let parseError: string | undefined;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        parseError = `failed to parse JSON input: ${(error as Error).message}`;
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = name === 'x-vault-token' || name === 'authorization' ? '[redacted]' : String(value);
    }
    const fault = this.takeFault(method, path);
    this.requests.push({ method, path, query, headers, body, fault: fault?.kind });
    fault?.onFire?.();

    if (fault?.kind === 'latency') await this.delay(fault.ms);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    if (fault?.kind === 'redirect') {
      reply = { status: fault.status ?? 307, headers: { location: new URL(req.url ?? '/', fault.to).href } };
    } else if (fault?.kind === 'status') {
      reply = {
        status: fault.status,
        body: { errors: [FAULT_MESSAGES[fault.status] ?? 'internal error'] },
        headers: fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      };
    } else {
      try {
        if (!url.pathname.startsWith('/v1/')) throw new HttpError(404, []);
        if (parseError) throw new HttpError(400, [parseError]);
        reply = this.route(method, path, query, req, body);
      } catch (error) {
        if (error instanceof HttpError) reply = { status: error.status, body: { errors: error.errors } };
        else if (error instanceof KvBadRequest || error instanceof JwtLoginError) reply = { status: 400, body: { errors: [error.message] } };
        else reply = { status: 500, body: { errors: [`1 error occurred:\n\t* ${(error as Error).message}\n\n`] } };
      }
    }
    if (fault?.kind === 'lost-answer' || res.destroyed || req.socket.destroyed) {
      req.socket.destroy();
      return;
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(text ? { 'content-type': 'application/json' } : {}),
      'cache-control': 'no-store',
      ...reply.headers,
    });
    res.end(rawMethod === 'HEAD' ? undefined : text);
  }

  private envelope(data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data,
      wrap_info: null,
      warnings: null,
      auth: null,
      ...extra,
    };
  }

  private route(method: string, path: string, query: Record<string, string>, req: IncomingMessage, body: unknown): Reply {
    if (path === 'sys/health' && (method === 'GET' || method === 'HEAD')) return this.healthReply(query);
    if (this.health === 'sealed') throw new HttpError(503, ['Vault is sealed']);
    if (this.health === 'uninitialized') throw new HttpError(503, ['Vault is not initialized']);

    const namespace = trimSlashes(String(req.headers['x-vault-namespace'] ?? ''));
    if (this.options.namespace !== undefined && namespace !== trimSlashes(this.options.namespace)) throw denied();

    const approleMount = this.options.approle?.mount ?? 'approle';
    if (this.options.approle && path === `auth/${approleMount}/login` && method === 'POST') return this.appRoleLogin(asObject(body));
    const jwtMount = this.options.jwt?.mount ?? 'jwt';
    if (this.options.jwt && path === `auth/${jwtMount}/login` && method === 'POST') return this.jwtLogin(asObject(body));

    const token = this.tokenFrom(req);
    if (path === 'auth/token/lookup-self' && (method === 'GET' || method === 'POST')) {
      this.require(token, 'read', path);
      return { status: 200, body: this.envelope(this.lookupSelf(token), { mount_type: 'token' }) };
    }
    if (path.startsWith('sys/internal/ui/mounts/') && method === 'GET') return this.mountInfo(token, path.slice('sys/internal/ui/mounts/'.length));
    if (path === 'sys/policies/acl' || path.startsWith('sys/policies/acl/')) return this.policyRoute(token, method, path, body);

    const mount = [...this.mounts.keys()].filter((m) => path === m || path.startsWith(`${m}/`)).sort((a, b) => b.length - a.length)[0];
    if (mount !== undefined) {
      const rest = path.slice(mount.length + 1);
      return this.mounts.get(mount)!.version === 2
        ? this.kv2Route(token, method, mount, rest, req, body, query)
        : this.kv1Route(token, method, mount, rest, body);
    }
    throw new HttpError(404, [`no handler for route "${path}". route entry not found.`]);
  }

  private healthReply(query: Record<string, string>): Reply {
    const body = {
      initialized: this.health !== 'uninitialized',
      sealed: this.health === 'sealed' || this.health === 'uninitialized',
      standby: this.health === 'standby',
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(this.now().getTime() / 1000),
      version: '1.17.0',
      cluster_name: 'vault-cluster-fake',
      cluster_id: '00000000-0000-4000-8000-000000000000',
    };
    const codes: Record<HealthState, number> = { active: 200, standby: 429, sealed: 503, uninitialized: 501 };
    let status = codes[this.health];
    const override = query[`${this.health === 'active' ? 'active' : this.health}code`];
    if (this.health === 'standby' && query.standbyok === 'true') status = 200;
    if (override && /^\d+$/.test(override)) status = Number(override);
    return { status, body };
  }

  private tokenFrom(req: IncomingMessage): string {
    const header = req.headers['x-vault-token'];
    const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = (typeof header === 'string' && header) || bearer || '';
    if (!token) throw denied();
    const info = this.tokens.get(token);
    if (!info) throw new HttpError(403, [INVALID_TOKEN]);
    if (info.ttlSeconds > 0 && this.now().getTime() > info.createdAt.getTime() + info.ttlSeconds * 1000) {
      throw new HttpError(403, [INVALID_TOKEN]);
    }
    return token;
  }

  private rulesOf(token: string): PolicyRules | 'root' {
    const info = this.tokens.get(token)!;
    if (info.policies.includes('root')) return 'root';
    return mergeRules(info.policies.flatMap((name) => {
      const policy = this.policies.get(name);
      return policy ? [policy.rules] : [];
    }));
  }

  private require(token: string, capability: Capability, aclPath: string): void {
    const rules = this.rulesOf(token);
    if (rules === 'root') return;
    if (!capabilitiesFor(rules, aclPath).has(capability)) throw denied();
  }

  private lookupSelf(token: string): Record<string, unknown> {
    const info = this.tokens.get(token)!;
    const created = Math.floor(info.createdAt.getTime() / 1000);
    const ttl = info.ttlSeconds > 0 ? Math.max(0, created + info.ttlSeconds - Math.floor(this.now().getTime() / 1000)) : 0;
    return {
      accessor: info.accessor,
      creation_time: created,
      creation_ttl: info.ttlSeconds,
      display_name: info.displayName,
      entity_id: '',
      expire_time: info.ttlSeconds > 0 ? new Date((created + info.ttlSeconds) * 1000).toISOString() : null,
      explicit_max_ttl: 0,
      // Vault shows the token id itself here; the fake does the same so clients learn to never print this.
      id: token,
      issue_time: info.createdAt.toISOString(),
      meta: info.meta,
      num_uses: 0,
      orphan: info.path !== 'auth/token/create',
      path: info.path,
      policies: info.policies,
      renewable: info.ttlSeconds > 0,
      ttl,
      type: 'service',
    };
  }

  private issueLogin(policies: string[], ttlSeconds: number, displayName: string, meta: Record<string, string>, path: string): Reply {
    const token = `hvs.${randomBase62(24)}`;
    const info = this.tokenInfo(['default', ...policies], ttlSeconds, displayName, meta, path);
    this.tokens.set(token, info);
    const auth = {
      client_token: token,
      accessor: info.accessor,
      policies: info.policies,
      token_policies: info.policies,
      metadata: meta,
      lease_duration: ttlSeconds,
      renewable: true,
      entity_id: randomUUID(),
      token_type: 'service',
      orphan: true,
      mfa_requirement: null,
      num_uses: 0,
    };
    return { status: 200, body: this.envelope(null, { auth, mount_type: '' }) };
  }

  private appRoleLogin(body: Record<string, unknown>): Reply {
    if (typeof body.role_id !== 'string' || body.role_id === '') throw new HttpError(400, ['missing role_id']);
    const role = this.options.approle!.roles.find((r) => r.roleId === body.role_id && r.secretId === body.secret_id);
    if (!role) throw new HttpError(400, ['invalid role or secret ID']);
    return this.issueLogin(role.policies, 1200, 'approle', { role_name: 'keywarden' }, `auth/${this.options.approle!.mount ?? 'approle'}/login`);
  }

  private jwtLogin(body: Record<string, unknown>): Reply {
    const jwt = this.options.jwt!;
    const login = verifyJwtLogin(jwt, body, this.now());
    return this.issueLogin(login.policies, 600, login.displayName, { role: login.role }, `auth/${jwt.mount ?? 'jwt'}/login`);
  }

  private mountInfo(token: string, target: string): Reply {
    const mount = [...this.mounts.keys()].find((m) => target === m || target.startsWith(`${m}/`));
    // Vault's vault/logical_system.go, pathInternalUIMountRead (commit e6922c5b5da501d3b037328ae16d3e5e481dceac):
    // no matching mount is a 403 with the same preflight message, even for root, "so this path
    // cannot be used to brute force a list of mounts".
    const preflight = (path: string) => new HttpError(403, [`preflight capability check returned 403, please ensure client's policies grant access to path "${path}"`]);
    if (mount === undefined) throw preflight(`${trimSlashes(target)}/`);
    const rules = this.rulesOf(token);
    if (rules !== 'root' && !anyAccessUnder(rules, `${mount}/`)) throw preflight(`${mount}/`);
    const version = this.mounts.get(mount)!.version;
    const data = {
      accessor: `kv_${mount.replace(/\W/g, '')}`,
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
      description: '',
      external_entropy_access: false,
      local: false,
      options: version === 2 ? { version: '2' } : null,
      path: `${mount}/`,
      seal_wrap: false,
      type: 'kv',
      uuid: randomUUID(),
    };
    return { status: 200, body: this.envelope(data, { mount_type: 'system' }) };
  }

  private policyRoute(token: string, method: string, path: string, body: unknown): Reply {
    const name = trimSlashes(path.slice('sys/policies/acl'.length));
    if (name === '') {
      if (method !== 'LIST') throw new HttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
      this.require(token, 'list', 'sys/policies/acl');
      const keys = [...new Set([...this.policies.keys(), 'root'])].sort();
      return { status: 200, body: this.envelope({ keys, policies: keys }, { mount_type: 'system' }) };
    }
    if (method === 'GET') {
      this.require(token, 'read', path);
      if (name === 'root') return { status: 200, body: this.envelope({ name, policy: '' }, { mount_type: 'system' }) };
      const policy = this.policies.get(name);
      if (!policy) throw notFound();
      return { status: 200, body: this.envelope({ name, policy: policy.text }, { mount_type: 'system' }) };
    }
    if (method === 'POST' || method === 'PUT') {
      this.require(token, this.policies.has(name) ? 'update' : 'create', path);
      if (name === 'root') throw new HttpError(400, ['cannot update "root" policy']);
      const text = asObject(body).policy;
      if (typeof text !== 'string') throw new HttpError(400, ["'policy' parameter not supplied or empty"]);
      try {
        this.addPolicy(name, text);
      } catch (error) {
        throw new HttpError(400, [(error as Error).message]);
      }
      return { status: 204 };
    }
    if (method === 'DELETE') {
      this.require(token, 'delete', path);
      if (name === 'root' || name === 'default') throw new HttpError(400, [`cannot delete "${name}" policy`]);
      this.policies.delete(name);
      return { status: 204 };
    }
    throw new HttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  }

  private listKeys(paths: Iterable<string>, prefix: string): string[] {
    const keys = new Set<string>();
    for (const stored of paths) {
      if (!stored.startsWith(prefix)) continue;
      const rest = stored.slice(prefix.length);
      const slash = rest.indexOf('/');
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    keys.delete('');
    return [...keys].sort();
  }

  private kv1Route(token: string, method: string, mount: string, key: string, body: unknown): Reply {
    const store = this.kv1.get(mount)!;
    const aclPath = `${mount}/${key}`;
    if (method === 'LIST') {
      this.require(token, 'list', aclPath.endsWith('/') ? aclPath : `${aclPath}/`);
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const keys = this.listKeys(store.keys(), prefix);
      if (!keys.length) throw notFound();
      return { status: 200, body: this.envelope({ keys }, { mount_type: 'kv' }) };
    }
    const name = trimSlashes(key);
    if (method === 'GET') {
      this.require(token, 'read', aclPath);
      const data = store.get(name);
      if (!data) throw notFound();
      const ttl = typeof data.ttl === 'string' && /^\d+s?$/.test(data.ttl) ? parseInt(data.ttl, 10) : 2764800;
      return { status: 200, body: this.envelope(data, { lease_duration: ttl, mount_type: 'kv' }) };
    }
    if (method === 'POST' || method === 'PUT') {
      this.require(token, store.has(name) ? 'update' : 'create', aclPath);
      store.set(name, { ...asObject(body) });
      return { status: 204 };
    }
    if (method === 'DELETE') {
      this.require(token, 'delete', aclPath);
      store.delete(name);
      return { status: 204 };
    }
    throw new HttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  }

  private kv2Route(
    token: string,
    method: string,
    mount: string,
    rest: string,
    req: IncomingMessage,
    body: unknown,
    query: Record<string, string>,
  ): Reply {
    const store = this.kv2.get(mount)!;
    const mountConfig = this.mounts.get(mount)!;
    const config: KvMountConfig = { maxVersions: mountConfig.maxVersions ?? 0, casRequired: mountConfig.casRequired ?? false };
    const slash = rest.indexOf('/');
    const kind = slash === -1 ? rest : rest.slice(0, slash);
    const key = slash === -1 ? '' : rest.slice(slash + 1);
    const name = trimSlashes(key);
    const aclPath = `${mount}/${rest}`;
    const entry = store.get(name);
    const live = entry !== undefined && entry.currentVersion > 0;
    const input = asObject(body);
    const requirePatchType = (): void => {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.startsWith('application/merge-patch+json')) {
        throw new HttpError(415, [`PATCH requires Content-Type of application/merge-patch+json, provided: ${type}`]);
      }
    };

    if (kind === 'config' && key === '') {
      if (method === 'GET') {
        this.require(token, 'read', aclPath);
        const data = { cas_required: config.casRequired, delete_version_after: '0s', max_versions: config.maxVersions };
        return { status: 200, body: this.envelope(data, { mount_type: 'kv' }) };
      }
      if (method === 'POST' || method === 'PUT') {
        this.require(token, 'update', aclPath);
        if (typeof input.cas_required === 'boolean') mountConfig.casRequired = input.cas_required;
        if (typeof input.max_versions === 'number') mountConfig.maxVersions = input.max_versions;
        return { status: 204 };
      }
    }

    if (kind === 'data' && name !== '') {
      if (method === 'GET') {
        this.require(token, 'read', aclPath);
        // Like Vault, a missing or 0 version means the latest.
        const asked = Number(query.version ?? 0);
        const version = asked > 0 ? asked : entry?.currentVersion ?? 0;
        const stored = entry?.versions.get(version);
        if (!entry || !stored) throw notFound();
        const metadata = versionMetadata(entry, version);
        if (stored.deletionTime || stored.destroyed) {
          return { status: 404, body: this.envelope({ data: null, metadata }, { mount_type: 'kv' }) };
        }
        return { status: 200, body: this.envelope({ data: stored.data, metadata }, { mount_type: 'kv' }) };
      }
      if (method === 'POST' || method === 'PUT') {
        this.require(token, live ? 'update' : 'create', aclPath);
        if (!input.data || typeof input.data !== 'object' || Array.isArray(input.data)) throw new KvBadRequest('no data provided');
        const cas = asObject(input.options).cas;
        const target = entry ?? newEntry(this.nowIso());
        const version = writeVersion(target, { ...(input.data as Record<string, unknown>) }, typeof cas === 'number' ? cas : undefined, config, this.nowIso());
        store.set(name, target);
        return { status: 200, body: this.envelope(versionMetadata(target, version), { mount_type: 'kv' }) };
      }
      if (method === 'PATCH') {
        requirePatchType();
        this.require(token, 'patch', aclPath);
        const current = entry?.versions.get(entry.currentVersion);
        if (!entry || !current?.data || current.deletionTime || current.destroyed) throw notFound();
        const cas = asObject(input.options).cas;
        const merged = mergePatch(current.data, input.data ?? {}) as Record<string, unknown>;
        const version = writeVersion(entry, merged, typeof cas === 'number' ? cas : entry.currentVersion, config, this.nowIso());
        return { status: 200, body: this.envelope(versionMetadata(entry, version), { mount_type: 'kv' }) };
      }
      if (method === 'DELETE') {
        this.require(token, 'delete', aclPath);
        const current = entry?.versions.get(entry.currentVersion);
        if (current && !current.deletionTime) current.deletionTime = this.nowIso();
        return { status: 204 };
      }
    }

    if (kind === 'metadata') {
      if (method === 'LIST') {
        const listPath = aclPath.endsWith('/') ? aclPath : `${aclPath}/`;
        this.require(token, 'list', listPath);
        const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
        const keys = this.listKeys([...store.entries()].filter(([, e]) => e.currentVersion > 0).map(([p]) => p), prefix);
        if (!keys.length) throw notFound();
        return { status: 200, body: this.envelope({ keys }, { mount_type: 'kv' }) };
      }
      if (name !== '' && method === 'GET') {
        this.require(token, 'read', aclPath);
        if (!entry) throw notFound();
        return { status: 200, body: this.envelope(metadataBody(entry), { mount_type: 'kv' }) };
      }
      if (name !== '' && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
        if (method === 'PATCH') requirePatchType();
        this.require(token, method === 'PATCH' ? 'patch' : entry ? 'update' : 'create', aclPath);
        if (method === 'PATCH' && !entry) throw notFound();
        const target = entry ?? newEntry(this.nowIso());
        if ('custom_metadata' in input) {
          const values = checkCustomMetadata(input.custom_metadata, method === 'PATCH');
          target.customMetadata =
            method === 'PATCH' ? (mergePatch(target.customMetadata ?? {}, values) as Record<string, string>) : (values as Record<string, string>);
        }
        if (typeof input.max_versions === 'number') target.maxVersions = input.max_versions;
        if (typeof input.cas_required === 'boolean') target.casRequired = input.cas_required;
        if (typeof input.delete_version_after === 'string') target.deleteVersionAfter = input.delete_version_after;
        target.updatedTime = this.nowIso();
        store.set(name, target);
        return { status: 204 };
      }
      if (name !== '' && method === 'DELETE') {
        this.require(token, 'delete', aclPath);
        store.delete(name);
        return { status: 204 };
      }
    }

    if ((kind === 'delete' || kind === 'undelete' || kind === 'destroy') && name !== '' && (method === 'POST' || method === 'PUT')) {
      this.require(token, 'update', aclPath);
      const versions = Array.isArray(input.versions) ? input.versions.map(Number) : [];
      if (!versions.length) throw new KvBadRequest('no version number provided');
      for (const version of versions) {
        const stored = entry?.versions.get(version);
        if (!stored) continue;
        if (kind === 'delete' && !stored.deletionTime) stored.deletionTime = this.nowIso();
        if (kind === 'undelete' && !stored.destroyed) stored.deletionTime = '';
        if (kind === 'destroy') {
          stored.destroyed = true;
          stored.data = null;
        }
      }
      return { status: 204 };
    }

    if (!['data', 'metadata', 'delete', 'undelete', 'destroy', 'config', 'subkeys'].includes(kind)) {
      return { status: 404, body: this.envelope(null, { warnings: [V2_INVALID_PATH], mount_type: 'kv' }) };
    }
    throw new HttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  }
}

export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const vault = new FakeVault(options);
  await vault.listen();
  return vault;
}
