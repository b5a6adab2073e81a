import type { RuleMatch, SecretRule } from '../rule.js';
import { isPlaceholder, isReference } from './context.js';
import { BASE62, mixed, sample } from './support.js';

/**
 * Passwords written into a command line (scripts, Makefiles, CI steps, compose `command:`). Weak values
 * count too: a `-proot` in a script is the account's real password.
 */

const password = (): string => `${mixed(BASE62, 8)}-${mixed(BASE62, 4)}`;
const literal = (value: string): boolean => !isReference(value) && !isPlaceholder(value) && !/[$`]/.test(value.slice(0, 1));

/** The MySQL/MariaDB clients: `-p` takes its value attached, never as the next word. */
const MYSQL_CLIENT = /(?:^|[\s/"'(=])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mariadb|mariadb-dump|mariadb-admin)(?:\s[^|;&]*)?$/;

function afterMysqlClient(match: RuleMatch): boolean {
  const at = match.line.search(new RegExp(`\\s-p['"]?${match.secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return at > 0 && MYSQL_CLIENT.test(match.line.slice(0, at));
}

export const commandLineRules: SecretRule[] = [
  {
    id: 'mysql-cli-password',
    shape: 'structure',
    title: 'MySQL password on a command line',
    description: 'A password attached to the `-p` flag of `mysql`, `mysqldump`, `mysqladmin` or the MariaDB clients (`-proot`, `-p\'…\'`).',
    severity: 'high',
    category: 'generic-secret',
    keywords: ['mysql', 'mariadb'],
    pattern: /(?<=[ \t]-p)(?=['"]?(?<secret>[^\s'"`$-][^\s'"`]{0,99}))/,
    confirm: (match) => literal(match.secret) && afterMysqlClient(match),
    remediation: 'Change the password and pass it through `MYSQL_PWD`, an option file (`--defaults-extra-file`) or a prompt, never on the command line.',
    samples: {
      positive: () => [
        sample('scripts/backup.sh', `mysqldump -u backup -p'${password()}' shop > shop.sql`),
        sample('docker-compose.yml', `    command: sh -c "mysql -uroot -p${'root'} < /seed/init.sql"`),
        sample('Makefile', `\tmysqladmin -h db -u root -p"${password()}" create shop`),
      ],
      negative: () => [
        sample('scripts/backup.sh', 'mysqldump -u backup -p"$DB_PASSWORD" shop > shop.sql'),
        sample('scripts/backup.sh', 'mysql -u root -p shop < seed.sql'),
        sample('scripts/build.sh', `mkdir -p ${password()}`),
      ],
    },
  },
  {
    id: 'curl-user-password',
    shape: 'structure',
    title: 'Password in a curl -u argument',
    description: 'A `user:password` pair passed to `curl -u`/`--user` (or `wget --password`-style HTTP basic auth) as a literal.',
    severity: 'high',
    category: 'generic-secret',
    keywords: ['curl'],
    pattern: /(?<=[ \t](?:-u|--user))(?=[ \t]{1,4}['"]?(?<user>[^\s:'"$]{1,64}):(?<secret>[^\s'"`@]{1,128})['"]?(?![^\s]))/,
    confirm: (match) => literal(match.secret) && /(?:^|[\s/"'(])curl\s/.test(match.line),
    remediation: 'Change the password and give curl the credential from a `.netrc` outside the repository or an environment variable.',
    samples: {
      positive: () => [
        sample('scripts/publish.sh', `curl -fsS -u deploy:${password()} -T app.tgz https://repo.internal/upload/`),
        sample('.github/workflows/release.yml', `        run: curl --user "ci:${password()}" https://nexus.internal/service/rest/v1/status`),
      ],
      negative: () => [
        sample('scripts/publish.sh', 'curl -fsS -u "deploy:$REPO_PASSWORD" -T app.tgz https://repo.internal/upload/'),
        sample('scripts/publish.sh', 'curl -u "$USER:$TOKEN" https://repo.internal/'),
      ],
    },
  },
];
