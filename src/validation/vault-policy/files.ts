import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';

const POLICY_EXTENSIONS = ['.hcl', '.json'];
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/** Repo-relative posix paths of tracked and untracked, not ignored files; undefined outside a git work tree. */
function gitFiles(root: string): string[] | undefined {
  try {
    const output = execFileSync('git', ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return [...new Set(output.split('\0').filter(Boolean))];
  } catch {
    return undefined;
  }
}

function walkFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
      // Links are listed (as git lists them) so the reader can report them instead of following them.
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
    }
  };
  visit('');
  return files;
}

/** Policy files (.hcl, .json) under `root` matching any of the repo-relative globs, sorted. */
export function listPolicyFiles(root: string, globs: string[]): string[] {
  if (globs.length === 0) return [];
  const candidates = gitFiles(root) ?? walkFiles(root);
  return candidates
    .filter((file) => POLICY_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext)))
    .filter((file) => globs.some((glob) => minimatch(file, glob, { dot: true })))
    .sort();
}
