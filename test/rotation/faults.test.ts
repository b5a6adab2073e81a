import { afterEach, describe, expect, it } from 'vitest';
import type { RotationRecord } from '../../src/core/result.js';
import { runRotate, runRotationCheck } from '../../src/rotation/index.js';
import { rotatedAtKey, rotatingKey } from '../../src/rotation/metadata.js';
import { startFakeVault, type FakeVault, type Fault } from '../support/fake-vault.js';
import { DAY, randomToken, rotationContext, testClock, testDeps, vaultEnv } from './helpers.js';

/**
 * Every fault the fake Vault can inject, at every step of a rotation: afterwards the secret holds
 * either the old or the new value, and the report says which.
 */

const PATH = 'prod/orchestrator';
const DATA = `leyzen/data/${PATH}`;
const METADATA = `leyzen/metadata/${PATH}`;
const CONFIG = `vault:
  timeout: 1s
rotation:
  secrets:
    - name: vault-pass
      mount: leyzen
      path: ${PATH}
      key: VAULT_PASS
      max-age: 90d
`;

let vault: FakeVault;
afterEach(async () => vault?.close());

interface Run {
  record: RotationRecord;
  findings: string[];
  oldValue: string;
  newValue: string | undefined;
  inVault: { value: unknown; version: number | null };
}

/**
 * Rotates vault-pass with `faults` injected up front (reads before the write match no POST or PATCH), and
 * `onWrite` faults armed only when the write arrives, so they hit the steps after it.
 */
async function rotateWith(faults: Fault[], onWrite: Fault[] = [], beforeWrite: Fault[] = []): Promise<Run> {
  vault = await startFakeVault({ mounts: { leyzen: { version: 2 } }, time: testClock });
  const oldValue = randomToken();
  vault.seedKv('leyzen', PATH, { VAULT_PASS: oldValue, OTHER: 'kept' }, { createdTime: new Date(Date.now() - 100 * DAY) });
  const arm = (): void => onWrite.forEach((f) => vault.injectFault(f));
  const firstWriteFault = faults.find((f) => f.match?.method === 'POST');
  if (onWrite.length && firstWriteFault) firstWriteFault.onFire = arm;
  else if (onWrite.length) vault.injectFault({ kind: 'latency', ms: 0, match: { method: 'POST', path: DATA }, onFire: arm });
  for (const fault of [...beforeWrite, ...faults]) vault.injectFault(fault);
  const { ctx, masked } = rotationContext(CONFIG, { env: vaultEnv(vault) });
  const result = await runRotate(ctx, { selection: { kind: 'names', names: ['vault-pass'] }, dryRun: false }, testDeps());
  const generated = masked.filter((m) => m !== vault.rootToken);
  expect(generated.length).toBeLessThanOrEqual(1);
  const direct = vault.readKvDirect('leyzen', PATH)!;
  expect(direct.data!.OTHER).toBe('kept');
  return {
    record: result.rotated![0]!,
    findings: result.findings.map((f) => `${f.ruleId}: ${f.message}`),
    oldValue,
    newValue: generated[0],
    inVault: { value: direct.data!.VAULT_PASS, version: direct.version },
  };
}

/** The invariant: Vault holds the old or the new value, and the record says which. */
function expectHonestReport(run: Run): 'old' | 'new' {
  const { record, inVault } = run;
  expect([run.oldValue, run.newValue]).toContain(inVault.value);
  const holds = inVault.value === run.oldValue ? 'old' : 'new';
  if (holds === 'new') {
    expect(record.newVersion).toBe(inVault.version);
    if (record.status === 'failed') expect(record.detail).toMatch(/new value/);
    else expect(record.status).toBe('rotated');
  } else {
    expect(record.status).toBe('failed');
    expect(record.newVersion).toBeNull();
    expect(record.detail).toMatch(/old value|nothing was written/);
    expect(inVault.version).toBe(1);
  }
  return holds;
}

