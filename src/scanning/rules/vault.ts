import type { SecretRule } from '../rule.js';
import { BASE62, BASE64URL, HEX, PLACEHOLDER_VALUES, UUID, mixed, namedTokenRule, random, sample, tokenPattern, uuid } from './support.js';

function prefixedTokenRule(prefix: 'hvs' | 'hvb' | 'hvr', id: string, title: string, what: string): SecretRule {
  return {
    id,
    title,
    description: `${what} (\`${prefix}.\` + 24 or more characters, including the long \`${prefix}.CAES…\` form).`,
    severity: 'critical',
    category: 'provider-token',
    keywords: [`${prefix}.`],
    pattern: tokenPattern(`${prefix}\\.[A-Za-z0-9_-]{24,400}`, 'A-Za-z0-9_-'),
    minEntropy: 3.5,
    allow: PLACEHOLDER_VALUES,
    remediation: 'Revoke the token (`vault token revoke -accessor …`) and issue short-lived tokens at run time (AppRole, JWT/OIDC auth).',
    samples: {
      positive: () => [
        sample('.env', `VAULT_TOKEN=${prefix}.${mixed(BASE62, 24)}`),
        sample('deploy/values.yaml', `vaultToken: "${prefix}.CAESI${mixed(BASE64URL, 86)}"`),
      ],
      negative: () => [
        sample('docs/vault.md', `export VAULT_TOKEN=${prefix}.${'x'.repeat(24)}`),
        sample('.env', `VAULT_TOKEN=${prefix}.${mixed(BASE62, 10)}`),
      ],
    },
  };
}

export const vaultRules: SecretRule[] = [
  prefixedTokenRule('hvs', 'vault-service-token', 'HashiCorp Vault service token', 'A Vault service token'),
  prefixedTokenRule('hvb', 'vault-batch-token', 'HashiCorp Vault batch token', 'A Vault batch token'),
  prefixedTokenRule('hvr', 'vault-recovery-token', 'HashiCorp Vault recovery token', 'A Vault recovery-mode token'),
  namedTokenRule({
    id: 'vault-uuid-token',
    title: 'HashiCorp Vault token or AppRole secret ID (UUID form)',
    description: 'A UUID assigned to a key naming Vault or an AppRole secret ID (`VAULT_TOKEN=`, `vault_token:`, `secret_id=`): a pre-0.10 Vault token or an AppRole `secret_id`, both UUIDs.',
    names: ['vault', 'approle', 'secret_id', 'secret-id', 'secretid'],
    format: UUID,
    severity: 'critical',
    remediation: 'Revoke the token, or destroy the secret ID (`vault write auth/approle/role/<role>/secret-id/destroy`), and issue short-lived credentials at run time.',
    make: uuid,
    nearMiss: () => random(HEX, 32),
    file: 'deploy/approle.env',
    line: (t) => `VAULT_SECRET_ID=${t}`,
  }),
  {
    id: 'vault-legacy-token',
    title: 'HashiCorp Vault legacy token',
    description:
      'A pre-1.10 Vault token (`s.` or `b.` + 24 characters). Reported only in a token context (`VAULT_TOKEN=`, `X-Vault-Token:`, `token:`), since `s.` alone is too common.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['token'],
    pattern: /token(?=["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[sb]\.[A-Za-z0-9]{24})(?![A-Za-z0-9_.-]))/i,
    minEntropy: 3.5,
    // The Vault docs write tokens as s.xxxxxxxxxxxxxx.
    allow: PLACEHOLDER_VALUES,
    remediation: 'Revoke the token in Vault and move to short-lived, role-issued tokens.',
    samples: {
      positive: () => [
        sample('scripts/bootstrap.sh', `export VAULT_TOKEN=s.${mixed(BASE62, 24)}`),
        sample('scripts/read.sh', `curl -H "X-Vault-Token: s.${mixed(BASE62, 24)}" $VAULT_ADDR/v1/secret/data/app`),
        sample('config/vault.yml', `token: b.${mixed(BASE62, 24)}`),
      ],
      negative: () => [
        sample('docs/vault.md', `X-Vault-Token: s.${'x'.repeat(24)}`),
        sample('src/app.js', `const parts = value.split('.'); const s = 's.${mixed(BASE62, 24)}';`),
      ],
    },
  },
];
