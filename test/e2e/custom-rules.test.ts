import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { ALNUM, secretChars } from '../support/random.js';
import { parseGithubOutput, runAction, runCli } from '../support/run-built.js';

/** A token of an in-house "acme" service, built at test time: `acme` + `_` + 32 mixed characters. */
const acmeToken = (): string => 'acme' + '_' + secretChars(ALNUM, 32, (v) => /[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v));

/** A gitleaks-style rule (RE2 `(?P<secret>…)`, leading `(?i)`), proven by its own samples at load. */
function config(overrides: Record<string, unknown> = {}): string {
  const rule = {
    id: 'acme-token',
    description: 'Acme service token',
    regex: '(?i)(?<![a-z0-9_])(?P<secret>acme_[a-z0-9]{32})(?![a-z0-9_])',
    keywords: ['acme_'],
    entropy: 3,
    severity: 'critical',
    samples: { positive: [`ACME_TOKEN=${acmeToken()}`], negative: ['ACME_TOKEN=acme_short'] },
    ...overrides,
  };
  return stringify({ scan: { rules: [rule] } });
}

describe('custom rules through the built CLI and action', () => {
  const repo = new GitRepo('kw-custom-rules-');
  const token = acmeToken();

  beforeAll(() => {
    repo.commit('fixture', { '.keywarden.yml': config(), 'src/client.py': `import acme\nclient = acme.Client("${token}")\n` });
  });
  afterAll(() => repo.remove());

  it('CLI: reports what the rule finds, redacted, under its id, in text and JSON', () => {
    const text = runCli(['scan', '.', '--no-color'], { cwd: repo.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('acme-token');
    expect(text.stdout).toMatch(/src\/client\.py\n\s+2:\d+\s+error/);
    // The rule's own samples are fake by definition: the config that holds them is not a finding.
    expect(text.stdout).not.toContain('.keywarden.yml');
    expect(text.stdout).not.toContain(token.slice(4));

    const json = runCli(['scan', '.', '--format', 'json'], { cwd: repo.dir });
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; file: string; startLine: number; severity: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'acme-token', file: 'src/client.py', startLine: 2, severity: 'critical' }));
    expect(json.stdout).not.toContain(token.slice(4));
  });

  it('CLI: a rule that misses its own positive sample stops the run with the line of that sample', () => {
    const dir = new GitRepo('kw-custom-rules-bad-');
    const text = config({ samples: { positive: ['ACME_TOKEN=acme_tooshort'] } });
    dir.commit('bad rule', { '.keywarden.yml': text, 'a.txt': 'a\n' });
    const ran = runCli(['scan', '.'], { cwd: dir.dir });
    const line = text.split('\n').findIndex((l) => l.includes('acme_tooshort')) + 1;
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(new RegExp(`\\.keywarden\\.yml:${line}:\\d+: scan\\.rules\\[0\\]\\.samples\\.positive\\[0\\]: positive sample 1 is not found by the rule`));
    expect(ran.stderr).not.toMatch(/\n\s+at /);
    dir.remove();
  });

  it('action: the rule is in the SARIF rules with its description, and its finding fails the job', () => {
    const work = tempDir('kw-runner-');
    const files = { event: path.join(work, 'event.json'), output: path.join(work, 'output.txt'), summary: path.join(work, 'summary.md') };
    writeFileSync(files.event, '{}');
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    const ran = runAction({
      cwd: repo.dir,
      inputs: {},
      env: {
        GITHUB_WORKSPACE: repo.dir,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_REPOSITORY: 'acme/widgets',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: repo.git('rev-parse', 'HEAD'),
        GITHUB_ACTIONS: 'true',
        RUNNER_TEMP: work,
      },
    });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/::error title=[^,]*,file=src\/client\.py,line=2/);
    const outputs = parseGithubOutput(readFileSync(files.output, 'utf8'));
    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    const rules = sarif.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string } }[];
    expect(rules.find((r) => r.id === 'acme-token')?.shortDescription.text).toContain('Acme service token');
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('acme-token');
    // `::add-mask::` hands the value to the runner so that it masks it; nothing else may print it.
    const log = ran.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    for (const output of [log, readFileSync(outputs['sarif-file']!, 'utf8'), readFileSync(files.summary, 'utf8')]) expect(output).not.toContain(token.slice(4));
  });
});
