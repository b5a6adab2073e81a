/**
 * keywarden's .env dialect: the subset that dotenv (npm) and docker compose read the same way.
 *
 * - blank lines and full-line `#` comments are skipped; an optional `export ` prefix is stripped;
 * - `KEY=value`; the key is `[A-Za-z_][A-Za-z0-9_]*`;
 * - unquoted values end at ` #` (a `#` after whitespace) and are trimmed;
 * - single-quoted values are literal and end on the same line;
 * - double-quoted values understand `\n \r \t \\ \"` (any other backslash stays as written)
 *   and may span lines;
 * - nothing is ever expanded or executed: `$VAR`, `${VAR}` and `$(cmd)` stay text,
 *   and dotenvx `encrypted:` values are kept opaque.
 *
 * Lines the two readers disagree on are recorded as problems (lint findings) and, where a value is
 * still recoverable, as entries too, so that security checks still see what a reader would load.
 */

import { splitLines } from '../../core/lines.js';
import { safeName } from '../../core/redact.js';

export type QuoteStyle = 'none' | 'single' | 'double';

export interface EnvVariable {
  key: string;
  value: string;
  /** 1-based position of the key. */
  line: number;
  column: number;
  /** 1-based position of the value's first character (its opening quote when quoted). */
  valueLine: number;
  valueColumn: number;
  /** Last line of the value (multi-line double-quoted values). */
  endLine: number;
  quote: QuoteStyle;
  /** A dotenvx `encrypted:` value or a pure `${VAR}` reference: never judged for strength or defaults. */
  opaque: boolean;
}

export type EnvSyntaxRule =
  | 'env-syntax-no-equals'
  | 'env-duplicate-key'
  | 'env-space-around-equals'
  | 'env-unquoted-hash'
  | 'env-lowercase-key'
  | 'env-unterminated-quote'
  | 'env-invalid-key'
  | 'env-key-colon-syntax'
  | 'env-trailing-text';

export interface EnvSyntaxProblem {
  ruleId: EnvSyntaxRule;
  line: number;
  column: number;
  message: string;
  /** The key concerned, when known (for fingerprints; keys are never secret). */
  key?: string;
}

export interface ParsedEnv {
  /** Every assignment in file order, duplicates included. */
  variables: EnvVariable[];
  problems: EnvSyntaxProblem[];
}

