import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo } from '../support/git-repo.js';
import { runCli } from '../support/run-built.js';

/**
 * Everything a hostile or careless repository can hold, through the built CLI at once:
 * every problem is a finding with a file and a line, nothing crashes, nothing is lost.
 */
describe('the built CLI on bad input', () => {
  const repo = new GitRepo('kw-bad-');
  beforeAll(() => {
    repo.commit('bad input', {
      '.keywarden.yml': [
        'scan:',
        '  max-file-size: 64KiB',
        'env:',
        '  - files: "deploy/*.env"',
        'vault:',
        '  policies: ["policies/*"]',
        '',
      ].join('\n'),
      'deploy/binary.env': Buffer.from([0x4b, 0x3d, 0x00, 0xff, 0xfe, 0x00, 0x01]),
      'deploy/quotes.env': 'GOOD=1\nBROKEN="never closed\nLATER=2\n',
      'deploy/latin1.env': Buffer.concat([Buffer.from('A=1\nNAME=caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'policies/broken.hcl': 'path "secret/data/app/*" {\n  capabilities = ["read"\n',
      'policies/garbage.json': Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      'big/huge.txt': 'x'.repeat(200 * 1024),
      'assets/image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      'src/long-line.js': `const data = "${'a1'.repeat(60_000)}";\n`,
    });
  });
  afterAll(() => repo.remove());

  it('reports findings with positions, exit 1, and never a stack trace', () => {
    const ran = runCli(['check', '.', '--format', 'json'], { cwd: repo.dir });
    expect(ran.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(ran.code).toBe(1);
    const report = JSON.parse(ran.stdout) as { findings: { file: string; startLine: number; ruleId: string; level: string }[] };
    const byFile = (file: string) => report.findings.filter((f) => f.file === file);

    for (const f of report.findings) {
      expect(f.file, JSON.stringify(f)).toBeTruthy();
      expect(f.startLine, JSON.stringify(f)).toBeGreaterThanOrEqual(1);
    }
    expect(byFile('deploy/binary.env').length).toBeGreaterThan(0);
    expect(byFile('deploy/quotes.env').some((f) => f.startLine === 2)).toBe(true);
    // Not valid UTF-8: reported on the offending line rather than guessed at.
    expect(byFile('deploy/latin1.env').filter((f) => f.ruleId.startsWith('env-')).map((f) => `${f.ruleId}:${f.startLine}`)).toEqual(['env-not-text:2']);
    expect(byFile('policies/broken.hcl').some((f) => f.ruleId === 'vault-policy-syntax')).toBe(true);
    expect(byFile('policies/garbage.json').some((f) => f.ruleId === 'vault-policy-syntax')).toBe(true);
    expect(byFile('big/huge.txt').map((f) => f.ruleId)).toEqual(['scan-file-too-large']);
    expect(byFile('assets/image.png')).toEqual([]);
  });

  it('names the file and line of a config that is not YAML, and exits 2', () => {
    const other = new GitRepo('kw-bad-cfg-');
    other.commit('cfg', { '.keywarden.yml': 'scan:\n  exclude: [\n  - "a"\n\tbad: tab\n' });
    const ran = runCli(['check'], { cwd: other.dir });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^keywarden: \.keywarden\.yml:\d+:\d+: invalid YAML/);
    other.remove();
  });
});
