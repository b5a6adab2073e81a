import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';
import { inside } from './workspace-path.js';

/**
 * Writes a report or baseline without following symlinks. The checked-out repository may hold a
 * symlink where keywarden writes (`keywarden.sarif` → `~/.bashrc`, or a folder `reports` → `/etc`):
 * a symlink at the destination, or at any folder between the workspace and it, is an error, never
 * followed. The final open uses O_NOFOLLOW, so a link planted after the checks fails too.
 */
export function writeFileNoFollow(file: string, text: string, workspace: string): void {
  const full = path.resolve(workspace, file);
  const shown = path.relative(workspace, full) || full;
  const root = path.resolve(workspace);
  if (inside(root, path.dirname(full))) {
    let dir = root;
    for (const part of path.relative(root, path.dirname(full)).split(path.sep).filter(Boolean)) {
      dir = path.join(dir, part);
      const kind = kindOf(dir);
      if (kind === 'link') throw refused(shown, `its folder ${path.relative(root, dir)} is a symbolic link`);
      if (kind === 'missing') attempt(shown, () => mkdirSync(dir));
      else if (kind !== 'dir') throw new UserError(`cannot write ${shown}: ${path.relative(root, dir)} is not a folder`);
    }
  } else {
    attempt(shown, () => mkdirSync(path.dirname(full), { recursive: true }));
  }
  if (kindOf(full) === 'link') throw refused(shown, 'it is a symbolic link');
  let fd: number;
  try {
    // O_NOFOLLOW is 0 where the platform lacks it (Windows); the lstat above covers that case.
    // O_NONBLOCK: a FIFO at the destination fails at once instead of hanging the job.
    fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw refused(shown, 'it is a symbolic link');
    throw cannotWrite(shown, error);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new UserError(`cannot write ${shown}: it is not a regular file`);
  }
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    // Some file systems (NFS, quotas) report a full disk only when the file is closed.
    closeSync(fd);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed, or closing failed the same way: the write error is the one to report
    }
    // A truncated report would pass for a whole one in a later step (an upload of the SARIF file).
    rmSync(full, { force: true });
    throw cannotWrite(shown, error);
  }
}

/** What the system said, in words and by its code: "no space left on device (ENOSPC)". */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'file too large',
  EIO: 'input/output error',
};

export function writeFailureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${REASONS[code] ?? 'system error'} (${code})` : (error as Error).message;
}

function cannotWrite(shown: string, error: unknown): UserError {
  return new UserError(`cannot write ${shown}: ${writeFailureReason(error)}`);
}

function attempt(shown: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    throw cannotWrite(shown, error);
  }
}

function kindOf(file: string): 'missing' | 'link' | 'dir' | 'other' {
  try {
    const stat = lstatSync(file);
    return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

function refused(shown: string, why: string): UserError {
  return new UserError(`refusing to write ${shown}: ${why}; a repository can plant one to redirect the write, so remove it or choose another path`);
}
