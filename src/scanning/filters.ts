import path from 'node:path';
import type { SkipReason } from '../core/coverage.js';
import type { SecretRule } from './rule.js';

/**
 * Global false-positive control: which files are never scanned, which files are templates or
 * docs, and which matched values are placeholders, references, examples, hashes or public keys.
 * Rules keep their own `allow` lists; these apply to every rule.
 */

/** How a file is treated: templates and docs hold placeholders by design. */
export type FileKind = 'code' | 'template' | 'doc';

const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'go.sum',
  'composer.lock',
  'gemfile.lock',
  'flake.lock',
  'packages.lock.json',
  'mix.lock',
  'pubspec.lock',
  'podfile.lock',
  'gradle.lockfile',
]);

const SKIPPED_DIRS = /(?:^|\/)(?:node_modules|vendor|\.git)\//;
const MINIFIED_NAME = /\.min\.(?:js|mjs|cjs|css)$/i;
const SOURCE_MAP = /\.map$/i;
/** Formats that are never text; the NUL sniff would catch most, this saves reading them. */
const BINARY_EXTENSIONS =
  /\.(?:png|jpe?g|gif|bmp|ico|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|zst|jar|war|class|so|dylib|dll|exe|o|a|lib|wasm|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|flac|mov|avi|mkv|webm|sqlite3?|db|pyc|node)$/i;

/** Third-party code and git's own folder: neither their content nor their files are the repository's doing. */
export function isDependencyPath(file: string): boolean {
  return SKIPPED_DIRS.test(file);
}

/** What is known of a file when deciding whether to scan it: its name always, size and content once read. */
export interface SkipProbe {
  size?: number;
  maxFileSize?: number;
  /** The first bytes of the file (8 KiB are enough). */
  bytes?: Uint8Array;
  text?: string;
}

/**
 * The one decision whether a file's content is scanned, and if not, why. Callers ask with what they
 * know (the name before reading, then size, bytes and text); every "no" is counted by its reason.
 */
export function skipDecision(file: string, probe: SkipProbe = {}): SkipReason | undefined {
  if (isDependencyPath(file)) return 'dependency-folder';
  const name = path.posix.basename(file).toLowerCase();
  if (LOCK_FILES.has(name)) return 'lock-file';
  if (SOURCE_MAP.test(name)) return 'source-map';
  if (MINIFIED_NAME.test(name)) return 'minified-name';
  if (BINARY_EXTENSIONS.test(name)) return 'binary-name';
  if (probe.size !== undefined && probe.maxFileSize !== undefined && probe.size > probe.maxFileSize) return 'too-large';
  if (probe.bytes && looksBinary(probe.bytes)) return 'binary-content';
  if (probe.text !== undefined && looksMinified(file, probe.text)) return 'minified-content';
  return undefined;
}

const BINARY_SAMPLE = 8192;
/** Share of non-text bytes in the sample above which content is binary; a NUL or two in text is not. */
const BINARY_SHARE = 0.3;

/**
 * Binary when at least 30% of the first 8 KiB are control bytes (NUL included) or bytes that are not
 * valid UTF-8: a text with a NUL byte inside is still scanned as text (UTF-16 with a byte-order mark
 * is decoded before this check).
 */
export function looksBinary(content: Uint8Array): boolean {
  const sample = content.subarray(0, BINARY_SAMPLE);
  if (sample.length === 0) return false;
  let odd = 0;
  let i = 0;
  while (i < sample.length) {
    const b = sample[i]!;
    if (b < 0x80) {
      // Tab, LF, FF, CR and ESC (ANSI colours in logs) are text.
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) odd++;
      i++;
      continue;
    }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let valid = extra > 0;
    for (let k = 1; valid && k <= extra; k++) valid = i + k >= sample.length || (sample[i + k]! & 0xc0) === 0x80;
    if (valid) i += extra + 1;
    else {
      odd++;
      i++;
    }
  }
  return odd >= sample.length * BINARY_SHARE;
}

/** A line longer than this is "long"; a file is minified when long lines are nearly all of it. */
const MINIFIED_LINE = 1000;
/** Below this a file is scanned whatever its lines: one long line (inline data, a URL list) is source too. */
const MINIFIED_MIN_CHARS = 8 * 1024;
const MINIFIED_SHARE = 0.9;

/** A JavaScript file of at least 8 KiB whose lines over 1000 characters hold 90% of it is a bundle, not source. */
export function looksMinified(file: string, text: string): boolean {
  if (!/\.[cm]?js$/i.test(file) || text.length < MINIFIED_MIN_CHARS) return false;
  let longChars = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start > MINIFIED_LINE) longChars += end - start;
    start = end + 1;
  }
  return longChars >= text.length * MINIFIED_SHARE;
}

const TEMPLATE_FILE = /(?:^|\/)\.env\.(?:example|sample|template|dist|defaults)$|\.(?:example|sample|template|tmpl|tpl|dist)$/i;
const DOC_FILE = /\.(?:md|markdown|mdx|rst|adoc|asciidoc)$/i;

