/**
 * Checks on single .env values. Each returns why the value fails, or undefined; a reason never
 * repeats the value (URLs are shown only as scheme and host, never with credentials).
 */
import { isIP } from 'node:net';

export interface StrengthSpec {
  minLength?: number;
  minEntropyBits?: number;
  encoding?: 'hex' | 'base64' | 'urlsafe';
  minBytes?: number;
}

const ENCODINGS: Record<NonNullable<StrengthSpec['encoding']>, { pattern: RegExp; bitsPerChar: number; label: string }> = {
  hex: { pattern: /^[0-9a-fA-F]+$/, bitsPerChar: 4, label: 'hex' },
  base64: { pattern: /^[A-Za-z0-9+/]+={0,2}$/, bitsPerChar: 6, label: 'base64' },
  urlsafe: { pattern: /^[A-Za-z0-9_-]+$/, bitsPerChar: 6, label: 'URL-safe base64' },
};

/** The shortest prefix that, repeated, spells the whole value (`abcabcab` → `abc`). */
function repeatingUnit(value: string): string {
  for (let period = 1; period <= value.length / 2; period += 1) {
    let repeats = true;
    for (let i = period; i < value.length && repeats; i += 1) repeats = value[i] === value[i - period];
    if (repeats) return value.slice(0, period);
  }
  return value;
}

/**
 * Shannon entropy of the characters times the length, of the repeating unit only (so a pattern
 * typed four times counts once): a rough upper bound of guessing work.
 */
export function entropyBits(text: string): number {
  const value = repeatingUnit(text);
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}

export function strengthProblem(value: string, spec: StrengthSpec): string | undefined {
  if (spec.encoding) {
    const enc = ENCODINGS[spec.encoding];
    if (!enc.pattern.test(value)) return `is not ${enc.label}-encoded`;
    if (spec.minBytes !== undefined) {
      const bytes = Math.floor((value.replace(/=+$/, '').length * enc.bitsPerChar) / 8);
      if (bytes < spec.minBytes) return `is ${bytes} bytes, needs at least ${spec.minBytes}`;
    }
  }
  if (spec.minLength !== undefined && value.length < spec.minLength) {
    return `is ${value.length} characters, needs at least ${spec.minLength}`;
  }
  if (spec.minEntropyBits !== undefined) {
    const bits = Math.floor(entropyBits(value));
    if (bits < spec.minEntropyBits) return `has about ${bits} bits of entropy, needs at least ${spec.minEntropyBits} (generate it randomly)`;
  }
  return undefined;
}

const PUBLIC_BIND_HOSTS = new Set(['0.0.0.0', '::', '[::]', '*', '0']);

/** The host part of a bind value: `0.0.0.0:8080`, `[::]:80`, `::`, `host`. */
function bindHost(value: string): string {
  const text = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1 || undefined);
  if (isIP(text) === 6) return text;
  return text.split(':')[0]!.split('/')[0]!;
}

export function publicBindProblem(value: string): string | undefined {
  const host = bindHost(value);
  if (PUBLIC_BIND_HOSTS.has(host) || host === '[::0]' || host === '::0') {
    return `binds every interface (${host}); services should bind 127.0.0.1 by default: bind loopback or a private address, or set allow-public-bind: true on the env entry`;
  }
  return undefined;
}

/** Scheme and host of a URL, for messages: never the user, password, path or query. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function isHttpsUrl(value: string): boolean {
  const url = parseUrl(value);
  return url?.protocol === 'https:' && url.hostname !== '';
}

export function isHttpsOrLoopbackUrl(value: string): boolean {
  const url = parseUrl(value);
  if (!url || url.hostname === '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

export function isLoopbackAddress(value: string): boolean {
  const text = value.trim();
  if (isLoopbackHost(text)) return true;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return isLoopbackHost(bracketed[1]!);
  const withPort = /^([^:]+):\d+$/.exec(text);
  return withPort ? isLoopbackHost(withPort[1]!) : false;
}

/** http:// to a host outside this machine and the private network is "external communication". */
function isInternalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(h)) return true;
  if (isIP(h) === 4) return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(h);
  if (isIP(h) === 6) return /^(fc|fd|fe80)/.test(h);
  return !h.includes('.') || /\.(svc|cluster\.local|internal|local|lan)$/.test(h);
}

export function externalHttpProblem(value: string): string | undefined {
  const url = parseUrl(value);
  if (!url || url.protocol !== 'http:' || isInternalHost(url.hostname)) return undefined;
  return `uses plain http to ${describeUrl(url)}: external communication must use HTTPS`;
}

function isPublicIp(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return isIP(h) !== 0 && !isInternalHost(h);
}

export function redisProblems(value: string): string[] {
  const url = parseUrl(value);
  if (!url || !/^rediss?:$/.test(url.protocol)) return ['is not a redis:// or rediss:// URL'];
  const problems: string[] = [];
  if (url.password === '') problems.push(`has no password (${describeUrl(url)}): Redis must require authentication`);
  const host = url.hostname;
  if (PUBLIC_BIND_HOSTS.has(host) || host === '[::]') problems.push(`points at ${host}, every interface: limit Redis to internal networks`);
  else if (isPublicIp(host)) problems.push(`points at a public address (${url.host}): limit Redis to internal networks`);
  return problems;
}

/** Split a CORS origin list: comma or whitespace separated, JSON arrays accepted. */
function originsOf(value: string): string[] {
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: fall through to the plain list.
    }
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

/** An origin for a message: scheme and host without credentials, or only "*" when it does not parse. */
function describeOrigin(origin: string): string {
  const url = parseUrl(origin);
  if (url && url.hostname !== '') return describeUrl(url);
  return origin === '*' ? '*' : 'a pattern with "*"';
}

export function corsProblems(value: string, production: boolean): { rule: 'wildcard' | 'insecure'; message: string }[] {
  const problems: { rule: 'wildcard' | 'insecure'; message: string }[] = [];
  for (const origin of originsOf(value)) {
    if (origin.includes('*')) {
      problems.push({ rule: 'wildcard', message: `allows a wildcard origin (${describeOrigin(origin)}): list the origins explicitly` });
      continue;
    }
    const url = parseUrl(origin);
    if (production && (!url || url.protocol !== 'https:')) {
      problems.push({ rule: 'insecure', message: `allows ${url ? describeUrl(url) : 'a non-URL origin'} in production: origins must be https://` });
    }
  }
  return problems;
}

const DISABLED = new Set(['', 'false', '0', 'off', 'no', 'disabled', 'disable', 'none', 'n']);

export function isDisabledSetting(value: string): boolean {
  return DISABLED.has(value.trim().toLowerCase());
}
