import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';

/**
 * Paths that come from the repository (its config file, the files that config names) are the
 * pull request author's choice: they must stay inside the workspace, or keywarden would read
 * the runner's files (and echo them in a parse error). Absolute paths and `..` are refused as
 * written; symlinks are resolved and must land inside the workspace too. A refusal names the
 * path, never any content. Paths from action inputs and the environment are trusted and do not
 * come through here.
 */

export type Confined = { ok: true; full: string } | { ok: false; problem: string };

/** Resolves `file` (relative to `root`) and checks it stays inside; `full` follows symlinks when the file exists. */
export function confine(root: string, file: string): Confined {
  if (file.trim() === '') return { ok: false, problem: 'is empty' };
  if (path.isAbsolute(file) || path.win32.isAbsolute(file)) return { ok: false, problem: 'is outside the repository: an absolute path; give a path relative to the repository root' };
  if (file.split(/[\\/]/).includes('..')) return { ok: false, problem: 'is outside the repository: ".." is not allowed; give a path inside it' };
  const realRoot = realpathSync(root);
  const full = path.resolve(realRoot, file);
  // The deepest part that exists decides where the path really points.
  let existing = full;
  while (!exists(existing)) existing = path.dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // A dangling link or a loop: where it points cannot be shown to be inside.
    return { ok: false, problem: 'is a symbolic link that cannot be resolved' };
  }
  if (!inside(realRoot, real)) return { ok: false, problem: 'is outside the repository through a symbolic link' };
  return { ok: true, full: existing === full ? real : path.join(real, path.relative(existing, full)) };
}

/** `confine`, or a UserError naming what the path is for (e.g. `scan.baseline`) and where it was set. */
export function workspaceFile(root: string, file: string, what: string, where: { file?: string; line?: number; column?: number } = {}): string {
  const result = confine(root, file);
  if (!result.ok) throw new UserError(`${what} "${file}" ${result.problem}`, where);
  return result.full;
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
