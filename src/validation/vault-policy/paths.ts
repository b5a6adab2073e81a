/**
 * Vault ACL path patterns with Vault's exact semantics (vault/policy.go, vault/acl.go):
 * - a leading `/` is ignored;
 * - a trailing `*` is a prefix match; a `*` anywhere else is a literal character;
 * - `+` is a wildcard only as a whole segment (`a+b` is literal), `+*` is rejected;
 * - `{{…}}` identity templates stand for one non-empty value inside a segment.
 */

/** One piece of a segment: a literal character or a template hole. */
type Piece = string | typeof HOLE;
const HOLE = Symbol('template');

type Segment = { wild: true } | { wild: false; pieces: Piece[] };

interface ParsedPattern {
  /** The pattern as Vault stores it: leading `/` removed. */
  path: string;
  segments: Segment[];
  /** Ends in `*`: the last segment is a prefix, followed by anything (including `/`). */
  prefix: boolean;
  /** Has a whole `+` segment (Vault's segment-wildcard rules). */
  segmentWildcards: boolean;
}

/** Vault rejects `+*`; such a pattern matches nothing. */
export function isForbiddenPattern(pattern: string): boolean {
  return stripLeadingSlash(pattern).includes('+*');
}

export function stripLeadingSlash(pattern: string): string {
  return pattern.startsWith('/') ? pattern.slice(1) : pattern;
}

function parsePieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      const end = text.indexOf('}}', i + 2);
      if (end !== -1) {
        pieces.push(HOLE);
        i = end + 2;
        continue;
      }
    }
    pieces.push(text[i]!);
    i += 1;
  }
  return pieces;
}

function parsePattern(pattern: string): ParsedPattern | undefined {
  const path = stripLeadingSlash(pattern);
  if (path.includes('+*')) return undefined;
  const prefix = path.endsWith('*');
  const body = prefix ? path.slice(0, -1) : path;
  const segments: Segment[] = body.split('/').map((text) => (text === '+' ? { wild: true } : { wild: false, pieces: parsePieces(text) }));
  return { path, segments, prefix, segmentWildcards: segments.some((s) => s.wild) };
}

/** How the two piece lists must end: together, `x` may stop early, or either may stop early. */
type EndMode = 'exact' | 'x-prefix' | 'both-prefix';

/**
 * Is there a string matched by both pieces lists? Holes match one or more non-`/` characters.
 * `x-prefix`: `x` may end early (it is followed by anything); `both-prefix`: either may.
 */
