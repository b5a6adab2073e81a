import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from './errors.js';

/**
 * The one way keywarden runs git. The repository may be a stranger's (a pull request, a downloaded
 * clone with its own `.git/config`), so nothing it controls may run a program: no fsmonitor hook,
 * no hooks at all, no pager, no external diff or textconv driver, no signature program, no
 * credential helper, and no transport that runs commands (`ext::`). No shell is involved.
 * Command-line `-c` outranks every config file, so these hold whatever the repository sets.
 */
const HARDENING = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.askPass=',
  '-c', 'core.quotePath=false',
  '-c', 'diff.external=',
  '-c', 'log.showSignature=false',
  '-c', 'credential.helper=',
  '-c', 'core.sshCommand=ssh',
  '-c', 'submodule.recurse=false',
  '-c', 'gc.auto=0',
  '-c', 'maintenance.auto=false',
  '-c', 'protocol.allow=never',
  '-c', 'protocol.file.allow=always',
  '-c', 'protocol.https.allow=always',
  '-c', 'protocol.http.allow=always',
  '-c', 'protocol.ssh.allow=always',
  '--no-pager',
];

/** Drivers named by `.gitattributes` (repository content) run only when a diff asks for them. */
const DIFFING = new Set(['diff', 'log', 'show']);

/** The image's system config is not the job's to trust (a `container:` job runs anyone's image); a prompt would hang the job. */
const ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

/** The full argument list for `git <args>`, hardened. */
function hardenedArgs(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  if (command === undefined) return [...HARDENING];
  const noDrivers = DIFFING.has(command) ? ['--no-ext-diff', '--no-textconv'] : [];
  return [...HARDENING, command, ...noDrivers, ...rest];
}

function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...ENV };
}

export const SHALLOW_HINT = 'the clone is too shallow for this range: set `fetch-depth: 0` in actions/checkout (or run `git fetch --unshallow`)';

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed: ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** Runs git and returns stdout as bytes (paths and contents may not be UTF-8). */
export function git(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      hardenedArgs(args),
      { cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(args, String(stderr ?? '') || error.message));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Synchronous form for the validators, which list files synchronously. `status` is git's exit code
 * (some commands answer through it, like `check-ignore`); undefined when git could not be started.
 */
export function gitSync(cwd: string, args: string[]): { status: number | undefined; stdout: Buffer } {
  const result = spawnSync('git', hardenedArgs(args), {
    cwd,
    env: gitEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 30,
    windowsHide: true,
  });
  return { status: result.error || result.status === null ? undefined : result.status, stdout: result.stdout ?? Buffer.alloc(0) };
}

export async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await git(cwd, args)).toString('utf8');
}

/** Streams git's stdout line by line, so `git log -p` of a large history never sits in memory whole. */
export async function gitLines(cwd: string, args: string[], onLine: (line: string) => void): Promise<void> {
  const child = spawn('git', hardenedArgs(args), { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  // Splitting chunks by hand is several times faster than readline; the decoder keeps
  // multi-byte characters whole across chunk boundaries and replaces invalid bytes.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let failure: unknown;
  const emit = (piece: string): void => {
    const text = carry + piece;
    let start = 0;
    // The carried part holds no newline; searching only the new piece keeps a huge line linear.
    for (let nl = text.indexOf('\n', carry.length); nl !== -1; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    if (failure !== undefined) return;
    try {
      emit(decoder.write(chunk));
    } catch (error) {
      failure = error;
      child.kill();
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (failure !== undefined) throw failure;
  const rest = carry + decoder.end();
  if (rest.length > 0) onLine(rest);
  if (code !== 0) throw new GitError(args, stderr || `exit code ${code}`);
}

/** Whether `dir` is in a git work tree; `problem` says why git refused a folder that has a `.git`. */
export async function gitWorkTree(dir: string): Promise<{ inside: boolean; problem?: string }> {
  try {
    return { inside: (await gitText(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true' };
  } catch (error) {
    const problem = existsSync(path.join(dir, '.git')) ? firstLine(error) : undefined;
    return { inside: false, ...(problem ? { problem } : {}) };
  }
}

export async function isGitWorkTree(dir: string): Promise<boolean> {
  return (await gitWorkTree(dir)).inside;
}

function firstLine(error: unknown): string {
  const text = error instanceof GitError ? error.stderr : String(error);
  return text.trim().split('\n')[0] ?? '';
}

export async function isShallow(dir: string): Promise<boolean> {
  try {
    if ((await gitText(dir, ['rev-parse', '--is-shallow-repository'])).trim() === 'true') return true;
    const gitDir = (await gitText(dir, ['rev-parse', '--absolute-git-dir'])).trim();
    return existsSync(path.join(gitDir, 'shallow'));
  } catch {
    return false;
  }
}

/** Resolves a ref to a commit SHA, or explains why it cannot (shallow clone, unknown ref). */
export async function resolveCommit(dir: string, ref: string, role: string): Promise<string> {
  try {
    return (await gitText(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch {
    if (await isShallow(dir)) throw new UserError(`${role} ${ref} is not in this clone: ${SHALLOW_HINT}`);
    throw new UserError(`${role} ${ref} is not a commit in this repository`);
  }
}

export async function commitExists(dir: string, ref: string): Promise<boolean> {
  try {
    await gitText(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

export async function mergeBase(dir: string, base: string, head: string): Promise<string> {
  try {
    return (await gitText(dir, ['merge-base', base, head])).trim();
  } catch {
    if (await isShallow(dir)) throw new UserError(`no merge base of ${base} and ${head} in this clone: ${SHALLOW_HINT}`);
    throw new UserError(`${base} and ${head} have no common ancestor`);
  }
}

/**
 * Fetches one commit (a pull request's base in a depth-1 checkout) from `remote`, shallowly. The
 * remote's `uploadpack` setting names a program to run, so it is pinned here like `core.sshCommand`
 * above (GIT_SSH_COMMAND from the job's environment still applies: it outranks config).
 */
export async function fetchCommit(dir: string, remote: string, sha: string): Promise<void> {
  await git(dir, [
    'fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head',
    '--depth=1', '--upload-pack=git-upload-pack', '--end-of-options', remote, sha,
  ]);
}

export const ZERO_SHA = /^0+$/;

/** Undoes git's C-style quoting of unusual path names (`"a\tb"`, octal escapes). */
export function unquotePath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), 'utf8');
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte !== 92) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? body[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Object sizes through one `git cat-file --batch-check` process; missing objects are left out. */
export async function blobSizes(dir: string, shas: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (shas.length === 0) return sizes;
  const out = (await git(dir, ['cat-file', '--batch-check'], shas.join('\n') + '\n')).toString('latin1');
  for (const line of out.split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (sha && type !== 'missing' && size !== undefined) sizes.set(sha, Number(size));
  }
  return sizes;
}

/** Reads many blobs through one `git cat-file --batch` process. */
export async function readBlobs(dir: string, shas: string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const out = await git(dir, ['cat-file', '--batch'], shas.join('\n') + '\n');
  let offset = 0;
  for (const sha of shas) {
    const headerEnd = out.indexOf(10, offset);
    if (headerEnd === -1) break;
    const header = out.subarray(offset, headerEnd).toString('latin1').split(' ');
    offset = headerEnd + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    blobs.set(sha, out.subarray(offset, offset + size));
    offset += size + 1;
  }
  return blobs;
}
