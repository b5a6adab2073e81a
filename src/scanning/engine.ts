import { minimatch } from 'minimatch';
import type { SecretRule } from './rule.js';
import { classifyFile, isFalsePositive, type FileKind } from './filters.js';
import { allowFor, type InlineAllow } from '../core/inline-allow.js';
import { isExpressionText, isLiteral, syntaxOf, viewValue, type Syntax, type ValueView } from './values.js';

/** One confirmed secret in a text. Positions are 1-based; `endColumn` is exclusive (SARIF style). */
export interface Match {
  rule: SecretRule;
  secret: string;
  /** Named groups of the rule's match (e.g. `key`), for messages. */
  groups: Record<string, string | undefined>;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The line the secret starts on, or a bounded window of it for very long lines. */
  lineText: string;
  /** 0-based offset of `lineText` within its line (non-zero only for windows of long lines). */
  lineTextOffset: number;
  /** The allow comment covering the match: `keywarden:allow` on its line, `allow-next-line` above. */
  allow?: InlineAllow;
  /** Line of a `keywarden:allow` just above, which no longer covers this match (and has none of its own). */
  staleAllowAbove?: number;
  /** Where the value sits on its line, as the file's language reads it. */
  value: ValueView;
  /** The line the match began on, when that is before the secret's line (a key block's BEGIN line). */
  header?: string;
}

export interface ScanTextOptions {
  /**
   * Real line numbers of the text's lines, when the text is a selection of a file's lines
   * (history mode: the lines a commit added). Defaults to 1, 2, 3…
   */
  lineNumbers?: number[];
  /**
   * Diff mode: the lines the change adds. A `keywarden:allow-next-line` counts only on one of them,
   * so a change cannot put a new value under an existing comment.
   */
  addedLines?: ReadonlySet<number>;
}

/** Lines longer than this are scanned in bounded windows around keyword hits. */
export const LONG_LINE = 20_000;
/** How far before a keyword hit a window of a long line starts (and how far windows overlap). */
const WINDOW_LEAD = 4_096;
/**
 * How much of the line around a match a rule's `confirm` sees, each side: bounded so that a line
 * repeating the match (a confirm searching its line per match) costs linear, not quadratic, time.
 */
const CONFIRM_LEAD = 512;
/** How far past its first line a multi-line rule (a key block) may reach. */
const MULTILINE_SPAN = 32_768;
/** The empty group marking where a multi-line rule's own match begins. */
const MATCH_START = 'keywardenMatchStart';

interface CompiledRule {
  rule: SecretRule;
  index: number;
  /**
   * The rule's pattern with `d` (group positions) added, and `g` to iterate. A multi-line rule is
   * wrapped as sticky `[^\n]*?(?<AT>)(?:pattern)`, so its match must begin on the keyword's line:
   * a failed search then costs that line, not the whole span the pattern may reach into.
   */
  regex: RegExp;
  multiline: boolean;
  paths?: { match(file: string): boolean }[];
}

interface CompiledRuleSet {
  rules: CompiledRule[];
  /** One alternation of every keyword of every rule, longest first, run over the lower-cased text. */
  keywords: RegExp;
  /** For each keyword, the rules triggered by it or by any keyword that is a prefix of it. */
  rulesByKeyword: Map<string, CompiledRule[]>;
}

const compiledSets = new WeakMap<SecretRule[], CompiledRuleSet>();

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A rule may span lines only when it says so: a private-key block, or a pattern naming a line break. */
function spansLines(rule: SecretRule): boolean {
  const source = rule.pattern.source;
  return rule.category === 'private-key' || rule.pattern.flags.includes('s') || /\\[nr]|\[\\s\\S\]|\[\\S\\s\]|\[\^\]/.test(source);
}

function compile(rules: SecretRule[]): CompiledRuleSet {
  const cached = compiledSets.get(rules);
  if (cached) return cached;
  const compiled: CompiledRule[] = rules.map((rule, index) => ({
    rule,
    index,
    regex: spansLines(rule)
      ? new RegExp(`[^\\n]*?(?<${MATCH_START}>)(?:${rule.pattern.source})`, rule.pattern.flags.replace(/[gyd]/g, '') + 'yd')
      : new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gyd]/g, '') + 'gd'),
    multiline: spansLines(rule),
    paths: rule.paths?.map((glob) => {
      const matcher = new minimatch.Minimatch(glob, { dot: true, matchBase: !glob.includes('/') });
      return { match: (file: string) => matcher.match(file) };
    }),
  }));
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords.map((k) => k.toLowerCase())).filter((k) => k.length > 0))];
  keywords.sort((a, b) => b.length - a.length || a.localeCompare(b));
  const rulesByKeyword = new Map<string, CompiledRule[]>();
  for (const keyword of keywords) {
    // The alternation reports the longest keyword at a position; rules of its prefixes must run too.
    rulesByKeyword.set(
      keyword,
      compiled.filter((c) => c.rule.keywords.some((k) => keyword.startsWith(k.toLowerCase()))),
    );
  }
  const set: CompiledRuleSet = {
    rules: compiled,
    keywords: keywords.length > 0 ? new RegExp(keywords.map(escapeRegExp).join('|'), 'g') : /(?!)/g,
    rulesByKeyword,
  };
  compiledSets.set(rules, set);
  return set;
}

