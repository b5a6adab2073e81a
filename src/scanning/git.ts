import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../core/errors.js';

/**
 * Git, run without a shell and without anything that could execute repository-controlled
 * programs: no external diff, no textconv, no fsmonitor hook, no pager.
 */
const SAFE_CONFIG = ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', '-c', 'diff.external=', '--no-pager'];

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
      [...SAFE_CONFIG, ...args],
      { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(args, String(stderr ?? '') || error.message));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await git(cwd, args)).toString('utf8');
}

/** Streams git's stdout line by line, so `git log -p` of a large history never sits in memory whole. */
export async function gitLines(cwd: string, args: string[], onLine: (line: string) => void): Promise<void> {
  const child = spawn('git', [...SAFE_CONFIG, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
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
