import { LINE_END } from '../core/lines.js';

/**
 * Escaping for text that comes from scanned files (messages, paths, snippets): such text may come
 * from an untrusted pull request, so it must not drive a terminal, inject Markdown/HTML, hide itself
 * behind bidi controls, or inject GitHub workflow commands. This is the one place for escaping.
 *
 * The runner (actions/runner ActionCommandManager) treats a stdout line as a command when, after
 * trimming leading whitespace, it starts with `::`, and (legacy form) when it holds `##[` anywhere.
 * It splits lines on LF, CR and CRLF.
 */

// C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates (Trojan Source), the Unicode
// line and paragraph separators and the BOM: none may reach output raw.
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE_TEST = new RegExp(UNSAFE_CHARS.source);

/** `\xNN` for code points up to FF, `\uNNNN` above: visible, never executed. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `##[` anywhere and `::` opening a (left-trimmed) line are what the runner obeys; break both visibly. */
function defuseCommands(line: string): string {
  const defused = line.replace(/##\[/g, '\\x23#[');
  const lead = defused.length - defused.trimStart().length;
  return defused.startsWith('::', lead) ? `${defused.slice(0, lead)}\\x3a${defused.slice(lead + 1)}` : defused;
}

/**
 * One line of terminal-safe text: line breaks and tabs become spaces, control and bidi characters
 * are shown as `\xNN` / `\uNNNN`, and workflow-command openers are broken.
 */
export function printable(text: string): string {
  return defuseCommands(text.replace(/\r\n|\r|\n|\t/g, ' ').replace(UNSAFE_CHARS, escapeChar));
}

/**
 * Multi-line text bound for the runner's log (core.info, the CLI's stderr) or an annotation's message
 * (where `@actions/core` encodes the kept line breaks as `%0A`): every line is made printable and
 * none can start a workflow command.
 */
export function logText(text: string): string {
  return text.split(LINE_END).map(printable).join('\n');
}

/** Composed output whose pieces are already printable (a coloured report): no line may open a command. */
export function commandSafe(text: string): string {
  return text.split(LINE_END).map(defuseCommands).join('\n');
}

/**
 * True when a path can be an annotation's `file` property as is: no control or bidi characters, and
 * no `##[` (core cannot escape `#`, and no line of stdout should hold a legacy command opener).
 */
export function isPlainPath(file: string): boolean {
  return !UNSAFE_TEST.test(file) && !LINE_END.test(file) && !file.includes('\t') && !file.includes('##[');
}

/**
 * JSON text (the JSON and SARIF reports) with every control, bidi and separator character as a
 * `\uNNNN` escape and `##[` written as `\u0023#[`: the parsed values are unchanged (paths stay exact),
 * while the raw file, shown in a log or an editor, neither reorders itself nor runs a command.
 */
export function jsonText(json: string): string {
  return json
    .replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/##\[/g, '\\u0023#[');
}

const MARKDOWN_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '~': '&#126;',
  '!': '&#33;',
  '#': '&#35;',
  '$': '&#36;',
  '@': '&#64;',
};

/**
 * Inline text for GitHub-flavoured Markdown (a table cell, a list item): HTML and every Markdown
 * punctuation that could start markup (links, HTML, @-mentions) become
 * entities, and line breaks become spaces.
 */
export function markdownText(text: string): string {
  return printable(text).replace(/[&<>"'|`*_[\]\\~!#$@]/g, (c) => MARKDOWN_ENTITIES[c] ?? c);
}

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A repository-relative path as a URI path: each segment percent-encoded, `/` kept. */
export function uriPath(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
