/**
 * Values as a language sees them. A secret is a literal: a quoted string in code, a scalar in
 * YAML/TOML/INI/properties/.env/XML, an argument on a command line. An identifier, a member access,
 * a call, a template expression (`{{ … }}`, `${ … }`, `<% … %>`), a format verb (`%s`) or a reference
 * is never a value. The engine decides this once per match, for every rule, from the file's syntax
 * and the match's line; rules read the answer from `RuleMatch.value`.
 */

/** How a file writes values. */
export type Syntax =
  /** Source code (and HCL): only quoted strings are literals; bare words are identifiers and expressions. */
  | 'code'
  /** Configuration: bare scalars are literals; `{{ … }}`/`${ … }` are template expressions. */
  | 'config'
  /** Shell, Dockerfiles, Makefiles: bare arguments are literals; `$VAR`, `$( … )` are expressions. */
  | 'shell'
  /** HTML-like markup: element text and attributes are text for people, not assignments. */
  | 'markup'
  /** i18n/locale catalogues: every value is a UI string or a translation. */
  | 'locale'
  /** Docs and plain text: read like configuration (examples are scalars). */
  | 'prose';

/** Where on its line a matched value sits. */
export type Position =
  /** Inside a quoted string: a literal in every syntax (in code, a string the value starts). */
  | 'string'
  /** In code, inside a string the value does not start: text embedded in a message, a config line, a URL. */
  | 'embedded'
  /** A bare scalar or argument in configuration, shell or prose: a literal. */
  | 'scalar'
  /** A bare word in code: an identifier, member access, call, type or expression. */
  | 'code'
  /** Inside a template or interpolation expression, outside any string in it. */
  | 'expression'
  /** After a comment marker: commented-out configuration or an example in a comment. */
  | 'comment'
  /** Markup text or a locale string: words for people. */
  | 'text';

export interface ValueView {
  position: Position;
  /** The value is one item of a list written in one string or scalar (`"default,admin"`). */
  listItem: boolean;
}

const LOCALE_FILE = /(?:^|\/)(?:locales?|i18n|l10n|lang|langs|languages|translations?|messages)\/|\.(?:po|pot|xlf|xliff|resx|strings|arb)$/i;
const MARKUP_FILE = /\.(?:html?|xhtml|vue|svelte|astro|erb|ejs|hbs|handlebars|mustache|jinja2?|njk|twig|cshtml|razor|jsp|gsp|liquid)$/i;
const CODE_FILE =
  /\.(?:[cm]?[jt]sx?|py|pyw|rb|go|java|kt|kts|scala|cs|fs|vb|php|rs|swift|c|cc|cpp|cxx|h|hh|hpp|m|mm|groovy|gradle|dart|lua|pl|pm|ex|exs|erl|clj|cljs|r|jl|zig|nim|tf|tfvars|hcl|nomad|sol)$/i;
const SHELL_FILE = /\.(?:sh|bash|zsh|ksh|fish|bat|cmd|ps1|psm1|mk|make)$|(?:^|\/)(?:Dockerfile[^/]*|Containerfile|Makefile|GNUmakefile|Jenkinsfile|Procfile|Vagrantfile)$|(?:^|\/)[^/.]+\.dockerfile$/i;
const PROSE_FILE = /\.(?:md|markdown|mdx|rst|adoc|asciidoc|txt|textile|org|wiki)$/i;

export function syntaxOf(file: string): Syntax {
  if (LOCALE_FILE.test(file)) return 'locale';
  if (MARKUP_FILE.test(file)) return 'markup';
  if (CODE_FILE.test(file)) return 'code';
  if (SHELL_FILE.test(file)) return 'shell';
  if (PROSE_FILE.test(file)) return 'prose';
  return 'config';
}

/** Comment markers that may start anywhere a space precedes them, per syntax family. */
const HASH_COMMENTS = /\.(?:py|pyw|rb|pl|pm|ex|exs|r|jl|nim|tf|tfvars|hcl|nomad|php)$/i;
const DASH_COMMENTS = /\.(?:sql|lua|hs|elm|ada)$/i;

