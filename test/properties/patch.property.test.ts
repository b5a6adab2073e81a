import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMIT_MARK, PatchParser, type PatchFile } from '../../src/scanning/patch.js';
import { RUNS, anyChars, textOf } from '../support/arbitraries.js';

/** Git's C-style quoting of a path (core.quotePath on): what `git diff` prints for unusual names. */
function gitQuote(path: string): string {
  const named: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };
  const bytes = Buffer.from(path, 'utf8');
  if (!bytes.some((b) => b < 0x20 || b >= 0x7f || b === 34 || b === 92)) return path;
  let out = '"';
  for (const b of bytes) {
    if (named[b]) out += `\\${named[b]}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

interface Hunk {
  start: number;
  lines: string[];
}
interface FileChange {
  path: string;
  kind: 'modified' | 'new' | 'renamed';
  hunks: Hunk[];
}

/** `git diff -U0 --src-prefix=a/ --dst-prefix=b/` output for these changes (removed lines included). */
function renderPatch(changes: FileChange[], commit?: string): string[] {
  const out: string[] = commit ? [`${COMMIT_MARK}${commit}`] : [];
  for (const change of changes) {
    const oldPath = change.kind === 'renamed' ? `old/${change.path}` : change.path;
    const [a, b] = [gitQuote(`a/${oldPath}`), gitQuote(`b/${change.path}`)];
    out.push(`diff --git ${a} ${b}`);
    if (change.kind === 'new') out.push('new file mode 100644');
    if (change.kind === 'renamed') out.push('similarity index 90%', `rename from ${gitQuote(oldPath)}`, `rename to ${gitQuote(change.path)}`);
    out.push('index 1234567..89abcde 100644');
    out.push(change.kind === 'new' ? '--- /dev/null' : `--- ${a}`);
    // Git ends a name holding a space with a tab on the ---/+++ lines.
    out.push(`+++ ${b}${b.includes(' ') && !b.startsWith('"') ? '\t' : ''}`);
    for (const hunk of change.hunks) {
      out.push(`@@ -${hunk.start},1 +${hunk.start},${hunk.lines.length} @@ context`, `-removed line`);
      out.push(...hunk.lines.map((l) => `+${l}`));
    }
  }
  return out;
}

const pathPart = fc.string({ unit: fc.constantFrom(...'abZ09 ._-"\\\t\u00e9\u202e\u4e2d'), minLength: 1, maxLength: 8 }).filter((p) => p.trim() === p && !/^\.\.?$/.test(p));
const filePath = fc.array(pathPart, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const addedLine = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('+++ b/x', '--- a/x', '@@ -1 +1 @@', 'diff --git a/x b/x', '')).filter((l) => !/[\r\n]/.test(l));
const hunks = fc.array(fc.array(addedLine, { minLength: 1, maxLength: 4 }), { maxLength: 4 }).map((groups) => {
  let start = 1;
  return groups.map((lines) => {
    const hunk = { start, lines };
    start += lines.length + 3;
    return hunk;
  });
});
const changes = fc.uniqueArray(fc.record({ path: filePath, kind: fc.constantFrom('modified', 'new', 'renamed') as fc.Arbitrary<FileChange['kind']>, hunks }), { selector: (c) => c.path, maxLength: 4 });

function parse(lines: string[], maxSize = 1 << 20): PatchFile[] {
  const files: PatchFile[] = [];
  const parser = new PatchParser((f) => files.push(f), maxSize);
  for (const line of lines) parser.push(line);
  parser.flush();
  return files;
}

describe('patch parser properties', () => {
  it('recovers every file path, added line and new-side line number git prints, whatever the name', () => {
    fc.assert(
      fc.property(changes, fc.option(fc.constantFrom('a'.repeat(40), 'b'.repeat(40)), { nil: undefined }), (given, commit) => {
        const files = parse(renderPatch(given, commit));
        expect(files.map((f) => f.path)).toEqual(given.map((c) => c.path));
        files.forEach((file, i) => {
          const change = given[i]!;
          expect(file.added).toBe(change.kind !== 'modified');
          expect(file.commit).toBe(commit);
          expect(file.lines).toEqual(change.hunks.flatMap((h) => h.lines));
          expect(file.lineNumbers).toEqual(change.hunks.flatMap((h) => h.lines.map((_, k) => h.start + k)));
        });
      }),
      { numRuns: RUNS.parser },
    );
  });

  it('never throws on arbitrary lines, keeps lines and numbers paired, and stays within the size limit', () => {
    const fragments = ['diff --git a/x b/x', 'diff --git "a/\\303" b/y', '+++ b/', '+++ /dev/null', '--- a/x', '@@ -1 +1 @@', '@@ -0,0 +9,2 @@', '@@ bad', 'rename to ', 'copy to ', 'new file mode 100644', '+', '+x', '-', COMMIT_MARK, 'Binary files differ'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), textOf(fragments, 4), anyChars(20)), { maxLength: 60 }), fc.integer({ min: 1, max: 200 }), (lines, maxSize) => {
        for (const file of parse(lines, maxSize)) {
          expect(file.lineNumbers).toHaveLength(file.lines.length);
          expect(file.size).toBeLessThanOrEqual(maxSize + 1);
          expect(typeof file.path).toBe('string');
        }
      }),
      { numRuns: RUNS.parser },
    );
  });
});