const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOOSE_KEY = /^[^\s=:#'"]+/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
const REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

export function isOpaqueValue(value: string): boolean {
  return value.startsWith('encrypted:') || REFERENCE.test(value);
}

/** Parses .env text (already decoded; a BOM and CRLF or CR-only line ends are accepted). */
export function parseEnv(text: string): ParsedEnv {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const variables: EnvVariable[] = [];
  const problems: EnvSyntaxProblem[] = [];
  const problem = (ruleId: EnvSyntaxRule, line: number, column: number, message: string, key?: string): void => {
    problems.push({ ruleId, line, column, message, ...(key ? { key } : {}) });
  };

  let index = 0;
  while (index < lines.length) {
    const lineNo = index + 1;
    const raw = lines[index]!;
    index += 1;
    const indent = raw.length - raw.trimStart().length;
    let rest = raw.slice(indent);
    if (rest === '' || rest.startsWith('#')) continue;

    let col = indent;
    const exported = /^export\s+/.exec(rest);
    if (exported) {
      rest = rest.slice(exported[0].length);
      col += exported[0].length;
    }

    const keyMatch = LOOSE_KEY.exec(rest);
    const key = keyMatch?.[0] ?? '';
    const keyColumn = col + 1;
    let afterKey = rest.slice(key.length);
    let valueStart = col + key.length;

    const spaced = /^\s+/.exec(afterKey);
    if (spaced && afterKey.trimStart().startsWith('=')) {
      afterKey = afterKey.slice(spaced[0].length);
      valueStart += spaced[0].length;
    }
    const separator = afterKey[0];
    if (!key && separator === '=') {
      problem('env-invalid-key', lineNo, keyColumn, 'line has no key before "="');
      continue;
    }
    if (!key || (separator !== '=' && separator !== ':')) {
      problem('env-syntax-no-equals', lineNo, keyColumn, 'line has no "=": dotenv silently drops it and docker compose rejects it');
      continue;
    }
    const cleanKey = key;
    // A key is echoed only when shaped like a name: a line of an unquoted multi-line value (a key body) is no name.
    const shownKey = safeName(cleanKey, `the key on line ${lineNo}`);
    if (separator === ':') {
      problem('env-key-colon-syntax', lineNo, keyColumn, `${shownKey} uses "KEY: value": dotenv accepts it, docker compose does not; write ${shownKey}=value`, cleanKey);
      const colon = afterKey.indexOf(':');
      afterKey = afterKey.slice(colon + 1);
      valueStart += colon + 1;
    } else {
      afterKey = afterKey.slice(1);
      valueStart += 1;
    }
    if (spaced || (separator === '=' && /^\s/.test(afterKey) && afterKey.trim() !== '')) {
      problem('env-space-around-equals', lineNo, keyColumn, `${shownKey} has spaces around "=": readers disagree on whether they belong to the key or value`, cleanKey);
    }
    const lead = afterKey.length - afterKey.trimStart().length;
    afterKey = afterKey.slice(lead);
    valueStart += lead;

    if (!VALID_KEY.test(cleanKey)) {
      const why = shownKey === cleanKey ? `key "${cleanKey}" is not a portable variable name` : `the text before "=" on line ${lineNo} is not a variable name (a line of an unquoted multi-line value? quote the value)`;
      problem('env-invalid-key', lineNo, keyColumn, `${why} ([A-Za-z_][A-Za-z0-9_]*)`, cleanKey);
    } else if (/[a-z]/.test(cleanKey)) {
      problem('env-lowercase-key', lineNo, keyColumn, `key ${shownKey} has lowercase letters: environment variable names are conventionally upper case`, cleanKey);
    }

    const valueColumn = valueStart + 1;
    const base = { key: cleanKey, line: lineNo, column: keyColumn, valueLine: lineNo, valueColumn };
    const quoteChar = afterKey[0];

    if (quoteChar === "'") {
      const close = afterKey.indexOf("'", 1);
      if (close === -1) {
        problem('env-unterminated-quote', lineNo, valueColumn, `${shownKey} has an unterminated single quote`, cleanKey);
        variables.push(variable({ ...base, value: afterKey.slice(1), endLine: lineNo, quote: 'none' }));
        continue;
      }
      checkTrailing(afterKey.slice(close + 1), lineNo, valueStart + close + 2, cleanKey, problem);
      variables.push(variable({ ...base, value: afterKey.slice(1, close), endLine: lineNo, quote: 'single' }));
      continue;
    }

    if (quoteChar === '"') {
      const read = readDoubleQuoted(lines, index - 1, valueStart + 1);
      if (!read) {
        problem('env-unterminated-quote', lineNo, valueColumn, `${shownKey} has an unterminated double quote: the rest of the file would be read into its value`, cleanKey);
        variables.push(variable({ ...base, value: afterKey.slice(1), endLine: lineNo, quote: 'none' }));
        continue;
      }
      checkTrailing(read.trailing, read.endIndex + 1, read.trailingColumn, cleanKey, problem);
      variables.push(variable({ ...base, value: read.value, endLine: read.endIndex + 1, quote: 'double' }));
      index = read.endIndex + 1;
      continue;
    }

    const comment = /\s#/.exec(afterKey);
    const value = (comment ? afterKey.slice(0, comment.index) : afterKey).trimEnd();
    const hash = value.indexOf('#');
    if (hash !== -1) {
      problem(
        'env-unquoted-hash',
        lineNo,
        valueColumn + hash,
        `${shownKey} has an unquoted "#": dotenv cuts the value there, docker compose keeps it; quote the value`,
        cleanKey,
      );
    }
    variables.push(variable({ ...base, value, endLine: lineNo, quote: 'none' }));
  }

  reportDuplicates(variables, problem);
  return { variables, problems };
}

function variable(fields: Omit<EnvVariable, 'opaque'>): EnvVariable {
  return { ...fields, opaque: isOpaqueValue(fields.value) };
}

interface DoubleQuoted {
  value: string;
  endIndex: number;
  trailing: string;
  trailingColumn: number;
}

/** Reads a double-quoted value starting at `lines[startIndex][openIndex]` (the opening quote). */
function readDoubleQuoted(lines: string[], startIndex: number, openIndex: number): DoubleQuoted | undefined {
  let value = '';
  for (let i = startIndex; i < lines.length; i += 1) {
    const line = lines[i]!;
    for (let j = i === startIndex ? openIndex : 0; j < line.length; j += 1) {
      const ch = line[j]!;
      if (ch === '\\' && j + 1 < line.length) {
        const next = line[j + 1]!;
        value += ESCAPES[next] ?? `\\${next}`;
        j += 1;
      } else if (ch === '"') {
        return { value, endIndex: i, trailing: line.slice(j + 1), trailingColumn: j + 2 };
      } else {
        value += ch;
      }
    }
    value += '\n';
  }
  return undefined;
}

function checkTrailing(
  trailing: string,
  line: number,
  column: number,
  key: string,
  problem: (ruleId: EnvSyntaxRule, line: number, column: number, message: string, key?: string) => void,
): void {
  const text = trailing.trim();
  if (text === '' || (text.startsWith('#') && /^\s/.test(trailing))) return;
  problem('env-trailing-text', line, column, `${safeName(key, `the key on line ${line}`)} has text after its closing quote: readers disagree on what it means`, key);
}

function reportDuplicates(
  variables: EnvVariable[],
  problem: (ruleId: EnvSyntaxRule, line: number, column: number, message: string, key?: string) => void,
): void {
  const first = new Map<string, EnvVariable>();
  for (const v of variables) {
    const earlier = first.get(v.key);
    if (earlier) {
      problem('env-duplicate-key', v.line, v.column, `${safeName(v.key, `the key on line ${v.line}`)} is set again (first on line ${earlier.line}): the last one wins, the earlier is dead`, v.key);
    } else {
      first.set(v.key, v);
    }
  }
}

/** The value each key ends up with (the last assignment wins, as in dotenv and compose). */
export function effectiveValues(parsed: ParsedEnv): Map<string, EnvVariable> {
  const map = new Map<string, EnvVariable>();
  for (const v of parsed.variables) map.set(v.key, v);
  return map;
}
