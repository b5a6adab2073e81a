import type { SecretRule } from '../rule.js';
import { BASE62, BASE64URL, HEX, LOWER, DIGITS, mixed, random, sample, tokenPattern } from './support.js';

const B64URL_ALNUM = (n: number): string => mixed(BASE64URL, n);

function gitlabPrefixRule(
  id: string,
  title: string,
  prefix: string,
  body: string,
  bodyRegex: string,
  makeBody: (variant: number) => string,
): SecretRule {
  return {
    id,
    title,
    description: `A GitLab ${title.replace(/^GitLab /, '').toLowerCase()} (\`${prefix}\` + ${body}).`,
    severity: 'critical',
    category: 'provider-token',
    keywords: [prefix.toLowerCase()],
    pattern: tokenPattern(`${prefix}${bodyRegex}`, 'A-Za-z0-9_-'),
    minEntropy: 3,
    remediation: 'Revoke the token in GitLab (user, project or runner settings) and keep its replacement in CI/CD variables.',
    samples: {
      positive: () => [
        sample('.gitlab-ci.yml', `  GITLAB_TOKEN: "${prefix}${makeBody(0)}"`),
        sample('scripts/sync.py', `HEADERS = {"PRIVATE-TOKEN": "${prefix}${makeBody(1)}"}`),
      ],
      negative: () => [
        sample('.gitlab-ci.yml', `  GITLAB_TOKEN: "${prefix}${random(BASE62, 12)}"`),
        sample('.gitlab-ci.yml', '  GITLAB_TOKEN: $GITLAB_TOKEN'),
      ],
    },
  };
}

export const gitlabRules: SecretRule[] = [
  gitlabPrefixRule(
    'gitlab-pat',
    'GitLab personal access token',
    'glpat-',
    '20 characters, or the longer routable form: 27+ characters and a short `.`-separated version/checksum suffix',
    '(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}\\.[0-9a-z][0-9a-z.]{8,11})',
    // One sample of the legacy form, one of the routable (GitLab 17.x+) form.
    (variant) => (variant === 0 ? B64URL_ALNUM(20) : `${B64URL_ALNUM(36)}.01.${random(LOWER + DIGITS, 9)}`),
  ),
  gitlabPrefixRule('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', 'glptt-', '40 hex characters', '[0-9a-f]{40}', () =>
    random(HEX, 40),
  ),
  gitlabPrefixRule('gitlab-runner-token', 'GitLab runner authentication token', 'glrt-', '20+ characters', '[A-Za-z0-9_-]{20,64}', () =>
    B64URL_ALNUM(20),
  ),
  gitlabPrefixRule(
    'gitlab-runner-registration-token',
    'GitLab runner registration token',
    'GR1348941',
    '20 characters (deprecated registration flow)',
    '[A-Za-z0-9_-]{20}',
    () => B64URL_ALNUM(20),
  ),
  gitlabPrefixRule('gitlab-deploy-token', 'GitLab deploy token', 'gldt-', '20+ characters', '[A-Za-z0-9_-]{20,64}', () => B64URL_ALNUM(20)),
];

