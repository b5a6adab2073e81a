import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { ScanConfig } from '../config/types.js';
import { git, gitWorkTree } from '../core/git.js';
import { looksBinary } from './filters.js';

export interface ListedFile {
  /** Relative to the scan root, posix separators. */
  path: string;
  /** Committed to git (in the index); false for untracked files and outside git. */
  tracked: boolean;
}

export interface FileListing {
  files: ListedFile[];
  git: boolean;
  /** Why git could not list a folder that has a `.git` (it was walked instead). */
  gitProblem?: string;
}

/**
 * The files a tree scan reads: in a git work tree what git tracks plus untracked files it does
 * not ignore; elsewhere a directory walk. `.git/` and `node_modules/` are never walked.
 */
export async function listFiles(root: string): Promise<FileListing> {
  const work = await gitWorkTree(root);
  if (work.inside) {
    const [tracked, untracked] = await Promise.all([
      git(root, ['ls-files', '-z', '--cached']),
      git(root, ['ls-files', '-z', '--others', '--exclude-standard']),
    ]);
    const seen = new Set<string>();
    const files: ListedFile[] = [];
    for (const [buffer, isTracked] of [
      [tracked, true],
      [untracked, false],
    ] as const) {
      for (const name of splitZ(buffer)) {
        if (seen.has(name)) continue;
        seen.add(name);
        files.push({ path: name, tracked: isTracked });
      }
    }
    return { files, git: true };
  }
  return { files: walk(root).map((name) => ({ path: name, tracked: false })), git: false, ...(work.problem ? { gitProblem: work.problem } : {}) };
}

function splitZ(buffer: Buffer): string[] {
  return buffer
    .toString('utf8')
    .split('\0')
    .filter((name) => name.length > 0);
}

function walk(root: string): string[] {
  const out: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') pending.push(rel);
      } else if (entry.isFile()) {
        out.push(rel);
      }
    }
  }
  return out.sort();
}

/** `scan.include` / `scan.exclude`: a glob without a slash matches the file name in any folder. */
export function pathFilter(scan: Pick<ScanConfig, 'include' | 'exclude'>): (file: string) => boolean {
  const compile = (glob: string) => new minimatch.Minimatch(glob, { dot: true, matchBase: !glob.includes('/') });
  const include = scan.include.map(compile);
  const exclude = scan.exclude.map(compile);
  return (file) => (include.length === 0 || include.some((m) => m.match(file))) && !exclude.some((m) => m.match(file));
}

export type ReadOutcome =
  | { kind: 'text'; text: string }
  | { kind: 'binary' }
  | { kind: 'too-large'; size: number }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'skip' };

/** Reads a working-tree file for scanning, without following symlinks out of the repository. */
export function readWorkingFile(root: string, file: string, maxSize: number): ReadOutcome {
  const full = path.join(root, file);
  let stat;
  try {
    stat = lstatSync(full);
  } catch (error) {
    // Tracked but deleted in the work tree: nothing to read.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'skip' };
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  if (!stat.isFile()) return { kind: 'skip' };
  if (stat.size > maxSize) return { kind: 'too-large', size: stat.size };
  let content: Buffer;
  try {
    content = readFileSync(full);
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  return decodeContent(content);
}

/** UTF-16 with a byte-order mark is decoded; other NUL-holding content is binary; invalid UTF-8 is decoded leniently. */
export function decodeContent(content: Buffer): ReadOutcome {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) return { kind: 'text', text: content.subarray(2).toString('utf16le') };
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) {
    const swapped = Buffer.from(content.subarray(2, 2 + ((content.length - 2) & ~1)));
    swapped.swap16();
    return { kind: 'text', text: swapped.toString('utf16le') };
  }
  if (looksBinary(content)) return { kind: 'binary' };
  return { kind: 'text', text: content.toString('utf8') };
}