function piecesIntersect(x: Piece[], y: Piece[], mode: EndMode): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === x.length && (mode !== 'exact' || j === y.length)) result = true;
    else if (j === y.length && mode === 'both-prefix') result = true;
    else if (i === x.length || j === y.length) {
      // One side is done: the other may only continue with holes that could be empty, which they cannot.
      result = false;
    } else {
      const a = x[i]!;
      const b = y[j]!;
      if (a === HOLE && b === HOLE) result = go(i + 1, j + 1) || go(i + 1, j) || go(i, j + 1);
      else if (a === HOLE) result = go(i + 1, j + 1) || go(i, j + 1);
      else if (b === HOLE) result = go(i + 1, j + 1) || go(i + 1, j);
      else result = a === b && go(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

const hasHole = (pieces: Piece[]): boolean => pieces.includes(HOLE);
const textOf = (pieces: Piece[]): string => pieces.map((p) => (p === HOLE ? '{{}}' : p)).join('');

/** Every value of segment `inner` is a value of segment `outer`. Templates are only proven by identity. */
function segmentContains(outer: Segment, inner: Segment): boolean {
  if (outer.wild) return true;
  if (inner.wild) return false;
  if (!hasHole(outer.pieces) && hasHole(inner.pieces)) return false;
  return textOf(outer.pieces) === textOf(inner.pieces);
}

/** Every value of segment `inner` starts with a value of the prefix segment `outer`. */
function segmentPrefixContains(outer: Segment, inner: Segment): boolean {
  if (outer.wild) return false; // `+*` never parses
  if (outer.pieces.length === 0) return true;
  if (inner.wild) return false;
  const innerText = textOf(inner.pieces);
  const outerText = textOf(outer.pieces);
  if (hasHole(outer.pieces)) return innerText.startsWith(outerText);
  // Only the literal text before the first template is known for every value of `inner`.
  const firstHole = inner.pieces.indexOf(HOLE);
  const knownLead = firstHole === -1 ? innerText : textOf(inner.pieces.slice(0, firstHole));
  return knownLead.startsWith(outerText);
}

function segmentsIntersect(x: Segment, y: Segment, mode: EndMode): boolean {
  if (x.wild || y.wild) return true;
  return piecesIntersect(x.pieces, y.pieces, mode);
}

/** Does Vault's rule `pattern` apply to the request path `concretePath`? */
export function matchesPolicyPath(pattern: string, concretePath: string): boolean {
  const parsed = parsePattern(pattern);
  if (!parsed) return false;
  const parts = stripLeadingSlash(concretePath).split('/');
  const { segments, prefix } = parsed;
  if (parts.length < segments.length) return false;
  if (!prefix && parts.length !== segments.length) return false;
  return segments.every((segment, i) => {
    if (segment.wild) return true;
    const last = i === segments.length - 1;
    return piecesIntersect(segment.pieces, [...parts[i]!], prefix && last ? 'x-prefix' : 'exact');
  });
}

/**
 * Is every path `inner` can match also matched by `outer`? Vault semantics, not a string prefix:
 * `secret/data/*` contains `secret/data/+/x`, but `secret/data/ab*` does not contain `secret/data/a*`.
 * A template in `outer` only contains the same template in `inner`.
 */
export function patternContains(outer: string, inner: string): boolean {
  const o = parsePattern(outer);
  const i = parsePattern(inner);
  if (!o || !i) return false;
  const m = o.segments.length;
  const n = i.segments.length;
  if (!o.prefix) {
    return !i.prefix && m === n && o.segments.every((s, k) => segmentContains(s, i.segments[k]!));
  }
  if (n < m) return false;
  for (let k = 0; k < m - 1; k += 1) if (!segmentContains(o.segments[k]!, i.segments[k]!)) return false;
  return segmentPrefixContains(o.segments[m - 1]!, i.segments[m - 1]!);
}

/** Is there a path both patterns match? Templates count as any value, so this may over-approximate. */
export function patternsOverlap(a: string, b: string): boolean {
  const pa = parsePattern(a);
  const pb = parsePattern(b);
  if (!pa || !pb) return false;
  let [x, y] = !pa.prefix && pb.prefix ? [pb, pa] : [pa, pb];
  const m = x.segments.length;
  const n = y.segments.length;
  if (!x.prefix) return m === n && x.segments.every((s, k) => segmentsIntersect(s, y.segments[k]!, 'exact'));
  if (!y.prefix) {
    if (n < m) return false;
    for (let k = 0; k < m - 1; k += 1) if (!segmentsIntersect(x.segments[k]!, y.segments[k]!, 'exact')) return false;
    return segmentsIntersect(x.segments[m - 1]!, y.segments[m - 1]!, 'x-prefix');
  }
  // Both are prefixes: align on the shorter one.
  if (n < m) [x, y] = [y, x];
  const short = x.segments.length;
  for (let k = 0; k < short - 1; k += 1) if (!segmentsIntersect(x.segments[k]!, y.segments[k]!, 'exact')) return false;
  const mode: EndMode = short === y.segments.length ? 'both-prefix' : 'x-prefix';
  return segmentsIntersect(x.segments[short - 1]!, y.segments[short - 1]!, mode);
}

/** A concrete path the pattern matches (`+` and templates become `x`, a trailing glob matches nothing more). */
export function examplePathOf(pattern: string): string {
  const parsed = parsePattern(pattern);
  if (!parsed) return stripLeadingSlash(pattern);
  return parsed.segments.map((s) => (s.wild ? 'x' : s.pieces.map((p) => (p === HOLE ? 'x' : p)).join(''))).join('/');
}

/** Vault's ranking inputs for a non-exact rule (acl.go `wcPathDescr`). */
interface Rank {
  firstWildcardOrGlob: number;
  isPrefix: boolean;
  wildcards: number;
  path: string;
}

function rankOf(parsed: ParsedPattern): Rank {
  const path = parsed.prefix ? parsed.path.slice(0, -1) : parsed.path;
  if (!parsed.segmentWildcards) return { firstWildcardOrGlob: path.length, isPrefix: true, wildcards: 0, path };
  return {
    firstWildcardOrGlob: parsed.path.indexOf('+'),
    isPrefix: parsed.prefix,
    wildcards: parsed.segments.filter((s) => s.wild).length,
    path,
  };
}

/** Negative when `a` ranks lower than `b` (Vault keeps the highest). */
function compareRank(a: Rank, b: Rank): number {
  if (a.firstWildcardOrGlob !== b.firstWildcardOrGlob) return a.firstWildcardOrGlob - b.firstWildcardOrGlob;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.path.length !== b.path.length) return a.path.length - b.path.length;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The rule Vault applies to `concretePath` (priority matching): an exact rule wins; otherwise the
 * longest plain prefix rule and every matching `+` rule compete, ranked by the position of the first
 * `+`/`*` (later wins), then not-a-prefix, fewer `+` segments, longer, lexically greater.
 * Rules with the same path are merged by Vault; this returns the first of them.
 */
export function bestMatchingRule<T extends { path: string }>(rules: readonly T[], concretePath: string): T | undefined {
  const request = stripLeadingSlash(concretePath);
  const candidates: { rule: T; parsed: ParsedPattern }[] = [];
  for (const rule of rules) {
    const parsed = parsePattern(rule.path);
    if (parsed && matchesPolicyPath(rule.path, request)) candidates.push({ rule, parsed });
  }
  const exact = candidates.find((c) => !c.parsed.prefix && !c.parsed.segmentWildcards);
  if (exact) return exact.rule;
  // Among plain prefix rules only the longest prefix is a candidate (Vault's radix LongestPrefix).
  const plainPrefixes = candidates.filter((c) => !c.parsed.segmentWildcards);
  const longestPrefix = plainPrefixes.reduce<(typeof candidates)[number] | undefined>(
    (best, c) => (!best || c.parsed.path.length > best.parsed.path.length ? c : best),
    undefined,
  );
  const contenders = [...(longestPrefix ? [longestPrefix] : []), ...candidates.filter((c) => c.parsed.segmentWildcards)];
  let winner: (typeof candidates)[number] | undefined;
  for (const c of contenders) {
    if (!winner || compareRank(rankOf(winner.parsed), rankOf(c.parsed)) < 0) winner = c;
  }
  return winner?.rule;
}
