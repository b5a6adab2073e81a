// Shared by the peers' suites: write extracted cases into a fresh folder of the cache (its own git
// repository, since keywarden lists files through git), scan it once with every tool, and group the
// findings by case file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeCases(dir, cases) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const c of cases) {
    mkdirSync(path.dirname(path.join(dir, c.file)), { recursive: true });
    writeFileSync(path.join(dir, c.file), c.content);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
}

/** tool → Map(file → findings[]), or tool → { error } when it produced no report. */
export function scanCases(dir, tools, reportDir, timeoutMs, log) {
  const out = {};
  mkdirSync(reportDir, { recursive: true });
  for (const [tool, runner] of Object.entries(tools)) {
    const report = path.join(reportDir, `${path.basename(dir)}-${tool}.out`);
    rmSync(report, { force: true });
    const r = runner(dir, report, timeoutMs);
    let findings;
    try {
      findings = r.findings();
    } catch {
      out[tool] = { error: r.timedOut ? `timed out after ${Math.round(r.seconds)} s` : `no report (exit ${r.status})` };
      log(`  ${tool}: ${out[tool].error}`);
      continue;
    }
    rmSync(report, { force: true });
    const byFile = new Map();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    out[tool] = { byFile, seconds: r.seconds };
    log(`  ${tool}: ${findings.length} findings in ${byFile.size} files (${r.seconds.toFixed(1)} s)`);
  }
  return out;
}

export const pct = (n, d) => (d === 0 ? null : n / d);
