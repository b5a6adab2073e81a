import type { SecretRule } from '../rule.js';
import { BASE64, mixed, sample } from './support.js';

/** Separators allowed between a PEM header and its body: newlines, and JSON/code-escaped `\n` or quotes. */
const SEP = `(?:[\\s"']|\\\\[rn]){1,8}`;

/** Legacy encrypted PEM keys carry two headers before the body. */
const ENCRYPTION_HEADERS = `(?:Proc-Type: [A-Za-z0-9,-]{1,40}${SEP}DEK-Info: [A-Za-z0-9,-]{1,80}${SEP})?`;

function pemBody(lines: number, width = 64): string {
  return Array.from({ length: lines }, () => mixed(BASE64, width)).join('\n');
}

function pem(label: string): string {
  return `-----BEGIN ${label}-----\n${pemBody(6)}\n${mixed(BASE64, 20)}==\n-----END ${label}-----`;
}

/**
 * One finding per block: the pattern anchors on the BEGIN line, and the secret group is the first body line
 * (so two keys in one file get different fingerprints). Placeholder blocks (`...`, `<key>`) have no body and do not match.
 */
function pemRule(id: string, label: string, title: string, kind: string, withEncryptionHeaders: boolean): SecretRule {
  const header = `-----BEGIN ${label}-----`;
  return {
    id,
    title,
    description: `${kind} (a \`${header}\` block with a key body). Reported once per block.`,
    severity: 'critical',
    category: 'private-key',
    keywords: [`begin ${label.toLowerCase()}`],
    pattern: new RegExp(
      `${header}(?=${SEP}${withEncryptionHeaders ? ENCRYPTION_HEADERS : ''}(?<secret>[A-Za-z0-9+/]{40,80}))`,
    ),
    remediation:
      'Treat the key as compromised: revoke or replace it wherever it is trusted (servers, certificates, deploy keys), then remove it from the repository and its history.',
    samples: {
      positive: () => [
        sample('deploy/key.pem', pem(label)),
        sample('src/fixtures.ts', `export const KEY = "${header}\\n${mixed(BASE64, 64)}\\n${mixed(BASE64, 64)}\\n-----END ${label}-----\\n";`),
      ],
      negative: () => [
        sample('docs/keys.md', `${header}\n...\n-----END ${label}-----`),
        sample('docs/keys.md', `Paste your key here: ${header}<your key>-----END ${label}-----`),
      ],
    },
  };
}

export const privateKeyRules: SecretRule[] = [
  pemRule('private-key-rsa', 'RSA PRIVATE KEY', 'RSA private key', 'A PKCS#1 RSA private key', true),
  pemRule('private-key-ec', 'EC PRIVATE KEY', 'EC private key', 'An elliptic-curve private key', true),
  pemRule('private-key-dsa', 'DSA PRIVATE KEY', 'DSA private key', 'A DSA private key', true),
  pemRule('private-key-openssh', 'OPENSSH PRIVATE KEY', 'OpenSSH private key', 'An OpenSSH private key', false),
  pemRule('private-key-pkcs8', 'PRIVATE KEY', 'PKCS#8 private key', 'A PKCS#8 private key', false),
  pemRule(
    'private-key-pkcs8-encrypted',
    'ENCRYPTED PRIVATE KEY',
    'Encrypted PKCS#8 private key',
    'A passphrase-encrypted PKCS#8 private key; the passphrase is often committed nearby',
    false,
  ),
  {
    id: 'private-key-pgp',
    title: 'PGP private key block',
    description: 'An ASCII-armored PGP/GPG private key block. Reported once per block.',
    severity: 'critical',
    category: 'private-key',
    keywords: ['begin pgp private key block'],
    pattern:
      /-----BEGIN PGP PRIVATE KEY BLOCK-----(?=\r?\n(?:[A-Z][a-z]{1,15}: [^\r\n]{1,100}\r?\n){0,3}\r?\n?(?<secret>[A-Za-z0-9+/]{40,80}))/,
    remediation: 'Revoke the key (publish a revocation certificate), generate a new one and remove the block from the repository and its history.',
    samples: {
      positive: () => [
        sample('ci/signing.asc', `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: release signing\n\n${pemBody(5)}\n-----END PGP PRIVATE KEY BLOCK-----`),
      ],
      negative: () => [sample('ci/signing.asc', `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${pemBody(3)}\n-----END PGP PUBLIC KEY BLOCK-----`)],
    },
  },
  {
    id: 'private-key-putty',
    title: 'PuTTY private key',
    description: 'A PuTTY `.ppk` private key (`PuTTY-User-Key-File-2/3`). Reported once per file, at its `Private-Lines` section.',
    severity: 'critical',
    category: 'private-key',
    keywords: ['private-lines:'],
    pattern: /Private-Lines: (?=[0-9]{1,3}\r?\n(?<secret>[A-Za-z0-9+/]{40,80}))/,
    remediation: 'Remove the public half from every authorized_keys file, generate a new key pair and keep the .ppk out of the repository.',
    samples: {
      positive: () => [
        sample(
          'tools/server.ppk',
          `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${pemBody(2)}\nPrivate-Lines: 1\n${mixed(BASE64, 64)}\nPrivate-MAC: ${mixed('0123456789abcdef', 64)}`,
        ),
      ],
      negative: () => [sample('docs/putty.md', 'Private-Lines: 1\n<private key data>')],
    },
  },
];
