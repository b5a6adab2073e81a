/**
 * Finds where each `path` block of a policy starts. js-hcl-parser gives no positions, so this
 * tokenizes the source (HCL v1 or its JSON form), skipping comments and heredocs, and reports
 * the path strings that sit directly under the top-level `path` key, in source order.
 */

export interface Position {
  line: number;
  column: number;
}

export interface LocatedPath extends Position {
  path: string;
}

type TokenKind = 'string' | 'ident' | 'punct';

interface Token extends Position {
  kind: TokenKind;
  value: string;
}

const PUNCTUATION = new Set(['{', '}', '[', ']', '=', ':', ',']);
const IDENT_CHAR = /[A-Za-z0-9_.\-/*+]/;

function decodeString(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): Position => ({ line, column: i - lineStart + 1 });
  const newline = (index: number): void => {
    line += 1;
    lineStart = index + 1;
  };
  const skipTo = (end: number): void => {
    for (let k = i; k < end; k += 1) if (text[k] === '\n') newline(k);
    i = end;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      newline(i);
      i += 1;
    } else if (c === '#' || text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      skipTo(end === -1 ? text.length : end + 2);
    } else if (text.startsWith('<<', i)) {
      const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i));
      if (!heredoc) {
        i += 2;
        continue;
      }
      const marker = heredoc[1]!;
      let k = i + heredoc[0].length;
      // The body ends at the first line whose trimmed text is the marker.
      while (k < text.length) {
        const end = text.indexOf('\n', k);
        const lineText = text.slice(k, end === -1 ? text.length : end);
        k = end === -1 ? text.length : end + 1;
        if (lineText.trim() === marker) break;
      }
      tokens.push({ kind: 'string', value: '', ...at() });
      skipTo(k);
    } else if (c === '"') {
      const start = at();
      let k = i + 1;
      while (k < text.length && text[k] !== '"' && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
      const raw = text.slice(i, Math.min(k + 1, text.length));
      tokens.push({ kind: 'string', value: decodeString(raw), ...start });
      i = k + 1;
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ kind: 'punct', value: c, ...at() });
      i += 1;
    } else if (IDENT_CHAR.test(c)) {
      const start = at();
      let k = i;
      while (k < text.length && IDENT_CHAR.test(text[k]!)) k += 1;
      tokens.push({ kind: 'ident', value: text.slice(i, k), ...start });
      i = k;
    } else {
      i += 1;
    }
  }
  return tokens;
}

const isKey = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'string' || t.kind === 'ident');
const isPunct = (t: Token | undefined, value: string): boolean => t?.kind === 'punct' && t.value === value;
const position = (t: Token): LocatedPath => ({ path: t.value, line: t.line, column: t.column });

/** Keys of the object that opens at `tokens[start]` (a `{`), at its own depth only. */
function objectKeys(tokens: Token[], start: number): { keys: LocatedPath[]; end: number } {
  const keys: LocatedPath[] = [];
  let depth = 0;
  let k = start;
  for (; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (isPunct(t, '{') || isPunct(t, '[')) depth += 1;
    else if (isPunct(t, '}') || isPunct(t, ']')) {
      depth -= 1;
      if (depth === 0) break;
    } else if (depth === 1 && isKey(t) && (isPunct(tokens[k + 1], '=') || isPunct(tokens[k + 1], ':') || isPunct(tokens[k + 1], '{'))) {
      keys.push(position(t));
    }
  }
  return { keys, end: k };
}

/** Every top-level `path` block's path string with its position, in source order. */
export function locatePathBlocks(text: string): LocatedPath[] {
  const tokens = tokenize(text);
  const found: LocatedPath[] = [];
  const base = isPunct(tokens[0], '{') ? 1 : 0;
  let depth = 0;
  for (let k = 0; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (isPunct(t, '{') || isPunct(t, '[')) {
      depth += 1;
      continue;
    }
    if (isPunct(t, '}') || isPunct(t, ']')) {
      depth -= 1;
      continue;
    }
    if (depth !== base || !isKey(t) || t.value !== 'path') continue;
    // A value that happens to read "path" (name = "path") is not the key.
    if (isPunct(tokens[k - 1], '=') || isPunct(tokens[k - 1], ':')) continue;
    const next = tokens[k + 1];
    if (isKey(next)) {
      // HCL block: path "secret/x" { … }
      found.push(position(next));
      continue;
    }
    if (!(isPunct(next, '=') || isPunct(next, ':'))) continue;
    const open = tokens[k + 2];
    if (isPunct(open, '{')) {
      // Object form: path = { "secret/x" = { … } } or JSON "path": { "secret/x": { … } }
      found.push(...objectKeys(tokens, k + 2).keys);
    } else if (isPunct(open, '[')) {
      // JSON list form: "path": [ { "secret/x": { … } }, … ]
      for (let j = k + 3; j < tokens.length && !isPunct(tokens[j], ']'); j += 1) {
        if (!isPunct(tokens[j], '{')) continue;
        const { keys, end } = objectKeys(tokens, j);
        found.push(...keys);
        j = end;
      }
    }
  }
  return found;
}

/** Line and column of a top-level key (for errors outside path blocks); line 1 when not found. */
export function locateTopLevelKey(text: string, key: string): Position {
  const tokens = tokenize(text);
  const base = isPunct(tokens[0], '{') ? 1 : 0;
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '{') || isPunct(t, '[')) depth += 1;
    else if (isPunct(t, '}') || isPunct(t, ']')) depth -= 1;
    else if (depth === base && isKey(t) && t.value === key) return { line: t.line, column: t.column };
  }
  return { line: 1, column: 1 };
}
