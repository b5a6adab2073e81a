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
  const named = /[A-Za-z0-9_.\-[\]]*$/.exec(head)?.[0] ?? '';
  // After a `/` the name is a path or image segment (`bitnami/sealed-secrets-controller:0.31.0`), not a key.
  const key = head.charAt(head.length - named.length - 1) === '/' ? '' : named;
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

/** Key names that end in a word for metadata about a secret rather than the secret itself. */
const NON_SECRET_KEY =
  /(?:hash|digest|salt|url|uri|path|file|dir|field|label|hint|length|len|min|max|policy|regex|pattern|prompt|placeholder|name|_id|type|format|expiry|expires|expiration|ttl|timeout|count|enabled|enable|required|rule|rules|reset|confirm|confirmation|validation|strength|visible|input|header|param|env|var|key_?id|version|mode|endpoint|provider|store|manager|source|ref|template|method|algorithm|alg|encoding|length|size|prefix|suffix|changed|updated|created)$/i;

/** Words naming what a key says about a credential, when they follow the credential word. */
const METADATA_WORD =
  /^(?:hash|hashed|digest|salt|url|uri|path|file|dir|field|label|hint|length|len|min|max|policy|policies|regex|pattern|prompt|placeholder|name|names|id|ids|type|format|expiry|expires|expire|expired|expiration|at|date|time|ttl|timeout|count|enabled|enable|required|rule|rules|reset|confirm|confirmation|validation|strength|visible|input|header|param|env|var|version|mode|endpoint|provider|store|manager|source|ref|template|method|algorithm|alg|encoding|size|prefix|suffix|changed|updated|created|age|lifetime|period|interval|role|roles|scope|scopes|kind|selector|mount|volume)$/;
const CREDENTIAL_WORD = /^(?:passw(?:or)?d|passwords|pass|pwd|passphrase|secret|secrets|token|tokens|credential|credentials|apikey)$/;
/** Words before the credential word saying the value is derived from it, not it (`hashed_secret`, `encrypted_password`). */
const DERIVED_WORD = /^(?:hash|hashed|encrypted|salted|md5|sha\d*|bcrypt|digest)$/;

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * A key that holds metadata about a credential rather than the credential: it ends in a metadata word
 * (`password_hash`, `token_url`), a metadata word follows its last credential word (`password_expires_at`,
 * `token_policies`), the value is derived (`hashed_secret`), it names the key of a Secret (`passwordKey`),
 * or it points at an existing Secret (Helm `existingSecret…`).
 */
export function isMetadataKey(key: string): boolean {
  if (NON_SECRET_KEY.test(key)) return true;
  const words = keyWords(key);
  if (words[0] === 'existing') return true;
  let last = -1;
  words.forEach((word, i) => {
    if (CREDENTIAL_WORD.test(word)) last = i;
  });
  if (last === -1) return false;
  if (last > 0 && DERIVED_WORD.test(words[last - 1]!)) return true;
  const after = words.slice(last + 1);
  if (after[0] === 'key' && /^(?:pass|pwd|token)/.test(words[last]!)) return true;
  return after.some((word) => METADATA_WORD.test(word));
}
