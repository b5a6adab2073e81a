// eval/repos.json and eval/labels/<owner>__<name>.tsv: the committed hand labels (formats in docs/evaluation.md).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export class InputError extends Error {}

export const siteKey = (file, line) => `${file}\u0000${line}`;

export function labelFileName(repo) {
  return `${repo.replace('/', '__')}.tsv`;
}

export function loadRepos(file) {
  const where = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) return [];
  let list;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${error.message})`);
  }
  if (!Array.isArray(list)) throw new InputError(`${where}: must be a JSON array of repositories`);
  const seen = new Set();
  return list.map((entry, i) => {
    const at = `${where}: entry ${i + 1}`;
    if (typeof entry?.repo !== 'string' || !/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(entry.repo)) throw new InputError(`${at}: "repo" must be "owner/name"`);
    if (typeof entry.commit !== 'string' || !/^[0-9a-f]{40}$/.test(entry.commit)) throw new InputError(`${at} (${entry.repo}): "commit" must be 40 lowercase hex digits`);
    if (seen.has(entry.repo)) throw new InputError(`${at}: ${entry.repo} is listed twice`);
    seen.add(entry.repo);
    return { name: entry.name ?? entry.repo, repo: entry.repo, commit: entry.commit, kind: entry.kind ?? '', heldOut: entry.heldOut === true };
  });
}

/** Map of site key → { file, line, verdict, reason, where }. A missing file is no labels yet. */
export function loadLabels(file) {
  const labels = new Map();
  if (!existsSync(file)) return labels;
  const where = path.relative(process.cwd(), file) || file;
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((text, i) => {
      const at = `${where}:${i + 1}`;
      if (text.trim() === '' || text.startsWith('#')) return;
      const [file, lineText, verdict, reason = ''] = text.split('\t');
      if (!file || lineText === undefined) throw new InputError(`${at}: expected file<TAB>line<TAB>verdict<TAB>reason`);
      if (!/^[1-9][0-9]*$/.test(lineText)) throw new InputError(`${at}: line must be a positive whole number, got "${lineText.slice(0, 20)}"`);
      if (verdict !== 'tp' && verdict !== 'fp') throw new InputError(`${at}: verdict must be tp or fp, got "${String(verdict).slice(0, 20)}"`);
      if (file.startsWith('/') || file.includes('\\') || file.split('/').includes('..')) throw new InputError(`${at}: the path must be repository-relative posix`);
      const key = siteKey(file, Number(lineText));
      const earlier = labels.get(key);
      if (earlier && earlier.verdict !== verdict) throw new InputError(`${at}: ${file}:${lineText} is labelled ${verdict} here and ${earlier.verdict} at ${earlier.where}`);
      labels.set(key, { file, line: Number(lineText), verdict, reason: reason.trim(), where: at });
    });
  return labels;
}
