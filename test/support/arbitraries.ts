import fc from 'fast-check';
import { isAccidentalPlaceholder } from '../../src/scanning/rules/support.js';

/**
 * fast-check building blocks shared by the property tests (test/properties). Runs are seeded by
 * test/support/setup.ts (KEYWARDEN_TEST_SEED) and bounded here, so the suite's cost is fixed.
 */

/** Runs per property: enough to hit every fragment combination the generators weight, cheap enough for CI. */
export const RUNS = { parser: 300, pipeline: 150 } as const;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const alnum = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });

/** Any text a file could hold: printable, control, astral, lone surrogates, bidi controls, CR. */
export const anyChars = (maxLength = 30): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('\r', '\r\n', '\n', '\t', '\u0000', '\u202e', '\ufeff', '\\', '\u2028'),
  );

/**
 * Text made mostly of a format's own syntax (`fragments`) with arbitrary characters between: random
 * strings alone rarely get past a parser's first check, fragments reach the deeper states.
 */
export const textOf = (fragments: readonly string[], maxParts = 40): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: anyChars(12) }), { maxLength: maxParts }).map((parts) => parts.join(''));

/**
 * A value planted to check it is never printed: built from parts, mixed case and digits with a `+` or
 * `/` inside (so it is never an identifier a message may name), long enough that no output holds it
 * by chance, and never a word the scanner would drop as a placeholder.
 */
export const planted = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('Qz', 'Wv', 'Jk', 'Rx'), alnum(10, 14), fc.constantFrom('+', '/'), alnum(10, 14), fc.integer({ min: 10, max: 99 }))
    .map(([head, body, sep, rest, tail]) => `${head}${body}${sep}${rest}${tail}`)
    .filter((value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && !isAccidentalPlaceholder(value));

/** Every window of `value` longer than `keep` characters: what a partial leak would show. */
export function piecesOf(value: string, size = 10): string[] {
  const pieces: string[] = [];
  for (let start = 4; start + size <= value.length; start += 3) pieces.push(value.slice(start, start + size));
  return pieces;
}

/** Names the output that holds `value` or a piece of it past its first 4 characters, if any. */
export function leakIn(outputs: Record<string, string>, value: string): string | undefined {
  for (const [name, output] of Object.entries(outputs)) {
    if (output.includes(value)) return `${name} holds the whole value`;
    const piece = piecesOf(value).find((p) => output.includes(p));
    if (piece) return `${name} holds part of the value (${piece.length} characters)`;
  }
  return undefined;
}
