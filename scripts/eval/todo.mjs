// `npm run eval -- --todo`: the sites still to be labelled (every site, or the seeded sample where a tool has
// many), with a redacted snippet so the labeller can judge without ever seeing a whole value.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelFileName, loadLabels, siteKey } from './labels.mjs';

/**
 * A peer-only site's line as a snippet: the spans the tools reported there are the reported values, and the
 * project's own redactSnippet (src/core/redact.ts) shows at most 4 characters of them and masks every other value.
 */
export function peerSnippet(text, findings, redactSnippet) {
  const spans = findings
    .filter((f) => f.column && (f.endLine ?? f.line) === f.line && f.endColumn > f.column)
    .map((f, i) => ({ start: f.column - 1, end: f.endColumn - 1, value: text.slice(f.column - 1, f.endColumn - 1), own: i === 0 }));
  return redactSnippet(text, spans);
}

function snippetOf(dir, site, findingsByTool, redactSnippet, fileCache) {
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
  return peerSnippet(lines[site.line - 1] ?? '', Object.values(findingsByTool).flat(), redactSnippet);
}

/** Writes <outDir>/<owner>__<name>.tsv for every repository with unlabelled sites; returns the counts. */
export function writeTodo(results, { labelsDir, outDir, redactSnippet }) {
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
      lines.push(`# ${tools.join(' ')} | ${snippetOf(result.dir, entry, entry.tools, redactSnippet, fileCache).replace(/[\t\r\n]/g, ' ')}`);
      lines.push(`${entry.file}\t${entry.line}\t\t`);
    }
    writeFileSync(path.join(outDir, labelFileName(result.repo)), `${lines.join('\n')}\n`);
    counts.push({ repo: result.repo, sites: todo.size });
  }
  return counts;
}
