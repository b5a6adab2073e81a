import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/core/lines.js';
import { effectiveValues, parseEnv } from '../../src/validation/env/parse.js';
import { RUNS, anyChars, textOf } from '../support/arbitraries.js';

/** The .env dialect's own syntax, so generated text reaches quotes, escapes, continuations and comments. */
const ENV_FRAGMENTS = ['\n', 'KEY', 'db_url', 'export ', '=', ' = ', ':', '"', "'", '\\"', '\\n', '\\', '#', ' #', '${A}', '$(x)', 'encrypted:', '\r\n', ' ', '\t', '=='];

const key = fc.tuple(fc.constantFrom('A', 'DB', '_', 'X9'), fc.string({ unit: fc.constantFrom(...'ABCXYZ_019'), maxLength: 10 })).map(([h, t]) => h + t);

/** A value in one of the three quoting styles, rendered as dotenv would write it. */
const written = fc.oneof(
  // Unquoted: no quote at the start, no ` #`, no surrounding blanks, one line.
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-./:@+,%=$'), maxLength: 20 }).map((value) => ({ value, text: value })),
  // Single-quoted: literal, one line, no single quote inside.
  fc.string({ unit: fc.constantFrom(...'ab Z9#"\\$ =-'), maxLength: 20 }).map((value) => ({ value, text: `'${value}'` })),
  // Double-quoted: the escapes the dialect understands.
  fc.string({ unit: fc.constantFrom(...'ab Z9#\'\\"$ =\n\t'), maxLength: 20 }).map((value) => ({
    value,
    text: `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`,
  })),
);

describe('.env parser properties', () => {
  it('never throws, and every problem is one line at a position inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(ENV_FRAGMENTS), anyChars(200)), (text) => {
        const parsed = parseEnv(text);
        const lines = splitLines(text.replace(/^\uFEFF/, '')).length;
        for (const p of parsed.problems) {
          expect(p.message).not.toMatch(/[\r\n]/);
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.line).toBeLessThanOrEqual(lines);
          expect(p.column).toBeGreaterThanOrEqual(1);
        }
        for (const v of parsed.variables) expect(v.endLine).toBeGreaterThanOrEqual(v.line);
      }),
      { numRuns: RUNS.parser },
    );
  });

  it('reads back every value it is given, whatever the quoting, with its line', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, written, fc.boolean()), { selector: ([k]) => k, maxLength: 8 }), (entries) => {
        const text = entries.map(([k, w, exported]) => `${exported ? 'export ' : ''}${k}=${w.text}`).join('\n') + '\n';
        const parsed = parseEnv(text);
        expect(parsed.problems.filter((p) => p.ruleId !== 'env-lowercase-key')).toEqual([]);
        const values = effectiveValues(parsed);
        entries.forEach(([k, w], index) => {
          expect(values.get(k)?.value).toBe(w.value);
          expect(values.get(k)?.line).toBe(index + 1);
        });
      }),
      { numRuns: RUNS.parser },
    );
  });
});
