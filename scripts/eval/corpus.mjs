// This project's own generated corpus (bench/corpus.mjs): planted secrets and decoys written by the same
// hands as the rules, so its figures are an upper bound. A finding is a true positive when its file and line
// fall on a planted secret; findings are counted once per file and line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateCorpus } from '../../bench/corpus.mjs';

export const CATEGORY_LABEL = {
  provider: 'Provider tokens',
  'private-key': 'Private keys',
  'connection-string': 'Connection strings',
  'credential-file': 'Credential files',
  'generic-password': 'Generic passwords',
  'default-credential': 'Default credentials',
};

// keywarden's committed-file findings (a tracked .env, a key file) are about a file, not a secret on a line: counted apart.
const FILE_LEVEL_RULES = /^committed-/;

function countBy(list, keyOf) {
  const out = {};
  for (const item of list) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

export function scoreCorpus(truth, decoys, findings) {
  const locations = new Map();
  for (const f of findings) locations.set(`${f.file}\u0000${f.line}`, f);
  const hit = new Set();
  let truePositives = 0;
  const falsePositives = [];
  for (const f of locations.values()) {
    const matched = truth.filter((t) => t.file === f.file && f.line >= t.line && f.line <= t.endLine);
    if (matched.length > 0) {
      truePositives++;
      for (const t of matched) hit.add(t);
    } else {
      const decoy = decoys.find((d) => d.file === f.file && f.line >= d.line && f.line <= d.endLine);
      falsePositives.push({ ...f, decoy: decoy?.kind ?? 'ordinary code' });
    }
  }
  const perCategory = {};
  for (const t of truth) {
    const c = (perCategory[t.category] ??= { total: 0, found: 0 });
    c.total++;
    if (hit.has(t)) c.found++;
  }
  const missed = truth.filter((t) => !hit.has(t));
  return {
    truePositives,
    falsePositives: falsePositives.length,
    falseNegatives: missed.length,
    precision: truePositives + falsePositives.length === 0 ? 1 : truePositives / (truePositives + falsePositives.length),
    recall: hit.size / truth.length,
    perCategory,
    fpByDecoy: countBy(falsePositives, (f) => f.decoy),
    missedByKind: countBy(missed, (t) => `${t.category}/${t.kind}`),
  };
}

export function evaluateCorpus({ cacheDir, tools, timeoutMs, log }) {
  const dir = path.join(cacheDir, 'corpus');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const corpus = generateCorpus(dir, {});
  // Its own git repository: keywarden lists files through git.
  execFileSync('git', ['init', '-q'], { cwd: dir });
  log(`generated corpus: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.truth.length} planted secrets, ${corpus.decoys.length} decoys`);
  const out = {};
  for (const [tool, runner] of Object.entries(tools)) {
    const report = path.join(cacheDir, 'reports', `corpus-${tool}.out`);
    mkdirSync(path.dirname(report), { recursive: true });
    rmSync(report, { force: true });
    const r = runner(dir, report, timeoutMs);
    let all;
    try {
      all = r.findings();
    } catch {
      log(`  ${tool}: no report (exit ${r.status})`);
      continue;
    }
    const fileLevel = all.filter((f) => FILE_LEVEL_RULES.test(f.rule ?? ''));
    out[tool] = { ...scoreCorpus(corpus.truth, corpus.decoys, all.filter((f) => !fileLevel.includes(f))), fileLevel: fileLevel.length, seconds: r.seconds };
    log(`  ${tool}: precision ${(out[tool].precision * 100).toFixed(1)}%, recall ${(out[tool].recall * 100).toFixed(1)}%`);
  }
  return { files: corpus.files, bytes: corpus.bytes, planted: corpus.truth.length, decoys: corpus.decoys.length, categories: Object.fromEntries(Object.keys(CATEGORY_LABEL).map((c) => [c, corpus.truth.filter((t) => t.category === c).length])), tools: out };
}
