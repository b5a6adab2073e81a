import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { UserError } from '../core/errors.js';
import { safeName } from '../core/redact.js';
import { confine } from '../core/workspace-path.js';
import configSchema from '../../schemas/keywarden.schema.json' with { type: 'json' };
import { CustomRuleError, proveLinearTime } from '../scanning/custom-rules.js';
import { ignoreValuePattern, normalizeConfig } from './normalize.js';
import type { ConfigSource, LoadedConfig } from './types.js';

export const CONFIG_FILE_NAMES = ['.keywarden.yml', '.keywarden.yaml'] as const;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validateConfig = ajv.compile(configSchema);

/**
 * Finds the config: an explicit path (an input: trusted, must exist), else .keywarden.yml /
 * .keywarden.yaml at the root, which is the repository's and so must not lead outside it.
 */
export function findConfigFile(root: string, explicit?: string): string | undefined {
  if (explicit) {
    const file = path.resolve(root, explicit);
    if (!existsSync(file)) throw new UserError(`config file not found: ${explicit}`);
    return file;
  }
  const name = CONFIG_FILE_NAMES.find((candidate) => existsSync(path.join(root, candidate)) || isLink(path.join(root, candidate)));
  if (!name) return undefined;
  const confined = confine(root, name);
  if (!confined.ok) throw new UserError(`the config file ${confined.problem}`, { file: name });
  return path.join(root, name);
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Loads and validates the config; no config file means the defaults. */
export function loadConfig(root: string, explicit?: string): LoadedConfig {
  const file = findConfigFile(root, explicit);
  if (!file) return { config: normalizeConfig({}), source: { locate: () => ({ line: 1, column: 1 }) } };
  const display = toPosix(path.relative(root, file)) || path.basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read config: ${(error as Error).message}`, { file: display });
  }
  return parseConfigText(text, display);
}

export function parseConfigText(text: string, display: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0]!;
    throw new UserError(`invalid YAML: ${message}`, { file: display, line: pos.line, column: pos.col });
  }
  const raw = toPlain(doc, lineCounter, display);
  const locate = makeLocator(doc, lineCounter);
  if (!validateConfig(raw)) {
    const error = pickError(validateConfig.errors ?? []);
    const where = errorPath(error);
    const pos = locate(where);
    throw new UserError(`${describeKey(where)}: ${describeAjvError(error)}`, {
      file: display,
      line: pos.line,
      column: pos.column,
    });
  }
  const source: ConfigSource = { file: display, locate };
  checkIgnoreValues(raw as Record<string, any>, source); // eslint-disable-line @typescript-eslint/no-explicit-any -- schema-valid
  try {
    return { config: normalizeConfig(raw as Record<string, unknown>), source };
  } catch (error) {
    if (error instanceof CustomRuleError) throw customRuleError(error, source);
    if (error instanceof UserError) throw new UserError(error.message, { file: display, line: 1 });
    throw error;
  }
}

function customRuleError(error: CustomRuleError, source: ConfigSource): UserError {
  const where = ['scan', 'rules', ...error.field];
  const pos = source.locate(where);
  return new UserError(`${describeKey(where)}: ${error.message}`, { file: source.file, line: pos.line, column: pos.column });
}

/** The check of `scan.rules` that needs redos-detector, loaded on demand: every regex linear-time, or a config error at its line. */
export async function proveConfigRules(loaded: LoadedConfig): Promise<void> {
  try {
    await proveLinearTime(loaded.config.scan.rules);
  } catch (error) {
    if (error instanceof CustomRuleError) throw customRuleError(error, loaded.source);
    throw error;
  }
}

/** The document as plain data; an alias to an anchor set nowhere before it is the user's error, at its line. */
function toPlain(doc: Document, lineCounter: LineCounter, display: string): unknown {
  try {
    return doc.toJS() ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let at: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return undefined;
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = at === undefined ? { line: 1, col: 1 } : lineCounter.linePos(at);
    throw new UserError('invalid YAML: an alias (*name) refers to an anchor (&name) not set before it', { file: display, line: pos.line, column: pos.col });
  }
}

/** A `scan.ignore` value that is not a regular expression is an error at its line (never echoing it: it may be a secret). */
function checkIgnoreValues(raw: Record<string, any>, source: ConfigSource): void { // eslint-disable-line @typescript-eslint/no-explicit-any -- schema-valid
  const entries: { value?: string }[] = raw.scan?.ignore ?? [];
  entries.forEach((entry, index) => {
    if (entry.value === undefined) return;
    try {
      ignoreValuePattern(entry.value);
    } catch {
      const pos = source.locate(['scan', 'ignore', index, 'value']);
      throw new UserError(`scan.ignore[${index}].value: not a valid JavaScript regular expression`, { file: source.file, line: pos.line, column: pos.column });
    }
  });
}

function makeLocator(doc: Document, lineCounter: LineCounter): ConfigSource['locate'] {
  return (keyPath) => {
    for (let depth = keyPath.length; depth >= 0; depth--) {
      const prefix = keyPath.slice(0, depth);
      const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
      const start = keyNodeStart(doc, prefix) ?? (node as { range?: [number, number, number] } | null)?.range?.[0];
      if (start !== undefined) {
        const pos = lineCounter.linePos(start);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
}

/** Position of the key itself (`max-age:`), which reads better than the value's. */
function keyNodeStart(doc: Document, keyPath: (string | number)[]): number | undefined {
  if (keyPath.length === 0) return undefined;
  const parent = keyPath.length === 1 ? doc.contents : doc.getIn(keyPath.slice(0, -1), true);
  const last = keyPath[keyPath.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    const key = pair?.key as { range?: [number, number, number] } | undefined;
    return key?.range?.[0];
  }
  if (isSeq(parent) && typeof last === 'number') {
    return (parent.items[last] as { range?: [number, number, number] } | undefined)?.range?.[0];
  }
  return undefined;
}

/** The most useful of ajv's errors: an unknown key beats a failed oneOf branch. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject): number =>
    e.keyword === 'additionalProperties' ? 0 : e.keyword === 'required' ? 1 : e.keyword === 'enum' ? 2 : ['oneOf', 'anyOf'].includes(e.keyword) ? 4 : 3;
  return [...errors].sort((a, b) => rank(a) - rank(b))[0]!;
}

function errorPath(error: ErrorObject): (string | number)[] {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (error.keyword === 'additionalProperties') parts.push(String(error.params.additionalProperty));
  return parts;
}

function describeKey(keyPath: (string | number)[]): string {
  if (keyPath.length === 0) return 'config';
  // A key is the user's text: one that could be a pasted token is not echoed.
  return keyPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${safeName(p, '(a key not shown)')}`)).join('');
}

function describeAjvError(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown key (a typo would silently disable a check, so keywarden refuses it)';
    case 'required':
      return `missing required key "${String(error.params.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `has an invalid format (must match ${String(error.params.pattern)})`;
    case 'anyOf':
      return 'needs at least one of the keys the schema lists (see schemas/keywarden.schema.json)';
    default:
      return error.message ?? 'is invalid';
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
