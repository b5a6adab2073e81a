import { describe, expect, it } from 'vitest';
import type { GenerateSpec } from '../../src/config/types.js';
import { UserError } from '../../src/core/errors.js';
import { ALPHANUMERIC, charsetOf, DEFAULT_PASSWORD_CHARSET, drawFrom, generateSecret } from '../../src/rotation/generate.js';

function spec(partial: Partial<GenerateSpec>): GenerateSpec {
  return { format: 'hex', bytes: 32, length: 32, ...partial };
}

describe('generateSecret', () => {
  it('encodes the configured number of random bytes as hex, base64 and base64url', () => {
    expect(generateSecret(spec({ format: 'hex', bytes: 32 }))).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSecret(spec({ format: 'hex', bytes: 16 }))).toMatch(/^[0-9a-f]{32}$/);
    const b64 = generateSecret(spec({ format: 'base64', bytes: 32 }));
    expect(b64).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(b64, 'base64')).toHaveLength(32);
    const b64url = generateSecret(spec({ format: 'base64url', bytes: 48 }));
    expect(b64url).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(Buffer.from(b64url, 'base64url')).toHaveLength(48);
  });

  it('draws alphanumeric and password values of the configured length from their charsets', () => {
    const alnum = generateSecret(spec({ format: 'alphanumeric', length: 40 }));
    expect(alnum).toHaveLength(40);
    expect([...alnum].every((c) => ALPHANUMERIC.includes(c))).toBe(true);

    const password = generateSecret(spec({ format: 'password', length: 200 }));
    expect(password).toHaveLength(200);
    expect([...password].every((c) => DEFAULT_PASSWORD_CHARSET.includes(c))).toBe(true);
    for (const forbidden of ['"', "'", '\\', '`', ' ', '$']) expect(DEFAULT_PASSWORD_CHARSET).not.toContain(forbidden);
    expect(DEFAULT_PASSWORD_CHARSET).toMatch(/[!#%&*+]/);

    const custom = generateSecret(spec({ format: 'password', length: 64, charset: 'abcdefghij' }));
    expect(custom).toMatch(/^[a-j]{64}$/);
  });

  it('gives a different value each time', () => {
    const values = new Set(Array.from({ length: 50 }, () => generateSecret(spec({ format: 'alphanumeric', length: 24 }))));
    expect(values.size).toBe(50);
  });
});

describe('drawFrom: rejection sampling', () => {
  it('maps every byte value below the limit exactly evenly and rejects the rest', () => {
    // Feed all 256 byte values once: 256 - 256 % 62 = 248 are usable, each char exactly 4 times.
    const chars = [...ALPHANUMERIC];
    let fed = false;
    const allBytesOnce = (n: number): Buffer => {
      if (fed) throw new Error(`asked for ${n} more bytes: the 248 usable ones should have sufficed`);
      fed = true;
      return Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    };
    const out = drawFrom(chars, 248, allBytesOnce);
    const counts = new Map<string, number>();
    for (const c of out) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    expect([...counts.values()].every((n) => n === 4)).toBe(true);
  });

  it('skips bytes at or above the limit and asks for more', () => {
    // 10 chars: limit 250. Bytes 250..255 must never be used (they would favour '0'..'5').
    const batches = [Buffer.from([250, 251, 252, 253, 254, 255, 0, 11]), Buffer.from([255, 249, 22])];
    const out = drawFrom([...'0123456789'], 4, () => batches.shift() ?? Buffer.alloc(0));
    expect(out).toBe('0192');
  });

  it('uses each distinct character of a charset once, and refuses charsets that are too small', () => {
    expect(charsetOf(spec({ format: 'password', charset: 'aabbccddeeffgghhiijj' }))).toEqual([...'abcdefghij']);
    expect(() => charsetOf(spec({ format: 'password', charset: 'aaaaaaaaaaaaab' }))).toThrow(UserError);
    expect(() => charsetOf(spec({ format: 'password', charset: 'aaaaaaaaaaaaab' }))).toThrow(/2 distinct characters; at least 10/);
  });
});
