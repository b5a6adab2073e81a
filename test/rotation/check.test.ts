import { afterEach, describe, expect, it } from 'vitest';
import { nowFrom } from '../../src/core/context.js';
import { runRotationCheck } from '../../src/rotation/index.js';
import { rotatedAtKey } from '../../src/rotation/metadata.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { DAY, randomToken, rotationContext, startJsonServer, testDeps, vaultEnv, type LocalServer } from './helpers.js';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Leyzen's three secrets at one path (90 days, staggered) and the Status Panel agent token (30 days). */
const CONFIG = `rotation:
  warn-at: 80%
  secrets:
    - name: vault-pass
      mount: leyzen
      path: prod/orchestrator
      key: VAULT_PASS
      max-age: 90d
    - name: secret-key
      mount: leyzen
      path: prod/orchestrator
      key: SECRET_KEY
      max-age: 90d
    - name: status-agent-token
      mount: status_panel
      path: deployment-123-abc/token
      key: token
      max-age: 30d
`;

let vault: FakeVault;
const servers: LocalServer[] = [];
afterEach(async () => {
  await vault?.close();
  while (servers.length) await servers.pop()!.close();
});

async function startVault(): Promise<FakeVault> {
  vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 }, legacy: { version: 1 } } });
  return vault;
}

function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY);
}

describe('rotation-check: age of Vault secrets', () => {
  it('uses keywarden’s custom_metadata record per key, and falls back to the version’s created_time', async () => {
    await startVault();
    vault.seedKv('leyzen', 'prod/orchestrator', { VAULT_PASS: randomToken(), SECRET_KEY: randomToken() }, {
      createdTime: daysAgo(10),
      // VAULT_PASS was rotated 102 days ago per keywarden; SECRET_KEY has no record: created_time (10 days) counts.
      customMetadata: { [rotatedAtKey('VAULT_PASS')]: daysAgo(102).toISOString(), owner: 'ops' },
    });
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() }, { createdTime: daysAgo(25) });
    const { ctx } = rotationContext(CONFIG, { env: vaultEnv(vault), now: NOW });

    const result = await runRotationCheck(ctx, testDeps());
    const byRule = Object.fromEntries(result.findings.map((f) => [f.ruleId, f]));
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['rotation-due-soon', 'rotation-overdue']);

    const overdue = byRule['rotation-overdue']!;
    expect(overdue.message).toContain('"vault-pass" (leyzen/prod/orchestrator#VAULT_PASS)');
    expect(overdue.message).toContain('last rotated 102 days ago');
    expect(overdue.message).toContain('should have been rotated 12 days ago (max-age 90 days)');
    expect(overdue).toMatchObject({ check: 'rotation', level: 'error', file: '.keywarden.yml', startLine: 4 });

    const soon = byRule['rotation-due-soon']!;
    expect(soon.message).toContain('"status-agent-token"');
    expect(soon.message).toContain("counted from version 1's creation");
    expect(soon.message).toContain('83% of its max-age 30 days; it is due within 5 days');
    expect(soon).toMatchObject({ level: 'warning', startLine: 14 });
    expect(result.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['rotation-overdue', 'rotation-due-soon', 'github-secret-overdue']));
  });

  it('is exact at the boundaries: warn-at reached is due soon, max-age reached but not passed is not overdue', async () => {
    await startVault();
    vault.seedKv('leyzen', 'prod/orchestrator', { VAULT_PASS: randomToken(), SECRET_KEY: randomToken() }, {
      createdTime: daysAgo(1),
      customMetadata: { [rotatedAtKey('VAULT_PASS')]: daysAgo(72).toISOString(), [rotatedAtKey('SECRET_KEY')]: daysAgo(71).toISOString() },
    });
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() }, { createdTime: daysAgo(30) });
    const { ctx } = rotationContext(CONFIG, { env: vaultEnv(vault), now: NOW });
    const result = await runRotationCheck(ctx, testDeps());
    const summary = result.findings.map((f) => `${f.ruleId}:${f.message.match(/"([^"]+)"/)![1]}`).sort();
    expect(summary).toEqual(['rotation-due-soon:status-agent-token', 'rotation-due-soon:vault-pass']);
  });

  it('takes now from SOURCE_DATE_EPOCH, so the same Vault state gives the same report', async () => {
    await startVault();
    vault.seedKv('leyzen', 'prod/orchestrator', { VAULT_PASS: randomToken(), SECRET_KEY: randomToken() }, { createdTime: daysAgo(50) });
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() }, { createdTime: daysAgo(50) });
    const env = { ...vaultEnv(vault), SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000) };
    const first = await runRotationCheck(rotationContext(CONFIG, { env, now: nowFrom(env) }).ctx, testDeps());
    const second = await runRotationCheck(rotationContext(CONFIG, { env, now: nowFrom(env) }).ctx, testDeps());
    expect(first.findings).toEqual(second.findings);
    expect(first.findings.map((f) => f.message)).toEqual([expect.stringContaining('should have been rotated 20 days ago')]);
  });

  it('reports a missing secret and a missing key as errors, and a KV v1 secret as a note', async () => {
    await startVault();
    vault.seedKv('leyzen', 'prod/orchestrator', { VAULT_PASS: randomToken(), OTHER: 'x' }, { createdTime: daysAgo(1) });
    vault.seedKv('legacy', 'app', { password: randomToken() });
    const yaml = `${CONFIG}    - name: legacy
      mount: legacy
      path: app
      key: password
      max-age: 90d
`;
    const { ctx } = rotationContext(yaml, { env: vaultEnv(vault), now: NOW });
    const result = await runRotationCheck(ctx, testDeps());
    const rules = result.findings.map((f) => [f.ruleId, f.level, f.startLine]);
    expect(rules).toEqual([
      ['rotation-key-missing', 'error', 9],
      ['rotation-secret-missing', 'error', 14],
      ['rotation-age-unknown', 'note', 19],
    ]);
    expect(result.findings[0]!.message).toContain('has no key "SECRET_KEY" (it has "VAULT_PASS", "OTHER")');
    expect(result.findings[2]!.message).toContain('KV v1 mount "legacy": its age cannot be known');
  });

  it('turns an unreachable Vault and a denied token into one error finding per secret, naming the cause', async () => {
    await startVault();
    const closedUrl = vault.url;
    await vault.close();
    const down = await runRotationCheck(rotationContext(CONFIG, { env: { VAULT_ADDR: closedUrl, VAULT_TOKEN: randomToken() }, now: NOW }).ctx, testDeps());
    expect(down.findings.map((f) => f.ruleId)).toEqual(['rotation-vault-error', 'rotation-vault-error', 'rotation-vault-error']);
    expect(down.findings[0]!.message).toContain(`cannot reach Vault at ${closedUrl}`);
    expect(down.findings.every((f) => f.level === 'error')).toBe(true);

    await startVault();
    vault.seedKv('leyzen', 'prod/orchestrator', { VAULT_PASS: randomToken(), SECRET_KEY: randomToken() });
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() });
    vault.addPolicy('leyzen-only', 'path "leyzen/*" { capabilities = ["read"] }');
    const token = vault.createToken(['leyzen-only']);
    const denied = await runRotationCheck(rotationContext(CONFIG, { env: vaultEnv(vault, token), now: NOW }).ctx, testDeps());
    expect(denied.findings.map((f) => f.ruleId)).toEqual(['rotation-vault-error']);
    expect(denied.findings[0]!.message).toMatch(/"status-agent-token".*permission denied/);
    expect(JSON.stringify(denied)).not.toContain(token);
  });
});