/** Lower-cases without changing any offset (full Unicode lower-casing can lengthen a string). */
function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const total = [...value].length;
  for (const n of counts.values()) bits -= (n / total) * Math.log2(n / total);
  return bits;
}

interface RawMatch {
  rule: CompiledRule;
  secret: string;
  groups: Record<string, string | undefined>;
  start: number;
  end: number;
  value: ValueView;
  header?: string;
}

/** Rules that find a secret by the key it is assigned to (see `SecretRule.shape`). */
export function readsAssignment(rule: SecretRule): boolean {
  return (rule.shape ?? (rule.category === 'generic-secret' || rule.category === 'default-credential' ? 'assignment' : 'structure')) === 'assignment';
}

/**
 * Values as the language sees them: the one place every rule's match is judged a value or not.
 * A key name and any text after it is only a secret when that text is a literal, the whole literal.
 */
function isValue(rule: SecretRule, secret: string, view: ValueView, next: string | undefined): boolean {
  if (isExpressionText(secret)) return false;
  if (!readsAssignment(rule)) return true;
  // A word followed by `(` is a call (`getEnvVar('X')`), whatever the syntax around it.
  if (next === '(') return false;
  return (view.position === 'comment' || isLiteral(view)) && !view.listItem;
}

/**
 * Candidate matches (every regex match, before `confirm` and the false-positive filters) one line may
 * yield; past it the rest of the line is not matched and the caller notes it. With the per-file bound
 * this keeps the work per match (confirm, filters, overlaps, snippets) from multiplying with the
 * input, whatever a line repeats.
 */
export const MAX_CANDIDATES_PER_LINE = 500;
export const MAX_CANDIDATES_PER_FILE = 50_000;

export interface ScanTextResult {
  matches: Match[];
  /** Lines whose matching stopped at MAX_CANDIDATES_PER_LINE (real line numbers). */
  cappedLines: number[];
  /** Matching of the file stopped at MAX_CANDIDATES_PER_FILE, after this line. */
  cappedFileAt?: number;
}

/** The secrets in one text (see scanTextBounded), without the notes about bounds. */
export function scanText(text: string, file: string, rules: SecretRule[], options: ScanTextOptions = {}): Match[] {
  return scanTextBounded(text, file, rules, options).matches;
}

/**
 * Finds the secrets in one file's text: one keyword pass over the whole text, then each rule's
 * regex only on the lines (or bounded windows) holding one of its keywords.
 */
export function scanTextBounded(text: string, file: string, rules: SecretRule[], options: ScanTextOptions = {}): ScanTextResult {
  const set = compile(rules);
  const kind = classifyFile(file);
  const syntax = syntaxOf(file);
  const applies = set.rules.map((c) => !c.paths || c.paths.some((p) => p.match(file)));
  const lower = lowerSameLength(text);
  const lastStart = new Int32Array(set.rules.length).fill(-1);
  const lastEnd = new Int32Array(set.rules.length).fill(-1);
  const seen = new Set<string>();
  const raw: RawMatch[] = [];

  const keywords = new RegExp(set.keywords.source, 'g');
  let hit: RegExpExecArray | null;
  // Bounds of the line of the previous hit: many hits on one huge line must not rescan it.
  let lineStart = 0;
  let lineEnd = -1;
  /** Candidates left on the current line and in the file (shared by every rule). */
  const budget = { line: MAX_CANDIDATES_PER_LINE, file: MAX_CANDIDATES_PER_FILE };
  const cappedOffsets: number[] = [];
  let fileCappedOffset: number | undefined;
  while ((hit = keywords.exec(lower)) !== null) {
    const pos = hit.index;
    keywords.lastIndex = pos + 1;
    const candidates = set.rulesByKeyword.get(hit[0]);
    if (!candidates) continue;
    if (pos > lineEnd) {
      lineStart = text.lastIndexOf('\n', pos) + 1;
      const newline = text.indexOf('\n', pos);
      lineEnd = newline === -1 ? text.length : newline;
      budget.line = MAX_CANDIDATES_PER_LINE;
    }
    const long = lineEnd - lineStart > LONG_LINE;
    const regionStart = long ? Math.max(lineStart, pos - WINDOW_LEAD) : lineStart;
    const acceptEnd = long ? Math.min(lineEnd, regionStart + LONG_LINE) : lineEnd;
    const margin = long ? WINDOW_LEAD : 0;
    for (const candidate of candidates) {
      const i = candidate.index;
      if (!applies[i]) continue;
      if (pos >= lastStart[i]! && pos + margin <= lastEnd[i]!) continue;
      lastStart[i] = regionStart;
      lastEnd[i] = acceptEnd;
      const regionEnd = candidate.multiline ? Math.min(text.length, acceptEnd + MULTILINE_SPAN) : acceptEnd;
      runRule(candidate, text, { regionStart, acceptEnd, regionEnd, lineStart, lineEnd }, file, syntax, seen, raw, budget);
      if (budget.line <= 0 || budget.file <= 0) break;
    }
    if (budget.file <= 0) {
      fileCappedOffset = lineStart;
      break;
    }
    if (budget.line <= 0) {
      cappedOffsets.push(lineStart);
      keywords.lastIndex = lineEnd + 1;
    }
  }
  const lineOf = lineNumberer(text, options.lineNumbers);
  return {
    matches: raw.length === 0 ? [] : locate(text, raw, kind, file, options),
    cappedLines: cappedOffsets.map(lineOf),
    ...(fileCappedOffset !== undefined ? { cappedFileAt: lineOf(fileCappedOffset) } : {}),
  };
}

