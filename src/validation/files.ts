/** Which files exist in the repository and what git thinks of them (tracked, ignored). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { gitSync } from '../core/git.js';

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface RepoFiles {
  /** Inside a git work tree: git's view is available. */
  inGit: boolean;
  /** Tracked plus untracked, not ignored, files (repo-relative posix), or every file outside git. */
  visible: string[];
  /** Ignored files (not inside ignored directories); empty outside git. */
  ignored: string[];
  tracked: Set<string>;
}

function gitList(root: string, args: string[]): string[] | undefined {
  const { status, stdout } = gitSync(root, ['ls-files', '-z', ...args]);
  if (status !== 0) return undefined;
  return stdout.toString('utf8').split('\0').filter(Boolean);
}

function walk(root: string): string[] {
  const files: string[] = [];
  const visit = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(child);
      }
    }
  };
  visit('');
  return files;
}

export function listRepoFiles(root: string): RepoFiles {
  const tracked = gitList(root, ['--cached']);
  if (!tracked) return { inGit: false, visible: walk(root).sort(), ignored: [], tracked: new Set() };
  const untracked = gitList(root, ['--others', '--exclude-standard']) ?? [];
  // --directory: an ignored directory (node_modules/) is one entry, not its whole content.
  const ignored = (gitList(root, ['--others', '--ignored', '--exclude-standard', '--directory']) ?? []).filter((f) => !f.endsWith('/'));
  return {
    inGit: true,
    visible: [...new Set([...tracked, ...untracked])].sort(),
    ignored: ignored.sort(),
    tracked: new Set(tracked),
  };
}

/** Would git ignore `file` (whether or not it is tracked)? Undefined outside git. */
export function isGitIgnored(root: string, file: string): boolean | undefined {
  const { status } = gitSync(root, ['check-ignore', '-q', '--no-index', '--', file]);
  if (status === 0) return true;
  if (status === 1) return false;
  return undefined;
}

/** `.env`, `.env.*` and `*.env`: the files read as .env without configuration. */
export function isEnvFamily(file: string): boolean {
  const base = path.posix.basename(file);
  return base === '.env' || base.startsWith('.env.') || (base.endsWith('.env') && base.length > 4);
}

/** Templates are committed on purpose and hold no real values. */
export function isEnvTemplate(file: string): boolean {
  return /^(\.env\.(example|sample|template|dist|defaults)|.+\.env\.example|(example|sample|template)\.env)$/.test(path.posix.basename(file));
}
