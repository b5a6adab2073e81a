import { randomBytes } from 'node:crypto';
import { isPlaceholderValue } from '../filters.js';
import type { SecretRule } from '../rule.js';

/** Shared building blocks for rule files: charsets, checksums, sample builders. */

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** GitHub and npm use this order (digits, upper, lower) for their base62 checksum. */
export const BASE62 = DIGITS + UPPER + LOWER;
export const HEX = '0123456789abcdef';
export const BASE64 = UPPER + LOWER + DIGITS + '+/';
export const BASE64URL = UPPER + LOWER + DIGITS + '-_';
export const BASE32 = UPPER + '234567';

let sampleBytes: (count: number) => Buffer = randomBytes;

/** Where samples draw their random bytes; tests install their seeded generator so every run is reproducible. */
export function drawSamplesFrom(source: (count: number) => Buffer): void {
  sampleBytes = source;
}

/** Random string over `charset`, for test-time samples (never committed as literals). */
export function random(charset: string, length: number): string {
  const bytes = sampleBytes(length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += charset[bytes.readUInt16LE(i * 2) % charset.length];
  return out;
}

/**
 * True when a random value would be dropped as a placeholder by the engine's global filters or by the
 * rules' shared allow list: such a one-in-thousands coincidence is drawn again, never a failing sample.
 */
export function isAccidentalPlaceholder(value: string): boolean {
  return isPlaceholderValue(value) || PLACEHOLDER_VALUES.some((re) => re.test(value));
}

/** Random string that is guaranteed to mix the character classes of `charset` (looks like a real key). */
export function mixed(charset: string, length: number): string {
  const wantsDigit = /[0-9]/.test(charset);
  for (;;) {
    const value = random(charset, length);
    if (isAccidentalPlaceholder(value)) continue;
    if ((!wantsDigit || /[0-9]/.test(value)) && /[A-Za-z]/.test(value)) return value;
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub classic and npm tokens end with the base62 CRC32 of the 30 random characters
 * that follow the 4-character prefix (github.blog, 2021-04-05 and 2021-09-23).
 */
export function hasBase62Checksum(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength, prefixLength + 30);
  const checksum = token.slice(prefixLength + 30);
  return body.length === 30 && checksum.length === 6 && base62(crc32(body), 6) === checksum;
}

/** A token with a valid checksum, for positive samples. */
export function checksummedToken(prefix: string): string {
  const body = mixed(BASE62, 30);
  return prefix + body + base62(crc32(body), 6);
}

/** Same shape, but the checksum is off by one character: a negative sample. */
export function badChecksumToken(prefix: string): string {
  const good = checksummedToken(prefix);
  const last = good.at(-1)!;
  return good.slice(0, -1) + (last === 'a' ? 'b' : 'a');
}

/** Values that are obviously placeholders or documented examples, shared by many rules. */
export const PLACEHOLDER_VALUES: RegExp[] = [
  /x{6,}/i,
  /\*{4,}/,
  /(?:^|[_-])(?:example|sample|dummy|placeholder|redacted|changeit|your)(?:[_-]|$)/i,
  /(?:0123456789|abcdef0123|1234567890)/i,
  /^(.)\1{7,}$/,
];

type Sample = { file: string; text: string };

export function sample(file: string, text: string): Sample {
  return { file, text };
}

/**
 * A token regex written as an emulated atomic group: the lookahead captures the whole token, then one
 * character is consumed (`.`: a token never starts with a line break, and the engine treats `[\s\S]` as
 * a multi-line rule). Once the lookahead matched, the engine never backtracks into it, so a failed
 * attempt costs at most one pass over the token — this is what keeps every rule linear-time (and is
 * what redos-detector verifies in test/scanning/rules-redos.test.ts).
 * `boundary` is a character-class body: the token may not touch those characters (`before`: on its left).
 */
export function tokenPattern(token: string, boundary = 'A-Za-z0-9_', flags = '', before = boundary): RegExp {
  return new RegExp(`(?<![${before}])(?=(?<secret>${token})(?![${boundary}])).`, flags);
}

/**
 * `key` → value glue shared by context rules: up to 6 spaces or quotes, 1–3 of `:`, `=`, `>`
 * (`=`, `:`, `:=`, `=>`, `==`, an XML element's `>`), up to 6 spaces or quotes. Comparisons are
 * told apart later, in `confirm`. Kept to two classes so redos-detector can prove it linear.
 */
export const ASSIGN = `[ \\t"']{0,6}[:=>]{1,3}[ \\t"']{0,6}`;

/** What every token rule built from a spec declares: identity, format, its samples' makers, remediation. */
export interface TokenSpec {
  id: string;
  title: string;
  description: string;
  /** Regex source of the value's format. */
  format: string;
  boundary?: string;
  minEntropy?: number;
  severity?: 'critical' | 'high' | 'medium';
  remediation: string;
  make: () => string;
  /** A near-miss of the same shape that must not match. */
  nearMiss: () => string;
  file: string;
  line: (token: string) => string;
}

interface NamedToken extends TokenSpec {
  /** Lower-case names that must lead the key the value is assigned to (`VERCEL_TOKEN=`, `heroku_api_key:`). */
  names: string[];
}

export function namedTokenRule(spec: NamedToken): SecretRule {
  const boundary = spec.boundary ?? 'A-Za-z0-9_-';
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    severity: spec.severity ?? 'high',
    category: 'provider-token',
    keywords: spec.names,
    pattern: new RegExp(`(?:${spec.names.join('|')})(?=[A-Za-z0-9_.-]{0,24}${ASSIGN}(?<secret>${spec.format})(?![${boundary}]))`, 'i'),
    minEntropy: spec.minEntropy ?? 3,
    remediation: spec.remediation,
    samples: {
      positive: () => [sample(spec.file, spec.line(spec.make()))],
      negative: () => [sample(spec.file, spec.line(spec.nearMiss()))],
    },
  };
}

export const uuid = (): string => `${random(HEX, 8)}-${random(HEX, 4)}-4${random(HEX, 3)}-a${random(HEX, 3)}-${random(HEX, 12)}`;
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
