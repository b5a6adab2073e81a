import type { RuleMatch, SecretRule } from '../rule.js';
import { isPlaceholder, isReference } from './context.js';
import { DEFAULT_PASSWORDS } from './default-credentials.js';
import { BASE62, mixed, sample } from './support.js';

/** After `scheme://`: an optional user, `:`, the password, `@`, then a host. */
const CREDENTIALS = `(?<user>[^:@/\\s"'\`]{0,64}):(?<secret>[^@/\\s"'\`]{1,128})@[A-Za-z0-9[]`;

/**
 * A real inline password: not a reference or placeholder, and not a default (or user == password),
 * which the default-credential-url rule reports instead.
 */
function realPassword(match: RuleMatch): boolean {
  const { secret } = match;
  const user = match.groups.user ?? '';
  if (isReference(secret) || isPlaceholder(secret) || /^%\(|^\{|^\$/.test(secret)) return false;
  if (DEFAULT_PASSWORDS.has(secret) || secret === user) return false;
  if (/^(?:user(?:name)?|login|name|usr)$/i.test(user) && /^(?:pass(?:word)?|pwd|secret)$/i.test(secret)) return false;
  return true;
}

/** `scheme://user:password@host`; the scheme is read behind the anchor so each rule can check it. */
const URL_WITH_CREDENTIALS = new RegExp(
  `(?<=(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]{1,30})):\\/\\/(?=${CREDENTIALS})`,
);

/** Schemes the specific rules above report. */
const DATABASE_SCHEME = /^(?:postgres(?:ql)?|mysql|mariadb|mongodb|redis|amqp)(?:\+|s$|$)/i;

const password = (): string => mixed(BASE62, 10) + '-' + mixed(BASE62, 6);

function urlRule(
  id: string,
  title: string,
  scheme: RegExp,
  keywords: string[],
  example: (pw: string) => { file: string; text: string },
): SecretRule {
  return {
    id,
    title,
    description: `A ${title.replace(/ URL.*/, '')} connection URL with an inline password.`,
    severity: 'critical',
    category: 'connection-string',
    keywords,
    pattern: URL_WITH_CREDENTIALS,
    confirm: (match) => scheme.test(match.groups.scheme ?? '') && realPassword(match),
    remediation: 'Change the database password, and build the URL at run time from a secret (or use IAM/managed-identity authentication).',
    samples: {
      positive: () => [example(password())],
      negative: () => [example('${DB_PASSWORD}'), example('<password>')],
    },
  };
}

export const connectionStringRules: SecretRule[] = [
  urlRule('postgres-url-password', 'PostgreSQL URL with password', /^postgres(?:ql)?(?:\+|$)/i, ['postgres'], (pw) =>
    sample('.env', `DATABASE_URL=postgresql://shop_app:${pw}@db.internal:5432/shop`),
  ),
  urlRule('mysql-url-password', 'MySQL URL with password', /^(?:mysql|mariadb)(?:\+|$)/i, ['mysql', 'mariadb'], (pw) =>
    sample('config/database.yml', `  url: mysql://rails:${pw}@mysql.internal/app_production`),
  ),
  urlRule('mongodb-url-password', 'MongoDB URL with password', /^mongodb(?:\+srv)?$/i, ['mongodb'], (pw) =>
    sample('src/db.js', `mongoose.connect("mongodb+srv://api:${pw}@cluster0.abcde.mongodb.net/prod");`),
  ),
  urlRule('redis-url-password', 'Redis URL with password', /^rediss?$/i, ['redis'], (pw) =>
    sample('settings.py', `CACHE_URL = "rediss://default:${pw}@cache.internal:6380/0"`),
  ),
  urlRule('amqp-url-password', 'AMQP URL with password', /^amqps?$/i, ['amqp'], (pw) =>
    sample('worker/.env', `BROKER_URL=amqps://worker:${pw}@mq.internal:5671/prod`),
  ),
  {
    id: 'url-with-credentials',
    title: 'URL with inline credentials',
    description: 'Any other URL carrying `user:password@` (HTTP basic auth, FTP, SMTP, LDAP, SQL Server, …).',
    severity: 'high',
    category: 'connection-string',
    keywords: ['://'],
    pattern: URL_WITH_CREDENTIALS,
    confirm: (match) => !DATABASE_SCHEME.test(match.groups.scheme ?? '') && realPassword(match),
    remediation: 'Revoke or change the credential and pass it separately (auth header from a secret, credential helper), never in the URL.',
    samples: {
      positive: () => [
        sample('scripts/fetch.sh', `curl -fsSL https://deploy:${password()}@artifacts.internal/releases/app.tgz -o app.tgz`),
        sample('config/mail.yml', `smtp_url: smtps://alerts:${password()}@smtp.mailhost.net:465`),
      ],
      negative: () => [
        sample('scripts/fetch.sh', 'curl https://$USER:$TOKEN@artifacts.internal/app.tgz'),
        sample('docs/setup.txt', 'git clone https://user:password@git.host/repo.git'),
        sample('src/links.ts', 'const docs = "https://example.org/path?x=1";'),
      ],
    },
  },
  {
    id: 'connection-string-password',
    title: 'Password in a key=value connection string',
    description: 'A `Password=`/`Pwd=` field in an ADO.NET, ODBC or JDBC connection string.',
    severity: 'critical',
    category: 'connection-string',
    keywords: ['password=', 'pwd='],
    pattern: /(?<![A-Za-z0-9_.-])(?:password|pwd)=(?=(?<secret>[^;&\s"'<>]{4,128})(?:[;&"'\s]|$))/i,
    confirm: (match) =>
      /(?:server|data source|host|hostname|jdbc:|initial catalog|database|uid|user id|user)=?/i.test(match.line.replace(match.secret, '')) &&
      /[;&]/.test(match.line) &&
      !isReference(match.secret) &&
      !isPlaceholder(match.secret) &&
      !DEFAULT_PASSWORDS.has(match.secret),
    remediation: 'Change the password and load the connection string from a secret store (or use integrated / managed-identity authentication).',
    samples: {
      positive: () => [
        sample('appsettings.json', `"Default": "Server=sql.internal;Database=Shop;User Id=shop;Password=${password()};"`),
        sample('src/main/resources/db.properties', `jdbc.url=jdbc:sqlserver://sql.internal:1433;databaseName=shop;user=shop;password=${password()}`),
      ],
      negative: () => [
        sample('appsettings.json', '"Default": "Server=sql.internal;Database=Shop;User Id=shop;Password={DB_PASSWORD};"'),
        sample('appsettings.json', '"Default": "Server=sql.internal;Database=Shop;User Id=shop;Password=<password>;"'),
      ],
    },
  },
];
