/**
 * The one redaction module: every output (text, JSON, SARIF, annotations, summary, logs, errors,
 * validation messages) shows values only through these functions.
 *
 * - A reported value shows at most its first `shown` characters (0–4, `--redact N`), and nothing
 *   when it is shorter than 12 characters.
 * - A snippet line shows no other value: quoted literals, assigned values, URL credentials and
 *   token-looking runs that were not reported are masked whole.
 * - Private-key material never shows, whatever its encoding: everything from a BEGIN marker to its
 *   END marker (or the end of the text) is cut, and base64 runs are masked.
 */

import type { Logger } from './context.js';
import type { Finding } from './finding.js';

export const MASK = '…';
/** Most leading characters a reported value may show; also the default of `--redact`. */
export const MAX_SHOWN = 4;
/** Values shorter than this never show a character. */
export const MIN_SHOWN_LENGTH = 12;
/** Longest snippet, cut around the reported value. */
const SNIPPET_MAX = 200;

/** `--redact N` / action input `redact`: how many leading characters of a reported value to show. */
export function parseShown(text: string, what: string): number {
  const value = text.trim();
  if (!/^[0-4]$/.test(value)) throw new RangeError(`${what} must be a whole number from 0 to ${MAX_SHOWN}, not "${safeName(value, 'the value given')}"`);
  return Number(value);
}

const clampShown = (shown: number): number => Math.max(0, Math.min(MAX_SHOWN, Math.floor(shown)));

/** A private key's BEGIN marker (PEM, OpenSSH, PGP) or a PuTTY key's private section. */
const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|Private-Lines:/;
const KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|Private-MAC:/;

/** Cuts every key body out of a text: a BEGIN marker is kept, what follows it up to its END marker (or the end) is not. */
export function cutKeyMaterial(text: string): string {
  let out = '';
  let rest = text;
  for (let begin = KEY_BEGIN.exec(rest); begin; begin = KEY_BEGIN.exec(rest)) {
    const markerEnd = begin.index + begin[0].length;
    out += rest.slice(0, markerEnd) + MASK;
    const after = rest.slice(markerEnd);
    const end = KEY_END.exec(after);
    if (!end) return out;
    rest = after.slice(end.index + end[0].length);
  }
  return out + rest;
}

export function hasKeyMaterial(text: string): boolean {
  return KEY_BEGIN.test(text);
}

/** A reported value for display: its first `shown` characters, nothing below 12 characters, no key material ever. */
export function redactValue(value: string, shown = MAX_SHOWN): string {
  const key = KEY_BEGIN.exec(value);
  if (key) return `${key[0]}${MASK}`;
  const n = clampShown(shown);
  if (n === 0 || value.length < MIN_SHOWN_LENGTH) return MASK;
  return `${value.slice(0, n)}${MASK}`;
}

const classesOf = (text: string): number => [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(text)).length;

function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * Does a run of token characters look like a value (a token, a key line, a hash) rather than a word,
 * a name or a path? `strict` (snippets) masks more than free text, where names and paths must stay readable.
 */
export function looksLikeValue(run: string, strict = true): boolean {
  const text = run.replace(/=+$/, '');
  if (text.length >= 32 && /^[0-9a-fA-F]+$/.test(text)) return true;
  if (!strict) {
    // Free text holds names and paths (`MyComponent2Test.tsx`, `secret/data/App2`): only runs as long and varied as tokens go.
    if (text.includes('/')) return text.length >= 40 && /^[A-Za-z0-9+/]+$/.test(text) && classesOf(text) === 3;
    return text.length >= 20 && classesOf(text) === 3 && shannonBits(text) >= 3.7;
  }
  if (text.length < MIN_SHOWN_LENGTH) return false;
  if (classesOf(text) === 3) return true;
  return text.length >= 20 && classesOf(text) === 2 && shannonBits(text) >= 3.5;
}

/**
 * A name taken from the input (a key, a capability) for a message: shown when it is shaped like a
 * name, else `fallback`. Anything that could be a pasted value is never echoed.
 */
export function safeName(name: string, fallback: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(name)) return fallback;
  if (looksLikeValue(name)) return fallback;
  return name;
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/?#@"'`<>]+)@/gi;
const TOKEN_RUN = /[A-Za-z0-9+/=_\-.~%]+/g;

/**
 * Free text (a message, a log line, an error) made safe to print: key material cut, URL credentials
 * and token-looking runs masked. Messages are written not to hold values; this is the last guard.
 */
