import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { normalizeConfig } from '../../src/config/normalize.js';
import { describeError } from '../../src/core/errors.js';
import { readHealth } from '../../src/rotation/health.js';
import { corsProblems } from '../../src/validation/env/checks.js';
import { validateEnvFiles } from '../../src/validation/env/index.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { everyOutput, expectNoLeak } from '../support/leak.js';
import { ALNUM, randomChars } from '../scanning/helpers.js';
import { contextFor } from './env-support.js';

/** A token-shaped value (upper, lower and digits), built at test time. */
function token(length = 36): string {
  for (;;) {
    const value = randomChars(ALNUM, length);
    if (/[0-9]/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) return value;
  }
}
const prefixed = (): string => 'gh' + 'p_' + token(36);
const vault = normalizeConfig({}).vault;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('validation messages never echo a value (as built, before the output guard)', () => {
  it('Vault policies: a token in an HCL syntax error, a bogus capability, unknown keys', () => {
    const planted = [prefixed(), prefixed(), prefixed(), prefixed(), prefixed()];
    const policies = [
      `path "secret/*" {\n  capabilities = ["read"] ${planted[0]}\n}\n`,
      `path "secret/*" { capabilities = [${planted[1]}] }\n`,
      `path "secret/*" {\n  capabilities = ["${planted[2]}"]\n}\n`,
      `path "secret/*" {\n  capabilities = ["read"]\n  ${planted[3]} = "x"\n}\n`,
      `${planted[4]} = "x"\npath "secret/*" { capabilities = ["read"] }\n`,
    ];
    const findings = policies.flatMap((text, i) => lintPolicyText(text, `policies/p${i}.hcl`, vault));
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['vault-policy-syntax', 'vault-policy-schema']));
    expect(findings.length).toBeGreaterThanOrEqual(5);
    // A typo that is shaped like a name is still named: the message stays useful.
    expect(lintPolicyText('path "secret/*" {\n  capabilities = ["raed"]\n}\n', 'p.hcl', vault)[0]!.message).toContain('"raed"');
    expectNoLeak(everyOutput(findings), planted, 0);
  });

  it('.env: the last body line of an unquoted multi-line key read as a key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-env-leak-'));
    dirs.push(dir);
    const label = ['PRIVATE', 'KEY'].join(' ');
    const body = Array.from({ length: 4 }, () => randomChars(ALNUM + '+/', 64));
    const last = `${token(40)}==`;
    const lowerLast = `${randomChars('abcdefghijklmnop', 6)}${token(30)}=`;
    writeFileSync(
      path.join(dir, '.env'),
      `APP=1\nSIGNING_KEY=-----BEGIN RSA ${label}-----\n${body.join('\n')}\n${last}\n-----END RSA ${label}-----\nOTHER_KEY=-----BEGIN ${label}-----\n${lowerLast}\n-----END ${label}-----\n`,
    );
    const findings = validateEnvFiles(contextFor(dir));
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['env-syntax-no-equals']));
    expect(findings.some((f) => f.startLine === 7 || f.startLine === 10)).toBe(true);
    expectNoLeak(everyOutput(findings), [...body, last.replace(/=+$/, ''), lowerLast.replace(/=+$/, '')], 0);
  });

  it('CORS: an origin with a password', () => {
    const password = token(16);
    const messages = corsProblems(`https://admin:${password}@*.example.com, http://ops:${password}@app.example.com`, true).map((p) => p.message);
    expect(messages.length).toBe(2);
    for (const message of messages) expect(message).not.toContain(password.slice(0, 8));
    expect(messages.join('\n')).toContain('https://*.example.com');
  });

  it('config: a token pasted as a key or into a field', () => {
    const planted = [prefixed(), prefixed(), token(20)];
    const errors = [
      `scan:\n  ${planted[0]}: true\n`,
      `vault:\n  timeout: ${planted[1]}\n`,
      `scan:\n  max-file-size: ${planted[2]}\n`,
      `rotation:\n  secrets:\n    - name: a\n      path: p\n      key: k\n      max-age: ${planted[2]}\n`,
    ].map((yaml) => {
      try {
        parseConfigText(yaml, '.keywarden.yml');
        return 'no error';
      } catch (error) {
        // The message as built, before describeError's guard: the source itself must not echo.
        return `${describeError(error).split(':')[0]}:${(error as { line?: number }).line}: ${(error as Error).message}`;
      }
    });
    for (const error of errors) expect(error).toMatch(/^\.keywarden\.yml:\d+/);
    expectNoLeak({ errors: errors.join('\n') }, planted, 0);
  });

  it('verify.url: credentials in the URL do not surface through the HTTP library error', async () => {
    const password = token(18);
    const user = token(12);
    const reading = await readHealth(`http://${user}:${password}@127.0.0.1:9/health`, (url, init) => fetch(url, init));
    expect(reading.ok).toBe(false);
    const problem = reading.ok ? '' : reading.problem;
    expect(problem).toContain('http://127.0.0.1:9/health');
    expectNoLeak({ problem }, [password, user], 0);
  });
});
