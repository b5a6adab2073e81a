import type { SecretRule } from '../rule.js';
import { BASE62, BASE64URL, mixed, sample, tokenPattern } from './support.js';

export const dockerRules: SecretRule[] = [
  {
    id: 'docker-config-auth',
    title: 'Registry credentials in Docker config.json',
    description: 'A base64 `user:password` in the `auths` section of a Docker `config.json`.',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['"auth"'],
    pattern: /"auth"(?=[ \t]{0,4}:[ \t]{0,4}"(?<secret>[A-Za-z0-9+/]{12,400}={0,2})")/,
    minEntropy: 3,
    // A real entry decodes to user:password.
    confirm: (match) => Buffer.from(match.secret, 'base64').toString('latin1').includes(':'),
    remediation: 'Log out (`docker logout`), change the registry password or token, and use a credential helper instead of inline auth.',
    samples: {
      positive: () => [
        sample(
          '.docker/config.json',
          `{\n  "auths": {\n    "registry.example.io": {\n      "auth": "${Buffer.from(`deploy:${mixed(BASE62, 20)}`).toString('base64')}"\n    }\n  }\n}`,
        ),
      ],
      negative: () => [sample('.docker/config.json', `{ "auths": { "ghcr.io": { "auth": "${Buffer.from(mixed(BASE62, 24)).toString('base64')}" } } }`)],
    },
  },
  {
    id: 'docker-hub-pat',
    title: 'Docker Hub personal access token',
    description: 'A Docker Hub personal access token (`dckr_pat_` + 27 characters).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['dckr_pat_'],
    pattern: tokenPattern('dckr_pat_[A-Za-z0-9_-]{27}', 'A-Za-z0-9_-'),
    minEntropy: 3.5,
    remediation: 'Delete the token in Docker Hub → Account settings → Personal access tokens and store its replacement as a CI secret.',
    samples: {
      positive: () => [sample('.github/workflows/image.yml', `          password: dckr_pat_${mixed(BASE64URL, 27)}`)],
      negative: () => [sample('.github/workflows/image.yml', '          password: ${{ secrets.DOCKERHUB_TOKEN }}')],
    },
  },
];
