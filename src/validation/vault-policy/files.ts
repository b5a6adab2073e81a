import { minimatch } from 'minimatch';
import { listRepoFiles } from '../files.js';

const POLICY_EXTENSIONS = ['.hcl', '.json'];

/** Policy files (.hcl, .json) under `root` matching any of the repo-relative globs, sorted. */
export function listPolicyFiles(root: string, globs: string[]): string[] {
  if (globs.length === 0) return [];
  return listRepoFiles(root)
    .visible.filter((file) => POLICY_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext)))
    .filter((file) => globs.some((glob) => minimatch(file, glob, { dot: true })));
}
