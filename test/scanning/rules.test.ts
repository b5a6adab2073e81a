import { describe, expect, it } from 'vitest';
import { minimatch } from 'minimatch';
import type { SecretRule } from '../../src/scanning/rule.js';
import { RULES } from '../../src/scanning/rules/index.js';

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** The rule's own checks (path scope, regex, allow list, entropy, confirm), applied the way the engine applies them. */
function secretsFound(rule: SecretRule, file: string, text: string): string[] {
  if (rule.paths && !rule.paths.some((glob) => minimatch(file, glob, { dot: true }))) return [];
  const regex = new RegExp(rule.pattern.source, rule.pattern.flags + 'g');
  const found: string[] = [];
  for (const match of text.matchAll(regex)) {
    const secret = match.groups?.secret;
    if (secret === undefined) continue;
    if (rule.allow?.some((allowed) => allowed.test(secret))) continue;
    if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const lineEnd = text.indexOf('\n', match.index);
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (rule.confirm && !rule.confirm({ secret, groups: { ...match.groups }, line, file })) continue;
    found.push(secret);
  }
  return found;
}

describe('rule table', () => {
  it('has at least 60 rules with unique ids', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(60);
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('marks default-credential rules by id and category together', () => {
    for (const rule of RULES) {
      expect(rule.id.startsWith('default-credential'), rule.id).toBe(rule.category === 'default-credential');
    }
  });

  it('gives every rule a named secret group, lower-case keywords and a remediation', () => {
    for (const rule of RULES) {
      expect(rule.pattern.source, rule.id).toContain('(?<secret>');
      expect(rule.pattern.flags, rule.id).not.toContain('g');
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
      for (const keyword of rule.keywords) expect(keyword, rule.id).toBe(keyword.toLowerCase());
      expect(rule.remediation.length, rule.id).toBeGreaterThan(20);
    }
  });
});

describe('rule samples', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      it('reports every positive sample, each holding one of its keywords', () => {
        const positives = rule.samples.positive();
        expect(positives.length).toBeGreaterThan(0);
        for (const { file, text } of positives) {
          const lower = text.toLowerCase();
          expect(rule.keywords.some((keyword) => lower.includes(keyword)), `keyword missing in ${file}`).toBe(true);
          expect(secretsFound(rule, file, text).length, `not found in ${file}: ${text.slice(0, 30)}`).toBeGreaterThan(0);
        }
      });

      it('reports no negative sample', () => {
        const negatives = rule.samples.negative();
        expect(negatives.length).toBeGreaterThan(0);
        for (const { file, text } of negatives) {
          expect(secretsFound(rule, file, text), `false positive in ${file}: ${text.slice(0, 30)}`).toEqual([]);
        }
      });
    });
  }
});
