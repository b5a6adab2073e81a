import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { UserError } from '../../src/core/errors.js';
import { RUNS, anyChars, textOf } from '../support/arbitraries.js';

/** YAML syntax and the config's own keys, so generated text reaches schema checks and normalization. */
const YAML_FRAGMENTS = ['\n', '  ', '- ', ': ', 'scan:', 'ignore:', 'rule: ', 'reason: ', 'paths: ', 'exclude:', 'max-file-size: ', '10MiB', 'env:', 'vault:', 'timeout: ', '1s', 'rotation:', 'secrets:', 'fail-on: ', '&a ', '*a', '*b', '<<: ', '!!binary ', '!tag ', '"', "'", '{', '}', '[', ']', ',', '#', '---\n', '...\n', '|\n', '>-\n', '? ', '%YAML 1.2\n', '\r', '\t', '0x1F', '1e9', '~', 'null', 'true'];

/** The outcome of loading: a config, or a UserError naming the file; anything else escapes as a crash. */
function load(text: string): { ok: true } | { ok: false; error: UserError } {
  try {
    parseConfigText(text, '.keywarden.yml');
    return { ok: true };
  } catch (error) {
    if (!(error instanceof UserError)) throw new Error(`not a UserError: ${String(error)}`, { cause: error });
    return { ok: false, error };
  }
}

describe('config loading properties', () => {
  it('loads or refuses arbitrary text with a one-line UserError naming the file and a line in it', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(YAML_FRAGMENTS), anyChars(200)), (text) => {
        const outcome = load(text);
        if (outcome.ok) return;
        const line = outcome.error.describe();
        expect(line).not.toMatch(/[\r\n]/);
        expect(line.startsWith('.keywarden.yml')).toBe(true);
        if (outcome.error.line !== undefined) expect(outcome.error.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: RUNS.parser },
    );
  });

  it('loads every well-formed ignore list it is given, however YAML writes it', () => {
    const entry = fc.record({
      rule: fc.string({ unit: fc.constantFrom(...'abz-*'), minLength: 1, maxLength: 12 }),
      reason: fc.string({ minLength: 3, maxLength: 30 }).filter((r) => r.trim().length >= 3),
      paths: fc.array(fc.string({ unit: fc.constantFrom(...'ab/*.{}!'), minLength: 1, maxLength: 12 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'), fc.boolean(), (ignore, style, flow) => {
        const text = stringify({ scan: { ignore } }, { defaultStringType: style as 'PLAIN', collectionStyle: flow ? 'flow' : 'block' });
        const outcome = load(text);
        expect(outcome.ok ? 'loaded' : outcome.error.describe()).toBe('loaded');
      }),
      { numRuns: RUNS.parser },
    );
  });
});
