import type { SecretRule } from '../rule.js';
import { BASE64, HEX, UUID, badChecksumToken, checksummedToken, hasBase62Checksum, mixed, namedTokenRule, random, sample, tokenPattern, uuid } from './support.js';

export const npmRules: SecretRule[] = [
  namedTokenRule({
    id: 'npm-legacy-token',
    title: 'npm legacy access token (UUID form)',
    description: 'A UUID-format npm token (issued before 2021) assigned to a key naming npm (`NPM_TOKEN=`, `npm_auth_token:`).',
    names: ['npm'],
    format: UUID,
    severity: 'critical',
    remediation: 'Revoke the token on npmjs.com (Access Tokens), create a granular token with an expiry and store it as a CI secret.',
    make: uuid,
    nearMiss: () => random(HEX, 32),
    file: '.github/workflows/publish.yml',
    line: (t) => `        NPM_TOKEN: ${t}`,
  }),
  {
    id: 'npm-access-token',
    title: 'npm access token',
    description:
      'An npm access token (`npm_` + 36 base62 characters). The last 6 characters are a CRC32 checksum of the token body; only checksum-valid tokens are reported, so a finding is high confidence.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['npm_'],
    pattern: tokenPattern('npm_[A-Za-z0-9]{36}'),
    confirm: (match) => hasBase62Checksum(match.secret, 4),
    remediation: 'Revoke the token on npmjs.com (Access Tokens), create a granular token with an expiry and store it as a CI secret.',
    samples: {
      positive: () => [
        sample('.npmrc', `//registry.npmjs.org/:_authToken=${checksummedToken('npm_')}`),
        sample('.github/workflows/publish.yml', `        NODE_AUTH_TOKEN: ${checksummedToken('npm_')}`),
      ],
      negative: () => [sample('.npmrc', `//registry.npmjs.org/:_authToken=${badChecksumToken('npm_')}`)],
    },
  },
  {
    id: 'npmrc-auth-token',
    title: 'Registry auth token in .npmrc',
    description: 'An `_authToken` (any registry, any format) written into an `.npmrc` file.',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['_authtoken'],
    pattern: /_authToken(?=[ \t]{0,4}=[ \t]{0,4}["']?(?<secret>[A-Za-z0-9_.+/=-]{20,500})(?![A-Za-z0-9_.+/=-]))/,
    minEntropy: 3.5,
    remediation: 'Revoke the token at the registry and reference it from the environment instead: `_authToken=${NPM_TOKEN}`.',
    samples: {
      positive: () => [sample('.npmrc', `//npm.pkg.github.com/:_authToken=${mixed(BASE64.slice(0, 62), 40)}`)],
      negative: () => [sample('.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}')],
    },
  },
  {
    id: 'npmrc-auth',
    title: 'Basic credentials in .npmrc',
    description: 'An `_auth` (base64 `user:password`) or `_password` entry in an `.npmrc` file.',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['_auth', '_password'],
    pattern: /(?<![A-Za-z0-9])_(?:auth|password)(?=[ \t]{0,4}=[ \t]{0,4}["']?(?<secret>[A-Za-z0-9+/]{12,400}={0,2})(?![A-Za-z0-9+/=]))/,
    minEntropy: 3,
    paths: ['**/.npmrc', '.npmrc', '**/*.npmrc'],
    remediation: 'Change the registry password, and reference credentials from the environment instead of writing them to .npmrc.',
    samples: {
      positive: () => [
        sample('.npmrc', `_auth=${Buffer.from(`ci-bot:${mixed(BASE64.slice(0, 62), 20)}`).toString('base64')}`),
        sample('.npmrc', `//nexus.internal/repository/npm/:_password=${Buffer.from(mixed(BASE64.slice(0, 62), 18)).toString('base64')}`),
      ],
      negative: () => [sample('.npmrc', '_auth=${NPM_AUTH}')],
    },
  },
];
