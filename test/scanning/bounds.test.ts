import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATES_PER_FILE, MAX_CANDIDATES_PER_LINE, scanTextBounded } from '../../src/scanning/engine.js';
import { RULES } from '../../src/scanning/rules/index.js';
import type { SecretRule } from '../../src/scanning/rule.js';
import { MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_LINE, ScanSession } from '../../src/scanning/session.js';
import { demoToken, scanContext, TOKEN_RULE } from './helpers.js';

/**
 * Linear time, bounded memory: no timing assertions. The work per match is counted (a rule whose
 * confirm counts its calls), the output is checked for its bounds, and a 10 MB adversarial line
 * only has to finish within the default test timeout.
 */

function session(rules: SecretRule[] = RULES): ScanSession {
  return new ScanSession(scanContext('/nonexistent').ctx, rules);
}

/** A rule that matches every `k=v;` and counts how often its confirm runs. */
function countingRule(): { rule: SecretRule; calls: () => number } {
  let calls = 0;
  const rule: SecretRule = {
    ...TOKEN_RULE,
    id: 'demo-counted',
    keywords: ['k='],
    pattern: /k=(?<secret>v[0-9]*);/,
    minEntropy: undefined,
    confirm: () => {
      calls++;
      return true;
    },
  };
  return { rule, calls: () => calls };
}

describe('bounded work on adversarial input', () => {
  it('the work per line stays at the candidate bound whatever the line repeats (steps counted)', () => {
    for (const repeat of [1_000, 10_000, 100_000]) {
      const { rule, calls } = countingRule();
      const result = scanTextBounded('k=v;'.repeat(repeat), 'a.txt', [rule]);
      expect(calls()).toBe(MAX_CANDIDATES_PER_LINE);
      expect(result.matches.length).toBeLessThanOrEqual(MAX_CANDIDATES_PER_LINE);
      expect(result.cappedLines).toEqual([1]);
    }
  });

  it('the work per file stays at its bound however many lines repeat it', () => {
    const { rule, calls } = countingRule();
    const lines = Math.ceil(MAX_CANDIDATES_PER_FILE / 10) + 50;
    const result = scanTextBounded(`${'k=v;'.repeat(10)}\n`.repeat(lines), 'a.txt', [rule]);
    expect(calls()).toBe(MAX_CANDIDATES_PER_FILE);
    expect(result.cappedFileAt).toBe(MAX_CANDIDATES_PER_FILE / 10);
  });

  it('one line of repeated https://a:b@ (the 22 s case at 0.25 MB) gives 20 findings and a note', () => {
    const found = session().scan('a.txt', 'https://a:b@'.repeat(21_000));
    const notes = found.filter((f) => f.ruleId === 'scan-findings-capped');
    expect(found.length - notes.length).toBeLessThanOrEqual(MAX_FINDINGS_PER_LINE);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/more findings on line 1 not reported \(at most 20 per line\); matching stopped after 500 candidates on line 1/);
    expect(notes[0]!.level).toBe('note');
  });

  it('a 10 MB adversarial line of each shape finishes (default timeout) with bounded findings', () => {
    for (const unit of ['https://a:b@', '"password": "', 'token=x ', 'password="ab', 'postgres://u:p@h/', 'password=']) {
      const found = session().scan('a.txt', unit.repeat(Math.ceil(10_000_000 / unit.length)));
      expect(found.length, unit).toBeLessThanOrEqual(MAX_FINDINGS_PER_LINE + 1);
      expect(found.filter((f) => f.ruleId === 'scan-findings-capped'), unit).toHaveLength(1);
    }
  });

  it('caps findings per file with a note counting the rest', () => {
    const lines = Array.from({ length: MAX_FINDINGS_PER_FILE + 30 }, () => `t = "${demoToken()}"`).join('\n');
    const found = session([TOKEN_RULE]).scan('many.txt', lines);
    expect(found.filter((f) => f.ruleId === TOKEN_RULE.id)).toHaveLength(MAX_FINDINGS_PER_FILE);
    const note = found.find((f) => f.ruleId === 'scan-findings-capped');
    expect(note?.message).toBe('many.txt: 30 more not reported (at most 500 per file)');
  });

  it('an ordinary file is not capped', () => {
    const found = session([TOKEN_RULE]).scan('ok.txt', Array.from({ length: 30 }, () => `t = "${demoToken()}"`).join('\n'));
    expect(found).toHaveLength(30);
  });
});
