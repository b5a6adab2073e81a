/** KV v2 storage for the fake server, with Vault's versioning, CAS and custom_metadata rules. */

export interface StoredVersion {
  data: Record<string, unknown> | null;
  createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

export interface KvEntry {
  versions: Map<number, StoredVersion>;
  currentVersion: number;
  oldestVersion: number;
  createdTime: string;
  updatedTime: string;
  customMetadata: Record<string, string> | null;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: string;
}

export interface KvMountConfig {
  maxVersions: number;
  casRequired: boolean;
}

/** A Vault-worded 400. */
export class KvBadRequest extends Error {}

const DEFAULT_MAX_VERSIONS = 10;

export function newEntry(time: string): KvEntry {
  return {
    versions: new Map(),
    currentVersion: 0,
    oldestVersion: 0,
    createdTime: time,
    updatedTime: time,
    customMetadata: null,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: '0s',
  };
}

export function versionMetadata(entry: KvEntry, version: number): Record<string, unknown> {
  const stored = entry.versions.get(version)!;
  return {
    created_time: stored.createdTime,
    custom_metadata: entry.customMetadata,
    deletion_time: stored.deletionTime,
    destroyed: stored.destroyed,
    version,
  };
}

export function metadataBody(entry: KvEntry): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [number, stored] of entry.versions) {
    versions[String(number)] = { created_time: stored.createdTime, deletion_time: stored.deletionTime, destroyed: stored.destroyed };
  }
  return {
    cas_required: entry.casRequired,
    created_time: entry.createdTime,
    current_version: entry.currentVersion,
    custom_metadata: entry.customMetadata,
    delete_version_after: entry.deleteVersionAfter,
    max_versions: entry.maxVersions,
    oldest_version: entry.oldestVersion,
    updated_time: entry.updatedTime,
    versions,
  };
}

/** Adds a version, enforcing CAS, and prunes past the version limit. */
export function writeVersion(
  entry: KvEntry,
  data: Record<string, unknown>,
  cas: number | undefined,
  mount: KvMountConfig,
  time: string,
): number {
  if (cas === undefined && (entry.casRequired || mount.casRequired)) {
    throw new KvBadRequest('check-and-set parameter required for this call');
  }
  if (cas !== undefined && cas !== entry.currentVersion) {
    throw new KvBadRequest('check-and-set parameter did not match the current version');
  }
  const version = entry.currentVersion + 1;
  entry.versions.set(version, { data, createdTime: time, deletionTime: '', destroyed: false });
  entry.currentVersion = version;
  entry.updatedTime = time;
  if (entry.oldestVersion === 0) entry.oldestVersion = version;
  // As Vault's path_data.go: the key's own limit when set and lower than the mount's; 0 means 10.
  const limits = [entry.maxVersions, mount.maxVersions].filter((n) => n > 0);
  const limit = limits.length ? Math.min(...limits) : DEFAULT_MAX_VERSIONS;
  while (entry.versions.size > limit) {
    entry.versions.delete(entry.oldestVersion);
    entry.oldestVersion += 1;
  }
  return version;
}

/** Vault's custom_metadata limits: string → string, ≤ 64 keys, keys ≤ 128, values ≤ 512 characters. */
export function checkCustomMetadata(value: unknown, allowNull: boolean): Record<string, string | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KvBadRequest('custom_metadata must be a map of strings');
  }
  const problems: string[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 64) problems.push(`payload must contain at most 64 keys, provided: ${entries.length}`);
  for (const [key, item] of entries) {
    if (key.length > 128) problems.push(`length of key "${key}" is ${key.length} but max is 128`);
    if (item === null && allowNull) continue;
    if (typeof item !== 'string') problems.push(`value for key "${key}" must be a string`);
    else if (item.length > 512) problems.push(`length of value for key "${key}" is ${item.length} but max is 512`);
  }
  if (problems.length) {
    throw new KvBadRequest(`${problems.length} error${problems.length > 1 ? 's' : ''} occurred:\n${problems.map((p) => `\t* ${p}`).join('\n')}\n\n`);
  }
  return value as Record<string, string | null>;
}

/** RFC 7386 merge: objects merge recursively, null removes a key. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}
