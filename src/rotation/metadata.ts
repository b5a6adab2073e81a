import { sha256Hex } from '../core/finding.js';

/**
 * What keywarden records in a KV v2 secret's custom_metadata, per key (several keys can share a path):
 *   keywarden.rotated-at.<key> = RFC 3339 time of the version that holds the rotated value
 *   keywarden.rotated-by.<key> = JSON {"reason","workflow","run","actor"} of the run that rotated it
 *   keywarden.rotating.<key>   = the version a rotation is replacing, set before its data write and
 *                                removed with the record after it: a run killed in between leaves it,
 *                                and the next run repairs the record from the version that followed
 * Vault limits custom_metadata to 64 keys of at most 128 characters with values of at most 512.
 */

const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 512;
const MAX_METADATA_KEYS = 64;

const ROTATED_AT = 'keywarden.rotated-at.';
const ROTATED_BY = 'keywarden.rotated-by.';
const ROTATING = 'keywarden.rotating.';

/** Keys too long for the 128-character limit are recorded under a hash of their name. */
function metadataKey(prefix: string, key: string): string {
  const plain = prefix + key;
  return plain.length <= MAX_KEY_LENGTH ? plain : `${prefix}sha256:${sha256Hex(key).slice(0, 64)}`;
}

export function rotatedAtKey(key: string): string {
  return metadataKey(ROTATED_AT, key);
}

export function rotatedByKey(key: string): string {
  return metadataKey(ROTATED_BY, key);
}

export function rotatingKey(key: string): string {
  return metadataKey(ROTATING, key);
}

/** The version an interrupted rotation of `key` was replacing, when its marker is still there. */
export function pendingRotation(customMetadata: Record<string, string>, key: string): number | undefined {
  const text = customMetadata[rotatingKey(key)];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The recorded rotation time of `key`, or undefined when none (or an unreadable one) is recorded. */
export function recordedRotation(customMetadata: Record<string, string>, key: string): Date | undefined {
  const text = customMetadata[rotatedAtKey(key)];
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export type RotationReason = 'due' | 'all' | 'manual';

/** Who rotated: the workflow and run from the Actions environment, and why; always valid JSON within 512 characters. */
export function rotatedByValue(env: NodeJS.ProcessEnv, reason: RotationReason): string {
  const who: Record<string, string> = { reason };
  if (env.GITHUB_WORKFLOW) who.workflow = env.GITHUB_WORKFLOW.slice(0, 200);
  if (env.GITHUB_RUN_ID) who.run = env.GITHUB_RUN_ID.slice(0, 40);
  if (env.GITHUB_RUN_ATTEMPT) who.attempt = env.GITHUB_RUN_ATTEMPT.slice(0, 10);
  if (env.GITHUB_ACTOR) who.actor = env.GITHUB_ACTOR.slice(0, 100);
  if (env.GITHUB_REPOSITORY) who.repository = env.GITHUB_REPOSITORY.slice(0, 140);
  // Escaping can lengthen long names: drop the least useful fields until it fits rather than cut JSON.
  for (const field of ['repository', 'actor', 'workflow']) {
    if (JSON.stringify(who).length <= MAX_VALUE_LENGTH) break;
    delete who[field];
  }
  return JSON.stringify(who);
}

/**
 * The metadata patch for a rotation, trimmed to Vault's 64-key limit: `rotated-at` for the rotated key
 * first, then `rotated-at` for sibling keys that had no record (so writing a new version does not make
 * them look freshly rotated), then `rotated-by`. Returns the patch and the entries that did not fit.
 */
export function rotationPatch(
  existing: Record<string, string>,
  wanted: [string, string][],
): { patch: Record<string, string>; dropped: string[] } {
  const patch: Record<string, string> = {};
  const dropped: string[] = [];
  let count = Object.keys(existing).length;
  for (const [key, value] of wanted) {
    const isNew = !(key in existing) && !(key in patch);
    if (isNew && count >= MAX_METADATA_KEYS) {
      dropped.push(key);
      continue;
    }
    if (isNew) count += 1;
    patch[key] = value;
  }
  return { patch, dropped };
}
