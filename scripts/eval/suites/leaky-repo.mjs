// leaky-repo: a repository of committed credential files. Its .leaky-meta/secrets.csv gives, per file, the
// number of lines holding a "risk" (a secret) and of lines holding something "informative"; it has no line
// numbers. Scored as its own benchmark.py does, per file: a tool's distinct flagged lines in a listed file
// count as found up to the file's risk count, and as false positives beyond risk + informative. Flagged lines
// in files the CSV does not list (outside .leaky-meta/) are counted apart, since its benchmark ignores them.
import path from 'node:path';
import { checkout, readFiles } from '../sources.mjs';
import { scanCases } from './common.mjs';

const CSV = '.leaky-meta/secrets.csv';

export function parseSecretsCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [file, risk, informative] = line.split(',');
    rows.push({ file: file.trim(), risk: Number(risk), informative: Number(informative) });
  }
  return rows;
}

export function scoreLeakyRepo({ cacheDir, gitDir, repo, commit, tools, timeoutMs, log }) {
  const rows = parseSecretsCsv(readFiles(gitDir, commit, [CSV]).get(CSV).toString('utf8'));
  const risk = rows.reduce((n, r) => n + r.risk, 0);
  log(`leaky-repo: ${rows.length} listed files, ${risk} risk lines`);
  const dir = checkout(cacheDir, repo, gitDir, commit);
  const scans = scanCases(dir, tools, path.join(cacheDir, 'reports'), timeoutMs, log);
  const listed = new Map(rows.map((r) => [r.file, r]));
  const out = {};
  for (const [tool, scan] of Object.entries(scans)) {
    if (scan.error) {
      out[tool] = { error: scan.error };
      continue;
    }
    let found = 0;
    let falsePositives = 0;
    let unlisted = 0;
    const missedFiles = [];
    for (const r of rows) {
      const lines = new Set((scan.byFile.get(r.file) ?? []).map((f) => f.line)).size;
      found += Math.min(lines, r.risk);
      falsePositives += Math.max(0, lines - r.risk - r.informative);
      if (lines < r.risk) missedFiles.push(`${r.file} ${lines}/${r.risk}`);
    }
    for (const [file, findings] of scan.byFile) {
      if (!listed.has(file) && !file.startsWith('.leaky-meta/')) unlisted += new Set(findings.map((f) => f.line)).size;
    }
    out[tool] = { risk, found, falsePositives, unlisted, missedFiles };
  }
  return { commit, files: rows.length, risk, tools: out };
}
