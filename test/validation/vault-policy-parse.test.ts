import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { Finding } from '../../src/core/finding.js';
import { lintPolicyText } from '../../src/validation/vault-policy/index.js';
import { locatePathBlocks } from '../../src/validation/vault-policy/locate.js';
import { decodePolicyBytes, parsePolicy, parseWrappingTtl, type PolicyRule } from '../../src/validation/vault-policy/parse.js';

const lint = (text: string): Finding[] => lintPolicyText(text, 'policies/app.hcl', normalizeConfig({}).vault);

function rulesOf(text: string): PolicyRule[] {
  const parsed = parsePolicy(text, 'p.hcl');
  if (!parsed.ok) throw new Error(`unexpected parse failure: ${parsed.problem.message}`);
  return parsed.policy.rules;
}

describe('parsePolicy: HCL form', () => {
  it('finds each block with its line and column, past comments and heredocs', () => {
    const text = [
      '# "path" in a comment: path "nope" {}',
      '/* path "also-nope" {',
      '   } */',
      'path "secret/data/app/*" {',
      '  // path "inside" {}',
      '  capabilities = ["read", "list"]',
      '  comment = <<EOT',
      'path "in-heredoc" { }',
      'EOT',
      '}',
      '',
      '  path "/sys/*" { capabilities = ["deny"] }',
    ].join('\n');
    const rules = rulesOf(text);
    expect(rules.map((r) => [r.path, r.line, r.column])).toEqual([
      ['secret/data/app/*', 4, 6],
      ['/sys/*', 12, 8],
    ]);
    expect(rules[0]!.capabilities).toEqual(['read', 'list']);
    expect(rules[1]!.capabilities).toEqual(['deny']);
  });

  it('keeps duplicate blocks apart, each on its own line', () => {
    const rules = rulesOf('path "a" { capabilities = ["read"] }\npath "b" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }');
    expect(rules.map((r) => [r.path, r.line, r.capabilities.join()])).toEqual([
      ['a', 1, 'read'],
      ['b', 2, 'read'],
      ['a', 3, 'list'],
    ]);
  });

  it('handles escaped quotes and the object form path = { … }', () => {
    expect(rulesOf('path "a\\"b" { capabilities = ["read"] }')[0]).toMatchObject({ path: 'a"b', line: 1 });
    const rules = rulesOf('path = {\n  "x" = { capabilities = ["read"] }\n  "y" = { capabilities = ["list"] }\n}');
    expect(rules.map((r) => [r.path, r.line])).toEqual([
      ['x', 2],
      ['y', 3],
    ]);
  });

  it('maps the legacy policy key like Vault', () => {
    const text = ['deny', 'read', 'write', 'sudo'].map((p) => `path "${p}" { policy = "${p}" }`).join('\n');
    expect(rulesOf(text).map((r) => r.capabilities)).toEqual([
      ['deny'],
      ['read', 'list'],
      ['create', 'read', 'update', 'delete', 'list'],
      ['create', 'read', 'update', 'delete', 'list', 'sudo'],
    ]);
    // A legacy deny replaces the list; the others add to it.
    expect(rulesOf('path "a" { capabilities = ["patch"]\n policy = "read" }')[0]!.capabilities).toEqual(['patch', 'read', 'list']);
    expect(rulesOf('path "a" { capabilities = ["read"]\n policy = "deny" }')[0]!.capabilities).toEqual(['deny']);
  });

  it('normalizes parameters and wrapping TTLs', () => {
    const [rule] = rulesOf('path "a" {\n capabilities = ["update"]\n allowed_parameters = { "x" = [], "y" = ["1"] }\n min_wrapping_ttl = "1m30s"\n max_wrapping_ttl = 300\n}');
    expect(rule).toMatchObject({ hasParameters: true, minWrappingTtl: 90, maxWrappingTtl: 300 });
    expect(rule!.body.allowed_parameters).toEqual({ x: [], y: ['1'] });
    expect(parseWrappingTtl('2h')).toBe(7200);
    expect(parseWrappingTtl('soon')).toBeUndefined();
  });

  it('collapses capabilities to deny when deny is present', () => {
    expect(rulesOf('path "a" { capabilities = ["read", "deny"] }')[0]).toMatchObject({ capabilities: ['deny'], declaredCapabilities: ['read', 'deny'] });
  });
});

describe('parsePolicy: JSON form', () => {
  it('reads the object form with key lines', () => {
    const text = JSON.stringify({ path: { 'secret/data/app/*': { capabilities: ['read'] }, 'sys/*': { policy: 'deny' } } }, null, 2);
    const rules = rulesOf(text);
    expect(rules.map((r) => [r.path, r.line, r.capabilities.join()])).toEqual([
      ['secret/data/app/*', 3, 'read'],
      ['sys/*', 8, 'deny'],
    ]);
  });

  it('reads the list form with duplicates', () => {
    const text = '{\n"path": [\n  {"a": {"capabilities": ["read"]}},\n  {"a": {"capabilities": ["list"]}}\n]\n}';
    expect(rulesOf(text).map((r) => [r.path, r.line])).toEqual([
      ['a', 3],
      ['a', 4],
    ]);
  });

  it('lints JSON policies like HCL ones', () => {
    const findings = lint(JSON.stringify({ path: { '*': { capabilities: ['update'] } } }, null, 2));
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([['vault-policy-catch-all', 3]]);
  });
});

