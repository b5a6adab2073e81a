// TruffleHog's detector pattern tests: pkg/detectors/<detector>/…/*_test.go (not the integration tests) have
// Test…_Pattern functions with a table `tests := []struct{…}{ {name, input, want}, … }`. Each case's `input`
// is evaluated (string literals, constants of the file, +, fmt.Sprintf, strings.Repeat); a case whose input
// needs anything else is left out and counted. A case with a non-empty `want` is a positive: found when a tool
// reports anything in its file; a case with an empty `want` is a negative: flagged likewise. Only the focus
// providers listed in eval/suites.json are taken.
import path from 'node:path';
import { listFiles, readFiles } from '../sources.mjs';
import { declarations, evaluate, items, skipGroup, tokenize } from '../gosrc.mjs';
import { pct, scanCases, writeCases } from './common.mjs';

/** Pattern-test cases of one Go test file: [{ name, input | undefined, positive }]. */
export function patternCases(src) {
  const tokens = tokenize(src);
  const decls = declarations(tokens);
  const out = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].value !== 'func' || !/^Test\w*_Pattern\w*$/.test(tokens[i + 1]?.value ?? '')) continue;
    // The first `tests := []struct {…}{…}` after the function's name.
    let j = i + 2;
    while (j + 5 < tokens.length && !(tokens[j].value === 'tests' && tokens[j + 1].value === ':=' && tokens[j + 2].value === '[' && tokens[j + 4].value === 'struct')) {
      if (tokens[j].value === 'func' && j > i + 2 && tokens[j - 1].value === ';') break;
      j++;
    }
    if (tokens[j]?.value !== 'tests') continue;
    const bodyOpen = j + 5;
    const listOpen = skipGroup(tokens, bodyOpen);
    if (tokens[listOpen]?.value !== '{') continue;
    for (const [s] of items(tokens, listOpen)) {
      if (tokens[s].value !== '{') continue;
      const fields = {};
      for (const [fs, fe] of items(tokens, s)) {
        if (tokens[fs].type === 'ident' && tokens[fs + 1]?.value === ':') fields[tokens[fs].value] = [fs + 2, fe];
      }
      const inputField = fields.input ?? fields.data;
      if (!inputField || fields.skip) continue;
      const positive = positivity(tokens, decls, fields);
      if (positive === undefined) continue;
      const name = fields.name ? evaluate(tokens, ...fields.name, { decls }) : '';
      const input = evaluate(tokens, ...inputField, { decls });
      out.push({ name: typeof name === 'string' ? name : '', input: typeof input === 'string' ? input : undefined, positive });
    }
    i = listOpen;
  }
  return out;
}

/**
 * Whether a case expects a match: `want` is nil / an empty or non-empty list (literal, or a constant of the
 * file), or `shouldMatch` is true / false. undefined when the table says neither.
 */
function positivity(tokens, decls, fields) {
  if (fields.shouldMatch) {
    const v = tokens[fields.shouldMatch[0]].value;
    return v === 'true' ? true : v === 'false' ? false : undefined;
  }
  if (!fields.want) return undefined;
  let [ws, we] = fields.want;
  if (tokens[ws].type === 'ident' && we === ws + 1 && tokens[ws].value !== 'nil') [ws, we] = decls.get(tokens[ws].value) ?? [ws, we];
  if (tokens[ws].value === 'nil' && we === ws + 1) return false;
  if (tokens[ws].value !== '[' || tokens[ws + 1]?.value !== ']') return undefined;
  // The `{` of a `[]T{…}` composite (T may be qualified).
  let open = ws + 2;
  while (open < we && tokens[open].value !== '{') open++;
  return open < we ? items(tokens, open).length > 0 : undefined;
}

export function extractTrufflehog(gitDir, commit, focus) {
  const isFocus = (p) => focus.some((d) => p.startsWith(`pkg/detectors/${d}/`));
  const paths = listFiles(gitDir, commit, (p) => p.startsWith('pkg/detectors/') && p.endsWith('_test.go') && !/integration/.test(p) && isFocus(p));
  const contents = readFiles(gitDir, commit, paths);
  const cases = [];
  let notEvaluated = 0;
  const unread = [];
  const present = new Set();
  for (const p of paths) {
    const detector = focus.find((d) => p.startsWith(`pkg/detectors/${d}/`));
    present.add(detector);
    const found = patternCases(contents.get(p).toString('utf8'));
    // A test file with no pattern table this reader understands is named, never silently dropped.
    if (found.length === 0) unread.push(p.slice('pkg/detectors/'.length));
    found.forEach((c, n) => {
      if (c.input === undefined) {
        notEvaluated++;
        return;
      }
      const stem = p.slice('pkg/detectors/'.length, -'.go'.length).replace(/\//g, '__');
      cases.push({ detector, positive: c.positive, name: c.name, file: `${c.positive ? 'positive' : 'negative'}/${stem}-${n + 1}.txt`, content: c.input });
    });
  }
  return { files: paths.length, cases, notEvaluated, unread, absent: focus.filter((d) => !present.has(d)) };
}

export function scoreTrufflehog({ cacheDir, gitDir, commit, tools, focus, timeoutMs, log }) {
  const { files, cases, notEvaluated, unread, absent } = extractTrufflehog(gitDir, commit, focus);
  const positives = cases.filter((c) => c.positive);
  const negatives = cases.filter((c) => !c.positive);
  log(`trufflehog pattern tests: ${focus.length - absent.length} focus detectors, ${files} test files, ${positives.length} positive and ${negatives.length} negative cases (${notEvaluated} not evaluable, left out; ${unread.length} test files without a pattern table read)`);
  const dir = path.join(cacheDir, 'suites', 'trufflehog');
  writeCases(dir, cases);
  const scans = scanCases(dir, tools, path.join(cacheDir, 'reports'), timeoutMs, log);
  const out = {};
  for (const [tool, scan] of Object.entries(scans)) {
    if (scan.error) {
      out[tool] = { error: scan.error };
      continue;
    }
    const found = positives.filter((c) => scan.byFile.has(c.file));
    const flagged = negatives.filter((c) => scan.byFile.has(c.file));
    const perDetector = {};
    for (const c of positives) {
      const d = (perDetector[c.detector] ??= { cases: 0, found: 0 });
      d.cases++;
      if (found.includes(c)) d.found++;
    }
    out[tool] = {
      positives: positives.length,
      found: found.length,
      rate: pct(found.length, positives.length),
      negatives: negatives.length,
      flagged: flagged.length,
      flaggedRate: pct(flagged.length, negatives.length),
      perDetector,
    };
  }
  return { commit, focus: focus.length, absent, files, notEvaluated, unread, tools: out };
}
