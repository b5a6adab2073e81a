import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { planAnnotations, renderJson, renderSarif, renderSummary, renderText } from '../../src/reporting/index.js';
import { runScan } from '../../src/scanning/index.js';
import { BASE64, checksummedToken, mixed } from '../../src/scanning/rules/support.js';
import { scanContext } from '../scanning/helpers.js';
import { normalizeConfig } from '../../src/config/normalize.js';
import { parseEnv } from '../../src/validation/env/parse.js';
import { envFinding } from '../../src/validation/env/read.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { RUNS, anyChars, leakIn, planted, textOf } from '../support/arbitraries.js';

/**
 * Redaction, judged on the public outputs only: a value planted in arbitrary surrounding text is
 * scanned by the real scanner, and no report format, annotation, summary or log line may show it
 * (at most the first 4 characters of a reported value).
 */

const dir = mkdtempSync(path.join(tmpdir(), 'kw-redact-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SURROUNDINGS = ['\n', ' ', '"', "'", '=', ': ', ',', ';', '#', '//', '<', '>', '(', ')', '{', '}', '[', ']', 'token', 'password', 'secret', 'key', 'url', 'http://', '@', '\\', '\\n', '%', '::', '`'];
const FILES = ['src/app.ts', 'config/settings.yml', '.env.production', 'deploy/values.json', 'notes/README.md', 'main.go'];

function render(report: Report): Record<string, string> {
  return {
    text: renderText(report, { color: false }),
    json: renderJson(report),
    sarif: renderSarif(report),
    summary: renderSummary(report, { omittedAnnotations: 0 }),
    annotations: JSON.stringify(planAnnotations(report).annotations),
  };
}

const reportOf = (findings: Report['findings']): Report => ({
  tool: { name: 'keywarden', version: '0.0.0', informationUri: 'https://github.com/keywarden/keywarden' },
  command: 'validate',
  findings,
  rules: [],
  failOn: 'error',
});

/** Scans one file holding `text` and renders everything a user or the runner would see. */
async function outputsFor(file: string, text: string): Promise<Record<string, string>> {
  rmSync(dir, { recursive: true, force: true });
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  const { ctx, logs } = scanContext(dir);
  const result = await runScan(ctx, { mode: 'tree' });
  const report: Report = {
    tool: { name: 'keywarden', version: '0.0.0', informationUri: 'https://github.com/keywarden/keywarden' },
    command: 'scan',
    findings: result.findings,
    rules: result.rules,
    failOn: 'error',
  };
  return {
    text: renderText(report, { color: false }),
    json: renderJson(report),
    sarif: renderSarif(report),
    summary: renderSummary(report, { omittedAnnotations: 0 }),
    annotations: JSON.stringify(planAnnotations(report).annotations),
    logs: logs.join('\n'),
  };
}

const githubToken = fc.constant(null).map(() => checksummedToken(['gh', 'p_'].join('')));

describe('redaction on every output', () => {
  it('a reported token shows at most its first 4 characters, whatever surrounds it and whatever the file', async () => {
    await fc.assert(
      fc.asyncProperty(textOf(SURROUNDINGS, 12), githubToken, textOf(SURROUNDINGS, 12), fc.constantFrom(...FILES), async (before, token, after, file) => {
        const outputs = await outputsFor(file, `${before} ${token} ${after}\n`);
        expect(leakIn(outputs, token)).toBeUndefined();
      }),
      { numRuns: RUNS.pipeline / 3 },
    );
  });

  it('a value no rule reports never prints, even on the line of a finding', async () => {
    await fc.assert(
      fc.asyncProperty(githubToken, planted(), anyChars(8), fc.constantFrom(...FILES), async (token, value, noise, file) => {
        const outputs = await outputsFor(file, `GITHUB_TOKEN="${token}" other="${value}" ${noise}\n`);
        expect(leakIn(outputs, value)).toBeUndefined();
      }),
      { numRuns: RUNS.pipeline / 3 },
    );
  });

  it('no part of a private-key body prints, written as PEM lines or as one \\n-escaped string', async () => {
    const body = fc.constant(null).map(() => Array.from({ length: 8 }, () => mixed(BASE64, 64)));
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), fc.constantFrom('RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY'), async (lines, escaped, label) => {
        const pem = [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
        const text = escaped ? `${JSON.stringify({ type: 'service_account', private_key: pem }, null, 2)}\n` : pem;
        const outputs = await outputsFor(escaped ? 'keys/sa.json' : 'keys/id.pem', text);
        for (const line of lines) expect(leakIn(outputs, line)).toBeUndefined();
      }),
      { numRuns: 20 },
    );
  });

  it('validation messages never echo a value planted in a .env file or a Vault policy, whatever the syntax around it', () => {
    const ENV = ['\n', 'KEY', 'export ', '=', ' = ', ':', '"', "'", '\\', '#', ' #', '${A}', ' '];
    const HCL = ['path ', '"', '{', '}', '[', ']', '=', ',', '\n', 'capabilities', '"read"', 'policy', 'allowed_parameters', '#', '<<EOF\n', 'EOF\n', ' '];
    fc.assert(
      fc.property(textOf(ENV, 10), planted(), textOf(ENV, 10), textOf(HCL, 10), textOf(HCL, 10), (envBefore, value, envAfter, hclBefore, hclAfter) => {
        const envText = envBefore + value + envAfter;
        const envFindings = parseEnv(envText).problems.map((p) => envFinding({ ruleId: p.ruleId, file: '.env', line: p.line, column: p.column, message: p.message, material: p.message }));
        expect(leakIn(render(reportOf(envFindings)), value), envText).toBeUndefined();
        const policy = hclBefore + value + hclAfter;
        expect(leakIn(render(reportOf(lintPolicyText(policy, 'policies/app.hcl', normalizeConfig({}).vault))), value), policy).toBeUndefined();
      }),
      { numRuns: RUNS.pipeline },
    );
  });
});
