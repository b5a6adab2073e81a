import { committedFileFindings } from './committed-files.js';
import { decodeContent } from './files.js';
import { skipDecision } from './filters.js';
import { blobSizes, git, gitLines, mergeBase, readBlobs, resolveCommit } from '../core/git.js';
import { PatchParser, type PatchFile } from './patch.js';
import type { ScanSession } from './session.js';

/** Options every diff/log invocation gets: stable prefixes, rename detection, paths under the scan root. */
const DIFF_FLAGS = ['--no-color', '-M', '--relative', '--src-prefix=a/', '--dst-prefix=b/'];
const BLOB_BATCH = 200;

/** What to compare: `base...head` (diff mode) or the index against HEAD (staged mode). */
export type DiffTarget = { kind: 'range'; base: string; head: string } | { kind: 'staged' };

interface ChangedFile {
  path: string;
  blob: string;
  added: boolean;
  /** Git mode 120000. */
  symlink: boolean;
}

/**
 * Diff and staged modes: only lines added on the new side. The whole new version of each changed
 * file is read from git objects (never the work tree) and scanned, so context such as a key block
 * counts; only matches on added lines are kept. An allow comment counts only on a line the change
 * adds (`keywarden:allow` on the match's own line, `keywarden:allow-next-line` on the line above it).
 */
export async function scanDiff(session: ScanSession, target: DiffTarget): Promise<string> {
  const root = session.ctx.root;
  let revs: string[];
  let description: string;
  if (target.kind === 'range') {
    const base = await resolveCommit(root, target.base, 'base');
    const head = await resolveCommit(root, target.head, 'head');
    const since = await mergeBase(root, base, head);
    revs = [since, head];
    description = `${target.base}...${target.head} (${since.slice(0, 12)}..${head.slice(0, 12)})`;
  } else {
    revs = ['--cached'];
    description = 'staged changes';
  }

  const raw = await git(root, ['diff', '--raw', '-z', '--no-abbrev', '--diff-filter=ACMR', ...DIFF_FLAGS, ...revs]);
  const changed = parseRaw(raw).filter((f) => session.selected(f.path));
  const addedLines = new Map<string, Set<number>>();
  const parser = new PatchParser((file: PatchFile) => {
    addedLines.set(file.path, new Set(file.lineNumbers));
  }, Number.MAX_SAFE_INTEGER);
  await gitLines(root, ['diff', '-U0', '--diff-filter=ACMR', ...DIFF_FLAGS, ...revs], (line) => parser.push(line));
  parser.flush();

  for (let i = 0; i < changed.length; i += BLOB_BATCH) {
    const batch = changed.slice(i, i + BLOB_BATCH);
    const sizes = await blobSizes(root, batch.map((f) => f.blob));
    const readable = batch.filter((f) => !f.symlink && !skipDecision(f.path, { size: sizes.get(f.blob) ?? 0, maxFileSize: session.maxFileSize }));
    const blobs = await readBlobs(root, [...new Set(readable.map((f) => f.blob))]);
    for (const file of batch) {
      const content = blobs.get(file.blob);
      const decoded = content ? decodeContent(file.path, content) : undefined;
      const text = decoded?.kind === 'text' ? decoded.text : undefined;
      session.findings.push(...committedFileFindings(file.path, () => text, file.added ? 'added' : 'modified'));
      const lines = addedLines.get(file.path);
      if (!lines || lines.size === 0) continue;
      const size = sizes.get(file.blob) ?? 0;
      // A link's blob is its target's name: not content of this repository, and never followed.
      const skipped = file.symlink ? 'symlink' : skipDecision(file.path, { size, maxFileSize: session.maxFileSize, ...(text !== undefined ? { text } : {}) });
      if (skipped === 'too-large') session.tooLarge(file.path, size);
      else if (skipped) session.skip(skipped);
      else if (decoded?.kind === 'skipped') session.skip(decoded.reason);
      else if (text === undefined) session.unreadable(file.path, 'missing from git objects');
      else session.scan(file.path, text, { addedLines: lines, keep: (m) => touches(lines, m.line, m.endLine) });
    }
  }
  return description;
}

function touches(lines: Set<number>, from: number, to: number): boolean {
  for (let n = from; n <= to; n++) if (lines.has(n)) return true;
  return false;
}

/** `:old new oldsha newsha STATUS\0path\0` entries (renames and copies carry two paths). */
function parseRaw(raw: Buffer): ChangedFile[] {
  const parts = raw.toString('utf8').split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const meta = parts[i]!;
    if (!meta.startsWith(':')) continue;
    const [, mode, , blob, status = ''] = meta.slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const file = twoPaths ? parts[i + 2] : parts[i + 1];
    i += twoPaths ? 2 : 1;
    if (!file || !blob || /^0+$/.test(blob)) continue;
    files.push({ path: file, blob, added: status !== 'M', symlink: mode === '120000' });
  }
  return files;
}
