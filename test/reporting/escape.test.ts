import { describe, expect, it } from 'vitest';
import { commandSafe, isPlainPath, jsonText, logText, markdownText, printable } from '../../src/reporting/escape.js';

/** The runner obeys `::` at the start of a left-trimmed line and `##[` anywhere; lines split on CR and LF. */
function opensCommand(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((line) => line.includes('##[') || line.replace(/^[\s\u0085]+/, '').startsWith('::'));
}

const HOSTILE = ['::stop-commands::x', '  ::error::x', '\u00a0\u3000::warning::x', 'a ##[error]forged', 'x\n::set-output name=a::b', 'x\r::add-mask::y', '###[group]'];
const BIDI = ['\u202e', '\u2066', '\u2069', '\u200f', '\u061c', '\u2028'];

describe('escaping for every output', () => {
  it('printable: one line, no command opener, no raw control or bidi character', () => {
    for (const text of HOSTILE) {
      const out = printable(text);
      expect(out).not.toMatch(/[\r\n]/);
      expect(opensCommand(out), out).toBe(false);
    }
    for (const c of BIDI) expect(printable(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b`);
    expect(printable('\u001b[31mred')).toBe('\\x1b[31mred');
    expect(printable('::x')).toBe('\\x3a:x');
    expect(printable('a ##[error]b')).toBe('a \\x23#[error]b');
  });

  it('logText keeps line breaks as lines, none of which opens a command', () => {
    for (const text of HOSTILE) expect(opensCommand(logText(text)), text).toBe(false);
    expect(logText('first\n::error::second')).toBe('first\n\\x3a:error::second');
  });

  it('commandSafe defuses composed (already printable) output line by line, keeping colours', () => {
    expect(commandSafe('\u001b[1mok\u001b[22m\n  ::warning::x')).toBe('\u001b[1mok\u001b[22m\n  \\x3a:warning::x');
  });

  it('jsonText escapes without changing any parsed value', () => {
    const value = { file: `${HOSTILE.join('/')}/${BIDI.join('')}\u0085` };
    const text = jsonText(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toContain('##[');
    expect(text).not.toMatch(/[\u0085\u061c\u200f\u2028\u202e\u2066\u2069]/);
    expect(opensCommand(text)).toBe(false);
  });

  it('only plain paths go into annotation properties', () => {
    expect(isPlainPath('src/a,b:c.ts')).toBe(true);
    expect(isPlainPath('::stop-commands::x/a')).toBe(true);
    for (const bad of ['a\nb', 'a\rb', 'a\u202eb', '##[error]x', 'a\tb']) expect(isPlainPath(bad), bad).toBe(false);
  });

  it('markdownText keeps a table cell one cell, with no HTML and no mention', () => {
    const cell = markdownText('a|b\n<img src=x>`c`@org/team ##[x]');
    expect(cell).not.toMatch(/[|<>`@\n]/);
    expect(cell).not.toContain('##[');
  });
});
