import { withLfLineEnds } from '../../core/lines.js';
import hcl from 'js-hcl-parser';
import { redactText, safeName } from '../../core/redact.js';
import { locatePathBlocks, locateTopLevelKey, type Position } from './locate.js';

/** One `path` block, normalized. */
export interface PolicyRule {
  /** As written in the file (Vault ignores a leading `/`). */
  path: string;
  line: number;
  column: number;
  /** Effective capabilities: legacy `policy` mapped in, and `deny` alone when present (as Vault does). */
  capabilities: string[];
  /** Capabilities exactly as declared (before the deny collapse), for the deny-mixed check. */
  declaredCapabilities: string[];
  hasParameters: boolean;
  /** Seconds, when set and parseable. */
  minWrappingTtl?: number;
  maxWrappingTtl?: number;
  /** The block's keys and values, with HCL's list-wrapped objects unwrapped; what the schema sees. */
  body: Record<string, unknown>;
}

export interface ParsedPolicy {
  file: string;
  /** Top-level keys other than `path`, for the schema. */
  topLevel: Record<string, unknown>;
  rules: PolicyRule[];
  /** Source text, to locate top-level keys for errors. */
  text: string;
}

export interface PolicyProblem extends Position {
  message: string;
}

export type ParseOutcome = { ok: true; policy: ParsedPolicy } | { ok: false; problem: PolicyProblem };

/** Vault's legacy `policy = "…"` values and the capabilities they stand for (vault/policy.go). */
const LEGACY_POLICY: Record<string, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** Keys whose values are objects; HCL v1 hands them over as a list of objects. */
const OBJECT_KEYS = new Set(['allowed_parameters', 'denied_parameters', 'control_group']);
const PARAMETER_KEYS = ['allowed_parameters', 'denied_parameters', 'required_parameters'];

const BINARY_SAMPLE = 8192;

/** Turns file bytes into text, or says why they are not a policy (binary, invalid UTF-8). */
export function decodePolicyBytes(bytes: Uint8Array): { text: string } | { problem: PolicyProblem } {
  const sample = bytes.subarray(0, BINARY_SAMPLE);
  const nul = sample.indexOf(0);
  if (nul !== -1) return { problem: { message: 'binary content (NUL byte): not a Vault policy', ...lineOfOffset(bytes, nul) } };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    return { problem: { message: 'invalid UTF-8: Vault policies are UTF-8 text', ...firstInvalidUtf8Line(bytes) } };
  }
}

function lineOfOffset(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k += 1) {
    if (bytes[k] === 0x0a || (bytes[k] === 0x0d && bytes[k + 1] !== 0x0a)) {
      line += 1;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8Line(bytes: Uint8Array): Position {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return { line, column: 1 };
    }
    start = end + 1;
    line += 1;
  }
  return { line: 1, column: 1 };
}

/**
 * Deepest `[`/`{`/`(` nesting a policy may have. Real policies nest 3–4 levels (path → parameters →
 * list); the HCL parser recurses per level and is superlinear in it (a 1 KB file of nested lists
 * cost seconds and overflowed the stack), so deeper text is refused before parsing.
 */
export const MAX_POLICY_NESTING = 32;

