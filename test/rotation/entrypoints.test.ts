import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run as runAction } from '../../src/action/main.js';
import { main as runCli } from '../../src/cli/main.js';
import { rotatedAtKey } from '../../src/rotation/metadata.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { actionDefaults, parseGithubOutput } from '../support/run-built.js';
import { DAY, randomToken } from './helpers.js';

/** rotation-check and rotate through the real CLI and action entry points, in-process, against the fake Vault. */

const CONFIG = `rotation:
  max-per-run: 1
  secrets:
    - name: secret-key
      mount: leyzen
      path: prod/orchestrator
      key: SECRET_KEY
      max-age: 90d
    - name: docker-proxy-token
      mount: leyzen
      path: prod/orchestrator
      key: DOCKER_PROXY_TOKEN
      max-age: 90d
`;

let vault: FakeVault;
afterEach(async () => {
  await vault?.close();
  vi.restoreAllMocks();
});

async function setup(): Promise<{ dir: string; old: Record<string, string> }> {
  vault = await startFakeVault({ mounts: { leyzen: { version: 2 } } });
  const now = Date.now();
  const old = { SECRET_KEY: randomToken(), DOCKER_PROXY_TOKEN: randomToken() };
  vault.seedKv('leyzen', 'prod/orchestrator', old, {
    createdTime: new Date(now - 5 * DAY),
    customMetadata: { [rotatedAtKey('SECRET_KEY')]: new Date(now - 102 * DAY).toISOString(), [rotatedAtKey('DOCKER_PROXY_TOKEN')]: new Date(now - 95 * DAY).toISOString() },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'kw-rotation-'));
  writeFileSync(path.join(dir, '.keywarden.yml'), CONFIG);
  return { dir, old };
}

async function cli(args: string[], dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('CLI', () => {
  it('rotation-check reports overdue secrets at their config lines and exits 1', async () => {
    const { dir } = await setup();
    const ran = await cli(['rotation-check', '.', '--format', 'json'], dir);
    expect(ran.code).toBe(1);
    const report = JSON.parse(ran.stdout);
    const findings = report.findings.map((f: { ruleId: string; file: string; startLine: number; message: string }) => `${f.ruleId} ${f.file}:${f.startLine} ${f.message.slice(0, 60)}`);
    expect(findings).toEqual([
      expect.stringMatching(/^rotation-overdue \.keywarden\.yml:4 "secret-key"/),
      expect.stringMatching(/^rotation-overdue \.keywarden\.yml:9 "docker-proxy-token"/),
    ]);
  });

  it('rotate --dry-run writes nothing; rotate rotates the oldest, then the next run the other', async () => {
    const { dir, old } = await setup();
    const dry = await cli(['rotate', '.', '--dry-run', '--format', 'json'], dir);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).rotated.map((r: { name: string; status: string }) => `${r.name}:${r.status}`)).toEqual(['secret-key:would-rotate', 'docker-proxy-token:skipped']);
    expect(vault.readKvDirect('leyzen', 'prod/orchestrator')!.version).toBe(1);

    const first = await cli(['rotate', '.', '--format', 'json'], dir);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).rotated[0]).toMatchObject({ name: 'secret-key', status: 'rotated', oldVersion: 1, newVersion: 2 });
    const second = await cli(['rotate', '.'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout + second.stderr).toContain('docker-proxy-token');
    const data = vault.readKvDirect('leyzen', 'prod/orchestrator')!;
    expect(data.version).toBe(3);
    expect(data.data!.SECRET_KEY).not.toBe(old.SECRET_KEY);
    expect(data.data!.DOCKER_PROXY_TOKEN).not.toBe(old.DOCKER_PROXY_TOKEN);
    for (const output of [dry, first, second]) {
      for (const value of [...Object.values(old), data.data!.SECRET_KEY as string, data.data!.DOCKER_PROXY_TOKEN as string, vault.rootToken]) {
        expect(output.stdout + output.stderr).not.toContain(value);
      }
    }
    const clean = await cli(['rotation-check', '.'], dir);
    expect(clean.code).toBe(0);
  });

  it('rotate --secret with an unknown name is a usage error (exit 2)', async () => {
    const { dir } = await setup();
    const ran = await cli(['rotate', '.', '--secret', 'nope'], dir);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('unknown secret nope (rotation.secrets has: secret-key, docker-proxy-token)');
  });
});

describe('action', () => {
  it('command: rotate, rotate: all masks each new value with ::add-mask:: and sets the rotated output', async () => {
    const { dir } = await setup();
    const work = mkdtempSync(path.join(tmpdir(), 'kw-runner-'));
    const outputFile = path.join(work, 'output.txt');
    writeFileSync(outputFile, '');
    const inputs: Record<string, string> = { ...actionDefaults(), command: 'rotate', rotate: 'all', 'vault-url': vault.url, summary: 'false' };
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_WORKFLOW: 'Rotate secrets',
      GITHUB_RUN_ID: '99',
      VAULT_TOKEN: vault.rootToken,
    };
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await runAction(process.env);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    vi.restoreAllMocks();
    expect(process.exitCode ?? 0).toBe(0);

    const outputs = parseGithubOutput(readFileSync(outputFile, 'utf8'));
    const rotated = JSON.parse(outputs.rotated!);
    expect(rotated.map((r: { name: string; status: string; newVersion: number }) => `${r.name}:${r.status}:${r.newVersion}`)).toEqual(['secret-key:rotated:2', 'docker-proxy-token:rotated:3']);
    const data = vault.readKvDirect('leyzen', 'prod/orchestrator')!.data!;
    const values = [data.SECRET_KEY as string, data.DOCKER_PROXY_TOKEN as string];
    const lines = stdout.split('\n');
    for (const value of values) {
      const maskLine = lines.findIndex((line) => line === `::add-mask::${value}`);
      expect(maskLine).toBeGreaterThanOrEqual(0);
      expect(lines.filter((line) => line.includes(value))).toEqual([`::add-mask::${value}`]);
    }
    expect(readFileSync(outputFile, 'utf8')).not.toContain(values[0]);
  });
});