export function classifyFile(file: string): FileKind {
  if (TEMPLATE_FILE.test(file) || /(?:^|\/)(?:example|sample|template)[^/]*\.(?:env|ya?ml|json|toml|ini|conf|properties)$/i.test(file)) return 'template';
  if (DOC_FILE.test(file)) return 'doc';
  return 'code';
}

export interface FilterInput {
  rule: SecretRule;
  secret: string;
  file: string;
  kind: FileKind;
  /** The line the secret is on (or a window of it). */
  line: string;
  /** Where the secret starts in `line`. */
  secretOffset: number;
  /** Up to 3 lines before, nearest first, for Kubernetes `valueFrom` blocks. */
  previousLines(): string[];
}

/** Values no real secret looks like: templates, masks, references. Applied to every rule. */
const TEMPLATE_VALUES: RegExp[] = [
  /^<[^<>]*>$|^\[[^[\]]*\]$|<(?:your|insert|enter|replace|add|put|paste)[\w .-]*>/i,
  /^your[\w.-]*$/i,
  /x{4,}/i,
  /\*{3,}|•{3,}|#{3,}|^\.{3,}$|…/,
  // Masks left by tools and people: `[Redacted]`, `REDACTED`, `<redacted>`, `__REDACTED__`.
  /(?:^|[^a-z])redacted(?:[^a-z]|$)/i,
  /^(?:replace[\w-]*|todo|fixme|tbd|to[_-]?be[_-]?(?:set|filled|replaced)|redacted|none|null|nil|undefined|empty|true|false)$/i,
  /(?:^|[_-])(?:replace[_-]?me|replace[_-]?with|insert[_-]?here|fill[_-]?me[_-]?in)(?:[_-]|$)/i,
  // AWS documentation examples (AKIAIOSFODNN7EXAMPLE, …EXAMPLEKEY).
  /EXAMPLE/,
];