/** Where the nesting first passes MAX_POLICY_NESTING, skipping strings and comments; one linear pass. */
export function nestingProblem(text: string): PolicyProblem | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 1;
      for (let k = i; k < stop; k++) {
        if (text[k] === '\n' || (text[k] === '\r' && text[k + 1] !== '\n')) {
          line++;
          lineStart = k + 1;
        }
      }
      i = stop;
    } else if (c === '[' || c === '{' || c === '(') {
      if (++depth > MAX_POLICY_NESTING) {
        return { message: `nesting deeper than ${MAX_POLICY_NESTING} levels; not parsed (Vault policies nest a few levels)`, line, column: i - lineStart + 1 };
      }
    } else if ((c === ']' || c === '}' || c === ')') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** Parses with HCL v1 (as Vault does); its errors come back as text: "… At L:C: message". */
function parseHcl(text: string): { value: Record<string, unknown> } | { problem: PolicyProblem } {
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { problem: tooDeep };
  let output: string;
  try {
    output = hcl.parse(text);
  } catch (error) {
    return { problem: { message: `cannot parse policy: ${hclMessage((error as Error).message)}`, line: 1, column: 1 } };
  }
  if (output.trimStart().startsWith('{')) {
    try {
      return { value: JSON.parse(output) as Record<string, unknown> };
    } catch {
      // Not JSON after all: fall through and report the text as an error.
    }
  }
  const where = /At (\d+):(\d+):\s*(.*)$/s.exec(output);
  if (where) {
    return { problem: { message: `HCL syntax error: ${hclMessage(where[3]!)}`, line: Number(where[1]), column: Number(where[2]) } };
  }
  return { problem: { message: `HCL syntax error: ${hclMessage(output.replace(/^unable to parse JSON:\s*/, ''))}`, line: 1, column: 1 } };
}

/**
 * The parser's message without the text it quotes (`key 'ghp_…' expected …`, `Unknown token: 1:16 IDENT …`):
 * the offending text may be a pasted token, and the line and column already say where it is.
 */
function hclMessage(message: string): string {
  const text = message
    .trim()
    .replace(/\bkey ('(?:[^'\\]|\\.)*')/g, (_m, quoted: string) => (safeName(quoted.slice(1, -1), '') ? `key ${quoted}` : 'a key'))
    .replace(/'(?:[^'\\]|\\.)*'/g, (quoted) => (safeName(quoted.slice(1, -1), '') ? quoted : "'…'"))
    .replace(/(Unknown token: \d+:\d+ [A-Z]+) .*$/s, '$1')
    .replace(/\b(IDENT|STRING|NUMBER|FLOAT|HEREDOC|BOOL) (?!\()\S+/g, '$1');
  return redactText(text);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** HCL v1 wraps every object in a list; merge such a list back into one object. */
function unwrapObject(value: unknown): unknown {
  if (Array.isArray(value) && value.length > 0 && value.every(isObject)) return Object.assign({}, ...value);
  return value;
}

function normalizeBody(raw: unknown): Record<string, unknown> {
  const merged = unwrapObject(raw);
  if (!isObject(merged)) return {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) body[key] = OBJECT_KEYS.has(key) ? unwrapObject(value) : value;
  return body;
}

const DURATION_UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** Vault's ParseDurationSecond: a number of seconds, or a Go duration ("90s", "1h30m", plus "d"). */
export function parseWrappingTtl(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)) seconds += Number(part[1]) * DURATION_UNIT_SECONDS[part[2]!]!;
  return seconds;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function toRule(path: string, body: Record<string, unknown>, where: Position): PolicyRule {
  const declared = stringsOf(body.capabilities);
  const legacy = typeof body.policy === 'string' ? LEGACY_POLICY[body.policy] : undefined;
  // Vault: a legacy "deny" replaces the list, the others append to it.
  const combined = body.policy === 'deny' ? ['deny'] : [...declared, ...(legacy ?? [])];
  const unique = [...new Set(combined)];
  return {
    path,
    ...where,
    capabilities: unique.includes('deny') ? ['deny'] : unique,
    declaredCapabilities: [...new Set([...declared, ...(legacy ?? [])])],
    hasParameters: PARAMETER_KEYS.some((key) => key in body),
    minWrappingTtl: parseWrappingTtl(body.min_wrapping_ttl),
    maxWrappingTtl: parseWrappingTtl(body.max_wrapping_ttl),
    body,
  };
}

/** Pairs parsed blocks with located ones by path string, in order, so duplicates keep their own lines. */
function positionsFor(paths: string[], text: string): Position[] {
  const located = locatePathBlocks(text);
  const used = new Set<number>();
  let cursor = 0;
  return paths.map((path) => {
    let index = located.findIndex((l, k) => k >= cursor && !used.has(k) && l.path === path);
    if (index === -1) index = located.findIndex((l, k) => !used.has(k) && l.path === path);
    if (index === -1) return { line: 1, column: 1 };
    used.add(index);
    cursor = index + 1;
    return { line: located[index]!.line, column: located[index]!.column };
  });
}

/** Parses a policy's text (HCL or JSON form) into located, normalized rules. */
export function parsePolicy(source: string, file: string): ParseOutcome {
  // The HCL parser and the locators count lines by \n: a CR-only policy would be one line.
  const text = withLfLineEnds(source);
  const parsed = parseHcl(text);
  if ('problem' in parsed) return { ok: false, problem: parsed.problem };
  const { path: rawPaths, ...topLevel } = parsed.value;
  if (rawPaths !== undefined && !Array.isArray(rawPaths)) {
    return { ok: false, problem: { message: '"path" must be blocks: path "secret/data/app" { capabilities = ["read"] }', ...locateTopLevelKey(text, 'path') } };
  }
  const entries: { path: string; body: Record<string, unknown> }[] = [];
  for (const item of (rawPaths ?? []) as unknown[]) {
    if (!isObject(item)) continue;
    for (const [path, body] of Object.entries(item)) entries.push({ path, body: normalizeBody(body) });
  }
  const positions = positionsFor(
    entries.map((e) => e.path),
    text,
  );
  const rules = entries.map((entry, k) => toRule(entry.path, entry.body, positions[k]!));
  return { ok: true, policy: { file, topLevel, rules, text } };
}