describe('structure (schemas/vault-policy.schema.json)', () => {
  it('explains the "write" and "*" capabilities', () => {
    const findings = lint('\npath "secret/data/x" {\n  capabilities = ["read", "write", "*"]\n}');
    const schema = findings.filter((f) => f.ruleId === 'vault-policy-schema');
    expect(schema.map((f) => f.startLine)).toEqual([2, 2]);
    expect(schema[0]!.message).toContain('"write" is not a capability');
    expect(schema[0]!.message).toContain('legacy');
    expect(schema[1]!.message).toContain('"*" is not a capability');
  });

  it('rejects unknown keys in a block and at the top level, on the right lines', () => {
    const findings = lint('name = "app"\npath "a" {\n  capabilities = ["read"]\n  capabilites = ["list"]\n}\nfoo = 1');
    expect(findings.map((f) => [f.ruleId, f.startLine, f.message])).toEqual([
      ['vault-policy-schema', 2, 'path "a": unknown key "capabilites" (Vault rejects the policy)'],
      ['vault-policy-schema', 6, 'unknown top-level key "foo": a policy holds only "name" and "path" blocks (Vault rejects the policy)'],
    ]);
  });

  it('rejects wrong types, a bad legacy policy and a bad TTL', () => {
    const findings = lint('path "a" { capabilities = "read" }\npath "b" { policy = "admin" }\npath "c" {\n capabilities = ["read"]\n max_wrapping_ttl = "soon"\n}');
    const messages = findings.filter((f) => f.ruleId === 'vault-policy-schema').map((f) => `${f.startLine} ${f.message}`);
    expect(messages).toEqual([
      '1 path "a": capabilities: must be a list',
      '2 path "b": invalid policy "admin": use deny, read, write or sudo',
      '3 path "c": max_wrapping_ttl: must be a duration such as "90s" or a number of seconds',
    ]);
  });

  it('reports extra labels (path "a" "b") as an unknown key', () => {
    const [finding] = lint('path "a" "b" { capabilities = ["read"] }');
    expect(finding).toMatchObject({ ruleId: 'vault-policy-schema', startLine: 1 });
    expect(finding!.message).toContain('unknown key "b"');
  });
});

describe('broken input', () => {
  it('reports HCL syntax errors on their line and column', () => {
    const findings = lint('path "a" {\n  capabilities = ["read"]\n\npath "b" { capabilities = [read] }\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'vault-policy-syntax', startLine: 4, startColumn: 28, level: 'error' });
    expect(findings[0]!.message).toMatch(/^HCL syntax error: /);
  });

  it('reports an unclosed block', () => {
    const [finding] = lint('path "a" {\n  capabilities = ["read"]\n');
    expect(finding).toMatchObject({ ruleId: 'vault-policy-syntax', startLine: 3 });
    expect(finding!.message).toContain('RBRACE');
  });

  it('reports an empty policy and a comment-only policy', () => {
    expect(lint('').map((f) => f.ruleId)).toEqual(['vault-policy-empty']);
    expect(lint('# nothing here\n').map((f) => f.ruleId)).toEqual(['vault-policy-empty']);
  });

  it('reports path as a plain value', () => {
    const [finding] = lint('\npath = "secret/data/x"');
    expect(finding).toMatchObject({ ruleId: 'vault-policy-syntax', startLine: 2 });
  });

  it('refuses binary content and invalid UTF-8 with a line', () => {
    const binary = decodePolicyBytes(Uint8Array.from([0x70, 0x61, 0x0a, 0x00, 0x01, 0x02]));
    expect(binary).toEqual({ problem: { message: 'binary content (NUL byte): not a Vault policy', line: 2, column: 1 } });
    const latin1 = decodePolicyBytes(Buffer.concat([Buffer.from('path "a" {}\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(latin1).toMatchObject({ problem: { line: 2 } });
    expect(decodePolicyBytes(Buffer.from('\uFEFFpath "a" {}'))).toEqual({ text: 'path "a" {}' });
  });

  it('survives pathological input without throwing', () => {
    const inputs = ['{', '}', '"', 'path', 'path "', '<<EOF', 'path "a" { capabilities = <<EOF\nread\nEOF\n}', '\u0000', '{"path": 5}', '[1,2]', 'a'.repeat(10_000)];
    for (const input of inputs) expect(() => lint(input)).not.toThrow();
  });
});

describe('locatePathBlocks', () => {
  it('ignores nested keys named path', () => {
    const text = 'path "a" {\n  capabilities = ["read"]\n  allowed_parameters = { "path" = [] }\n}';
    expect(locatePathBlocks(text)).toEqual([{ path: 'a', line: 1, column: 6 }]);
  });

  it('ignores a top-level value that reads "path"', () => {
    expect(locatePathBlocks('name = "path"\npath "a" {}')).toEqual([{ path: 'a', line: 2, column: 6 }]);
  });

  it('accepts a quoted "path" keyword and bare labels', () => {
    expect(locatePathBlocks('"path" "a" {}\npath b {}').map((l) => [l.path, l.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
