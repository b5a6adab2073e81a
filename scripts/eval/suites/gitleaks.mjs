// gitleaks' rule samples: every cmd/generate/config/rules/*.go builds its rules' true-positive (`tps`) and
// false-positive (`fps`) string lists and checks the rule against them. Only literal samples are taken: list
// elements that are Go string literals (or literals joined with +). Samples generated at run time
// (utils.GenerateSampleSecrets, secrets.NewSecret) are counted as left out. Each sample is one file; a tps
// sample is found when a tool reports anything in it, an fps sample is flagged likewise.
import { listFiles, readFiles } from '../sources.mjs';
import { evaluate, items, tokenize, skipGroup } from '../gosrc.mjs';
import path from 'node:path';
import { pct, scanCases, writeCases } from './common.mjs';

const RULES_DIR = 'cmd/generate/config/rules/';

/** Literal elements of every `tps`/`fps` list in one Go file, and how many elements were not literal. */
export function samplesOfGo(src) {
  const tokens = tokenize(src);
  const found = { tps: [], fps: [] };
  const generated = { tps: 0, fps: 0 };
  const take = (kind, ranges) => {
    for (const [s, e] of ranges) {
      if (tokens[e - 1]?.value === '...') {
        generated[kind]++;
        continue;
      }
      const v = evaluate(tokens, s, e, { literalOnly: true });
      if (typeof v === 'string') found[kind].push(v);
      else generated[kind]++;
    }
  };
  for (let i = 0; i + 2 < tokens.length; i++) {
    const name = tokens[i].value;
    if (tokens[i].type !== 'ident' || (name !== 'tps' && name !== 'fps') || ![':=', '='].includes(tokens[i + 1].value)) continue;
    const rhs = i + 2;
    if (tokens[rhs].value === '[' && tokens[rhs + 1]?.value === ']' && tokens[rhs + 2]?.value === 'string' && tokens[rhs + 3]?.value === '{') {
      take(name, items(tokens, rhs + 3));
      i = skipGroup(tokens, rhs + 3) - 1;
    } else if (tokens[rhs].value === 'append' && tokens[rhs + 1]?.value === '(') {
      take(name, items(tokens, rhs + 1).slice(1));
      i = skipGroup(tokens, rhs + 1) - 1;
    } else generated[name]++;
  }
  return { found, generated };
}

export function extractGitleaks(gitDir, commit) {
  const paths = listFiles(gitDir, commit, (p) => p.startsWith(RULES_DIR) && p.endsWith('.go') && !p.endsWith('_test.go') && !p.slice(RULES_DIR.length).includes('/'));
  const contents = readFiles(gitDir, commit, paths);
  const cases = [];
  const generated = { tps: 0, fps: 0 };
  for (const p of paths) {
    const { found, generated: g } = samplesOfGo(contents.get(p).toString('utf8'));
    const base = path.posix.basename(p, '.go');
    for (const kind of ['tps', 'fps']) {
      generated[kind] += g[kind];
      found[kind].forEach((content, n) => cases.push({ kind, source: base, file: `${kind}/${base}-${n + 1}.txt`, content }));
    }
  }
  return { files: paths.length, cases, generated };
}

export function scoreGitleaks({ cacheDir, gitDir, commit, tools, timeoutMs, log }) {
  const { files, cases, generated } = extractGitleaks(gitDir, commit);
  const tps = cases.filter((c) => c.kind === 'tps');
  const fps = cases.filter((c) => c.kind === 'fps');
  log(`gitleaks rule samples: ${files} rule files, ${tps.length} literal tps and ${fps.length} literal fps (${generated.tps} tps and ${generated.fps} fps entries generated at run time, left out)`);
  const dir = path.join(cacheDir, 'suites', 'gitleaks');
  writeCases(dir, cases);
  const scans = scanCases(dir, tools, path.join(cacheDir, 'reports'), timeoutMs, log);
  const out = {};
  for (const [tool, scan] of Object.entries(scans)) {
    if (scan.error) {
      out[tool] = { error: scan.error };
      continue;
    }
    const found = tps.filter((c) => scan.byFile.has(c.file));
    const flagged = fps.filter((c) => scan.byFile.has(c.file));
    const missedBySource = {};
    for (const c of tps) if (!scan.byFile.has(c.file)) missedBySource[c.source] = (missedBySource[c.source] ?? 0) + 1;
    out[tool] = {
      tps: tps.length,
      tpsFound: found.length,
      tpsRate: pct(found.length, tps.length),
      fps: fps.length,
      fpsFlagged: flagged.length,
      fpsRate: pct(flagged.length, fps.length),
      missedBySource: Object.fromEntries(Object.entries(missedBySource).sort((a, b) => b[1] - a[1])),
    };
  }
  return { commit, files, generated, tools: out };
}
