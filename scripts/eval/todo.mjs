// `npm run eval -- --todo`: the sites still to be labelled (every site, or the seeded sample where a tool has
// many), with a redacted snippet so the labeller can judge without ever seeing a whole value.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelFileName, loadLabels, siteKey } from './labels.mjs';

// Identifiers (camelCase, snake_case, UPPER_SNAKE, kebab-case words) stay readable; any other long token is redacted.
const LONG_TOKEN = /[A-Za-z0-9+/=_~.-]{8,}/g;
const IDENTIFIER = /^(?:[A-Za-z][a-z]*(?:[_.-]?[A-Za-z][a-z]*)*|[A-Z][A-Z_]+)$/;

/** One source line with the reported span and every other value-like token redacted, at most 200 characters. */
export function redactedLine(text, spans, redact) {
  const chars = [...text];
  const pieces = [];
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at || start >= chars.length) continue;
    pieces.push({ text: chars.slice(at, start).join(''), plain: true }, { text: redact(chars.slice(start, end).join('')), plain: false });
    at = end;
  }
  pieces.push({ text: chars.slice(at).join(''), plain: true });
  const out = pieces.map((p) => (p.plain ? p.text.replace(LONG_TOKEN, (t) => (IDENTIFIER.test(t) ? t : redact(t))) : p.text)).join('');
  const trimmed = out.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

function snippetOf(dir, site, findingsByTool, redact, fileCache) {
  const own = findingsByTool.keywarden?.find((f) => f.snippet);
  if (own) return own.snippet;
  let lines = fileCache.get(site.file);
  if (!lines) {
    try {
      lines = readFileSync(path.join(dir, site.file), 'utf8').split(/\r?\n/);
    } catch {
      lines = [];
    }
    fileCache.set(site.file, lines);
  }
  const text = lines[site.line - 1] ?? '';
  const spans = Object.values(findingsByTool)
    .flat()
    .filter((f) => f.column && (f.endLine ?? f.line) === f.line && f.endColumn > f.column)
    .map((f) => [f.column - 1, f.endColumn - 1]);
  return redactedLine(text, spans, redact);
}

/** Writes <outDir>/<owner>__<name>.tsv for every repository with unlabelled sites; returns the counts. */
export function writeTodo(results, { labelsDir, outDir, redact }) {
  mkdirSync(outDir, { recursive: true });
  const counts = [];
  for (const result of results) {
    if (result.missing) continue;
    const labels = loadLabels(path.join(labelsDir, labelFileName(result.repo)));
    const todo = new Map();
    for (const [tool, { sites, selection }] of Object.entries(result.selections)) {
      for (const s of selection.sites) {
        const key = siteKey(s.file, s.line);
        if (labels.has(key)) continue;
        const entry = todo.get(key) ?? { file: s.file, line: s.line, tools: {} };
        entry.tools[tool] = sites.get(key).findings;
        todo.set(key, entry);
      }
    }
    if (todo.size === 0) continue;
    const fileCache = new Map();
    const lines = [
      `# ${result.repo}@${result.commit}: ${todo.size} unlabelled sites. Fill in verdict (tp|fp) and a short reason, then append to eval/labels/${labelFileName(result.repo)}.`,
      '# Never paste a value into a reason.',
    ];
    const sorted = [...todo.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    for (const entry of sorted) {
      const tools = Object.entries(entry.tools).map(([tool, findings]) => `${tool}(${[...new Set(findings.map((f) => `${f.level} ${f.rule}`))].join(', ')})`);
      lines.push(`# ${tools.join(' ')} | ${snippetOf(result.dir, entry, entry.tools, redact, fileCache).replace(/[\t\r\n]/g, ' ')}`);
      lines.push(`${entry.file}\t${entry.line}\t\t`);
    }
    writeFileSync(path.join(outDir, labelFileName(result.repo)), `${lines.join('\n')}\n`);
    counts.push({ repo: result.repo, sites: todo.size });
  }
  return counts;
}
