import type { SecretRule } from '../rule.js';
import { isPlaceholder, isReference } from './context.js';
import { BASE62, BASE64, mixed, random, sample } from './support.js';

const CRYPT_SALT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const password = (): string => mixed(BASE62, 14);
/** WordPress's salt generator draws from printable ASCII without quotes or backslashes. */
const WP_SALT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~+=,.;:/?|';
const bcrypt = (): string => `$2y$12$${random(CRYPT_SALT, 53)}`;
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
  {
    id: 'sql-password-hash',
    title: 'Password hash in a SQL file',
    description:
      'A crypt or bcrypt password hash (`$2y$…`, `$6$…`, `$apr1$…`) as a quoted value in a SQL dump or seed (`INSERT INTO users … VALUES (…, \'$2y$12$…\')`). Hashes of real accounts can be cracked offline.',
    severity: 'medium',
    category: 'credential-file-entry',
    keywords: ['$2y$', '$2a$', '$2b$', '$1$', '$5$', '$6$', '$apr1$'],
    paths: ['**/*.sql', '**/*.sql.txt', '**/*.dump'],
    pattern: /(?<=['"])(?=(?<secret>\$(?:2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}|(?:1|5|6|apr1)\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}))['"])/,
    remediation: 'Remove the dump from the repository and its history, and reset the passwords of the accounts it holds; seed development databases with generated accounts.',
    samples: {
      positive: () => [
        sample('db/dump.sql', `INSERT INTO \`accounts\` (\`id\`, \`login\`, \`password\`) VALUES\n(1, 'ops', '${bcrypt()}'),\n(2, 'dev', '${bcrypt()}');`),
        sample('backup/users.sql', `INSERT INTO users VALUES (7, "root", "$6$${random(CRYPT_SALT, 16)}$${random(CRYPT_SALT, 86)}");`),
      ],
      negative: () => [
        sample('db/schema.sql', 'CREATE TABLE accounts (id int, password varchar(60) DEFAULT NULL);'),
        sample('db/seeds.yml', `password_hash: "${bcrypt()}"`),
      ],
    },
  },
  {
    id: 'wordpress-auth-key',
    title: 'WordPress authentication key or salt',
    description:
      'A WordPress `AUTH_KEY`, `SECURE_AUTH_KEY`, `LOGGED_IN_KEY`, `NONCE_KEY` or matching `*_SALT` defined with a literal (wp-config.php). Anyone holding them can forge login cookies.',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['_key', '_salt'],
    paths: ['**/*.php'],
    pattern: /define\([ '"]{1,2}(?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)[ ,'"]{2,26}'(?=(?<secret>[^'\\\n]{16,128})')/,
    minEntropy: 3.5,
    confirm: (match) => realValue(match.secret) && !/unique phrase/i.test(match.secret),
    remediation: 'Generate new keys and salts (https://api.wordpress.org/secret-key/1.1/salt/), which logs every user out, and load them from the environment.',
    samples: {
      positive: () => [
        sample('wp-config.php', `define('AUTH_KEY',         '${mixed(WP_SALT, 64)}');`),
        sample('public_html/wp-config.php', `define( 'NONCE_SALT', '${mixed(WP_SALT, 64)}' );`),
      ],
      negative: () => [
        sample('wp-config-sample.php', "define( 'AUTH_KEY',         'put your unique phrase here' );"),
        sample('wp-config.php', "define( 'AUTH_KEY', getenv('WP_AUTH_KEY') );"),
      ],
    },
  },
  {
    id: 'filezilla-password',
    title: 'FileZilla saved password',
    description: 'A `<Pass>` element of a FileZilla `sitemanager.xml`, `recentservers.xml` or `filezilla.xml`: a server password, in clear or base64.',
    severity: 'critical',
    category: 'credential-file-entry',
    keywords: ['<pass'],
    paths: ['**/*.xml'],
    pattern: /<Pass(?: encoding="base64")?>(?=(?<secret>[^<\s]{1,400})<\/Pass>)/,
    confirm: (match) => realValue(match.secret),
    remediation: 'Change the server passwords, remove the FileZilla file from the repository and its history, and use key authentication.',
    samples: {
      positive: () => [
        sample('filezilla/recentservers.xml', `\t\t\t<Pass encoding="base64">${Buffer.from(password()).toString('base64')}</Pass>`),
        sample('config/sitemanager.xml', `      <Pass>${password()}</Pass>`),
      ],
      negative: () => [sample('config/sitemanager.xml', '      <Pass />'), sample('docs/pass.xml', '<Password>see vault</Password>')],
    },
  },
  {
    id: 'firefox-saved-login',
    title: 'Firefox saved login',
    description:
      'An `encryptedUsername`/`encryptedPassword` of a Firefox `logins.json`. They are encrypted with the profile\'s `key4.db`, which often sits next to them and has no primary password.',
    severity: 'high',
    category: 'credential-file-entry',
    keywords: ['encrypted'],
    paths: ['**/logins.json'],
    pattern: /"encrypted(?:Username|Password)"[ \t]{0,4}:[ \t]{0,4}"(?=(?<secret>[A-Za-z0-9+/]{20,400}={0,2})")/,
    remediation: 'Remove the browser profile from the repository and its history, and change the passwords it stored.',
    samples: {
      positive: () => [
        sample('.mozilla/firefox/abc.default/logins.json', `      "encryptedUsername": "${mixed(BASE64, 80)}",\n      "encryptedPassword": "${mixed(BASE64, 80)}",`),
      ],
      negative: () => [sample('src/logins.json', '{ "encryptedPassword": "" }'), sample('data/export.json', `"encryptedPassword": "${mixed(BASE64, 80)}"`)],
    },
  },
];
