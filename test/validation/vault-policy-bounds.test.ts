import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { MAX_POLICY_NESTING, nestingProblem } from '../../src/validation/vault-policy/parse.js';

const lint = (text: string) => lintPolicyText(text, 'policies/crafted.hcl', normalizeConfig({}).vault);

describe('crafted Vault policies', () => {
  it('refuses nesting past the bound before parsing, with one line naming file, line and column', () => {
    // 1 KB of nested lists: seconds and a stack overflow in the HCL parser before.
    for (const text of ['a = ' + '['.repeat(500) + ']'.repeat(500), 'a = ' + '['.repeat(1000), 'path "x" ' + '{ a = '.repeat(170)]) {
      const findings = lint(`# crafted\n\n${text}`);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ ruleId: 'vault-policy-syntax', file: 'policies/crafted.hcl', startLine: 3 });
      expect(findings[0]!.message).toBe(`nesting deeper than ${MAX_POLICY_NESTING} levels; not parsed (Vault policies nest a few levels)`);
      expect(findings[0]!.message).not.toContain('\n');
    }
  });

  it('counts only real nesting: brackets in strings and comments do not count, closed levels are given back', () => {
    const quoted = `path "secret/${'['.repeat(100)}" { capabilities = ["read"] } # ${'{'.repeat(100)}\n/* ${'('.repeat(100)} */`;
    expect(nestingProblem(quoted)).toBeUndefined();
    expect(nestingProblem(`a = ${'[]'.repeat(1000)}`)).toBeUndefined();
    expect(lint('path "secret/data/app" {\n  capabilities = ["read"]\n  allowed_parameters = { "k" = [] }\n}\n').filter((f) => f.ruleId === 'vault-policy-syntax')).toEqual([]);
  });

  it('gives the line of the nesting under CR-only line endings too', () => {
    expect(nestingProblem(`# a\r# b\r${'['.repeat(MAX_POLICY_NESTING + 1)}`)).toMatchObject({ line: 3, column: MAX_POLICY_NESTING + 1 });
  });
});
