import { withLfLineEnds } from '../core/lines.js';
import { committedFileFindings } from './committed-files.js';
import { listFiles, WorkTreeReader, type ReadOutcome } from './files.js';
import { skipDecision } from './filters.js';
import type { ScanSession } from './session.js';

/** Tree mode: every file git would commit (or every file of a plain folder), as it is on disk. */
export async function scanTree(session: ScanSession): Promise<void> {
  const { root } = session.ctx;
  const listing = await listFiles(root);
  if (listing.gitProblem) session.ctx.log.warning(`git cannot read this repository (${listing.gitProblem}); scanning every file in the folder instead`);
  const reader = new WorkTreeReader(root, session.maxFileSize);
  for (const { path: file, tracked } of listing.files) {
    if (!session.selected(file)) continue;
    const presence = !listing.git ? 'present' : tracked ? 'tracked' : 'untracked';
    let read: ReadOutcome | undefined;
    const readOnce = (): ReadOutcome => (read ??= reader.read(file));
    session.findings.push(
      ...committedFileFindings(file, () => {
        const outcome = readOnce();
        return outcome.kind === 'text' ? outcome.text : undefined;
      }, presence),
    );
    const byName = skipDecision(file);
    if (byName) {
      session.skip(byName);
      continue;
    }
    const outcome = readOnce();
    if (outcome.kind === 'absent') continue;
    if (outcome.kind === 'text') {
      const minified = skipDecision(file, { text: outcome.text });
      if (minified) session.skip(minified);
      // Tree mode counts lines as editors do; diff and history keep git's lines (git splits on \n only).
      else session.scan(file, withLfLineEnds(outcome.text));
      continue;
    }
    if (outcome.reason === 'too-large') session.tooLarge(file, outcome.size ?? 0);
    else if (outcome.reason === 'unreadable') session.unreadable(file, outcome.detail ?? 'error');
    else {
      session.skip(outcome.reason);
      if (outcome.outside) session.ctx.log.warning(`${file} is a symbolic link (or inside a linked folder) pointing outside the repository; it was not read`);
    }
  }
}