/** An expression not closed yet: the text that closes it, its `{` depth, and the string it interrupts. */
interface OpenExpression {
  close: string;
  depth: number;
  /** Where its opener (`${`, `{{`, …) starts. */
  at: number;
  string?: string;
  stringStart?: number;
}

/** Literals need a position a language reads as a value; this is the set that counts as one. */
export function isLiteral(view: ValueView): boolean {
  return view.position === 'string' || view.position === 'scalar';
}

/**
 * The position of `[start, end)` on `line`. One linear pass: strings, template expressions and
 * comments are tracked from the start of the line (a string or comment opened on an earlier line is
 * not seen: the line is read on its own).
 */
export function viewValue(line: string, start: number, end: number, syntax: Syntax, file: string, inComment = false): ValueView {
  if (syntax === 'locale') return { position: 'text', listItem: false };
  const hashComments = syntax !== 'code' || HASH_COMMENTS.test(file);
  const dashComments = DASH_COMMENTS.test(file);
  const expressions: OpenExpression[] = [];
  let quote = '';
  let stringStart = -1;
  let i = 0;
  const at = (text: string): boolean => line.startsWith(text, i);
  while (i < start) {
    const ch = line[i]!;
    if (quote) {
      // Backslash escapes: every string in code, only double-quoted ones in YAML and shell.
      if (ch === '\\' && (syntax === 'code' || quote !== "'")) {
        i += 2;
        continue;
      }
      if (ch === quote) {
        quote = '';
        i++;
        continue;
      }
      // Interpolation inside a double-quoted or template string: `"${x}"`, `` `${x}` ``, `"{{ x }}"`.
      if (quote !== "'" && (at('${') || at('#{') || (syntax !== 'code' && at('$(')))) {
        expressions.push({ close: at('$(') ? ')' : '}', depth: 0, at: i, string: quote, stringStart });
        quote = '';
        i += 2;
        continue;
      }
      if (at('{{')) {
        expressions.push({ close: '}}', depth: 0, at: i, string: quote, stringStart });
        quote = '';
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    const open = expressions.at(-1);
    if (open) {
      if (open.close === '}' && ch === '{') open.depth++;
      else if (open.close === '}' && ch === '}' && open.depth > 0) open.depth--;
      else if (at(open.close)) {
        expressions.pop();
        i += open.close.length;
        // Back inside the string the interpolation was written in.
        if (open.string) {
          quote = open.string;
          stringStart = open.stringStart!;
        }
        continue;
      }
    }
    if (at('{{') || at('{%') || at('<%') || at('${') || ((syntax === 'shell' || syntax === 'config') && at('$('))) {
      const close = at('{{') ? '}}' : at('{%') ? '%}' : at('<%') ? '%>' : at('$(') ? ')' : '}';
      expressions.push({ close, depth: 0, at: i });
      i += 2;
      continue;
    }
    const marker = inComment ? 0 : commentMarker(line, i, syntax, hashComments, dashComments, expressions.length > 0);
    if (marker > 0) {
      // Commented-out lines are read as the line would be without its marker: `// password = password` is still code.
      const from = i + marker;
      const inner = viewValue(line.slice(from), start - from, end - from, syntax, file, true);
      return isLiteral(inner) ? { position: 'comment', listItem: inner.listItem } : inner;
    }
    if (ch === '"' || ch === "'" || (ch === '`' && syntax !== 'prose')) {
      // An apostrophe inside a word (`don't`, `it's`) opens nothing in prose, config or shell text.
      if (ch === "'" && syntax !== 'code' && /[A-Za-z]/.test(line[i - 1] ?? '') && /[A-Za-z]/.test(line[i + 1] ?? '')) {
        i++;
        continue;
      }
      quote = ch;
      stringStart = i + 1;
    }
    i++;
  }
  if (quote) {
    const close = line.indexOf(quote, end);
    const content = line.slice(stringStart, close === -1 ? line.length : close);
    const offset = start - stringStart;
    const listItem = /[,|]$/.test(content.slice(0, offset)) || /^[,|]/.test(content.slice(offset + (end - start)));
    if (syntax === 'markup' && isMarkupText(line, stringStart)) return { position: 'text', listItem };
    if (syntax === 'code' && start !== stringStart) return { position: 'embedded', listItem };
    return { position: 'string', listItem };
  }
  const open = expressions.at(-1);
  if (open) {
    // The fallback of `${VAR:-value}`, `${VAR-value}`, Spring's `${VAR:value}` is a literal written here.
    const fallback = open.close === '}' && /^\$\{[A-Za-z_][\w.]*(?::?[-=]|:)$/.test(line.slice(open.at, start));
    return { position: fallback ? 'scalar' : 'expression', listItem: false };
  }
  if (syntax === 'markup') return { position: isMarkupText(line, start) ? 'text' : 'code', listItem: false };
  if (syntax === 'code') return { position: 'code', listItem: false };
  return { position: 'scalar', listItem: false };
}

/** The length of the comment marker starting at `i`, or 0 when none starts there. */
function commentMarker(line: string, i: number, syntax: Syntax, hash: boolean, dash: boolean, inExpression: boolean): number {
  const ch = line[i];
  const before = i === 0 ? '' : line[i - 1]!;
  const leading = line.slice(0, i).trim() === '';
  const spaced = leading || before === ' ' || before === '\t';
  // `#{…}` (Ruby, Spring) interpolates rather than comments.
  if (ch === '#' && hash && spaced && !inExpression && line[i + 1] !== '{') return 1;
  if (ch === '/' && (line[i + 1] === '/' || line[i + 1] === '*') && (syntax === 'code' || syntax === 'markup' || (leading && syntax === 'config'))) {
    // `https://…` keeps its slashes: a comment marker follows a space, an operator or the line start.
    return before !== ':' && !/[A-Za-z0-9]/.test(before) ? 2 : 0;
  }
  if (ch === '*' && leading && syntax === 'code' && (line[i + 1] === ' ' || line[i + 1] === undefined)) return 1;
  if (ch === '<' && line.startsWith('<!--', i)) return 4;
  if (ch === ';' && leading && syntax === 'config') return 1;
  if (ch === '!' && leading && syntax === 'config' && /^!\s*[A-Za-z]/.test(line.slice(i))) return 1;
  if (ch === '-' && line[i + 1] === '-' && dash && spaced) return 2;
  if (syntax === 'shell' && leading) {
    const rem = /^(?:rem|::)(?=\s|$)/i.exec(line.slice(i, i + 4));
    if (rem) return rem[0].length;
  }
  return 0;
}

/** In markup, a position outside `<script>`-like code: after a tag's `>` or inside a tag's attributes. */
function isMarkupText(line: string, position: number): boolean {
  const before = line.slice(0, position);
  const lastOpen = before.lastIndexOf('<');
  const lastClose = before.lastIndexOf('>');
  // Inside a tag (attributes) or after one (element text): both are markup.
  if (lastOpen !== -1 || lastClose !== -1) return true;
  return /^\s*[^\s=:]+\s*$/.test(before);
}

/**
 * A matched text that is itself an expression, a format verb or a reference, whatever its position:
 * `%s`, `%(password)s`, `{0}`, `{password}`, `{{ … }}`, `${ … }`, `$VAR`, `static::$x`, `map[string]any{}`.
 */
export function isExpressionText(value: string): boolean {
  return (
    /^%(?:\([\w.-]+\))?[-+#0 ]*\d*(?:\.\d+)?[sdvqfxXiuorTtbe]$/.test(value) ||
    /^\{[\w.:-]*\}$/.test(value) ||
    /\{\{|\}\}|\$\{|\{%|%\}|<%|%>/.test(value) ||
    /^\$[A-Za-z_]\w*$|^\$[{(]/.test(value) ||
    /::\$|->\$?[A-Za-z_]/.test(value) ||
    /^(?:map|\[\])\[?[\w.*]*\]?[\w.*]*\{\}?$|^(?:\{\}|\[\])$/.test(value)
  );
}
