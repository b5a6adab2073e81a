import { unquotePath } from '../core/git.js';

/**
 * A streaming parser of `git diff`/`git log -p` output with `-U0`, run with
 * `--src-prefix=a/ --dst-prefix=b/`: it reports, per commit and file, the lines added on the
 * new side with their line numbers. Binary diffs carry no added lines.
 */
export interface PatchFile {
  /** Path on the new side, relative to the scan root. */
  path: string;
  /** The file is new in this diff (created, copied or renamed to this path). */
  added: boolean;
  /** Commit SHA, for `git log -p` output. */
  commit?: string;
  /** Added lines and their 1-based line numbers on the new side. */
  lines: string[];
  lineNumbers: number[];
  /** Characters held in `lines`; collection stops past the size limit. */
  size: number;
  truncated: boolean;
}

/** Lines of `--format=%x01%H` mark a new commit in log output. */
export const COMMIT_MARK = '\u0001';

export class PatchParser {
  private commit: string | undefined;
  private file: PatchFile | undefined;
  private inHeader = false;
  private nextLine = 0;

  constructor(
    private readonly onFile: (file: PatchFile) => void,
    private readonly maxSize: number,
  ) {}

  push(line: string): void {
    if (line.startsWith(COMMIT_MARK)) {
      this.flush();
      this.commit = line.slice(1).trim();
      return;
    }
    if (line.startsWith('diff --git ')) {
      this.flush();
      this.file = { path: pathFromDiffLine(line.slice(11)), added: false, commit: this.commit, lines: [], lineNumbers: [], size: 0, truncated: false };
      this.inHeader = true;
      return;
    }
    const file = this.file;
    if (!file) return;
    if (this.inHeader) {
      if (line.startsWith('@@')) {
        this.inHeader = false;
      } else {
        this.header(file, line);
        return;
      }
    }
    if (line.startsWith('@@')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      this.nextLine = m ? Number(m[1]) : 0;
    } else if (line.startsWith('+')) {
      const text = line.slice(1);
      if (!file.truncated) {
        if (file.size + text.length > this.maxSize) file.truncated = true;
        else {
          file.lines.push(text);
          file.lineNumbers.push(this.nextLine);
          file.size += text.length + 1;
        }
      }
      this.nextLine++;
    }
  }

  /** Ends the current file section (call once more after the last line). */
  flush(): void {
    if (this.file) this.onFile(this.file);
    this.file = undefined;
    this.inHeader = false;
  }

  private header(file: PatchFile, line: string): void {
    if (line.startsWith('+++ ')) {
      // Git ends names holding a space with a tab on this line.
      const target = line.slice(4).replace(/\t$/, '');
      if (target !== '/dev/null') file.path = stripPrefix(unquotePath(target), 'b/');
    } else if (line.startsWith('new file mode') || line.startsWith('copy to ') || line.startsWith('rename to ')) {
      file.added = true;
      if (!line.startsWith('new file mode')) file.path = unquotePath(line.slice(line.indexOf(' to ') + 4));
    }
  }
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** `a/X b/X` (or quoted) from a `diff --git` line; the `+++` or `rename to` line refines it when present. */
function pathFromDiffLine(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    const second = end === -1 ? rest : rest.slice(end + 2);
    return stripPrefix(unquotePath(second), 'b/');
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(0, half).slice(2) === rest.slice(half + 1).slice(2)) return rest.slice(half + 3);
  const split = rest.indexOf(' b/');
  return split === -1 ? rest : rest.slice(split + 3);
}
