// secretlint's rule snapshot tests: packages/@secretlint/secretlint-rule-<rule>/test/snapshots/<case>/ holds an
// input file and output.json, secretlint's own expected messages. Only the rules of its recommended preset are
// taken (read from the preset's source), and only cases run with the rule's default options (no
// .secretlintrc.json with "options"), since every tool here runs with its defaults. An "ng." case passes when a
// tool reports every line that output.json reports; an "ok." case (no expected message) is flagged when a tool
// reports anything in it.
import path from 'node:path';
import { listFiles, readFiles } from '../sources.mjs';
import { pct, scanCases, writeCases } from './common.mjs';

const PRESET = 'packages/@secretlint/secretlint-rule-preset-recommend/src/index.ts';
const NOT_SECRETS = new Set(['filter-comments']);

export function extractSecretlint(gitDir, commit) {
  const preset = readFiles(gitDir, commit, [PRESET]).get(PRESET).toString('utf8');
  const rules = [...preset.matchAll(/from\s+["']@secretlint\/secretlint-rule-([\w-]+)["']/g)].map((m) => m[1]).filter((r) => !NOT_SECRETS.has(r));
  const files = listFiles(gitDir, commit, (p) => /^packages\/@secretlint\/secretlint-rule-[\w-]+\/test\/snapshots\/[^/]+\/[^/]+$/.test(p));
  const byCase = new Map();
  for (const p of files) {
    const [, rule, name, file] = /^packages\/@secretlint\/secretlint-rule-([\w-]+)\/test\/snapshots\/([^/]+)\/([^/]+)$/.exec(p);
    if (!rules.includes(rule)) continue;
    const key = `${rule}/${name}`;
    byCase.set(key, { rule, name, dir: path.posix.dirname(p), files: [...(byCase.get(key)?.files ?? []), file] });
  }
  const wanted = [...byCase.values()].flatMap((c) => c.files.map((f) => `${c.dir}/${f}`));
  const contents = readFiles(gitDir, commit, wanted);
  const cases = [];
  const skipped = { options: 0, noInput: 0 };
  for (const c of byCase.values()) {
    const rc = c.files.includes('.secretlintrc.json') ? contents.get(`${c.dir}/.secretlintrc.json`).toString('utf8') : null;
    if (rc && /"options"\s*:/.test(rc)) {
      skipped.options++;
      continue;
    }
    if (!c.files.includes('output.json')) {
      skipped.noInput++;
      continue;
    }
    const output = JSON.parse(contents.get(`${c.dir}/output.json`).toString('utf8'));
    const inputName = path.posix.basename(String(output.filePath ?? ''));
    if (!c.files.includes(inputName)) {
      skipped.noInput++;
      continue;
    }
    const lines = [...new Set((output.messages ?? []).map((m) => m.loc?.start?.line ?? 1))];
    cases.push({ rule: c.rule, name: c.name, file: `${c.rule}/${c.name}/${inputName}`, content: contents.get(`${c.dir}/${inputName}`), expectedLines: lines });
  }
  return { rules, cases, skipped };
}

export function scoreSecretlint({ cacheDir, gitDir, commit, tools, timeoutMs, log }) {
  const { rules, cases, skipped } = extractSecretlint(gitDir, commit);
  const positives = cases.filter((c) => c.expectedLines.length > 0);
  log(`secretlint snapshots: ${rules.length} rules, ${positives.length} ng and ${cases.length - positives.length} ok cases (${skipped.options} with non-default options left out)`);
  const dir = path.join(cacheDir, 'suites', 'secretlint');
  writeCases(dir, cases);
  const scans = scanCases(dir, tools, path.join(cacheDir, 'reports'), timeoutMs, log);
  const out = {};
  for (const [tool, scan] of Object.entries(scans)) {
    if (scan.error) {
      out[tool] = { error: scan.error };
      continue;
    }
    const covered = (c, line) => (scan.byFile.get(c.file) ?? []).some((f) => line >= f.line && line <= (f.endLine ?? f.line));
    const passed = positives.filter((c) => c.expectedLines.every((l) => covered(c, l)));
    const expectedLines = positives.reduce((n, c) => n + c.expectedLines.length, 0);
    const foundLines = positives.reduce((n, c) => n + c.expectedLines.filter((l) => covered(c, l)).length, 0);
    const negatives = cases.filter((c) => c.expectedLines.length === 0);
    const flagged = negatives.filter((c) => scan.byFile.has(c.file));
    const perRule = {};
    for (const c of positives) {
      const r = (perRule[c.rule] ??= { cases: 0, passed: 0 });
      r.cases++;
      if (passed.includes(c)) r.passed++;
    }
    out[tool] = {
      cases: positives.length,
      passed: passed.length,
      rate: pct(passed.length, positives.length),
      lines: expectedLines,
      linesFound: foundLines,
      okCases: negatives.length,
      okFlagged: flagged.length,
      missedRules: Object.entries(perRule).filter(([, r]) => r.passed < r.cases).map(([rule, r]) => `${rule} ${r.passed}/${r.cases}`),
    };
  }
  return { commit, rules: rules.length, skipped, tools: out };
}