describe('rotation-check: agent health', () => {
  const agentConfig = (url: string, extra = ''): string => `rotation:
  secrets:
    - name: status-agent-token
      mount: status_panel
      path: deployment-123-abc/token
      key: token
      max-age: 30d
      verify:
        url: ${url}${extra}
`;

  async function checkWithHealth(body: unknown, extra = '', status = 200): Promise<string[]> {
    await startVault();
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() }, { createdTime: daysAgo(1) });
    const agent = await startJsonServer(() => ({ status, body }));
    servers.push(agent);
    const { ctx } = rotationContext(agentConfig(`${agent.url}/health`, extra), { env: vaultEnv(vault), now: NOW });
    const result = await runRotationCheck(ctx, testDeps());
    return result.findings.map((f) => `${f.ruleId}|${f.level}|${f.message}`);
  }

  it('is quiet for a healthy agent with a fresh token', async () => {
    expect(await checkWithHealth({ status: 'ok', token_age_seconds: 120, last_refresh_ok: true }, '\n        max-token-age: 10m')).toEqual([]);
  });

  it('reports last_refresh_ok false as an error, and null (agent not using Vault) too', async () => {
    const failed = await checkWithHealth({ status: 'ok', token_age_seconds: 120, last_refresh_ok: false });
    expect(failed).toEqual([expect.stringMatching(/^rotation-agent-refresh-failed\|error\|.*last_refresh_ok false/)]);
    const unused = await checkWithHealth({ status: 'ok', token_age_seconds: 120, last_refresh_ok: null });
    expect(unused).toEqual([expect.stringMatching(/^rotation-agent-refresh-failed\|error\|.*does not read its token from Vault/)]);
  });

  it('warns when token_age_seconds is above verify.max-token-age', async () => {
    const stale = await checkWithHealth({ status: 'ok', token_age_seconds: 900, last_refresh_ok: true }, '\n        max-token-age: 10m');
    expect(stale).toEqual([expect.stringMatching(/^rotation-agent-token-stale\|warning\|.*15 minutes old, above verify.max-token-age 10 minutes/)]);
  });

  it('warns when the health endpoint is down or answers something else', async () => {
    expect(await checkWithHealth({ status: 'ok' })).toEqual([expect.stringMatching(/^rotation-agent-unreachable\|warning\|.*without a numeric token_age_seconds/)]);
    expect(await checkWithHealth({ error: 'boom' }, '', 500)).toEqual([expect.stringMatching(/^rotation-agent-unreachable\|warning\|.*answered 500/)]);

    await startVault();
    vault.seedKv('status_panel', 'deployment-123-abc/token', { token: randomToken() }, { createdTime: daysAgo(1) });
    const agent = await startJsonServer(() => ({ status: 200, body: {} }));
    const url = `${agent.url}/health`;
    await agent.close();
    const { ctx } = rotationContext(agentConfig(url), { env: vaultEnv(vault), now: NOW });
    const result = await runRotationCheck(ctx, testDeps());
    expect(result.findings.map((f) => [f.ruleId, f.level])).toEqual([['rotation-agent-unreachable', 'warning']]);
    expect(result.findings[0]!.message).toContain(`cannot reach ${url}`);
  });
});
