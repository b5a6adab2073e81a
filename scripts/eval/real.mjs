// Real repositories: scan each pinned checkout with every tool, map findings to sites (file, line), and score
// them against the hand labels. Peers' scans are cached per tool version and commit (they are slow and do not
// change); keywarden is scanned on every run.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelFileName, loadLabels, siteKey } from './labels.mjs';
import { checkout, findMirror } from './sources.mjs';
import { proportion, seededSample, stratified } from './stats.mjs';

const LEVEL_RANK = { error: 3, warning: 2, note: 1 };

/** Findings → sites: one per (file, start line), with the highest level and every rule and line span seen there. */
export function sitesOf(findings) {
  const sites = new Map();
  for (const f of findings) {
    const key = siteKey(f.file, f.line);
    const site = sites.get(key) ?? { file: f.file, line: f.line, endLine: f.line, level: 'note', rules: new Set(), findings: [] };
    if (LEVEL_RANK[f.level] > LEVEL_RANK[site.level]) site.level = f.level;
    site.endLine = Math.max(site.endLine, f.endLine ?? f.line);
    site.rules.add(f.rule);
    site.findings.push(f);
    sites.set(key, site);
  }
  return sites;
}

function scanCached({ cacheDir, tool, version, runner, repo, commit, dir, timeoutMs, log }) {
  const cacheFile = path.join(cacheDir, 'scans', tool, version.replace(/[^\w.-]+/g, '_'), `${repo.replace('/', '__')}@${commit}.json`);
  if (tool !== 'keywarden' && existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8'));
  const report = path.join(cacheDir, 'reports', `${tool}-${repo.replace('/', '__')}.out`);
  mkdirSync(path.dirname(report), { recursive: true });
  rmSync(report, { force: true });
  const r = runner(dir, report, timeoutMs);
  let result;
  if (r.timedOut) result = { seconds: r.seconds, error: `timed out after ${Math.round(r.seconds)} s` };
  else if (!existsSync(report)) result = { seconds: r.seconds, error: `no report (exit ${r.status}): ${r.stderr.trim().split('\n').pop()?.slice(0, 200) ?? ''}` };
  else result = { seconds: r.seconds, findings: r.findings() };
  rmSync(report, { force: true });
  log(`  ${tool}: ${result.error ?? `${result.findings.length} findings`} (${r.seconds.toFixed(1)} s)`);
  if (tool !== 'keywarden' && !result.error) {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(result));
  }
  return result;
}

/**
 * The sites of one tool that need a label: all of them, or, when there are many, a sample of `sampleSize`:
 * the sites already labelled (a labeller's own uniform sample) topped up with a seeded uniform sample of the
 * unlabelled ones.
 */
export function toLabel(sites, labels, { repo, commit, tool, sampleAbove, sampleSize, seed }) {
  const all = [...sites.values()];
  if (all.length <= sampleAbove) return { sites: all, sampled: false };
  const labelled = all.filter((s) => labels.has(siteKey(s.file, s.line)));
  const rest = all.filter((s) => !labels.has(siteKey(s.file, s.line)));
  const topUp = seededSample(rest, Math.max(0, sampleSize - labelled.length), `${repo}@${commit}:${tool}:${seed}`, (s) => siteKey(s.file, s.line));
  return { sites: [...labelled, ...topUp], sampled: true };
}

function scoreTool(sites, labels, trueSites, selection) {
  const tally = (predicate) => {
    const population = [...sites.values()].filter(predicate).length;
    const chosen = selection.sites.filter(predicate);
    const verdicts = chosen.map((s) => labels.get(siteKey(s.file, s.line))?.verdict);
    return {
      population,
      selected: chosen.length,
      labelled: verdicts.filter(Boolean).length,
      tp: verdicts.filter((v) => v === 'tp').length,
      unlabelled: verdicts.filter((v) => !v).length,
    };
  };
  const covers = (t, predicate) => [...sites.values()].some((s) => predicate(s) && s.file === t.file && t.line >= s.line && t.line <= s.endLine);
  const hits = (predicate) => trueSites.filter((t) => covers(t, predicate)).length;
  const warningUp = (s) => LEVEL_RANK[s.level] >= LEVEL_RANK.warning;
  return {
    sites: sites.size,
    byLevel: Object.fromEntries(['error', 'warning', 'note'].map((l) => [l, [...sites.values()].filter((s) => s.level === l).length])),
    sampled: selection.sampled,
    precisionAll: tally(() => true),
    precisionWarning: tally(warningUp),
    recallAll: hits(() => true),
    recallWarning: hits(warningUp),
  };
}

