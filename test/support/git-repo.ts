import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway git repository in a temp folder, for tests that need real git. */
export class GitRepo {
  readonly dir: string;

  constructor(prefix = 'kw-repo-') {
    this.dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=keywarden-test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
    }).trim();
  }

  write(files: Record<string, string | Buffer>): this {
    for (const [name, content] of Object.entries(files)) {
      const full = path.join(this.dir, name);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this;
  }

  /** Writes the files, commits everything, returns the new commit's SHA. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A temp directory that is not a git repository. */
export function tempDir(prefix = 'kw-dir-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
