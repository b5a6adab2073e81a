import { committedFileFindings } from './committed-files.js';
import { skipDecision } from './filters.js';
import { commitExists, gitLines, isShallow, resolveCommit, SHALLOW_HINT } from '../core/git.js';
import { UserError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { COMMIT_MARK, PatchParser, type PatchFile } from './patch.js';
import type { ScanSession } from './session.js';

/** Which commits a history scan reads. */
export type HistoryTarget =
  | { kind: 'all' }
  /** Commits in `after` but not in `before` (a push to `branch`). */
  | { kind: 'range'; before: string; after: string; branch?: string }
  /** A new branch: commits of `after` that no other branch (local or remote) holds. */
  | { kind: 'new-branch'; after: string; branch: string };

const LOG_FLAGS = [
  'log',
  '-p',
  '-U0',
  '--no-color',
  '--full-history',
  '--reverse',
  '-M',
  '--relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  `--format=${'%x01'}%H`,
];

/**
 * History mode: every line added by every selected commit, streamed from `git log -p`.
 * A secret (rule + file + value) found in many commits is reported once, with the first commit.
 */
export async function scanHistory(session: ScanSession, target: HistoryTarget): Promise<{ description: string; commits: number }> {
  const root = session.ctx.root;
  const { revs, description } = await revisionsFor(root, target);
  const seen = new Set<string>();
  const commits = new Set<string>();
  const handle = (file: PatchFile): void => {
    if (!session.selected(file.path)) return;
    const text = file.lines.join('\n');
    if (file.added) keepFirst(seen, session, committedFileFindings(file.path, () => text, 'added', file.commit));
    if (file.lines.length === 0) return;
    const byName = skipDecision(file.path);
    if (byName) {
      session.skip(byName);
      return;
    }
    if (file.truncated) {
      const before = session.findings.length;
      session.tooLarge(file.path, file.size, file.commit);
      keepFirst(seen, session, session.findings.splice(before));
      return;
    }
    const byContent = skipDecision(file.path, { text });
    if (byContent) {
      session.skip(byContent);
      return;
    }
    const before = session.findings.length;
    session.scan(file.path, text, { lineNumbers: file.lineNumbers, commit: file.commit });
    keepFirst(seen, session, session.findings.splice(before));
  };
  const parser = new PatchParser(handle, session.maxFileSize);
  await gitLines(root, [...LOG_FLAGS, ...revs, '--'], (line) => {
    if (line.startsWith(COMMIT_MARK)) commits.add(line.slice(1).trim());
    parser.push(line);
  });
  parser.flush();
  return { description, commits: commits.size };
}

function keepFirst(seen: Set<string>, session: ScanSession, found: Finding[]): void {
  for (const finding of found) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    session.findings.push(finding);
  }
}

async function revisionsFor(root: string, target: HistoryTarget): Promise<{ revs: string[]; description: string }> {
  if (target.kind === 'all') {
    if (await isShallow(root)) throw new UserError(`history mode needs the whole history: ${SHALLOW_HINT}`);
    return { revs: ['--all'], description: 'all commits of all refs' };
  }
  if (target.kind === 'range') {
    const after = await resolveCommit(root, target.after, 'pushed commit');
    if (target.branch && !(await isShallow(root)) && !(await commitExists(root, target.before))) {
      // A force push: the old tip is gone from a full clone, so scan what no other branch has.
      return revisionsFor(root, { kind: 'new-branch', after, branch: target.branch });
    }
    const before = await resolveCommit(root, target.before, 'push base');
    return { revs: [`${before}..${after}`], description: `commits ${before.slice(0, 12)}..${after.slice(0, 12)}` };
  }
  if (await isShallow(root)) throw new UserError(`a new branch is scanned against every other branch: ${SHALLOW_HINT}`);
  const after = await resolveCommit(root, target.after, 'pushed commit');
  const branch = target.branch;
  // Every other local branch and remote-tracking branch; the pushed branch itself (local or origin/…) is left out.
  const others = [`--exclude=${branch}`, '--branches', `--exclude=*/${branch}`, '--remotes'];
  return { revs: [after, '--not', ...others], description: `commits of new branch ${branch} not on any other branch` };
}
