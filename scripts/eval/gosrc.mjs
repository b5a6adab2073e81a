// Just enough Go to read test inputs out of peers' Go sources at run time: a tokenizer with Go's automatic
// semicolons, and an evaluator for string expressions (literals, +, constants, fmt.Sprintf, strings.Repeat,
// []string{…}). Anything else evaluates to UNKNOWN, so a case that needs real Go to compute is skipped and
// counted, never guessed.

export const UNKNOWN = Symbol('unknown');

const PUNCT = [':=', '...', '&&', '||', '==', '!=', '<=', '>=', '++', '--', '+=', '<-'];
const ENDS_STATEMENT = new Set(['ident', 'string', 'number', 'rune']);

function unquote(body) {
  let out = '';
  const bytes = [];
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes.splice(0)).toString('utf8');
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const n = body[++i];
    const simple = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (n in simple) {
      flush();
      out += simple[n];
    } else if (n === 'x') {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8;
      flush();
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + len), 16));
      i += len;
    } else if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      flush();
      out += n;
    }
  }
  flush();
  return out;
}

export function tokenize(src) {
  const tokens = [];
  const push = (type, value) => tokens.push({ type, value });
  const last = () => tokens[tokens.length - 1];
  const newline = () => {
    const t = last();
    if (t && (ENDS_STATEMENT.has(t.type) || (t.type === 'punct' && [')', ']', '}', '++', '--'].includes(t.value)) || (t.type === 'ident' && ['return', 'break', 'continue'].includes(t.value)))) push('punct', ';');
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      newline();
      i++;
    } else if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end === -1 ? src.length : end;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (src.slice(i, end).includes('\n')) newline();
      i = end === -1 ? src.length : end + 2;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      push('string', src.slice(i + 1, end === -1 ? src.length : end).replace(/\r/g, ''));
      i = end === -1 ? src.length : end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      push(c === '"' ? 'string' : 'rune', unquote(src.slice(i + 1, j)));
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
      push('ident', m[0]);
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-fA-FxX_.]*/.exec(src.slice(i, i + 100));
      push('number', m[0]);
      i += m[0].length;
    } else {
      const p = PUNCT.find((q) => src.startsWith(q, i)) ?? c;
      push('punct', p);
      i += p.length;
    }
  }
  newline();
  return tokens;
}

/** Index just past the bracket that closes the one at `open`. */
export function skipGroup(tokens, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'punct') continue;
    if (pairs[t.value]) depth++;
    else if (Object.values(pairs).includes(t.value) && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Top-level comma-separated items between the bracket at `open` and its partner: [[start, end), …]. */
export function items(tokens, open) {
  const close = skipGroup(tokens, open) - 1;
  const out = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t.type === 'punct' && ['(', '[', '{'].includes(t.value)) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (t.type === 'punct' && (t.value === ',' || t.value === ';')) {
      if (i > start) out.push([start, i]);
      start = i + 1;
    }
  }
  if (close > start) out.push([start, close]);
  return out;
}

/** Name → [start, end) of its initialiser, for `var`/`const` specs and `:=` anywhere (the first one wins). */
export function declarations(tokens) {
  const decls = new Map();
  const add = (name, start) => {
    if (decls.has(name)) return;
    let end = start;
    while (end < tokens.length && !(tokens[end].type === 'punct' && [';', ','].includes(tokens[end].value) && true)) {
      if (tokens[end].type === 'punct' && ['(', '[', '{'].includes(tokens[end].value)) end = skipGroup(tokens, end);
      else if (tokens[end].type === 'punct' && [')', ']', '}'].includes(tokens[end].value)) break;
      else end++;
    }
    decls.set(name, [start, end]);
  };
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'ident' && tokens[i + 1].value === ':=' && tokens[i - 1]?.value !== ',') add(t.value, i + 2);
    if (t.type === 'ident' && (t.value === 'var' || t.value === 'const')) {
      const specs = tokens[i + 1].value === '(' ? items(tokens, i + 1).map(([s]) => s) : [i + 1];
      for (const s of specs) {
        // IDENT [Type] = expr
        let j = s + 1;
        while (j < tokens.length && tokens[j].value !== '=' && tokens[j].value !== ';' && j < s + 6) j++;
        if (tokens[s].type === 'ident' && tokens[j]?.value === '=') add(tokens[s].value, j + 1);
      }
    }
  }
  return decls;
}

function format(fmt, args) {
  let k = 0;
  let failed = false;
  const out = fmt.replace(/%([-+# 0]*\d*(?:\.\d+)?)([sdvqxX%])/g, (_, flags, verb) => {
    if (verb === '%') return '%';
    const a = args[k++];
    if (a === undefined || a === UNKNOWN || Array.isArray(a)) {
      failed = true;
      return '';
    }
    if (verb === 'q') return JSON.stringify(String(a));
    if (verb === 'x' || verb === 'X') {
      failed = typeof a !== 'string';
      return Buffer.from(String(a)).toString('hex');
    }
    return String(a);
  });
  return failed ? UNKNOWN : out;
}

/**
 * Evaluates tokens[start, end) to a string, a string[], a number or UNKNOWN. `literalOnly` accepts nothing
 * but string literals joined with + (what "literal" samples means in the report).
 */
export function evaluate(tokens, start, end, { decls = new Map(), literalOnly = false, depth = 0 } = {}) {
  if (depth > 20) return UNKNOWN;
  let i = start;
  const peek = () => (i < end ? tokens[i] : undefined);
  const recurse = (s, e) => evaluate(tokens, s, e, { decls, literalOnly, depth: depth + 1 });
  const primary = () => {
    const t = peek();
    if (!t) return UNKNOWN;
    if (t.type === 'string') {
      i++;
      return t.value;
    }
    if (literalOnly) return UNKNOWN;
    if (t.type === 'number' && /^[0-9]+$/.test(t.value)) {
      i++;
      return Number(t.value);
    }
    if (t.value === '(') {
      const close = skipGroup(tokens, i) - 1;
      const v = recurse(i + 1, close);
      i = close + 1;
      return v;
    }
    if (t.value === '[' && tokens[i + 1]?.value === ']' && tokens[i + 2]?.value === 'string' && tokens[i + 3]?.value === '{') {
      const open = i + 3;
      i = skipGroup(tokens, open);
      const values = items(tokens, open).map(([s, e]) => recurse(s, e));
      return values.some((v) => typeof v !== 'string') ? UNKNOWN : values;
    }
    if (t.type === 'ident') {
      let name = t.value;
      i++;
      while (peek()?.value === '.' && tokens[i + 1]?.type === 'ident') {
        name += `.${tokens[i + 1].value}`;
        i += 2;
      }
      if (peek()?.value === '(') {
        const open = i;
        i = skipGroup(tokens, open);
        const args = items(tokens, open).map(([s, e]) => recurse(s, e));
        if (name === 'fmt.Sprintf' && typeof args[0] === 'string') return format(args[0], args.slice(1));
        if (name === 'strings.Repeat' && typeof args[0] === 'string' && typeof args[1] === 'number') return args[0].repeat(args[1]);
        if (name === 'string' && typeof args[0] === 'string') return args[0];
        return UNKNOWN;
      }
      if (name === 'nil') return [];
      const decl = decls.get(name);
      return decl ? recurse(decl[0], decl[1]) : UNKNOWN;
    }
    return UNKNOWN;
  };
  let value = primary();
  while (i < end && peek()?.value === '+') {
    i++;
    const right = primary();
    value = typeof value === 'string' && typeof right === 'string' ? value + right : UNKNOWN;
  }
  return i === end ? value : UNKNOWN;
}
