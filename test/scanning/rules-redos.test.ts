import { describe, expect, it } from 'vitest';
import { isSafe } from 'redos-detector';
import { RULES } from '../../src/scanning/rules/index.js';

/**
 * redos-detector's parser does not accept named groups; `(?<name>…)` → `(…)` and `\k<name>` → `\N`
 * keep the group numbering and the backtracking behaviour identical, so the verdict applies to the
 * real pattern (the generic rules take their value atomically with a lookahead and a backreference).
 */
function analysable(pattern: RegExp): RegExp {
  const numbers = new Map<string, number>();
  let groups = 0;
  // Escapes and character classes pass unchanged; each capturing group, named or not, counts.
  const source = pattern.source.replace(/\\.|\[(?:\\.|[^\]\\])*\]|\((?:\?<([A-Za-z][A-Za-z0-9]*)>|(\?))?/g, (token, name?: string, other?: string) => {
    if (!token.startsWith('(')) return token;
    if (name) {
      numbers.set(name, ++groups);
      return '(';
    }
    if (!other) groups++;
    return token;
  });
  return new RegExp(source.replace(/\\k<([A-Za-z][A-Za-z0-9]*)>/g, (_, name: string) => `\\${numbers.get(name)}`), pattern.flags);
}

describe('every rule regex is safe from catastrophic backtracking', () => {
  for (const rule of RULES) {
    // The analysis explores every path of a pattern; a few take seconds, so the default 5 s limit is too tight.
    it(rule.id, { timeout: 60_000 }, () => {
      const result = isSafe(analysable(rule.pattern));
      expect({ id: rule.id, safe: result.safe, error: result.error }).toEqual({ id: rule.id, safe: true, error: null });
    });
  }
});
