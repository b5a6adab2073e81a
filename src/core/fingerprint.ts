import { createHmac } from 'node:crypto';
import { sha256Hex } from './finding.js';

/**
 * The value part of a found secret's fingerprint, which must not let a reader of a report or a
 * baseline confirm guesses of the value:
 * - with `KEYWARDEN_FINGERPRINT_KEY` (kept outside the repository): HMAC-SHA256 of the value;
 * - without it, a value too weak to survive guessing (a default credential, a low-entropy password)
 *   is left out: the normalized context of its line stands in;
 * - without it, a strong value keeps today's hash (so existing baselines still match).
 */
export interface SecretForFingerprint {
  value: string;
  /** On the public dictionary of defaults, or otherwise known to be guessable. */
  dictionary: boolean;
  /** The line the value sits on. */
  line: string;
}

export const FINGERPRINT_KEY_ENV = 'KEYWARDEN_FINGERPRINT_KEY';
/** Below this estimated guessing work (bits), an unkeyed hash of the value could be brute-forced. */
const STRONG_BITS = 72;

export function fingerprintValue(secret: SecretForFingerprint, key: string | undefined): string {
  if (key) return `hmac:${createHmac('sha256', key).update(secret.value, 'utf8').digest('hex')}`;
  if (secret.dictionary || guessBits(secret.value) < STRONG_BITS) return `context:${sha256Hex(normalizedContext(secret.line, secret.value))}`;
  return legacyValuePart(secret.value);
}

/**
 * The value part of the v1 recipe (an unkeyed hash of the value), which baselines of `version: 1` hold.
 * Kept in memory only to match those baselines; never written to a report or a new baseline.
 */
export function legacyValuePart(value: string): string {
  return sha256Hex(value);
}

/** The line without the value, whitespace collapsed: what stands in for a guessable value. */
export function normalizedContext(line: string, value: string): string {
  return line.split(value).join('\u0000').replace(/\s+/g, ' ').trim();
}

/**
 * A rough upper bound of the work to guess a value as a cracker does: words and capitalised words,
 * digit runs (years) and single symbols count as one choice each from their dictionary, other
 * characters by their alphabet. `Summer2024!Dragon` is about 50 bits; 20 random base62 characters ~110.
 */
export function guessBits(value: string): number {
  let bits = 0;
  for (const part of value.match(/[A-Z]?[a-z]{3,}|[A-Z]{3,}|[0-9]+|[A-Za-z]{1,2}|[^A-Za-z0-9]/g) ?? []) {
    if (/^[A-Z]?[a-z]{3,}$|^[A-Z]{3,}$/.test(part)) bits += Math.min(part.length * 4.7, 17);
    else if (/^[0-9]+$/.test(part)) bits += part.length <= 4 ? Math.min(part.length * 3.3, 11) : part.length * 3.3;
    else if (/^[A-Za-z]+$/.test(part)) bits += part.length * 5.7;
    else bits += 5;
  }
  return bits;
}
