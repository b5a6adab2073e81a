/**
 * Escaping for text that comes from scanned files (messages, paths): such text may come from
 * an untrusted pull request, so it must not drive a terminal or inject Markdown/HTML.
 */

// C0 and C1 control characters, DEL, and bidi overrides/isolates (Trojan Source style tricks).
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of terminal-safe text: control characters shown as `\xNN` / `\uNNNN`, never executed. */
export function printable(text: string): string {
  return text
    .replace(/\r?\n|\r|\t/g, ' ')
    .replace(UNSAFE_CHARS, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
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
};

/**
 * Inline text for GitHub-flavoured Markdown (a table cell, a list item): HTML and every Markdown
 * punctuation that could start markup become entities, and line breaks become spaces.
 */
export function markdownText(text: string): string {
  return printable(text).replace(/[&<>"'|`*_[\]\\~!#$]/g, (c) => MARKDOWN_ENTITIES[c] ?? c);
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
