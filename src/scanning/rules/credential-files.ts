import type { SecretRule } from '../rule.js';
import { isPlaceholder, isReference } from './context.js';
import { BASE62, mixed, random, sample } from './support.js';

const CRYPT_SALT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const password = (): string => mixed(BASE62, 14);
const realValue = (value: string): boolean => !isReference(value) && !isPlaceholder(value);

export const credentialFileRules: SecretRule[] = [
  {
    id: 'pgpass-entry',
    title: '.pgpass entry',
    description: 'A PostgreSQL password-file line (`host:port:database:user:password`).',
    severity: 'critical',
    category: 'credential-file-entry',
    keywords: [':'],
    paths: ['**/.pgpass', '**/pgpass', '**/*.pgpass', '**/pgpass.conf'],
    pattern: /^(?=[^:\s]{1,255}:(?:[0-9]{1,5}|\*):[^:\s]{1,255}:[^:\s]{1,255}:(?<secret>[^\s]{1,255})$)/m,
    confirm: (match) => realValue(match.secret),
    remediation: 'Change the database password and keep .pgpass in the home directory (mode 0600), never in the repository.',
    samples: {
      positive: () => [sample('.pgpass', `db.internal:5432:shop:shop_app:${password()}`)],
      negative: () => [sample('.pgpass', 'hostname:port:database:username:<password>'), sample('notes.txt', `db:5432:shop:app:${password()}`)],
    },
  },
  {
    id: 'netrc-entry',
    title: '.netrc password',
    description: 'A `password` entry in a `.netrc`/`_netrc` file (used by curl, git, ftp).',
    severity: 'critical',
    category: 'credential-file-entry',
    keywords: ['password'],
    paths: ['**/.netrc', '**/_netrc', '**/*.netrc'],
    pattern: /(?<![A-Za-z0-9_])password(?=[ \t]{1,8}(?<secret>[^\s]{1,255}))/,
    confirm: (match) => realValue(match.secret),
    remediation: 'Revoke the credential (often an API token) and keep .netrc outside the repository with mode 0600.',
    samples: {
      positive: () => [
        sample('.netrc', `machine api.heroku.com\n  login ci@shop.test\n  password ${password()}`),
        sample('ci/.netrc', `machine github.com login bot password ${password()}`),
      ],
      negative: () => [sample('.netrc', 'machine github.com login bot password $GITHUB_TOKEN')],
    },
  },
  {
    id: 'git-credentials-entry',
    title: '.git-credentials entry',
    description: 'A stored credential line in a `.git-credentials` file (`https://user:token@host`).',
    severity: 'critical',
    category: 'credential-file-entry',
    keywords: ['://'],
    paths: ['**/.git-credentials', '**/git-credentials'],
    pattern: /:\/\/(?=(?<user>[^:@/\s]{0,128}):(?<secret>[^@/\s]{1,255})@)/,
    confirm: (match) => realValue(match.secret),
    remediation: 'Revoke the token, remove the file from the repository and its history, and use a credential helper with an OS keychain.',
    samples: {
      positive: () => [sample('.git-credentials', `https://ci-bot:${password()}@git.internal.net`)],
      negative: () => [sample('.git-credentials', 'https://user:<token>@github.com')],
    },
  },
  {
    id: 'htpasswd-hash',
    title: 'htpasswd password hash',
    description:
      'An Apache/nginx htpasswd line or Traefik basic-auth user (`user:$apr1$…`, `user:$2y$…`, `user:{SHA}…`). Hashes can be cracked offline, especially of weak passwords.',
    severity: 'medium',
    category: 'credential-file-entry',
    keywords: ['$apr1$', '$2y$', '$2a$', '$2b$', '{sha}'],
    pattern:
      /(?<=[A-Za-z0-9._@-]):(?=(?<secret>\$\$?(?:apr1|2[aby])\$\$?[./A-Za-z0-9$]{20,100}|\{SHA\}[A-Za-z0-9+/]{27}=))/,
    remediation: 'Change the affected passwords, keep the htpasswd file out of the repository and mount it from a secret.',
    samples: {
      positive: () => [
        sample('nginx/.htpasswd', `admin:$apr1$${random(CRYPT_SALT, 8)}$${random(CRYPT_SALT, 22)}`),
        sample('docker-compose.yml', `      - "traefik.http.middlewares.auth.basicauth.users=ops:$$2y$$05$$${random(CRYPT_SALT, 53)}"`),
      ],
      negative: () => [sample('db/seeds.yml', `password_hash: "$2b$12$${random(CRYPT_SALT, 53)}"`)],
    },
  },
  {
    id: 'shadow-hash',
    title: 'Unix shadow password hash',
    description: 'An /etc/shadow line with a crypt hash (`user:$6$…:19000:0:99999:7:::`).',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['$6$', '$5$', '$1$', '$y$'],
    pattern: /(?<=[a-z_][a-z0-9_-]{0,31}):(?=(?<secret>\$(?:1|5|6|y)\$[./A-Za-z0-9$]{8,200}):[0-9]{0,6}:)/,
    remediation: 'Change the affected account passwords and build images with locked accounts or keys instead of baked-in hashes.',
    samples: {
      positive: () => [sample('image/rootfs/etc/shadow', `deploy:$6$${random(CRYPT_SALT, 16)}$${random(CRYPT_SALT, 86)}:19700:0:99999:7:::`)],
      negative: () => [sample('image/rootfs/etc/shadow', 'deploy:!:19700:0:99999:7:::')],
    },
  },
];
