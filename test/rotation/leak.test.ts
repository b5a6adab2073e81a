import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { RunContext } from '../../src/core/context.js';
import { runRotate, runRotationCheck } from '../../src/rotation/index.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { DAY, randomToken, startFakeAgent, startJsonServer, testDeps, type LocalServer } from './helpers.js';

/** No generated value, old value or token may appear in any log line or in the returned result. */

let vault: FakeVault;
const servers: LocalServer[] = [];
afterEach(async () => {
  await vault?.close();
  while (servers.length) await servers.pop()!.close();
});

interface Capture {
  ctx: RunContext;
  output: string[];
  /** Each masked value with how many requests Vault had received when it was masked. */
  masks: { value: string; requestsBefore: number }[];
}

function capture(yaml: string, env: NodeJS.ProcessEnv, githubToken?: string): Capture {
  const { config, source } = parseConfigText(yaml, '.keywarden.yml');
  const output: string[] = [];
  const masks: Capture['masks'] = [];
  const ctx: RunContext = {
    root: '/tmp',
    config,
    source,
    now: new Date(),
    env,
    log: { info: (m) => output.push(m), warning: (m) => output.push(m), debug: (m) => output.push(m) },
    mask: (value) => masks.push({ value, requestsBefore: vault.requests.length }),
    isAction: true,
    configUntrusted: false,
    trustedVault: {},
    githubToken,
    repository: 'acme/app',
  };
  return { ctx, output, masks };
}

function assertNoneIn(haystack: string, needles: string[]): void {
  for (const needle of needles) {
    expect(needle.length).toBeGreaterThanOrEqual(12);
    expect(haystack.includes(needle), `a secret of ${needle.length} characters leaked`).toBe(false);
  }
}

describe('rotation never prints a value or a token', () => {
  it('masks each generated value before writing it, and leaks nothing on success, failure or check', async () => {
    vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 } } });
    const old = { VAULT_PASS: randomToken(), SECRET_KEY: randomToken(), DOCKER_PROXY_TOKEN: randomToken() };
    const oldAgentToken = randomToken();
    vault.seedKv('leyzen', 'prod/orchestrator', old, { createdTime: new Date(Date.now() - 200 * DAY) });
    vault.seedKv('status_panel', 'dep/token', { token: oldAgentToken }, { createdTime: new Date(Date.now() - 200 * DAY) });
    const agent = await startFakeAgent(vault, 'status_panel', 'dep/token', 'token');
    servers.push(agent);
    const githubToken = randomToken();
    const github = await startJsonServer(() => ({ status: 200, body: { total_count: 1, secrets: [{ name: 'DEPLOY', updated_at: '2020-01-01T00:00:00Z' }] } }));
    servers.push(github);
    const yaml = `rotation:
  secrets:
    - { name: vault-pass, mount: leyzen, path: prod/orchestrator, key: VAULT_PASS, max-age: 90d, generate: { format: password, length: 40 } }
    - { name: secret-key, mount: leyzen, path: prod/orchestrator, key: SECRET_KEY, max-age: 90d, generate: { format: base64, bytes: 48 } }
    - { name: docker-proxy-token, mount: leyzen, path: prod/orchestrator, key: DOCKER_PROXY_TOKEN, max-age: 90d }
    - name: agent
      mount: status_panel
      path: dep/token
      key: token
      max-age: 30d
      generate: { format: alphanumeric, length: 48 }
      verify: { url: "${agent.url}/health", timeout: 5s }
github-secrets:
  max-age: 90d
`;
    const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken, GITHUB_API_URL: github.url, GITHUB_WORKFLOW: 'rotate', GITHUB_RUN_ID: '7' };

    // Success for all four, then a failing run (write refused every time), then rotation-check.
    const ok = capture(yaml, env, githubToken);
    const rotated = await runRotate(ok.ctx, { selection: { kind: 'all' }, dryRun: false }, testDeps());
    expect(rotated.rotated!.map((r) => r.status)).toEqual(['rotated', 'rotated', 'rotated', 'verified']);

    vault.injectFault({ kind: 'status', status: 500, times: 50, match: { method: 'POST' } });
    const bad = capture(yaml, env, githubToken);
    const failed = await runRotate(bad.ctx, { selection: { kind: 'all' }, dryRun: false }, testDeps());
    expect(failed.rotated!.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);

    const check = capture(yaml, env, githubToken);
    const checked = await runRotationCheck(check.ctx, testDeps());
    expect(checked.findings.map((f) => f.ruleId)).toEqual(['github-secret-overdue']);

    const generated = [...ok.masks, ...bad.masks].map((m) => m.value).filter((v) => v !== vault.rootToken);
    expect(generated).toHaveLength(5);
    const finalLeyzen = vault.readKvDirect('leyzen', 'prod/orchestrator')!.data!;
    expect(generated.slice(0, 3)).toEqual([finalLeyzen.VAULT_PASS, finalLeyzen.SECRET_KEY, finalLeyzen.DOCKER_PROXY_TOKEN]);
    expect(generated[3]).toBe(vault.readKvDirect('status_panel', 'dep/token')!.data!.token);

    // Masked before the write that carried it reached Vault.
    for (const { value, requestsBefore } of [...ok.masks, ...bad.masks].filter((m) => m.value !== vault.rootToken)) {
      const carrying = vault.requests.findIndex((r) => r.method === 'POST' && JSON.stringify(r.body).includes(value));
      expect(carrying).toBeGreaterThanOrEqual(requestsBefore);
    }

    const everything = [
      ...ok.output,
      ...bad.output,
      ...check.output,
      JSON.stringify(rotated),
      JSON.stringify(failed),
      JSON.stringify(checked),
    ].join('\n');
    assertNoneIn(everything, [...generated, ...Object.values(old), oldAgentToken, vault.rootToken, githubToken]);
    // Rotated-by metadata names the run, never a value.
    const meta = vault.readKvDirect('leyzen', 'prod/orchestrator')!.customMetadata!;
    assertNoneIn(JSON.stringify(meta), [...generated, ...Object.values(old)]);
  });
});
