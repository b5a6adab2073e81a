import { committedFileFindings } from './committed-files.js';
import { listFiles, readWorkingFile } from './files.js';
import { looksMinified, skipReason } from './filters.js';
import type { ScanSession } from './session.js';

/** Tree mode: every file git would commit (or every file of a plain folder), as it is on disk. */
export async function scanTree(session: ScanSession): Promise<void> {
  const { root } = session.ctx;
  const listing = await listFiles(root);
  if (listing.gitProblem) session.ctx.log.warning(`git cannot read this repository (${listing.gitProblem}); scanning every file in the folder instead`);
  for (const { path: file, tracked } of listing.files) {
    if (!session.selected(file)) continue;
    const presence = !listing.git ? 'present' : tracked ? 'tracked' : 'untracked';
    session.findings.push(...committedFileFindings(file, () => textOf(root, file, session.maxFileSize), presence));
    if (skipReason(file)) {
      session.skipped++;
      continue;
    }
    const read = readWorkingFile(root, file, session.maxFileSize);
    if (read.kind === 'too-large') session.tooLarge(file, read.size);
    else if (read.kind === 'unreadable') session.unreadable(file, read.reason);
    else if (read.kind === 'binary' || (read.kind === 'text' && looksMinified(file, read.text))) session.skipped++;
    else if (read.kind === 'text') session.scan(file, read.text);
  }
}

function textOf(root: string, file: string, maxSize: number): string | undefined {
  const read = readWorkingFile(root, file, maxSize);
  return read.kind === 'text' ? read.text : undefined;
}
