import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ACTION_BUNDLE = path.join(REPO_ROOT, 'dist/index.js');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist/cli/index.js');

export function requireBuilt(): void {
  if (!existsSync(ACTION_BUNDLE) || !existsSync(CLI_BUNDLE)) {
    throw new Error('dist/ is missing: run "npm run build" before these tests (CI builds first)');
  }
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Ran {
  requireBuilt();
  const result = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the built action the way the GitHub runner does: `node dist/index.js` with every input as
 * INPUT_<NAME> (defaults included, as the runner sets them), GITHUB_* variables and files.
 */
export function runAction(options: { inputs: Record<string, string>; env: NodeJS.ProcessEnv; cwd: string }): Ran {
  requireBuilt();
  const inputEnv: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const result = spawnSync(process.execPath, [ACTION_BUNDLE], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...inputEnv, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** runAction, without blocking this process: for tests whose local servers (the test Vault) must answer the child. */
export function runActionAsync(options: { inputs: Record<string, string>; env: NodeJS.ProcessEnv; cwd: string }): Promise<Ran> {
  requireBuilt();
  const inputEnv: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION_BUNDLE], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...inputEnv, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the built action in `dir` for a GitHub event, the way the runner does, and collects its files. */
export function runActionOnEvent(dir: string, eventName: string, payload: object, inputs: Record<string, string>, workDir: string) {
  const files = {
    event: path.join(workDir, 'event.json'),
    output: path.join(workDir, 'output.txt'),
    summary: path.join(workDir, 'summary.md'),
  };
  writeFileSync(files.event, JSON.stringify(payload));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  const ran = runAction({
    cwd: dir,
    inputs,
    env: {
      GITHUB_WORKSPACE: dir,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: head,
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: workDir,
    },
  });
  return {
    ran,
    outputs: parseGithubOutput(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** The defaults action.yml declares, read from the file itself so tests follow it. */
export function actionDefaults(): Record<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
  const defaults: Record<string, string> = {};
  const inputs = text.slice(text.indexOf('\ninputs:'), text.indexOf('\noutputs:'));
  let current: string | undefined;
  for (const line of inputs.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (name) current = name[1];
    const value = /^ {4}default:\s*(.*)$/.exec(line);
    if (current && value) {
      let v = value[1]!.trim().replace(/^"(.*)"$/, '$1');
      if (v.startsWith('${{')) v = '';
      defaults[current] = v;
    }
  }
  return defaults;
}

/** Parses $GITHUB_OUTPUT (name<<DELIM … DELIM blocks). */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=');
      out[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return out;
}
