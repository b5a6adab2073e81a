import { randomBytes } from 'node:crypto';
import type { GenerateSpec } from '../config/types.js';
import { UserError } from '../core/errors.js';

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Symbols that break unquoted in .env files and shells are left out: quotes, backslash, backtick, space and `$`. */
export const DEFAULT_PASSWORD_CHARSET = `${ALPHANUMERIC}!#%&()*+,-./:;<=>?@[]^_{|}~`;

const MIN_CHARSET = 10;

/** The distinct characters of a charset, in order; repeats would make some characters likelier. */
export function charsetOf(spec: GenerateSpec): string[] {
  if (spec.format === 'alphanumeric') return [...ALPHANUMERIC];
  const chars = [...new Set(spec.charset ?? DEFAULT_PASSWORD_CHARSET)];
  if (chars.length < MIN_CHARSET) throw new UserError(`generate.charset has ${chars.length} distinct characters; at least ${MIN_CHARSET} are needed`);
  if (chars.length > 256) throw new UserError(`generate.charset has ${chars.length} distinct characters; at most 256 are supported`);
  return chars;
}

/**
 * Unbiased draw of `length` characters: a random byte is used only when it falls below the largest
 * multiple of the charset size that fits in a byte (rejection sampling), so `byte % size` is uniform.
 * `bytes` is injectable so tests can check the rejection logic with chosen input.
 */
export function drawFrom(chars: string[], length: number, bytes: (n: number) => Buffer = randomBytes): string {
  const size = chars.length;
  const limit = 256 - (256 % size);
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of bytes(Math.max(16, (length - out.length) * 2))) {
      if (byte >= limit) continue;
      out.push(chars[byte % size]!);
      if (out.length === length) break;
    }
  }
  return out.join('');
}

/** A fresh secret value per `generate`, from crypto.randomBytes. */
export function generateSecret(spec: GenerateSpec): string {
  switch (spec.format) {
    case 'hex':
      return randomBytes(spec.bytes).toString('hex');
    case 'base64':
      return randomBytes(spec.bytes).toString('base64');
    case 'base64url':
      return randomBytes(spec.bytes).toString('base64url');
    case 'alphanumeric':
    case 'password':
      return drawFrom(charsetOf(spec), spec.length);
  }
}
