import { describe, expect, it } from 'vitest';
import { isPlaceholderValue } from '../../src/scanning/filters.js';
import { randomChars, reseed, secret, secretChars } from './random.js';

describe('seeded test data', () => {
  it('replays the same values for the same test name and seed', () => {
    reseed('replay');
    const first = [secret.hex(16), secret.alnum(30), randomChars('abc', 12)];
    reseed('replay');
    expect([secret.hex(16), secret.alnum(30), randomChars('abc', 12)]).toEqual(first);
    reseed('another test');
    expect(secret.alnum(30)).not.toBe(first[1]);
  });

  it('never hands out a value the scanner drops as a placeholder, even from a charset made of placeholder words', () => {
    // Letters of Mock, FAkE and xxxx: unguarded draws spell one of them often, guarded ones never.
    const charset = 'xxxxMockFAkE_9';
    expect(Array.from({ length: 300 }, () => randomChars(charset, 10)).filter(isPlaceholderValue).length).toBeGreaterThan(0);
    expect(Array.from({ length: 300 }, () => secretChars(charset, 10)).filter(isPlaceholderValue)).toEqual([]);
  });
});