export function redactText(text: string): string {
  return cutKeyMaterial(text)
    .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${MASK}@`)
    .replace(TOKEN_RUN, (run) => (looksLikeValue(run, false) ? MASK : run));
}

/** A finding with its free text (message, suppression reason, snippet) through `redactText`: the last guard before any output. */
export function redactFinding(finding: Finding): Finding {
  return {
    ...finding,
    message: redactText(finding.message),
    ...(finding.snippet !== undefined ? { snippet: redactText(finding.snippet) } : {}),
    ...(finding.suppression ? { suppression: { ...finding.suppression, justification: redactText(finding.suppression.justification) } } : {}),
  };
}

/** A logger whose every line goes through `redactText`. */
export function redactingLogger(log: Logger): Logger {
  return {
    info: (message) => log.info(redactText(message)),
    warning: (message) => log.warning(redactText(message)),
    debug: (message) => log.debug(redactText(message)),
  };
}

/** A reported value's place on a line: `[start, end)` offsets into the line text. */
export interface ReportedSpan {
  start: number;
  end: number;
  value: string;
  /** The finding the snippet belongs to (the snippet is cut around it). */
  own: boolean;
  /** Key material: shows nothing but its BEGIN marker. */
  key?: boolean;
}

export interface SnippetOptions {
  shown?: number;
  /** The text before the reported value when the match began on an earlier line (a key's BEGIN line). */
  header?: string;
}

// Reported values are swapped for these placeholders while the rest of the line is masked.
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';
const HOLD = /\uE000(\d+)\uE001/g;
const holds = (text: string): boolean => text.includes(HOLD_OPEN);

const QUOTED = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\\n]|\\.)*`/g;
/** An assignment operator and the unquoted value after it. */
const ASSIGNED = /(:=|=>|==|!=|[=:])([ \t]*)([^\s"'`,;(){}[\]<>]+)/g;
/** Assigned values that hold nothing: literals of the language, small numbers, `$VAR` / `${VAR}` references. */
const HARMLESS = /^(?:true|false|null|nil|none|undefined|yes|no|on|off|[0-9]{1,6}(?:\.[0-9]{1,6})?|\$\w*)$/i;

/** Masks one run outside quotes that is not a reported value. */
function maskRun(run: string): string {
  return !holds(run) && looksLikeValue(run) ? MASK : run;
}

function maskLiteral(literal: string, isKey: boolean): string {
  const quote = literal[0]!;
  const body = literal.slice(1, -1);
  if (body === '') return literal;
  if (holds(body)) return `${quote}${maskUnquoted(body)}${quote}`;
  if (isKey && safeName(body, '') !== '') return literal;
  return `${quote}${MASK}${quote}`;
}

function maskUnquoted(text: string): string {
  const withoutCredentials = text.replace(URL_CREDENTIALS, (_m, scheme: string, userinfo: string) =>
    holds(userinfo) ? `${scheme}${userinfo.split(':').map((part) => (holds(part) ? part : MASK)).join(':')}@` : `${scheme}${MASK}@`,
  );
  const assigned = withoutCredentials.replace(ASSIGNED, (whole, op: string, space: string, value: string, offset: number, all: string) => {
    if (holds(value) || HARMLESS.test(value) || op === '==' || op === '!=') return whole;
    // `x = config.get(`, `env[`: code, not a value; `host:5432`-style pairs without a space are left to maskRun.
    const next = all[offset + whole.length];
    if (next === '(' || next === '[') return whole;
    if (op === ':' && space === '' && /[\w]/.test(all[offset - 1] ?? '')) return `${op}${maskRun(value)}`;
    return `${op}${space}${MASK}`;
  });
  return assigned.replace(TOKEN_RUN, maskRun);
}

/** Every other value on the line masked; reported values are placeholders here and stay. */
function maskLine(line: string): string {
  let out = '';
  let cursor = 0;
  for (const m of line.matchAll(QUOTED)) {
    const start = m.index!;
    out += maskUnquoted(line.slice(cursor, start));
    const after = line.slice(start + m[0].length);
    const before = line.slice(0, start);
    const isKey = /^\s*(?::(?!=)|\]\s*=)/.test(after) || /\[\s*$/.test(before);
    out += maskLiteral(m[0], isKey);
    cursor = start + m[0].length;
  }
  return out + maskUnquoted(line.slice(cursor));
}

/**
 * The snippet of a finding: its line with each reported value redacted (the finding's own and any
 * other reported on the line), every other value masked, key bodies cut, cut to 200 characters
 * around the finding's value. A key finding shows its BEGIN line only.
 */
export function redactSnippet(line: string, spans: ReportedSpan[], options: SnippetOptions = {}): string {
  const own = spans.find((s) => s.own);
  if (own?.key) return keySnippet(line, own, options.header);
  const ordered = spans.filter((s) => s.end > 0 && s.start < line.length).sort((a, b) => a.start - b.start);
  let held = '';
  let cursor = 0;
  const shownValues: string[] = [];
  for (const span of ordered) {
    const start = Math.max(span.start, cursor);
    const end = Math.min(span.end, line.length);
    if (end <= start) continue;
    held += line.slice(cursor, start) + `${HOLD_OPEN}${shownValues.length}${HOLD_CLOSE}`;
    shownValues.push(span.key ? MASK : redactValue(span.value, options.shown));
    cursor = end;
  }
  held += line.slice(cursor);
  const masked = maskLine(cutKeyMaterial(held)).trim();
  const release = (text: string): string => text.replace(HOLD, (_m, i: string) => shownValues[Number(i)] ?? MASK);
  const text = release(masked);
  if (text.length <= SNIPPET_MAX) return text;
  const mark = own ? masked.indexOf(`${HOLD_OPEN}${ordered.indexOf(own)}${HOLD_CLOSE}`) : -1;
  const focus = mark === -1 ? 0 : release(masked.slice(0, mark)).length;
  const from = Math.max(0, Math.min(focus - 60, text.length - SNIPPET_MAX));
  return `${from > 0 ? MASK : ''}${text.slice(from, from + SNIPPET_MAX - 2)}${MASK}`;
}

/** A key finding: the line's text up to the end of the BEGIN marker (other values masked), then nothing. */
function keySnippet(line: string, own: ReportedSpan, header?: string): string {
  const source = header ?? line.slice(0, own.start);
  const begin = KEY_BEGIN.exec(source);
  const upTo = begin ? source.slice(0, begin.index + begin[0].length) : source;
  const text = `${maskLine(upTo).trim()}${MASK}`;
  return text.length <= SNIPPET_MAX ? text : `${MASK}${text.slice(-(SNIPPET_MAX - 1))}`;
}
