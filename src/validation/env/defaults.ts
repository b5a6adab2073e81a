import { DEFAULT_PASSWORDS } from '../../scanning/rules/default-credentials.js';

/**
 * What a preset refuses as a credential: the scanner's dictionary of well-known defaults plus the
 * placeholders and weak words a production .env must not hold. Broader than the scanner's list on
 * purpose: a schema that asks for a strong value may reject what a scan would not dare to report.
 * Compared after normalizing: lower case, separators removed, trailing digits dropped.
 */
const PLACEHOLDERS_AND_WEAK_WORDS = [
  'admin', 'administrator', 'root', 'toor', 'password', 'passw0rd', 'pass', 'passwd', 'secret', 'changeme',
  'changeit', 'default', 'guest', 'test', 'testing', 'user', 'username', 'letmein', 'qwerty', 'welcome',
  'example', 'sample', 'demo', 'master', 'manager', 'operator', 'login', 'abc', 'abcdef', 'foo', 'foobar',
  'replaceme', 'todo', 'fixme', 'none', 'null', 'empty', 'token', 'apikey', 'secretkey', 'mysecret',
  'yourusername', 'yourpassword', 'yourstrongpassword', 'yoursecret', 'yourtoken', 'yourapikey',
  'supersecret', 'insecure', 'dev', 'development', 'local',
];

function normalize(value: string): string {
  return value.toLowerCase().replace(/[\s_\-.:!@#]/g, '').replace(/\d+$/, '');
}

const NORMALIZED = new Set([...PLACEHOLDERS_AND_WEAK_WORDS, ...[...DEFAULT_PASSWORDS].map(normalize)]);

/** True for a known default or an obvious placeholder (all digits, one repeated character, `<…>`, `xxx…`). */
export function isDefaultCredential(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^<.*>$/.test(trimmed) || /^\d+$/.test(trimmed) || /^(.)\1+$/.test(trimmed)) return true;
  if (/^[a-z]\.x{4,}$/i.test(trimmed) || /^x{3,}$/i.test(trimmed)) return true;
  const normal = normalize(trimmed);
  return NORMALIZED.has(normal) || normal === '';
}
