import type { RotationSecret } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import type { RunContext } from '../core/context.js';
import { describeError, UserError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { CheckResult, RotationRecord } from '../core/result.js';
import { VaultError } from '../vault/errors.js';
import type { VaultClient } from '../vault/types.js';
import { ageStatus, readSecretState, type InterruptedRotation } from './age.js';
import type { RotationDeps } from './deps.js';
import { charsetOf, generateSecret } from './generate.js';
import { waitForPickup } from './health.js';
import { recordedRotation, rotatedAtKey, rotatedByKey, rotatedByValue, rotatingKey, rotationPatch, type RotationReason } from './metadata.js';
import { describeSecret, ROTATION_RULES, sectionFinding, secretFinding } from './rules.js';

export type RotateSelection = { kind: 'due' } | { kind: 'all' } | { kind: 'names'; names: string[] };

export interface RotateOptions {
  selection: RotateSelection;
  dryRun: boolean;
}

interface Outcome {
  record: RotationRecord;
  /** Set when the step failed: the run stops here. */
  failure?: Finding;
}

function baseRecord(secret: RotationSecret): Pick<RotationRecord, 'name' | 'mount' | 'path' | 'key'> {
  return { name: secret.name, mount: secret.mount, path: secret.path, key: secret.key };
}

function failed(ctx: RunContext, secret: RotationSecret, ruleId: 'rotation-failed' | 'rotation-not-verified', record: RotationRecord): Outcome {
  return { record, failure: secretFinding(ctx, secret, ruleId, `rotation of ${describeSecret(secret)} failed: ${record.detail}`) };
}

/** Unknown names are a usage error, raised before anything is read or written. */
function byNames(ctx: RunContext, names: string[]): RotationSecret[] {
  const secrets = ctx.config.rotation.secrets;
  const unknown = names.filter((name) => !secrets.some((secret) => secret.name === name));
  if (unknown.length) {
    const known = secrets.map((secret) => secret.name).join(', ') || 'none';
    throw new UserError(`unknown secret${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (rotation.secrets has: ${known})`, {
      file: ctx.source.file,
      line: ctx.source.locate(['rotation', 'secrets']).line,
    });
  }
  return secrets.filter((secret) => names.includes(secret.name));
}

/** A bad charset must stop the run before the first write, not halfway through. */
function checkGenerateSpecs(ctx: RunContext, secrets: RotationSecret[]): void {
  for (const secret of secrets) {
    if (secret.generate.format !== 'password') continue;
    try {
      charsetOf(secret.generate);
    } catch (error) {
      const where = ctx.source.locate(['rotation', 'secrets', secret.index, 'generate', 'charset']);
      throw new UserError(`${describeSecret(secret)}: ${describeError(error)}`, { file: ctx.source.file, line: where.line, column: where.column });
    }
  }
}

interface Plan {
  rotate: RotationSecret[];
  /** Selected but left for a later run (max-per-run), with why. */
  deferred: { secret: RotationSecret; detail: string }[];
  findings: Finding[];
}

/** due and names: oldest first, at most max-per-run; all: every secret in config order. */
async function plan(ctx: RunContext, client: VaultClient, selection: RotateSelection, dryRun: boolean): Promise<Plan> {
  const secrets = ctx.config.rotation.secrets;
  if (selection.kind === 'all') return { rotate: [...secrets], deferred: [], findings: [] };
  const candidates = selection.kind === 'names' ? byNames(ctx, selection.names) : secrets;
  const findings: Finding[] = [];
  const aged: { secret: RotationSecret; ageMs: number }[] = [];
  for (const secret of candidates) {
    try {
      const state = await readSecretState(client, secret, ctx.now);
      if (state.kind === 'aged' && state.repair) await repairRecord(ctx, client, secret, state.repair, dryRun);
      if (state.kind !== 'aged') {
        // Named secrets are attempted anyway, so the report says why they cannot be rotated.
        if (selection.kind === 'names') aged.push({ secret, ageMs: Number.POSITIVE_INFINITY });
        else ctx.log.info(`${describeSecret(secret)} is not rotated: ${state.kind} (rotation-check reports it)`);
        continue;
      }
      const due = ageStatus(state.ageMs, secret.maxAgeMs, ctx.config.rotation.warnAt) !== 'fresh';
      if (selection.kind === 'names' || due) aged.push({ secret, ageMs: state.ageMs });
      else ctx.log.info(`${describeSecret(secret)} is not due (${formatDuration(state.ageMs)} old, max-age ${formatDuration(secret.maxAgeMs)})`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      findings.push(secretFinding(ctx, secret, 'rotation-vault-error', `cannot read ${describeSecret(secret)}: ${describeError(error)}`));
    }
  }
  aged.sort((a, b) => b.ageMs - a.ageMs || a.secret.index - b.secret.index);
  const limit = ctx.config.rotation.maxPerRun;
  const deferred = aged.slice(limit).map(({ secret, ageMs }) => ({
    secret,
    detail: `${Number.isFinite(ageMs) ? `${formatDuration(ageMs)} old; ` : ''}left for a later run: max-per-run is ${limit}`,
  }));
  return { rotate: aged.slice(0, limit).map(({ secret }) => secret), deferred, findings };
}

/** Completes the record of a rotation whose run stopped after its data write (see metadata.ts). */
async function repairRecord(ctx: RunContext, client: VaultClient, secret: RotationSecret, repair: InterruptedRotation, dryRun: boolean): Promise<void> {
  const what = `${describeSecret(secret)}: an earlier rotation wrote version ${repair.version} (${repair.createdTime}) but stopped before recording it`;
  if (dryRun) {
    ctx.log.info(`dry run: ${what}; the record would be repaired`);
    return;
  }
  await client.patchCustomMetadata(secret.mount, secret.path, { [rotatedAtKey(secret.key)]: repair.createdTime, [rotatingKey(secret.key)]: null });
  ctx.log.warning(`${what}; its record is repaired`);
}

/** After a failed write: which value does Vault hold now? The report must say. */
async function whatVaultHolds(
  client: VaultClient,
  secret: RotationSecret,
  written: string,
  old: { value: unknown; version: number | null },
): Promise<{ text: string; newVersion: number | null }> {
  try {
    const now = await client.readSecret(secret.mount, secret.path);
    if (!now) return { text: 'the secret no longer exists in Vault', newVersion: null };
    const value = now.data[secret.key];
    if (value === written) return { text: `Vault holds the new value (version ${now.version})`, newVersion: now.version };
    const changed = now.version !== old.version ? `; the secret is now version ${now.version}: it was changed concurrently` : '';
    if (value === old.value) return { text: `Vault still holds the old value (version ${old.version})${changed}`, newVersion: null };
    return { text: `Vault holds a value of "${secret.key}" keywarden did not write (version ${now.version}): it was changed concurrently`, newVersion: null };
  } catch (error) {
    return { text: `cannot tell whether Vault holds the old or the new value (${describeError(error)}): check the secret's versions in Vault`, newVersion: null };
  }
}

/**
 * The metadata to merge: this key's rotation time and who rotated it, plus, for sibling keys configured
 * at the same path that have no record yet, the creation time of the version just replaced, so the new
 * version does not make them look freshly rotated.
 */
function metadataFor(ctx: RunContext, secret: RotationSecret, custom: Record<string, string>, previousCreated: string | undefined, rotatedAt: string, reason: RotationReason) {
  const wanted: [string, string][] = [[rotatedAtKey(secret.key), rotatedAt]];
  const siblings = ctx.config.rotation.secrets.filter((s) => s.mount === secret.mount && s.path === secret.path && s.key !== secret.key);
  for (const sibling of siblings) {
    if (previousCreated && !recordedRotation(custom, sibling.key)) wanted.push([rotatedAtKey(sibling.key), previousCreated]);
  }
  wanted.push([rotatedByKey(secret.key), rotatedByValue(ctx.env, reason)]);
  return rotationPatch(custom, wanted);
}

async function rotateOne(ctx: RunContext, client: VaultClient, deps: RotationDeps, secret: RotationSecret, reason: RotationReason, dryRun: boolean): Promise<Outcome> {
  const base = baseRecord(secret);
  const what = describeSecret(secret);
  let oldVersion: number | null = null;
  let newVersion: number | null = null;
  let value: string | undefined;
  let oldValue: unknown;
  let step = 'reading the secret';
  try {
    const state = (await client.kvVersion(secret.mount)) === 2 ? await readSecretState(client, secret, ctx.now) : undefined;
    if (!state || state.kind === 'unversioned') {
      const detail = `mount "${secret.mount}" is KV v1, which has no versions or check-and-set: a concurrent change could be overwritten and the old value would be lost; move the secret to a KV v2 mount. Nothing was written`;
      return failed(ctx, secret, 'rotation-failed', { ...base, oldVersion, newVersion, status: 'failed', detail });
    }
    if (state.kind === 'missing' || state.kind === 'key-missing') {
      const detail = `${state.kind === 'missing' ? 'the secret does not exist' : `the secret has no key "${secret.key}"`}; create it before rotating. Nothing was written`;
      return failed(ctx, secret, 'rotation-failed', { ...base, oldVersion, newVersion, status: 'failed', detail });
    }
    oldVersion = state.version;
    if (dryRun) {
      const detail = `would write version ${oldVersion + 1} with a new ${secret.generate.format} value for "${secret.key}" (now ${formatDuration(state.ageMs)} old), keeping ${Object.keys(state.secret.data).length - 1} other key(s)`;
      ctx.log.info(`dry run: ${what}: ${detail}`);
      return { record: { ...base, oldVersion, newVersion, status: 'would-rotate', detail } };
    }

    step = 'generating a value';
    value = generateSecret(secret.generate);
    ctx.mask(value);
    oldValue = state.secret.data[secret.key];

    step = 'marking the rotation as under way in custom_metadata';
    await client.patchCustomMetadata(secret.mount, secret.path, { [rotatingKey(secret.key)]: String(oldVersion) });

    step = 'writing the new version';
    ctx.log.info(`rotating ${what}: writing version ${oldVersion + 1} (check-and-set ${oldVersion})`);
    const writeStartedAt = deps.clock();
    const written = await client.writeSecret(secret.mount, secret.path, { ...state.secret.data, [secret.key]: value }, oldVersion);
    newVersion = written.version;

    step = `reading back version ${newVersion}`;
    const back = await client.readSecret(secret.mount, secret.path);
    if (!back || back.version !== newVersion || back.data[secret.key] !== value) {
      const holds = await whatVaultHolds(client, secret, value, { value: oldValue, version: oldVersion });
      const detail = `version ${newVersion} was written, but reading it back did not show the new value: ${holds.text}`;
      return failed(ctx, secret, 'rotation-failed', { ...base, oldVersion, newVersion: holds.newVersion ?? newVersion, status: 'failed', detail });
    }

    step = `recording the rotation in custom_metadata (version ${newVersion} holds the new value)`;
    const rotatedAt = back.createdTime || ctx.now.toISOString();
    const { patch, dropped } = metadataFor(ctx, secret, state.customMetadata, state.secret.createdTime, rotatedAt, reason);
    await client.patchCustomMetadata(secret.mount, secret.path, { ...patch, [rotatingKey(secret.key)]: null });
    const notes = dropped.length ? `; custom_metadata is full (64 keys), not recorded: ${dropped.join(', ')}` : '';
    if (dropped.length) ctx.log.warning(`${what}: custom_metadata is full (64 keys), not recorded: ${dropped.join(', ')}`);

    if (!secret.verify) {
      ctx.log.info(`rotated ${what}: version ${oldVersion} → ${newVersion}`);
      return { record: { ...base, oldVersion, newVersion, status: 'rotated', detail: `version ${newVersion} written and read back${notes}` } };
    }
    step = 'verifying the agent picked up the new value';
    ctx.log.info(`rotated ${what}: version ${oldVersion} → ${newVersion}; waiting up to ${formatDuration(secret.verify.timeoutMs)} for the agent to pick it up`);
    const pickup = await waitForPickup({
      url: secret.verify.url,
      fetch: deps.fetch,
      writeStartedAt,
      timeoutMs: secret.verify.timeoutMs,
      pollMs: deps.verifyPollMs,
      clock: deps.clock,
      sleep: deps.sleep,
    });
    if (!pickup.pickedUp) {
      const detail = `version ${newVersion} holds the new value, but the agent did not show it within ${formatDuration(secret.verify.timeoutMs)} (last: ${pickup.last}); the old value is version ${oldVersion}`;
      return failed(ctx, secret, 'rotation-not-verified', { ...base, oldVersion, newVersion, status: 'not-verified', detail });
    }
    const detail = `version ${newVersion} written, read back, and picked up by the agent (token_age_seconds ${pickup.tokenAgeSeconds})${notes}`;
    return { record: { ...base, oldVersion, newVersion, status: 'verified', detail } };
  } catch (error) {
    let detail = `${step} failed: ${describeError(error)}`;
    if (value !== undefined && newVersion === null) {
      const holds = await whatVaultHolds(client, secret, value, { value: oldValue, version: oldVersion });
      newVersion = holds.newVersion;
      detail += `; ${holds.text}`;
      // Finding the new value is proof; finding the old one is not while the write may still land
      // (the next run repairs the record if it does: see the marker in metadata.ts).
      if (error instanceof VaultError && error.outcomeUnknown && newVersion === null && oldVersion !== null) {
        detail += ` for now, but the write may still land as version ${oldVersion + 1}: check the secret's versions in Vault before rotating again`;
      }
    } else if (newVersion !== null) {
      detail += `; version ${newVersion} was written with the new value (the old value is version ${oldVersion})`;
    } else {
      detail += '; nothing was written';
    }
    return failed(ctx, secret, 'rotation-failed', { ...base, oldVersion, newVersion, status: 'failed', detail });
  }
}

const REASON: Record<RotateSelection['kind'], RotationReason> = { due: 'due', all: 'all', names: 'manual' };

/**
 * rotate: stops at the first failure; the records then say exactly which secrets were rotated,
 * which failed (with the new version when the failure came after the write) and which were not tried.
 */
export async function rotate(ctx: RunContext, options: RotateOptions, deps: RotationDeps): Promise<CheckResult> {
  const { selection, dryRun } = options;
  const named = selection.kind === 'names' ? byNames(ctx, selection.names) : ctx.config.rotation.secrets;
  checkGenerateSpecs(ctx, named);
  if (ctx.config.rotation.secrets.length === 0) {
    ctx.log.info('rotate: rotation.secrets is empty; nothing to rotate');
    return { findings: [], rules: ROTATION_RULES, rotated: [] };
  }
  let client: VaultClient;
  try {
    client = await deps.connect(ctx);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const finding = sectionFinding(ctx, ['rotation'], 'rotation-vault-error', `cannot rotate: ${describeError(error)}; nothing was rotated`, 'connect');
    return { findings: [finding], rules: ROTATION_RULES, rotated: [] };
  }
  const { rotate: queue, deferred, findings } = await plan(ctx, client, selection, dryRun);
  const rotated: RotationRecord[] = [];
  let stoppedBy: RotationSecret | undefined;
  for (const secret of queue) {
    if (stoppedBy) {
      rotated.push({ ...baseRecord(secret), oldVersion: null, newVersion: null, status: 'skipped', detail: `not attempted: the rotation of "${stoppedBy.name}" failed` });
      continue;
    }
    const outcome = await rotateOne(ctx, client, deps, secret, REASON[selection.kind], dryRun);
    rotated.push(outcome.record);
    if (outcome.failure) {
      findings.push(outcome.failure);
      stoppedBy = secret;
    }
  }
  for (const { secret, detail } of deferred) rotated.push({ ...baseRecord(secret), oldVersion: null, newVersion: null, status: 'skipped', detail });
  if (queue.length === 0) {
    const unread = findings.length > 0 ? ` (${findings.length} problem${findings.length === 1 ? '' : 's'} reported)` : '';
    ctx.log.info(`rotate: nothing ${selection.kind === 'due' ? 'is due' : 'to rotate'}${unread}`);
  }
  return { findings, rules: ROTATION_RULES, rotated };
}