/** Variable and secret-store references: the value is looked up elsewhere. */
const REFERENCES: RegExp[] = [
  /\$\{|\$\(|\{\{|\}\}|\{%|%\}/,
  // SOPS- and ejson-encrypted values: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`, `EJ[1:…]`.
  /^(?:ENC|EJ)\[/,
  /^\$[A-Za-z_][\w]*$/,
  /^%[A-Za-z_][\w]*%$/,
  /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|ENV\[|ENV\.fetch|System\.getenv|Environment\.GetEnvironmentVariable|getenv\(|env\(|secrets\.|vars\.)/,
  /^(?:var|local|data|module)\.[A-Za-z_][\w.[\]"-]*$/,
];

const PLACEHOLDER_WORDS = ['example', 'dummy', 'sample', 'fake', 'test', 'placeholder', 'mock'];
const capitalized = (word: string): string => word[0]!.toUpperCase() + word.slice(1);
/** A word glued on without a separator (`testkey`, `fakeToken`) still reads as a made-up value. */
const GLUED = '(?:s|ing|key|token|secret|pass|password|pwd|user|value|api|data)?';

/**
 * A placeholder word is a whole segment of the value: at its start or after a separator or a camelCase
 * step, and not followed by more lower-case letters. A random tail that happens to hold `9test` or `testq`
 * (a real-format OpenAI or Slack key) is not a placeholder; `test-password-987`, `myFakeToken` are.
 */
const WORD_SEGMENT = new RegExp(
  `(?:^|[^A-Za-z0-9])(?:${[...PLACEHOLDER_WORDS, ...PLACEHOLDER_WORDS.map(capitalized), ...PLACEHOLDER_WORDS.map((w) => w.toUpperCase())].join('|')})${GLUED}(?![a-z])`,
);
const CAMEL_SEGMENT = new RegExp(`[a-z](?:${PLACEHOLDER_WORDS.map(capitalized).join('|')})${GLUED}(?![a-z])`);

/** Placeholder words; not applied to default-credential rules, where `changeme` or `password` is the finding. */
const SOFT_PLACEHOLDERS: RegExp[] = [
  /change[_-]?me|change[_-]?it|change[_-]?this/i,
  WORD_SEGMENT,
  CAMEL_SEGMENT,
  /^(?:password|passwd|secret|token|api[_-]?key|key|value|string|foo|bar|baz|qux|abc|xyz)s?\d{0,3}$/i,
  /^(?:\d+|[a-z]+)$/i,
];

/**
 * Made-up values in a real format (`sk-ant-api03-abc123xyz-…`): runs no random generator writes by
 * chance (a 6-character run in a 40-character base62 token: about 1 in 10^9).
 */
const FAKE_RUN = /abc123|123abc|xyz123|abcdef|123456|654321|qwerty|(.)\1{5}/i;

/** Key names saying the value is a digest or an identifier, not a credential. */
const HASH_CONTEXT = /(?:hash|sha\d*|md5|digest|checksum|integrity|commit|revision|\brev\b|etag|uuid|fingerprint|_id\b|[a-z]Id\b|\bid\b)["']?\s*[:=]/i;
const HASH_VALUE = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const INTEGRITY = /^sha(?:1|256|384|512)-[A-Za-z0-9+/]+={0,2}$/;

/** `(?<secret>…)`, `(?P<token>…)`: a regex's named group (a gitleaks or scan.rules pattern), not an assignment. */
const REGEX_GROUP_BEFORE = /\(\?P?<[A-Za-z_][A-Za-z0-9_]*>$/;

/** `DB_PASSWORD` as a value names a variable or setting; a password is not written in constant case. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

const PUBLIC_MATERIAL =
  /-----BEGIN (?:[A-Z]+ )?PUBLIC KEY|-----BEGIN CERTIFICATE|-----BEGIN PGP PUBLIC|(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d{3}|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/;

function isRepeatedOrSequential(value: string): boolean {
  if (/^(.)\1+$/.test(value)) return true;
  if (value.length >= 8 && new Set(value).size <= 2) return true;
  const lower = value.toLowerCase();
  return lower.length >= 6 && ('01234567890123456789'.includes(lower) || 'abcdefghijklmnopqrstuvwxyz'.includes(lower));
}

/**
 * True when the global filters drop `value` whatever the rule that found it: a template, mask or
 * reference, a placeholder word, a repeated or sequential run. Generated samples and test data check
 * it, so that a random value that spells `Mock` by coincidence is drawn again rather than missed.
 */
export function isPlaceholderValue(value: string): boolean {
  return (
    TEMPLATE_VALUES.some((re) => re.test(value)) ||
    REFERENCES.some((re) => re.test(value)) ||
    SOFT_PLACEHOLDERS.slice(0, 4).some((re) => re.test(value)) ||
    isRepeatedOrSequential(value)
  );
}

/** True when a rule's match is not a real secret. */
export function isFalsePositive(input: FilterInput): boolean {
  const { rule, secret, kind } = input;
  const defaultCredential = rule.category === 'default-credential';
  // Defaults in templates and docs are what the reader is told to replace.
  if (defaultCredential && kind !== 'code') return true;
  if (TEMPLATE_VALUES.some((re) => re.test(secret))) return true;
  if (REFERENCES.some((re) => re.test(secret))) return true;
  if (isKubernetesReference(input) || isEncrypted(input)) return true;
  if (rule.category !== 'private-key' && isPublicMaterial(input)) return true;
  if (defaultCredential) return false;
  if (SOFT_PLACEHOLDERS.slice(0, 4).some((re) => re.test(secret))) return true;
  if ((rule.category === 'provider-token' || rule.category === 'generic-secret') && FAKE_RUN.test(secret)) return true;
  if (isRepeatedOrSequential(secret)) return true;
  if (rule.category === 'generic-secret' && (isHashOrId(input) || CONSTANT_NAME.test(secret) || REGEX_GROUP_BEFORE.test(input.line.slice(0, input.secretOffset)))) return true;
  // In a template or doc a word-like or single-class value (`mypassword`, `12345678`) is a placeholder.
  if (kind !== 'code' && (SOFT_PLACEHOLDERS[4]!.test(secret) || /^[A-Za-z_-]+$/.test(secret))) return true;
  return false;
}

function isHashOrId({ secret, line, secretOffset }: FilterInput): boolean {
  if (INTEGRITY.test(secret)) return true;
  if (!HASH_VALUE.test(secret)) return false;
  const before = line.slice(0, secretOffset);
  // Pinned actions and image digests: uses: org/action@<sha>, image@sha256:<hex>.
  if (/(?:@|sha\d+:|md5:)$/i.test(before)) return true;
  return HASH_CONTEXT.test(before.slice(-60));
}

/** Inside a SOPS `ENC[…]` or ejson `EJ[…]` value: encrypted, whatever its parts look like. */
function isEncrypted({ line, secretOffset }: FilterInput): boolean {
  const before = line.slice(0, secretOffset);
  const open = Math.max(before.lastIndexOf('ENC['), before.lastIndexOf('EJ['));
  return open !== -1 && !before.slice(open).includes(']');
}

function isKubernetesReference({ line, previousLines }: FilterInput): boolean {
  if (/secretKeyRef|valueFrom|configMapKeyRef/.test(line)) return true;
  // The value of `key:`/`name:` inside a `valueFrom: secretKeyRef:` block names a secret, it is not one.
  if (!/^\s*-?\s*(?:key|name)\s*:/.test(line)) return false;
  return previousLines().some((previous) => /secretKeyRef|valueFrom|configMapKeyRef/.test(previous));
}

function isPublicMaterial({ secret, line, secretOffset }: FilterInput): boolean {
  if (PUBLIC_MATERIAL.test(secret)) return true;
  const found = PUBLIC_MATERIAL.exec(line);
  return found !== null && found.index <= secretOffset;
}
