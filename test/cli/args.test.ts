import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';

describe('--redact N', () => {
  it('defaults to 4 and takes 0 to 4', () => {
    expect(parseCliArgs(['scan']).redactShown).toBe(4);
    expect(parseCliArgs(['scan', '--redact', '0']).redactShown).toBe(0);
    expect(parseCliArgs(['scan', '--redact', '2']).redactShown).toBe(2);
  });

  it('refuses anything else with a one-line usage error', () => {
    for (const bad of ['5', '-1', '1.5', 'all', '']) expect(() => parseCliArgs(['scan', '--redact', bad])).toThrow(UserError);
  });
});
