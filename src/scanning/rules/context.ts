/** Reading the assignment around a matched value: which key it is assigned to, and how. */

export interface Assignment {
  /** The identifier the value is assigned to (`DB_PASSWORD`, `spring.datasource.password`, `password`). */
  key: string;
  /** The glue between key and value is a comparison (`==`, `!=`, `===`), not an assignment. */
  comparison: boolean;
  /** The value is a call argument: `setPassword("…")`. */
  call: boolean;
}

const GLUE = /["'`]?[ \t]*(?:[!=:]=?=?>?|>|\()[ \t]*["'`]?$/;

/** Finds the key a value is assigned to on its line; undefined when the line does not hold the value. */
export function assignmentOf(line: string, value: string): Assignment | undefined {
  // The value usually follows its key, so try occurrences from the end (`password = password`).
  let at = line.lastIndexOf(value);
  let glue: RegExpExecArray | null = null;
  while (at >= 0) {
    glue = GLUE.exec(line.slice(0, at));
    if (glue) break;
    at = at === 0 ? -1 : line.lastIndexOf(value, at - 1);
  }
  if (at < 0 || !glue) return undefined;
  const before = line.slice(0, at);
  const head = before.slice(0, glue.index);
  const key = /[A-Za-z0-9_.\-[\]]*$/.exec(head)?.[0] ?? '';
  const glueText = glue?.[0] ?? '';
  return {
    key: key.replace(/^[.\-[\]]+|[.\-[\]]+$/g, ''),
    comparison: /[!=]==?|!=/.test(glueText.replace(/=>/, '')) && !/^[ \t]*["']?[ \t]*=[^=]/.test(glueText),
    call: glueText.includes('('),
  };
}

/** Values that point elsewhere instead of holding a secret: env/template references, lookups, expressions. */
export function isReference(value: string): boolean {
  return (
    /^(?:\$|%\(|%[A-Z_]+%|\{\{|\{%|<%|#\{|@\{|\[\[|ENC\(|vault:|secret:|ref\+|op:\/\/|arn:)/i.test(value) ||
    /^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|System\.getenv|var\.|local\.|secrets\.|settings\.|config\.|self\.|this\.)/.test(value) ||
    /\$\{[^}]*\}|\{\{[^}]*\}\}/.test(value) ||
    /^\{[A-Za-z_][A-Za-z0-9_.]*\}$/.test(value) // .NET / Python format placeholders: {DB_PASSWORD}
  );
}

/** Obvious placeholders: `<…>`, `your_…`, `xxxx`, `****`, `REPLACE_ME`, `TODO`, `...`. */
export function isPlaceholder(value: string): boolean {
  return (
    /^<.*>$|^\[.*\]$|^\(.*\)$/.test(value) ||
    /x{4,}|\*{3,}|\.{3,}|…|^_+$/i.test(value) ||
    /(?:^|[_-])(?:your|my)[_-]|replace[_-]?me|change[_-]?this|^todo$|^tbd$|^fixme$|placeholder|^redacted$|^none$|^null$|^nil$|^undefined$|^empty$|^true$|^false$|^example|example$/i.test(
      value,
    )
  );
}

/** Key names that hold metadata about a secret rather than the secret itself. */
export const NON_SECRET_KEY =
  /(?:hash|digest|salt|url|uri|path|file|dir|field|label|hint|length|len|min|max|policy|regex|pattern|prompt|placeholder|name|_id|type|format|expiry|expires|expiration|ttl|timeout|count|enabled|enable|required|rule|rules|reset|confirm|confirmation|validation|strength|visible|input|header|param|env|var|key_?id|version|mode|endpoint|provider|store|manager|source|ref|template|method|algorithm|alg|encoding|length|size|prefix|suffix|changed|updated|created)$/i;
