import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { parsePolicy } from '../../src/validation/vault-policy/parse.js';
import { RUNS, anyChars, textOf } from '../support/arbitraries.js';

const VAULT = normalizeConfig({}).vault;

/** HCL and JSON syntax and Vault policy words, so generated text gets past the tokenizer into blocks. */
const HCL_FRAGMENTS = ['path ', '"secret/data/*"', '"sys/+/x"', '{', '}', '[', ']', '=', ',', '"', '\n', 'capabilities', '"read"', '"deny"', '"sudo"', 'policy', 'allowed_parameters', '"*"', '[]', '#', '//', '/*', '*/', '<<EOF\n', 'EOF\n', '${x}', '\\', '1h', 'min_wrapping_ttl', 'max_wrapping_ttl', ' ', '\t'];
const JSON_FRAGMENTS = ['{', '}', '[', ']', ':', ',', '"path"', '"secret/*"', '"capabilities"', '"read"', '"list"', 'null', 'true', '1e999', '"\\u0000"', '"', '\n', ' '];

const CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe'];
const pathName = fc.string({ unit: fc.constantFrom(...'abz09/-_.+*'), minLength: 1, maxLength: 24 }).filter((p) => !p.includes('"'));
const policy = fc.uniqueArray(fc.tuple(pathName, fc.uniqueArray(fc.constantFrom(...CAPABILITIES), { minLength: 1 })), { selector: ([p]) => p, maxLength: 6 });

function expectOneLineFindings(text: string): void {
  for (const finding of lintPolicyText(text, 'policies/p.hcl', VAULT)) {
    expect(finding.message).not.toMatch(/[\r\n]/);
    expect(finding.startLine).toBeGreaterThanOrEqual(1);
  }
}

describe('Vault policy parser properties', () => {
  it('never throws on HCL-like text: findings (a syntax finding at worst), each one line', () => {
    fc.assert(fc.property(fc.oneof(textOf(HCL_FRAGMENTS), anyChars(200)), expectOneLineFindings), { numRuns: RUNS.parser });
  });

  it('never throws on JSON-like text', () => {
    fc.assert(fc.property(textOf(JSON_FRAGMENTS), expectOneLineFindings), { numRuns: RUNS.parser });
  });

  it('reads back the paths and capabilities it is given, in HCL and in JSON, at their lines', () => {
    fc.assert(
      fc.property(policy, (blocks) => {
        const hcl = blocks.map(([p, caps]) => `path "${p}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`).join('');
        const json = JSON.stringify({ path: Object.fromEntries(blocks.map(([p, caps]) => [p, { capabilities: caps }])) }, null, 2);
        // JSON objects put integer-like keys first, so JSON blocks are compared by path.
        const byPath = (rules: [string, string[]][]): [string, string[]][] => [...rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [text, order] of [[hcl, (r: [string, string[]][]) => r], [json, byPath]] as const) {
          const parsed = parsePolicy(text, 'p');
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(order(parsed.policy.rules.map((r) => [r.path, r.declaredCapabilities]))).toEqual(order(blocks));
        }
        const parsed = parsePolicy(hcl, 'p');
        if (parsed.ok) expect(parsed.policy.rules.map((r) => r.line)).toEqual(blocks.map((_, i) => 1 + 3 * i));
      }),
      // js-hcl-parser takes ~30 ms a policy: fewer runs here keep the property suite's time bounded.
      { numRuns: 60 },
    );
  });
});
