import path from 'node:path';
import { makeFinding, type Finding, type Severity } from '../core/finding.js';
import { isDependencyPath } from './filters.js';

/**
 * Files whose presence in a repository is a finding of its own, whatever they contain:
 * environment files, private keys, keystores and credential stores.
 */
export interface FileRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  remediation: string;
  /** `content` is read only when a name alone cannot tell (a `.pem` may hold just a certificate). */
  matches(file: string, content: () => string | undefined): boolean;
}

/** `.env` variants meant to be committed: templates, and the development/test defaults frameworks commit. */
const ENV_NOT_SECRET = /^\.env\.(?:example|sample|template|tmpl|dist|defaults|schema|test|testing|development|dev|ci|vault)$/i;
const ENV_FILE = /^\.env(?:\..+)?$|\.env$/i;
const ENV_TEMPLATE_NAME = /example|sample|template|test|dev/i;

const KEY_FILE_NAMES = /^id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$/;
const KEYSTORE = /\.(?:p12|pfx|jks|jceks|bks|keystore)$/i;
const CREDENTIAL_STORES = new Set(['.git-credentials', '.env.keys', '.pgpass', '.netrc', '_netrc', 'master.key']);

function isEnvFile(file: string): boolean {
  const name = path.posix.basename(file);
  if (name === '.env.keys' || !ENV_FILE.test(name) || ENV_NOT_SECRET.test(name)) return false;
  // `prod.env` is one, `example.env` or `docker/test.env` is not.
  return name.startsWith('.env') || !ENV_TEMPLATE_NAME.test(name);
}

export const FILE_RULES: FileRule[] = [
  {
    id: 'committed-env-file',
    title: 'Committed .env file',
    description:
      'An environment file (`.env`, `.env.local`, `.env.production`, `prod.env`, …) is in the repository. These files hold the real values of secrets and belong in .gitignore; templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) and the framework defaults `.env.development` / `.env.test` are not reported.',
    severity: 'medium',
    remediation:
      'Remove the file from git (`git rm --cached FILE`), add it to .gitignore, commit a `.env.example` with placeholders instead, and rotate any secret it held.',
    matches: (file) => isEnvFile(file),
  },
  {
    id: 'committed-private-key-file',
    title: 'Committed private key file',
    description:
      'A private key file (`id_rsa`, `id_ed25519`, …, a `.pem` or `.key` file holding a private key, a PuTTY `.ppk`) is in the repository.',
    severity: 'critical',
    remediation: 'Treat the key as compromised: replace it wherever it is trusted, remove the file from the repository and its history, and keep keys in a secret store.',
    matches: (file, content) => {
      const name = path.posix.basename(file);
      if (KEY_FILE_NAMES.test(name) || /\.ppk$/i.test(name)) return true;
      if (!/\.(?:pem|key)$/i.test(name) || name === 'master.key') return false;
      return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content()?.slice(0, 1 << 20) ?? '');
    },
  },
  {
    id: 'committed-keystore-file',
    title: 'Committed keystore file',
    description:
      'A PKCS#12 or Java keystore (`.p12`, `.pfx`, `.jks`, `.jceks`, `.bks`, `.keystore`) is in the repository; these bundle private keys. Android\'s `debug.keystore` is not reported.',
    severity: 'high',
    remediation: 'Remove the keystore from the repository and its history, re-issue the keys it held, and load it from a secret store at build time.',
    matches: (file) => KEYSTORE.test(file) && path.posix.basename(file) !== 'debug.keystore',
  },
  {
    id: 'committed-credential-file',
    title: 'Committed credential store',
    description:
      'A file that exists to hold credentials is in the repository: `.git-credentials`, `.netrc`, `.pgpass`, dotenvx `.env.keys`, Rails `master.key` or `config/credentials/*.key`, AWS `.aws/credentials`.',
    severity: 'high',
    remediation: 'Remove the file from the repository and its history, add it to .gitignore and rotate every credential it held.',
    matches: (file) => {
      const name = path.posix.basename(file);
      return CREDENTIAL_STORES.has(name) || /(?:^|\/)config\/credentials\/[^/]+\.key$/.test(file) || /(?:^|\/)\.aws\/credentials$/.test(file);
    },
  },
];

/** How the file came to be scanned, for the message. */
export type Presence = 'tracked' | 'untracked' | 'present' | 'added' | 'modified';

const PRESENCE_TEXT: Record<Presence, string> = {
  tracked: 'is committed to the repository',
  untracked: 'is not ignored by git, so `git add -A` would commit it',
  present: 'is in the scanned folder',
  added: 'is added by this change',
  modified: 'is changed by this change',
};

export function committedFileFindings(file: string, content: () => string | undefined, presence: Presence, commit?: string): Finding[] {
  const findings: Finding[] = [];
  if (isDependencyPath(file)) return findings;
  for (const rule of FILE_RULES) {
    if (!rule.matches(file, content)) continue;
    findings.push(
      makeFinding({
        ruleId: rule.id,
        check: 'scan',
        severity: rule.severity,
        message: `${rule.title}: ${file} ${presence === 'added' && commit ? `is added in commit ${commit.slice(0, 12)}` : PRESENCE_TEXT[presence]}`,
        file,
        startLine: 1,
        fingerprintMaterial: `file:${file}`,
        ...(commit ? { commit } : {}),
      }),
    );
  }
  return findings;
}
