import type { SecretRule } from '../rule.js';
import { BASE64URL, mixed, sample, tokenPattern } from './support.js';

/** PyPI tokens are macaroons whose serialized form always begins with the base64 of "pypi.org" location data. */
const PREFIX = 'pypi-AgEIcHlwaS5vcmc';

export const pypiRules: SecretRule[] = [
  {
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    description: `A PyPI API token (\`${PREFIX}\` + a long macaroon body).`,
    severity: 'critical',
    category: 'provider-token',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: tokenPattern('pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}', 'A-Za-z0-9_-'),
    minEntropy: 4,
    remediation: 'Remove the token at pypi.org → Account settings → API tokens; publish with Trusted Publishing (OIDC) instead.',
    samples: {
      positive: () => [
        sample('.pypirc', `[pypi]\nusername = __token__\npassword = ${PREFIX}${mixed(BASE64URL, 140)}`),
      ],
      negative: () => [sample('.pypirc', `password = ${PREFIX}`)],
    },
  },
];