describe('rotate under Vault faults: the write', () => {
  for (const status of [500, 503, 429] as const) {
    it(`a ${status} on the write is retried (after a read-back shows nothing landed) and the rotation completes`, async () => {
      const run = await rotateWith([{ kind: 'status', status, retryAfter: status === 429 ? 0 : undefined, match: { method: 'POST', path: DATA } }]);
      expect(expectHonestReport(run)).toBe('new');
      expect(run.record).toMatchObject({ status: 'rotated', oldVersion: 1, newVersion: 2 });
      expect(vault.pendingFaults()).toBe(0);
    });
  }

  it('a dropped connection on the write: read back, nothing landed, sent once more, rotated', async () => {
    const run = await rotateWith([{ kind: 'drop', match: { method: 'POST', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'rotated', newVersion: 2 });
  });

  it('a write that lands but whose answer is lost: confirmed by read-back, never written twice', async () => {
    const run = await rotateWith([{ kind: 'lost-answer', match: { method: 'POST', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'rotated', newVersion: 2 });
    expect(vault.requests.filter((r) => r.method === 'POST' && r.path === DATA)).toHaveLength(1);
  });

  it('latency beyond the client timeout: read back, sent once more, and the late original is refused by check-and-set', async () => {
    const run = await rotateWith([{ kind: 'latency', ms: 1500, match: { method: 'POST', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    // The timed-out original arrives late with the same check-and-set value: Vault refuses it.
    await vault.releaseLate();
    expect(vault.requests.filter((r) => r.method === 'POST' && r.path === DATA)).toHaveLength(2);
    const later = vault.readKvDirect('leyzen', PATH)!;
    expect(later).toMatchObject({ version: 2, data: { VAULT_PASS: run.newValue, OTHER: 'kept' } });
  });

  it('a write that keeps failing with 500: stops, outcome unknown, the old value only "for now"', async () => {
    const run = await rotateWith([{ kind: 'status', status: 500, times: 20, match: { method: 'POST', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('old');
    expect(run.record.detail).toContain('outcome unknown after 3 attempts');
    expect(run.record.detail).not.toContain('nothing was written');
    expect(run.record.detail).toContain('Vault still holds the old value (version 1) for now, but the write may still land as version 2');
    expect(run.findings).toEqual([expect.stringMatching(/^rotation-failed: rotation of "vault-pass"/)]);
  });
});

describe('rotate under Vault faults: after the write', () => {
  it('answer lost and every read-back dropped: the client gives up, a later read finds the new version and the report says so', async () => {
    const run = await rotateWith([{ kind: 'lost-answer', match: { method: 'POST', path: DATA } }], [{ kind: 'drop', times: 4, match: { method: 'GET', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'failed', newVersion: 2 });
    expect(run.record.detail).toContain('outcome unknown');
    expect(run.record.detail).toContain('Vault holds the new value (version 2)');
  });

  it('the read-back failing with 503: reports the new version, written with the new value', async () => {
    const run = await rotateWith([], [{ kind: 'status', status: 503, times: 4, match: { method: 'GET', path: DATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'failed', oldVersion: 1, newVersion: 2 });
    expect(run.record.detail).toMatch(/^reading back version 2 failed: .*503.*; version 2 was written with the new value \(the old value is version 1\)$/);
    expect(run.findings[0]).toContain('version 2 was written with the new value');
  });

  it('recording custom_metadata failing: reports the new version', async () => {
    // Armed at the write, so they hit the record after it (the marker before it goes through).
    const run = await rotateWith([], [{ kind: 'status', status: 500, times: 4, match: { method: 'PATCH', path: METADATA } }]);
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'failed', newVersion: 2 });
    expect(run.record.detail).toContain('recording the rotation in custom_metadata (version 2 holds the new value) failed');
  });

  it('transient faults on every step are absorbed by retries', async () => {
    const run = await rotateWith(
      [
        { kind: 'drop', match: { method: 'PATCH', path: METADATA } },
        { kind: 'latency', ms: 50, match: { method: 'PATCH', path: METADATA } },
      ],
      [{ kind: 'status', status: 503, match: { method: 'GET', path: DATA } }],
      [
        { kind: 'status', status: 429, retryAfter: 0, match: { method: 'GET', path: METADATA } },
        { kind: 'drop', match: { method: 'GET', path: DATA } },
      ],
    );
    expect(expectHonestReport(run)).toBe('new');
    expect(run.record).toMatchObject({ status: 'rotated', newVersion: 2 });
    expect(vault.pendingFaults()).toBe(0);
  });
});

describe('rotate under Vault faults: before the write', () => {
  it('Vault failing every read: nothing is written and the report says why', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 } }, time: testClock });
    vault.seedKv('leyzen', PATH, { VAULT_PASS: randomToken() });
    vault.injectFault({ kind: 'status', status: 503, times: 100, match: { method: 'GET', path: DATA } });
    const { ctx } = rotationContext(CONFIG, { env: vaultEnv(vault) });
    const result = await runRotate(ctx, { selection: { kind: 'all' }, dryRun: false }, testDeps());
    expect(result.rotated).toEqual([expect.objectContaining({ status: 'failed', oldVersion: null, newVersion: null })]);
    expect(result.rotated![0]!.detail).toMatch(/^reading the secret failed: .*503.*; nothing was written$/);
    expect(vault.readKvDirect('leyzen', PATH)!.version).toBe(1);
  });
});

describe('a run stopped between the data write and its record', () => {
  /** The state a kill leaves: version 2 holds the new value, the record still says it was rotated 1065 days ago, the marker is set. */
  async function interrupted(): Promise<{ newValue: string }> {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 } }, time: testClock });
    vault.seedKv('leyzen', PATH, { VAULT_PASS: randomToken(), OTHER: 'kept' }, {
      createdTime: new Date(Date.now() - 10 * DAY),
      customMetadata: { [rotatedAtKey('VAULT_PASS')]: new Date(Date.now() - 1065 * DAY).toISOString() },
    });
    // Every attempt to record the rotation is lost, as if the runner died right after the write.
    vault.injectFault({
      kind: 'latency',
      ms: 0,
      match: { method: 'POST', path: DATA },
      onFire: () => vault.injectFault({ kind: 'drop', times: 3, match: { method: 'PATCH', path: METADATA } }),
    });
    const { ctx, masked } = rotationContext(CONFIG, { env: vaultEnv(vault) });
    const run = await runRotate(ctx, { selection: { kind: 'due' }, dryRun: false }, testDeps());
    expect(run.rotated![0]).toMatchObject({ status: 'failed', newVersion: 2 });
    const meta = vault.readKvDirect('leyzen', PATH)!.customMetadata!;
    expect(meta[rotatingKey('VAULT_PASS')]).toBe('1');
    expect(Date.parse(meta[rotatedAtKey('VAULT_PASS')]!)).toBeLessThan(Date.now() - 1000 * DAY);
    return { newValue: masked.find((m) => m !== vault.rootToken)! };
  }

  it('is recognised: rotation-check judges the age from the version that landed, not from the stale record', async () => {
    await interrupted();
    const { ctx } = rotationContext(CONFIG, { env: vaultEnv(vault) });
    const check = await runRotationCheck(ctx, testDeps());
    expect(check.findings.map((f) => f.ruleId)).not.toContain('rotation-overdue');
  });

  it('is repaired by the next rotate, which does not rotate the secret again', async () => {
    const run = await interrupted();
    const created = vault.readKvDirect('leyzen', PATH)!.createdTime;
    const { ctx, logs } = rotationContext(CONFIG, { env: vaultEnv(vault) });
    const next = await runRotate(ctx, { selection: { kind: 'due' }, dryRun: false }, testDeps());
    expect(next.rotated).toEqual([]);
    const after = vault.readKvDirect('leyzen', PATH)!;
    expect(after).toMatchObject({ version: 2, data: { VAULT_PASS: run.newValue } });
    expect(after.customMetadata![rotatedAtKey('VAULT_PASS')]).toBe(created);
    expect(after.customMetadata![rotatingKey('VAULT_PASS')]).toBeUndefined();
    expect(logs.join('\n')).toContain('an earlier rotation wrote version 2');
  });

  it('a marker whose write never landed repairs nothing: the secret is still due', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 } }, time: testClock });
    vault.seedKv('leyzen', PATH, { VAULT_PASS: randomToken(), OTHER: 'kept' }, { createdTime: new Date(Date.now() - 100 * DAY), customMetadata: { [rotatingKey('VAULT_PASS')]: '1' } });
    const { ctx } = rotationContext(CONFIG, { env: vaultEnv(vault) });
    const check = await runRotationCheck(ctx, testDeps());
    expect(check.findings.map((f) => f.ruleId)).toContain('rotation-overdue');
  });
});
