import { describe, expect, it } from 'vitest';
import { cutKeyMaterial, parseShown, redactSnippet, redactText, redactValue, safeName, type ReportedSpan } from '../../src/core/redact.js';
import { ALNUM, randomChars } from '../scanning/helpers.js';

const B64 = ALNUM + '+/';
/** A random value mixing upper, lower and digits, built at test time. */
function token(length: number): string {
  for (;;) {
    const value = randomChars(ALNUM, length);
    if (/[0-9]/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) return value;
  }
}
const keyLabel = ['PRIVATE', 'KEY'].join(' ');
const begin = `-----BEGIN ${keyLabel}-----`;
const end = `-----END ${keyLabel}-----`;

/** The value and every 6-character piece of it past the first `shown` characters. */
function pieces(value: string, shown = 0): string[] {
  return [value, ...Array.from({ length: Math.max(0, value.length - shown - 5) }, (_, i) => value.slice(shown + i, shown + i + 6))];
}
function expectNone(text: string, values: string[], shown = 0): void {
  for (const value of values) for (const piece of pieces(value, shown)) expect(text, `leaks ${piece}`).not.toContain(piece);
}

function spanOf(line: string, value: string, extra: Partial<ReportedSpan> = {}): ReportedSpan {
  const start = line.indexOf(value);
  return { start, end: start + value.length, value, own: true, ...extra };
}

describe('redactValue', () => {
  it('shows at most the first N (0–4) characters, none below 12', () => {
    const value = token(30);
    expect(redactValue(value)).toBe(`${value.slice(0, 4)}…`);
    expect(redactValue(value, 2)).toBe(`${value.slice(0, 2)}…`);
    expect(redactValue(value, 0)).toBe('…');
    expect(redactValue(value, 9)).toBe(`${value.slice(0, 4)}…`);
    expect(redactValue(value.slice(0, 11))).toBe('…');
  });

  it('never shows a character of key material', () => {
    const body = randomChars(B64, 64);
    expect(redactValue(`${begin}\n${body}\n${end}`)).toBe(`${begin}…`);
  });

  it('parses --redact N as 0..4 only, and does not echo a bad value that looks like a token', () => {
    expect(parseShown('0', '--redact')).toBe(0);
    expect(parseShown(' 3 ', '--redact')).toBe(3);
    expect(() => parseShown('5', '--redact')).toThrow(/0 to 4/);
    const pasted = token(24);
    expect(() => parseShown(pasted, '--redact')).toThrow(/0 to 4/);
    try {
      parseShown(pasted, '--redact');
    } catch (error) {
      expect((error as Error).message).not.toContain(pasted.slice(4, 12));
    }
  });
});

describe('redactSnippet', () => {
  it('masks every other quoted literal and assigned value on the line, keeps the reported prefix', () => {
    const reported = token(36);
    const others = [token(20), randomChars('abcdefghij', 9), token(14)];
    const line = `const a = "${reported}"; const b = '${others[0]}'; x = ${others[1]}; headers["X-Key"] = \`${others[2]}\`;`;
    const snippet = redactSnippet(line, [spanOf(line, reported)]);
    expect(snippet).toContain(`"${reported.slice(0, 4)}…"`);
    expect(snippet).toContain('headers["X-Key"]');
    expectNone(snippet, others);
    expectNone(snippet, [reported], 4);
  });

  it('masks env-style and YAML values, URL credentials and bare tokens that were not reported', () => {
    const reported = token(24);
    const user = randomChars('abcdefgh', 8);
    const password = token(16);
    const bare = token(40);
    const line = `DB_URL=postgres://${user}:${password}@db.internal:5432/app API_SECRET=${reported} token: ${bare}`;
    const snippet = redactSnippet(line, [spanOf(line, reported)]);
    expectNone(snippet, [user, password, bare]);
    expect(snippet).toContain(`API_SECRET=${reported.slice(0, 4)}…`);
  });

  it('redacts several reported values on one line, each to its prefix', () => {
    const [a, b] = [token(30), token(30)];
    const line = `A="${a}" B="${b}"`;
    const snippet = redactSnippet(line, [spanOf(line, a), spanOf(line, b, { own: false })], { shown: 2 });
    expect(snippet).toBe(`A="${a.slice(0, 2)}…" B="${b.slice(0, 2)}…"`);
  });

  it('shows a key finding by its BEGIN line only, for a PEM block and for a \\n-escaped one-line key', () => {
    const lines = Array.from({ length: 4 }, () => randomChars(B64, 64));
    const pemHeader = `${begin}`;
    expect(redactSnippet(lines[0]!, [{ start: 0, end: 64, value: lines[0]!, own: true, key: true }], { header: pemHeader })).toBe(`${begin}…`);

    const keyId = randomChars('0123456789abcdef', 40);
    const json = `{"type": "service_account", "private_key_id": "${keyId}", "private_key": "${begin}\\n${lines.join('\\n')}\\n${end}\\n", "client_email": "a@b.iam.gserviceaccount.com"}`;
    const at = json.indexOf(lines[0]!);
    const snippet = redactSnippet(json, [{ start: at, end: at + 64, value: lines[0]!, own: true, key: true }]);
    expect(snippet.endsWith(`${begin}…`)).toBe(true);
    expectNone(snippet, [...lines, keyId]);
  });

  it('cuts key bodies out of lines whose finding is something else, whatever the encoding', () => {
    const body = Array.from({ length: 3 }, () => randomChars(B64, 64));
    const reported = token(30);
    const escaped = `KEY = "${begin}\\n${body.join('\\n')}\\n${end}"; TOKEN = "${reported}"`;
    const snippet = redactSnippet(escaped, [spanOf(escaped, reported)]);
    expectNone(snippet, body);
    expect(snippet).toContain(`${reported.slice(0, 4)}…`);
    // A bare base64 block (a key body line on its own, a base64-encoded value) is masked whole.
    const line = `data ${body[1]}`;
    expectNone(redactSnippet(line, []), [body[1]!]);
  });

  it('cuts a long line around the reported value', () => {
    const reported = token(30);
    const line = `${'a = 1; '.repeat(60)}t = "${reported}"; ${'b = 2; '.repeat(60)}`;
    const snippet = redactSnippet(line, [spanOf(line, reported)]);
    expect(snippet.length).toBeLessThanOrEqual(200);
    expect(snippet).toContain(`${reported.slice(0, 4)}…`);
  });
});

describe('redactText and safeName', () => {
  it('masks URL credentials, key bodies and tokens in free text, keeps names, paths and rule ids', () => {
    const password = token(14);
    const tok = token(36);
    const body = randomChars(B64, 64);
    const text = `cannot reach https://admin:${password}@vault.internal:8200/v1: bad token ${tok}; ${begin}\n${body}\n${end} path "secret/data/app" rule vault-policy-kv2-parameters`;
    const out = redactText(text);
    expectNone(out, [password, tok, body]);
    expect(out).toContain('https://…@vault.internal:8200/v1');
    expect(out).toContain('path "secret/data/app" rule vault-policy-kv2-parameters');
    expect(cutKeyMaterial(`${begin}\n${body}\n${end} after`)).toBe(`${begin}… after`);
  });

  it('echoes a name only when it is shaped like one', () => {
    expect(safeName('DATABASE_URL', 'a key')).toBe('DATABASE_URL');
    expect(safeName('raed', 'a value')).toBe('raed');
    expect(safeName(token(24), 'a key')).toBe('a key');
    expect(safeName(randomChars(B64, 64), 'a key')).toBe('a key');
    expect(safeName('Summer2024!Dragon', 'a value')).toBe('a value');
  });
});
