import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { ScanConfig } from '../config/types.js';
import { git, gitWorkTree } from '../core/git.js';
import type { SkipReason } from '../core/coverage.js';
import { skipDecision } from './filters.js';

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
  /** Not scanned for content, counted by `reason`; `size` for too-large files, `outside` for links leaving the tree. */
  | { kind: 'skipped'; reason: SkipReason; size?: number; detail?: string; outside?: boolean }
  /** Listed by git but deleted in the work tree: nothing to read. */
  | { kind: 'absent' };

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'error';

/**
 * Reads work-tree files for scanning, never through a symbolic link: a link itself is not read
 * (whatever it points to, /etc/shadow or ~/.ssh), and a file whose folder resolves outside the
 * root (a linked folder) is not read either. Links that loop or dangle end the same way.
 */
export class WorkTreeReader {
  private readonly realRoot: string;
  private readonly dirInside = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    private readonly maxFileSize: number,
  ) {
    this.realRoot = realpathSync(root);
  }

  read(file: string): ReadOutcome {
    const full = path.join(this.root, file);
    let stat;
    try {
      stat = lstatSync(full);
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { kind: 'absent' };
      return { kind: 'skipped', reason: 'unreadable', detail: errorCode(error) };
    }
    if (stat.isSymbolicLink()) return { kind: 'skipped', reason: 'symlink', outside: !this.inside(full) };
    if (!this.dirIsInside(path.dirname(full))) return { kind: 'skipped', reason: 'symlink', outside: true };
    if (!stat.isFile()) return { kind: 'skipped', reason: 'unreadable', detail: 'not a regular file' };
    if (skipDecision(file, { size: stat.size, maxFileSize: this.maxFileSize })) return { kind: 'skipped', reason: 'too-large', size: stat.size };
    let content: Buffer;
    try {
      // O_NOFOLLOW: a file swapped for a link after the lstat above is refused, not followed.
      const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        content = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if (errorCode(error) === 'ELOOP') return { kind: 'skipped', reason: 'symlink', outside: true };
      return { kind: 'skipped', reason: 'unreadable', detail: errorCode(error) };
    }
    return decodeContent(file, content);
  }

  /** Does `target` resolve inside the root? A loop or a dangling link resolves nowhere: no. */
  private inside(target: string): boolean {
    try {
      const real = realpathSync(target);
      return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
    } catch {
      return false;
    }
  }

  private dirIsInside(dir: string): boolean {
    let known = this.dirInside.get(dir);
    if (known === undefined) {
      known = this.inside(dir);
      this.dirInside.set(dir, known);
    }
    return known;
  }
}

/**
 * A file's bytes as text, or why they are not scanned: UTF-16 with a byte-order mark is decoded,
 * binary content is skipped (skipDecision), anything else is decoded as UTF-8, leniently.
 */
export function decodeContent(file: string, content: Buffer): ReadOutcome {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) return { kind: 'text', text: content.subarray(2).toString('utf16le') };
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) {
    const swapped = Buffer.from(content.subarray(2, 2 + ((content.length - 2) & ~1)));
    swapped.swap16();
    return { kind: 'text', text: swapped.toString('utf16le') };
  }
  const reason = skipDecision(file, { bytes: content });
  if (reason) return { kind: 'skipped', reason };
  return { kind: 'text', text: content.toString('utf8') };
}
