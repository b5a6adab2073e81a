/**
 * Well-known default and placeholder credentials. The scanner has no exported dictionary yet
 * (src/scanning/rules/default-credentials.ts does not exist), so validation keeps this small list.
 * Compared after normalizing: lower case, separators removed, trailing digits dropped.
 */
const DEFAULTS = [
  'admin', 'administrator', 'root', 'toor', 'password', 'passw0rd', 'pass', 'passwd', 'secret', 'changeme',
  'changeit', 'default', 'guest', 'test', 'testing', 'user', 'username', 'letmein', 'qwerty', 'welcome',
  'example', 'sample', 'demo', 'master', 'manager', 'operator', 'login', 'abc', 'abcdef', 'foo', 'foobar',
  'replaceme', 'todo', 'fixme', 'none', 'null', 'empty', 'token', 'apikey', 'secretkey', 'mysecret',
  'yourusername', 'yourpassword', 'yourstrongpassword', 'yoursecret', 'yourtoken', 'yourapikey',
  'supersecret', 'insecure', 'dev', 'development', 'local',
];

const NORMALIZED = new Set(DEFAULTS);

function normalize(value: string): string {
  return value.toLowerCase().replace(/[\s_\-.:!@#]/g, '').replace(/\d+$/, '');
}

/** True for a known default or an obvious placeholder (all digits, one repeated character, `<…>`, `xxx…`). */
export function isDefaultCredential(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^<.*>$/.test(trimmed) || /^\d+$/.test(trimmed) || /^(.)\1+$/.test(trimmed)) return true;
  if (/^[a-z]\.x{4,}$/i.test(trimmed) || /^x{3,}$/i.test(trimmed)) return true;
  const normal = normalize(trimmed);
  return NORMALIZED.has(normal) || normal === '';
}
