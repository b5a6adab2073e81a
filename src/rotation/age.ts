import type { RotationSecret } from '../config/types.js';
import type { KvSecret, VaultClient } from '../vault/types.js';
import { pendingRotation, recordedRotation } from './metadata.js';

/** What Vault says about one configured secret: enough to judge its age and to rotate it. */
export type SecretState =
  | { kind: 'missing' }
  | { kind: 'key-missing'; secret: KvSecret }
  /** KV v1: no versions or metadata, the age cannot be known. */
  | { kind: 'unversioned'; secret: KvSecret }
  | {
      kind: 'aged';
      secret: KvSecret;
      /** The secret's version at the time of reading (the CAS value for the next write). */
      version: number;
      customMetadata: Record<string, string>;
      rotatedAt: Date;
      /**
       * Where rotatedAt came from: keywarden's own record, the current version's creation time, or
       * the version an interrupted rotation wrote (its record is then stale and `repair` says how to fix it).
       */
      source: 'custom_metadata' | 'created_time' | 'interrupted-rotation';
      ageMs: number;
      repair?: InterruptedRotation;
    };

/** A rotation whose data write landed (as `version`, created at `createdTime`) but whose record did not. */
export interface InterruptedRotation {
  version: number;
  createdTime: string;
}

function hasKey(secret: KvSecret, key: string): boolean {
  return Object.hasOwn(secret.data, key) && secret.data[key] !== null && secret.data[key] !== undefined;
}

/** Reads the secret (and its metadata on KV v2) and works out when `secret.key` was last rotated. */
export async function readSecretState(client: VaultClient, secret: RotationSecret, now: Date): Promise<SecretState> {
  const current = await client.readSecret(secret.mount, secret.path);
  if (!current) return { kind: 'missing' };
  if (!hasKey(current, secret.key)) return { kind: 'key-missing', secret: current };
  if (current.version === null) return { kind: 'unversioned', secret: current };
  const metadata = await client.readMetadata(secret.mount, secret.path);
  const customMetadata = metadata?.customMetadata ?? {};
  const repair = await interruptedRotation(client, secret, current.version, customMetadata);
  const recorded = recordedRotation(customMetadata, secret.key);
  const created = current.createdTime ? new Date(current.createdTime) : undefined;
  const rotatedAt = repair ? new Date(repair.createdTime) : recorded ?? (created && !Number.isNaN(created.getTime()) ? created : now);
  return {
    kind: 'aged',
    secret: current,
    version: current.version,
    customMetadata,
    rotatedAt,
    source: repair ? 'interrupted-rotation' : recorded ? 'custom_metadata' : 'created_time',
    ...(repair ? { repair } : {}),
    // A clock ahead of ours must not make a secret look younger than new.
    ageMs: Math.max(0, now.getTime() - rotatedAt.getTime()),
  };
}

/**
 * A rotation marker left behind means a run stopped between the data write and the record. If the
 * version after the one it replaced changed this key, that write landed: the key was rotated then.
 */
async function interruptedRotation(client: VaultClient, secret: RotationSecret, current: number, customMetadata: Record<string, string>): Promise<InterruptedRotation | undefined> {
  const from = pendingRotation(customMetadata, secret.key);
  if (from === undefined || current <= from) return undefined;
  const [before, after] = await Promise.all([from > 0 ? client.readSecret(secret.mount, secret.path, from) : null, client.readSecret(secret.mount, secret.path, from + 1)]);
  if (!after?.createdTime || Number.isNaN(Date.parse(after.createdTime))) return undefined;
  if (before && before.data[secret.key] === after.data[secret.key]) return undefined;
  return { version: from + 1, createdTime: after.createdTime };
}

export type AgeStatus = 'fresh' | 'due-soon' | 'overdue';

/** Overdue past max-age, due soon past warn-at (a share of max-age). */
export function ageStatus(ageMs: number, maxAgeMs: number, warnAt: number): AgeStatus {
  if (ageMs > maxAgeMs) return 'overdue';
  if (ageMs >= maxAgeMs * warnAt) return 'due-soon';
  return 'fresh';
}