/** Line numbers of ascending offsets, counting line breaks once from the last offset asked. */
function lineNumberer(text: string, lineNumbers?: number[]): (offset: number) => number {
  let at = 0;
  let index = 0;
  return (offset) => {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      index++;
      at = nl + 1;
    }
    return lineNumbers?.[index] ?? index + 1;
  };
}

/** Where a rule runs: `[regionStart, regionEnd)`, its match beginning before `acceptEnd`, on the hit's line. */
interface Region {
  regionStart: number;
  acceptEnd: number;
  regionEnd: number;
  lineStart: number;
  lineEnd: number;
}

/** Runs one rule on its region; each regex match spends one candidate of the line's and the file's budget. */
function runRule(c: CompiledRule, text: string, where: Region, file: string, syntax: Syntax, seen: Set<string>, out: RawMatch[], budget: { line: number; file: number }): void {
  const { regionStart, acceptEnd, regionEnd, lineEnd } = where;
  const region = text.slice(regionStart, regionEnd);
  const regex = c.regex;
  const firstLineEnd = acceptEnd - regionStart;
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (budget.line > 0 && budget.file > 0 && (m = regex.exec(region)) !== null) {
    budget.line--;
    budget.file--;
    const begin = c.multiline ? m.indices!.groups![MATCH_START]![0] : m.index;
    // Accept by where the match begins: a key block's secret may start on a later line.
    if (begin >= firstLineEnd) break;
    if (c.multiline) {
      if (begin + 1 > firstLineEnd) break;
      regex.lastIndex = begin + 1;
    } else if (m[0].length === 0) {
      regex.lastIndex++;
    }
    const span = m.indices?.groups?.secret;
    const secret = m.groups?.secret;
    if (!span || secret === undefined || secret.length === 0) continue;
    const start = regionStart + span[0];
    const end = regionStart + span[1];
    // A match touching the cut end of a long line's window may be truncated; the next window has it whole.
    if (!c.multiline && regionEnd < lineEnd && end >= regionEnd) continue;
    const key = `${c.index}:${start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = c.rule;
    if (rule.allow?.some((allowed) => allowed.test(secret))) continue;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) continue;
    const { [MATCH_START]: _marker, ...groups } = m.groups ?? {};
    // A key block's secret may sit on a later line, within the bounded span.
    const onHitLine = start <= lineEnd;
    const lineStart = onHitLine ? where.lineStart : text.lastIndexOf('\n', start) + 1;
    const nl = onHitLine ? lineEnd : text.indexOf('\n', start);
    const windowStart = Math.max(lineStart, start - WINDOW_LEAD);
    const line = text.slice(windowStart, Math.min(nl === -1 ? text.length : nl, end + WINDOW_LEAD));
    const value = viewValue(line, start - windowStart, Math.min(end, windowStart + line.length) - windowStart, syntax, file);
    if (!isValue(rule, secret, value, text[end])) continue;
    // confirm sees a bounded window: a confirm searching its line once per match must not multiply with the line.
    const near = Math.max(windowStart, start - CONFIRM_LEAD) - windowStart;
    const confirmLine = line.slice(near, Math.min(line.length, end + CONFIRM_LEAD - windowStart));
    if (rule.confirm && !rule.confirm({ secret, groups, line: confirmLine, file, value })) continue;
    out.push({ rule: c, secret, groups, start, end, value, ...(c.multiline ? headerOf(text, regionStart + begin, start) : {}) });
  }
}

/** The (bounded) line a multi-line match began on, when its secret sits on a later line. */
function headerOf(text: string, matchStart: number, secretStart: number): { header?: string } {
  const newline = text.indexOf('\n', matchStart);
  if (newline === -1 || newline >= secretStart) return {};
  const lineStart = text.lastIndexOf('\n', matchStart - 1) + 1;
  return { header: stripCr(text.slice(Math.max(lineStart, matchStart - 200), Math.min(newline, matchStart + 200))) };
}

/** Turns offsets into line/column, applies the global false-positive filters and inline allows. */
function locate(text: string, raw: RawMatch[], kind: FileKind, file: string, options: ScanTextOptions): Match[] {
  const { lineNumbers, addedLines } = options;
  raw.sort((a, b) => a.start - b.start || a.rule.index - b.rule.index);
  const matches: Match[] = [];
  let cursor = 0;
  let lineIndex = 0;
  let lineStart = 0;
  const realLine = (index: number): number => lineNumbers?.[index] ?? index + 1;
  let cachedLineStart = -1;
  let lineEnd = 0;
  let previous = '';
  for (const r of raw) {
    while (cursor < r.start) {
      const nl = text.indexOf('\n', cursor);
      if (nl === -1 || nl >= r.start) break;
      lineIndex++;
      lineStart = nl + 1;
      cursor = nl + 1;
    }
    if (lineStart !== cachedLineStart) {
      cachedLineStart = lineStart;
      const nl = text.indexOf('\n', r.start);
      lineEnd = nl === -1 ? text.length : nl;
      previous = previousLine(text, lineStart);
    }
    const long = lineEnd - lineStart > LONG_LINE;
    const textStart = long ? Math.max(lineStart, r.start - WINDOW_LEAD) : lineStart;
    const textEnd = long ? Math.min(lineEnd, r.end + WINDOW_LEAD) : lineEnd;
    const lineText = stripCr(text.slice(textStart, textEnd));
    if (
      isFalsePositive({
        rule: r.rule.rule,
        secret: r.secret,
        file,
        kind,
        line: lineText,
        secretOffset: r.start - textStart,
        previousLines: () => previousLines(text, lineStart, 3),
      })
    ) {
      continue;
    }
    const breaks = r.end <= lineEnd ? { count: 0, lastBreak: -1 } : countBreaks(text, r.start, r.end);
    const endLineIndex = lineIndex + breaks.count;
    const line = realLine(lineIndex);
    const previousIsReal = lineIndex > 0 && realLine(lineIndex - 1) === line - 1;
    const verdict = allowFor({
      line,
      text: lineText,
      ...(previousIsReal ? { previous: { line: line - 1, text: previous }, previousTrusted: !addedLines || addedLines.has(line - 1) } : {}),
    });
    matches.push({
      rule: r.rule.rule,
      secret: r.secret,
      groups: r.groups,
      line,
      column: r.start - lineStart + 1,
      endLine: realLine(endLineIndex),
      endColumn: breaks.count === 0 ? r.end - lineStart + 1 : r.end - breaks.lastBreak,
      lineText,
      lineTextOffset: textStart - lineStart,
      ...(verdict.allow ? { allow: verdict.allow } : {}),
      ...(verdict.staleAbove !== undefined ? { staleAllowAbove: verdict.staleAbove } : {}),
      value: r.value,
      ...(r.header !== undefined ? { header: r.header } : {}),
    });
  }
  // A comment on a line with a match of its own covers that match, as it always did: no note.
  const matchedLines = new Set(matches.map((m) => m.line));
  for (const m of matches) if (m.staleAllowAbove !== undefined && matchedLines.has(m.staleAllowAbove)) delete m.staleAllowAbove;
  return matches;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function previousLine(text: string, lineStart: number): string {
  if (lineStart === 0) return '';
  const start = text.lastIndexOf('\n', lineStart - 2) + 1;
  return text.slice(start, Math.min(lineStart - 1, start + LONG_LINE));
}

function previousLines(text: string, lineStart: number, count: number): string[] {
  const lines: string[] = [];
  let end = lineStart;
  while (lines.length < count && end > 0) {
    const start = text.lastIndexOf('\n', end - 2) + 1;
    lines.push(text.slice(start, Math.min(end - 1, start + 1_000)));
    end = start;
  }
  return lines;
}

function countBreaks(text: string, start: number, end: number): { count: number; lastBreak: number } {
  let count = 0;
  let lastBreak = -1;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    count++;
    lastBreak = i;
  }
  return { count, lastBreak };
}
