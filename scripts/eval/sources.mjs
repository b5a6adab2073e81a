// Fetched public repositories: bare mirrors found on disk (never committed), checked out at a pinned commit
// into the cache, or read file by file straight from the mirror.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './labels.mjs';

function gitOk(args) {
  return spawnSync('git', args, { stdio: 'ignore' }).status === 0;
}

/** Where bare mirrors are looked for: --mirrors, KEYWARDEN_EVAL_MIRRORS (':'-separated), <cache>/mirrors. */
export function mirrorDirs(cacheDir, option) {
  return [...(option ?? []), ...(process.env.KEYWARDEN_EVAL_MIRRORS ?? '').split(':').filter(Boolean), path.join(cacheDir, 'mirrors')];
}

/**
 * The git directory of a mirror of `owner/name` holding `commit`, or an explanation of why there is none.
 * Accepted layouts under a mirrors folder: owner+name/repo (what the fetch tool brings), owner+name,
 * owner__name.git, owner__name.
 */
export function findMirror(dirs, repo, commit) {
  const [owner, name] = repo.split('/');
  const looked = [];
  for (const dir of dirs) {
    for (const candidate of [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}__${name}.git`, `${owner}__${name}`]) {
      const gitDir = path.join(dir, candidate);
      if (!existsSync(gitDir) || !gitOk(['--git-dir', gitDir, 'rev-parse', '--git-dir'])) continue;
      if (gitOk(['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`])) return { gitDir };
      looked.push(`${gitDir} lacks commit ${commit.slice(0, 12)}`);
    }
  }
  return { missing: looked.length > 0 ? looked.join('; ') : `no mirror of ${repo} under ${dirs.join(', ')}` };
}

/** A checkout of `commit` under <cache>/checkouts, reused when complete; a real git work tree (tracked files). */
export function checkout(cacheDir, repo, gitDir, commit) {
  const dest = path.join(cacheDir, 'checkouts', repo.replace('/', '__'), commit);
  const done = path.join(dest, '.git', 'keywarden-eval-complete');
  if (existsSync(done)) return dest;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(path.dirname(dest), { recursive: true });
  // --shared borrows the mirror's objects instead of copying them; --no-checkout then a detached checkout of the pin.
  execFileSync('git', ['clone', '--quiet', '--shared', '--no-checkout', gitDir, dest], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('git', ['-C', dest, '-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', commit], { stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(done, `${commit}\n`);
  return dest;
}

/** Paths of blobs at `commit` whose path satisfies `keep`. */
export function listFiles(gitDir, commit, keep = () => true) {
  const out = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--name-only', commit], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
  return out.split('\0').filter((p) => p && keep(p));
}

/** Contents (Buffers) of the given paths at `commit`, read in one git process. */
export function readFiles(gitDir, commit, paths) {
  if (paths.length === 0) return new Map();
  const input = paths.map((p) => `${commit}:${p}`).join('\n') + '\n';
  const out = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input, maxBuffer: 1024 * 1024 * 1024 });
  const files = new Map();
  let at = 0;
  for (const p of paths) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (header.endsWith(' missing') || !Number.isFinite(size)) throw new InputError(`${p} is not in commit ${commit.slice(0, 12)}`);
    files.set(p, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return files;
}
