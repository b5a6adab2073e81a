/**
 * Line ends as every check counts them: `\r\n`, `\n`, and a lone `\r` (classic Mac OS files).
 * Editors and git show a CR-only file as many lines; counting only `\n` put every finding on line 1.
 */
export const LINE_END = /\r\n|\r|\n/;

/** The lines of a text, without their line ends. */
export function splitLines(text: string): string[] {
  return text.split(LINE_END);
}

/**
 * The text with each lone `\r` turned into `\n`. The length and every offset stay, so columns stay
 * right, and code that finds lines by `\n` (a `\r\n` line keeps its `\r`) sees every line end.
 */
export function withLfLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
