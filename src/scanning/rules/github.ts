import type { RuleMatch, SecretRule } from '../rule.js';
import { BASE62, badChecksumToken, checksummedToken, hasBase62Checksum, mixed, random, sample, tokenPattern } from './support.js';

const checksumOk = (match: RuleMatch): boolean => hasBase62Checksum(match.secret, 4);

/** The five classic token kinds share one format: prefix, 30 random base62 characters, 6-character CRC32. */
function classicTokenRule(prefix: string, id: string, title: string, what: string): SecretRule {
  const pattern = tokenPattern(`${prefix}[A-Za-z0-9]{36}`);
  return {
    id,
    title,
    description: `${what} (\`${prefix}\` + 36 base62 characters). The last 6 characters are a CRC32 checksum of the token body; only checksum-valid tokens are reported, so a finding is high confidence.`,
    severity: 'critical',
    category: 'provider-token',
    keywords: [prefix],
    pattern,
    confirm: checksumOk,
    remediation: `Revoke the token (GitHub Settings → Developer settings, or the app's settings), then use \${{ secrets.* }} or the workflow GITHUB_TOKEN instead.`,
    samples: {
      positive: () => [
        sample('.github/scripts/release.sh', `export GH_TOKEN=${checksummedToken(prefix)}`),
        sample('src/client.ts', `const octokit = new Octokit({ auth: "${checksummedToken(prefix)}" });`),
      ],
      negative: () => [
        sample('src/client.ts', `const token = "${badChecksumToken(prefix)}";`),
        sample('src/client.ts', `const token = "${prefix}${random(BASE62, 35)}";`),
        sample('src/client.ts', `const token = "${prefix}${'x'.repeat(36)}";`),
      ],
    },
  };
}

export const githubRules: SecretRule[] = [
  classicTokenRule('ghp_', 'github-pat-classic', 'GitHub personal access token (classic)', 'A GitHub classic personal access token'),
  classicTokenRule('gho_', 'github-oauth-token', 'GitHub OAuth access token', 'A GitHub OAuth app access token'),
  classicTokenRule('ghu_', 'github-user-to-server-token', 'GitHub App user-to-server token', 'A GitHub App user access token'),
  classicTokenRule('ghs_', 'github-server-to-server-token', 'GitHub App installation token', 'A GitHub App installation (server-to-server) token'),
  classicTokenRule('ghr_', 'github-refresh-token', 'GitHub refresh token', 'A GitHub App refresh token'),
  {
    id: 'github-pat-fine-grained',
    title: 'GitHub fine-grained personal access token',
    description: 'A GitHub fine-grained personal access token (`github_pat_` + 22 + `_` + 59 base62 characters).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['github_pat_'],
    pattern: tokenPattern('github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
    minEntropy: 4,
    remediation: 'Revoke the token in GitHub Settings → Developer settings → Fine-grained tokens and store its replacement as a secret.',
    samples: {
      positive: () => [
        sample('.env', `GITHUB_TOKEN=github_pat_${mixed(BASE62, 22)}_${mixed(BASE62, 59)}`),
        sample('ci/config.yml', `token: "github_pat_${mixed(BASE62, 22)}_${mixed(BASE62, 59)}"`),
      ],
      negative: () => [
        sample('.env', `GITHUB_TOKEN=github_pat_${mixed(BASE62, 22)}_${mixed(BASE62, 40)}`),
        sample('docs/auth.md', 'Fine-grained tokens start with `github_pat_`.'),
      ],
    },
  },
];