export function evaluateRepos({ repos, labelsDir, cacheDir, mirrors, tools, versions, timeoutMs, sampling, log }) {
  const results = [];
  for (const entry of repos) {
    const mirror = findMirror(mirrors, entry.repo, entry.commit);
    if (mirror.missing) {
      log(`${entry.repo}: skipped, ${mirror.missing}`);
      results.push({ ...entry, missing: 'no mirror with the pinned commit was found' });
      continue;
    }
    log(`${entry.repo}@${entry.commit.slice(0, 12)}`);
    const dir = checkout(cacheDir, entry.repo, mirror.gitDir, entry.commit);
    const labels = loadLabels(path.join(labelsDir, labelFileName(entry.repo)));
    const trueSites = [...labels.values()].filter((l) => l.verdict === 'tp');
    const perTool = {};
    const selections = {};
    for (const [tool, runner] of Object.entries(tools)) {
      const scan = scanCached({ cacheDir, tool, version: versions[tool], runner, repo: entry.repo, commit: entry.commit, dir, timeoutMs, log });
      if (scan.error) {
        perTool[tool] = { error: scan.error, seconds: scan.seconds };
        continue;
      }
      const sites = sitesOf(scan.findings);
      const selection = toLabel(sites, labels, { repo: entry.repo, commit: entry.commit, tool, ...sampling });
      selections[tool] = { sites, selection };
      perTool[tool] = { ...scoreTool(sites, labels, trueSites, selection), seconds: scan.seconds };
    }
    results.push({ ...entry, dir, labels: labels.size, trueSites: trueSites.length, tools: perTool, selections });
  }
  return results;
}

/** Totals over a set of repository results: stratified precision, pooled recall. */
export function totals(results, toolNames) {
  const scored = results.filter((r) => !r.missing);
  const out = {};
  for (const tool of toolNames) {
    const rows = scored.filter((r) => r.tools[tool] && !r.tools[tool].error);
    // A repository labelled in full (not sampled) is a census of its labelled sites; its unlabelled ones are reported apart.
    const strata = (key) =>
      rows.map((r) => {
        const t = r.tools[tool][key];
        return { population: r.tools[tool].sampled ? t.population : t.labelled, labelled: t.labelled, tp: t.tp };
      });
    const trueSites = rows.reduce((sum, r) => sum + r.trueSites, 0);
    out[tool] = {
      repos: rows.length,
      sites: rows.reduce((sum, r) => sum + r.tools[tool].sites, 0),
      unlabelled: rows.reduce((sum, r) => sum + r.tools[tool].precisionAll.unlabelled, 0),
      precisionAll: stratified(strata('precisionAll')),
      precisionWarning: stratified(strata('precisionWarning')),
      recallAll: proportion(rows.reduce((sum, r) => sum + r.tools[tool].recallAll, 0), trueSites),
      recallWarning: proportion(rows.reduce((sum, r) => sum + r.tools[tool].recallWarning, 0), trueSites),
    };
  }
  return out;
}

export function perRepoFigures(result, tool) {
  const t = result.tools[tool];
  if (!t || t.error) return null;
  return {
    precisionAll: proportion(t.precisionAll.tp, t.precisionAll.labelled),
    precisionWarning: proportion(t.precisionWarning.tp, t.precisionWarning.labelled),
    recallAll: proportion(t.recallAll, result.trueSites),
  };
}
