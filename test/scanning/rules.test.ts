import { describe, expect, it } from 'vitest';
import type { SecretRule } from '../../src/scanning/rule.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { scanText } from '../../src/scanning/engine.js';

/** Secrets a rule reports in a sample, through the real engine (prefilter, regex, checks, global filters). */
function secretsFound(rule: SecretRule, file: string, text: string): string[] {
  return scanText(text, file, [rule]).map((match) => match.secret);
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

describe('one secret, one finding', () => {
  it('leaves values a provider rule reports to that rule, not to the generic rules', () => {
    for (const rule of RULES.filter((r) => r.category === 'provider-token')) {
      for (const { file, text } of rule.samples.positive()) {
        const generic = scanText(text, file, RULES).filter((match) => match.rule.category === 'generic-secret');
        expect(generic.map((match) => match.rule.id), `${rule.id} in ${file}`).toEqual([]);
      }
    }
  });

  it('leaves default credentials to the default-credential rules', () => {
    for (const rule of RULES.filter((r) => r.category === 'default-credential')) {
      for (const { file, text } of rule.samples.positive()) {
        const others = scanText(text, file, RULES).filter((match) => !match.rule.id.startsWith('default-credential'));
        expect(others.map((match) => match.rule.id), `${rule.id} in ${file}`).toEqual([]);
      }
    }
  });
});
