import type { SecretRule } from '../rule.js';
import { BASE64, BASE64URL, mixed, sample, tokenPattern } from './support.js';

export const googleRules: SecretRule[] = [
  {
    id: 'google-api-key',
    title: 'Google API key',
    description: 'A Google Cloud / Firebase / Maps API key (`AIza` + 35 characters).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['aiza'],
    pattern: tokenPattern('AIza[0-9A-Za-z_-]{35}', 'A-Za-z0-9_-'),
    minEntropy: 3.5,
    remediation: 'Delete or regenerate the key in Google Cloud Console → APIs & Services → Credentials, and restrict the new key.',
    samples: {
      positive: () => [
        sample('web/firebase.js', `const firebaseConfig = { apiKey: "AIza${mixed(BASE64URL, 35)}", projectId: "shop" };`),
        sample('maps.yaml', `maps_key: AIza${mixed(BASE64URL, 35)}`),
      ],
      negative: () => [sample('maps.yaml', `maps_key: AIza${mixed(BASE64URL, 20)}`), sample('maps.yaml', 'maps_key: AIzaSy-your-key-here')],
    },
  },
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service-account private key',
    description: 'The private key of a Google Cloud service-account JSON key file (`"private_key": "-----BEGIN PRIVATE KEY-----…`).',
    severity: 'critical',
    category: 'private-key',
    keywords: ['"private_key"'],
    pattern:
      /"private_key"(?=[ \t]{0,4}:[ \t]{0,4}"-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\r)?\\n(?<secret>[A-Za-z0-9+/]{40,76}))/,
    remediation: 'Delete the key in IAM → Service accounts → Keys, prefer Workload Identity Federation over key files.',
    samples: {
      positive: () => [
        sample(
          'deploy/sa.json',
          `{\n  "type": "service_account",\n  "project_id": "shop-prod",\n  "private_key_id": "${mixed('0123456789abcdef', 40)}",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${mixed(BASE64, 64)}\\n${mixed(BASE64, 64)}\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "deployer@shop-prod.iam.gserviceaccount.com"\n}`,
        ),
      ],
      negative: () => [
        sample('deploy/sa.json', '{ "type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n" }'),
      ],
    },
  },
  {
    id: 'google-oauth-client-secret',
    title: 'Google OAuth client secret',
    description: 'A Google OAuth 2.0 client secret (`GOCSPX-` + 28 characters).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['gocspx-'],
    pattern: tokenPattern('GOCSPX-[A-Za-z0-9_-]{28}', 'A-Za-z0-9_-'),
    minEntropy: 3.5,
    remediation: 'Reset the client secret in Google Cloud Console → Credentials → OAuth client.',
    samples: {
      positive: () => [sample('client_secret.json', `{"web":{"client_secret":"GOCSPX-${mixed(BASE64URL, 28)}"}}`)],
      negative: () => [sample('client_secret.json', '{"web":{"client_secret":"GOCSPX-<secret>"}}')],
    },
  },
  {
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    description: 'A Google OAuth 2.0 access token (`ya29.`). Short-lived, but usable until it expires.',
    severity: 'medium',
    category: 'provider-token',
    keywords: ['ya29.'],
    pattern: tokenPattern('ya29\\.[0-9A-Za-z_-]{50,400}', 'A-Za-z0-9_-'),
    minEntropy: 4,
    remediation: 'Revoke the token (https://oauth2.googleapis.com/revoke) and never commit captured requests.',
    samples: {
      positive: () => [sample('tests/recorded.http', `Authorization: Bearer ya29.a0${mixed(BASE64URL, 120)}`)],
      negative: () => [sample('tests/recorded.http', 'Authorization: Bearer ya29.xxxxx')],
    },
  },
];
