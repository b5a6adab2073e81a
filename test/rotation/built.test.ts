import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotatedAtKey } from '../../src/rotation/metadata.js';
import { startFakeVault, type FakeVault } from '../support/fake-vault.js';
import { ACTION_BUNDLE, actionDefaults, CLI_BUNDLE, parseGithubOutput, requireBuilt } from '../support/run-built.js';
import { DAY, randomToken } from './helpers.js';

/**
 * The built bundles (dist/) against the fake Vault, run as the runner and a user run them. The child
 * runs asynchronously so the fake Vault in this process can answer it.
 */

const CONFIG = `rotation:
  secrets:
    - name: status-agent-token
      mount: status_panel
      path: deployment-123-abc/token
      key: token
      max-age: 30d
      generate: { format: base64url, bytes: 32 }
    - name: secret-key
      mount: leyzen
      path: prod/orchestrator
      key: SECRET_KEY
      max-age: 90d
`;

let vault: FakeVault;
afterEach(async () => vault?.close());

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function setup(): Promise<{ dir: string; oldValues: string[] }> {
  requireBuilt();
  vault = await startFakeVault({ mounts: { leyzen: { version: 2 }, status_panel: { version: 2 } } });
  const oldValues = [randomToken(), randomToken()];
  vault.seedKv('status_panel', 'deployment-123-abc/token', { token: oldValues[0] }, { createdTime: new Date(Date.now() - 40 * DAY) });
  vault.seedKv('leyzen', 'prod/orchestrator', { SECRET_KEY: oldValues[1], OTHER: 'kept' }, {
    createdTime: new Date(Date.now() - 3 * DAY),
    customMetadata: { [rotatedAtKey('SECRET_KEY')]: new Date(Date.now() - 100 * DAY).toISOString() },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'kw-built-rotation-'));
  writeFileSync(path.join(dir, '.keywarden.yml'), CONFIG);
  return { dir, oldValues };
}

async function runBuiltAction(dir: string, inputs: Record<string, string>): Promise<Ran & { outputs: Record<string, string> }> {
  const work = mkdtempSync(path.join(tmpdir(), 'kw-runner-'));
  const outputFile = path.join(work, 'output.txt');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = {
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_WORKFLOW: 'Rotate secrets',
    GITHUB_RUN_ID: '31337',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: work,
    VAULT_TOKEN: vault.rootToken,
  };
  for (const [name, value] of Object.entries({ ...actionDefaults(), summary: 'false', 'vault-url': vault.url, ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const ran = await runNode(ACTION_BUNDLE, [], dir, env);
  return { ...ran, outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')) };
}

describe('the built action', () => {
  it('rotation-check fails on the overdue secrets, with annotations at their config lines', async () => {
    const { dir } = await setup();
    const ran = await runBuiltAction(dir, { command: 'rotation-check' });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^::error title=[^,]*,file=\.keywarden\.yml,line=3,.*"status-agent-token".*should have been rotated 10 days ago/m);
    expect(ran.stdout).toMatch(/^::error title=[^,]*,file=\.keywarden\.yml,line=9,.*"secret-key".*should have been rotated 10 days ago/m);
    expect(ran.outputs.errors).toBe('2');
  });

  it('command: rotate, rotate: all rotates both, masks each value first, and sets the rotated output', async () => {
    const { dir, oldValues } = await setup();
    const ran = await runBuiltAction(dir, { command: 'rotate', rotate: 'all' });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const rotated = JSON.parse(ran.outputs.rotated!);
    expect(rotated.map((r: { name: string; status: string; oldVersion: number; newVersion: number }) => `${r.name}:${r.status}:${r.oldVersion}->${r.newVersion}`)).toEqual([
      'status-agent-token:rotated:1->2',
      'secret-key:rotated:1->2',
    ]);
    const newValues = [vault.readKvDirect('status_panel', 'deployment-123-abc/token')!.data!.token as string, vault.readKvDirect('leyzen', 'prod/orchestrator')!.data!.SECRET_KEY as string];
    expect(vault.readKvDirect('leyzen', 'prod/orchestrator')!.data!.OTHER).toBe('kept');
    const lines = ran.stdout.split('\n');
    for (const value of [...newValues, vault.rootToken]) expect(lines.filter((line) => line.includes(value))).toEqual([`::add-mask::${value}`]);
    expect(lines.findIndex((line) => line.includes(newValues[0]!))).toBeLessThan(lines.findIndex((line) => line.startsWith('rotating "status-agent-token"')));
    for (const value of [...oldValues, ...newValues, vault.rootToken]) expect(JSON.stringify(ran.outputs)).not.toContain(value);
    for (const value of oldValues) expect(ran.stdout).not.toContain(value);
  });
});

describe('the built CLI', () => {
  it('rotate --secret NAME --format json rotates one secret and prints no value', async () => {
    const { dir, oldValues } = await setup();
    const ran = await runNode(CLI_BUNDLE, ['rotate', '.', '--secret', 'secret-key', '--format', 'json'], dir, { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken });
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).rotated).toEqual([expect.objectContaining({ name: 'secret-key', status: 'rotated', oldVersion: 1, newVersion: 2 })]);
    const newValue = vault.readKvDirect('leyzen', 'prod/orchestrator')!.data!.SECRET_KEY as string;
    for (const value of [newValue, ...oldValues, vault.rootToken]) expect(ran.stdout + ran.stderr).not.toContain(value);
  });
});
