import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactValue } from '../../src/core/redact.js';
import { planAnnotations, renderJson, renderSarif, renderSummary, renderText } from '../../src/reporting/index.js';
import { tempDir } from '../support/git-repo.js';
import { fakeSecret, finding, reportOf } from './fixtures.js';

const dir = tempDir('kw-leak-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no reporter leaks a secret', () => {
  it('prints only the redacted snippet, never the value, even when the file is readable', () => {
    const secret = fakeSecret();
    const shortSecret = fakeSecret().slice(0, 10); // under 12 characters: redacted to nothing

    // The files the findings point at really exist (relative to the working directory) and hold
    // the values: a reporter that re-read them for context would leak.
    const relFile = (name: string) => {
      const full = path.join(dir, name);
      mkdirSync(path.dirname(full), { recursive: true });
      return path.relative(process.cwd(), full).split(path.sep).join('/');
    };
    const file = relFile('src/settings.py');
    writeFileSync(path.join(dir, 'src/settings.py'), `API_TOKEN = "${secret}"\nPIN = "${shortSecret}"\n`);
    expect(readFileSync(file, 'utf8')).toContain(secret);

    const findings = [
      finding({ file, startLine: 1, startColumn: 14, endColumn: 14 + secret.length, snippet: redactValue(secret), fingerprintMaterial: secret }),
      finding({ file, startLine: 2, startColumn: 8, snippet: redactValue(shortSecret), fingerprintMaterial: shortSecret, severity: 'medium' }),
      finding({ file, startLine: 1, snippet: redactValue(secret), fingerprintMaterial: secret, commit: 'f'.repeat(40), severity: 'low' }),
    ];
    findings[2]!.suppression = { kind: 'baseline', justification: 'accepted' };
    const report = reportOf(findings, { repositoryUrl: 'https://github.com/octo/repo', commitSha: 'c'.repeat(40) });

    const { annotations } = planAnnotations(report);
    const outputs: Record<string, string> = {
      text: renderText(report, { color: false }),
      colour: renderText(report, { color: true }),
      json: renderJson(report),
      sarif: renderSarif(report),
      summary: renderSummary(report, { omittedAnnotations: 0 }),
      annotations: JSON.stringify(annotations),
    };

    expect(outputs.json).toContain(`${secret.slice(0, 4)}…`);
    for (const [name, output] of Object.entries(outputs)) {
      expect(output.includes(secret), `${name} contains the secret`).toBe(false);
      expect(output.includes(shortSecret), `${name} contains the short secret`).toBe(false);
      // Not even a piece of the value past the 4 characters redactValue() keeps.
      for (let start = 4; start + 8 <= secret.length; start += 4) {
        expect(output.includes(secret.slice(start, start + 8)), `${name} contains part of the secret`).toBe(false);
      }
    }
  });
});
