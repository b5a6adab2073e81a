import type { RuleMatch, SecretRule } from '../rule.js';
import { assignmentOf, isMetadataKey } from './context.js';
import { ASSIGN, BASE62, mixed, sample } from './support.js';

/**
 * Known default and stock passwords, matched exactly (case-sensitive: `Password` in a UI label file
 * is a label, `password` in a compose file is a credential). Each entry is a product default, a value
 * from official image docs that gets copied into real configs, or a top entry of every common-password
 * list. `test`, `demo` and `user` are deliberately absent: too often legitimate values in fixtures.
 */
export const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set([
  // Generic stock values
  'admin', 'Admin', 'administrator', 'admin123', 'admin1234', 'password', 'Password', 'password1', 'Password1',
  'password123', 'Password123', 'passw0rd', 'Passw0rd', 'P@ssw0rd', 'P@ssword', 'pass', 'pass123', 'pa55word',
  'changeme', 'ChangeMe', 'change_me', 'changeme123', 'secret', 'supersecret', 'letmein', 'welcome', 'default',
  'qwerty', '123456', '1234567', '12345678', '123456789', '1234', '12345', 'root', 'toor',
  // Product defaults
  'guest', // RabbitMQ guest/guest
  'postgres', // PostgreSQL images and tutorials
  'mysecretpassword', // the postgres image's documented example
  'example', // the mysql/mariadb/mongo images' documented compose example
  'mysql',
  'minioadmin', // MinIO
  'foobared', // Redis' sample requirepass
  'tomcat', 's3cret', // Tomcat's tomcat-users.xml samples
  'changeit', // Java cacerts keystore
  'elastic', // Elasticsearch / Kibana samples
  'neo4j', // Neo4j
  'vagrant', // Vagrant boxes
  'raspberry', // Raspberry Pi OS (pi user)
  'oracle', // Oracle XE images
  'airflow', // Apache Airflow compose quick start
  'sonar', // SonarQube
  'Harbor12345', // Harbor
  'keycloak', // Keycloak quick starts
  'rabbitmq',
]);

/** Keys that hold a password, token or secret (`POSTGRES_PASSWORD`, `spring.datasource.password`, `VAULT_TOKEN`). */
const CREDENTIAL_KEY = /(?:passw(?:or)?d|pass|pwd|secret|token|credentials?)$|(?:^|[_.-])(?:passw(?:or)?d|pass|pwd|secret|token)(?:[_.-]|$)/i;

/** `config.sample.yml`, `settings.example.json`, `app.template.env`: templates whose defaults readers replace. */
const TEMPLATE_NAME = /(?:^|[._-])(?:example|sample|template|tmpl|dist)\.[^/]+$/i;

const isTemplate = (file: string): boolean => TEMPLATE_NAME.test(file.slice(file.lastIndexOf('/') + 1));

/** A known default, in a real configuration file (the engine also drops templates and docs). */
const isDefaultIn = (value: string, file: string): boolean => DEFAULT_PASSWORDS.has(value) && !isTemplate(file);

function credentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key) && !isMetadataKey(key);
}

/** A default value assigned to a credential key (the engine keeps only literals, and no locale strings). */
function defaultAssignment(match: RuleMatch): boolean {
  if (!isDefaultIn(match.secret, match.file)) return false;
  const assignment = assignmentOf(match.line, match.secret);
  return assignment !== undefined && !assignment.comparison && credentialKey(assignment.key);
}

/** The value follows a `--…password` style flag or a `requirepass`/`masterauth` directive. */
function flagOrDirective(match: RuleMatch): boolean {
  const value = match.secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|\\s)(?:--?[A-Za-z-]*(?:passwd|password|pass|pwd)|requirepass|masterauth)[ \\t]+["']?${value}(?:["'\\s]|$)`).test(match.line);
}

const remediation =
  'Replace the default with a generated secret delivered at deploy time (secret manager, CI secret, Kubernetes Secret), and change it on every system that already uses it.';

/** Values are bounded to 40 characters: no default password is longer. */
const VALUE = `[^\\s"'\`,;<>]{1,40}`;
const VALUE_END = `(?![^\\s"'\`,;<>])`;

export const defaultCredentialRules: SecretRule[] = [
  {
    id: 'default-credential-env-assignment',
    title: 'Default credential in configuration',
    description:
      'A known default password (admin, changeme, postgres, minioadmin, root, …) assigned to a password, token or secret key in .env, compose, Kubernetes, YAML, JSON, properties, INI, XML attributes or code.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['pass', 'pwd', 'secret', 'token'],
    pattern: new RegExp(`(?:passw(?:or)?d|pass|pwd|secret|token)(?=[A-Za-z0-9_.-]{0,30}${ASSIGN}(?<secret>${VALUE})${VALUE_END})`, 'i'),
    confirm: defaultAssignment,
    remediation,
    samples: {
      positive: () => [
        sample('.env', `POSTGRES_PASSWORD=${'postgres'}`),
        sample('docker-compose.yml', `      GF_SECURITY_ADMIN_PASSWORD: ${'admin'}`),
        sample('docker-compose.yml', `      - MINIO_ROOT_PASSWORD=${'minioadmin'}`),
        sample('docker-compose.yml', `      RABBITMQ_DEFAULT_PASS: "${'guest'}"`),
        sample('src/main/resources/application.properties', `spring.datasource.password=${'root'}`),
        sample('config/settings.json', `{ "db": { "${'password'}": "${'changeme'}" } }`),
        sample('deploy/vault.env', `VAULT_TOKEN=${'root'}`),
        sample('config/es.yml', `elasticsearch.password: ${'changeme'}`),
        sample('conf/tomcat-users.xml', `<user username="tomcat" password="${'s3cret'}" roles="manager-gui"/>`),
        sample('app/db.py', `DATABASE = {"USER": "app", "PASSWORD": "${'password'}"}`),
      ],
      negative: () => [
        sample('.env', `POSTGRES_PASSWORD=\${POSTGRES_PASSWORD}`),
        sample('.env', `POSTGRES_PASSWORD=${mixed(BASE62, 12)}`),
        sample('src/auth.ts', 'user.password = password;'),
        sample('src/auth.py', `if ${'password'} == "${'admin'}":`),
        sample('locales/en.yml', 'password: Password'),
        sample('docker-compose.yml', '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password'),
        sample('docker-compose.yml', `      MINIO_ROOT_USER: ${'minioadmin'}`),
        sample('src/form.tsx', `<input type="${'password'}" name="${'password'}" />`),
        sample('config/app.sample.yml', `  password: ${'admin'}`),
      ],
    },
  },
  {
    id: 'default-credential-kubernetes-env',
    title: 'Default credential in a Kubernetes env entry',
    description: 'A Kubernetes container env entry (`- name: …PASSWORD` / `value: …`) holding a known default password.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['pass', 'pwd', 'secret', 'token'],
    pattern: /(?:passw(?:or)?d|pass|pwd|secret|token)(?=[A-Za-z0-9_]{0,30}["']?[ \t]*\r?\n[ \t]{1,40}value:[ \t"']{1,6}(?<secret>[^\s"']{1,40}))/i,
    confirm: (match) => isDefaultIn(match.secret, match.file),
    remediation,
    samples: {
      positive: () => [
        sample('k8s/db.yaml', `        env:\n          - name: POSTGRES_PASSWORD\n            value: ${'postgres'}\n`),
        sample('k8s/grafana.yaml', `        - name: GF_SECURITY_ADMIN_PASSWORD\n          value: "${'admin'}"`),
      ],
      negative: () => [
        sample('k8s/db.yaml', '          - name: POSTGRES_PASSWORD\n            valueFrom:\n              secretKeyRef:\n                name: db\n'),
        sample('k8s/db.yaml', `          - name: POSTGRES_USER\n            value: ${'postgres'}\n`),
      ],
    },
  },
  {
    id: 'default-credential-url',
    shape: 'structure',
    title: 'Default credential in a URL',
    description:
      'A URL with inline credentials whose password is a known default or equals the user name (postgres/postgres in a PostgreSQL URL, guest/guest in an AMQP URL).',
    severity: 'high',
    category: 'default-credential',
    keywords: ['://'],
    pattern: /:\/\/(?=(?<user>[^:@/\s"'`]{0,64}):(?<secret>[^@/\s"'`]{1,64})@[A-Za-z0-9[])/,
    confirm: (match) => {
      const user = match.groups.user ?? '';
      // `user:password@` and `username:pass@` are how docs write "your credentials here".
      if (/^(?:user(?:name)?|login|name|usr)$/i.test(user) && /^(?:pass(?:word)?|pwd|secret)$/i.test(match.secret)) return false;
      return isDefaultIn(match.secret, match.file) || (user.length > 0 && match.secret === user && !isTemplate(match.file));
    },
    remediation,
    samples: {
      positive: () => [
        sample('.env', `DATABASE_URL=postgres://postgres:${'postgres'}@db:5432/app`),
        sample('docker-compose.yml', `      AMQP_URL: amqp://guest:${'guest'}@rabbitmq:5672/`),
        sample('config/app.yml', `mongo_uri: mongodb://root:${'example'}@mongo:27017/admin`),
        sample('settings.py', `BROKER = "redis://:${'foobared'}@redis:6379/0"`),
        sample('.env', `DATABASE_URL=mysql://shop:${'shop'}@mysql/shop`),
      ],
      negative: () => [
        sample('.env', `DATABASE_URL=postgres://app:\${DB_PASSWORD}@db:5432/app`),
        sample('src/db.ts', `// e.g. postgres://user:${'password'}@localhost/db`),
        sample('.env', `DATABASE_URL=postgres://app:${mixed(BASE62, 12)}@db:5432/app`),
      ],
    },
  },
  {
    id: 'default-credential-compose-fallback',
    shape: 'structure',
    title: 'Default credential as a variable fallback',
    description:
      'A compose or shell fallback that supplies a known default when the variable is unset (`${DB_PASSWORD:-…}` with changeme, postgres, …): a missing secret silently becomes a public one.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['${'],
    pattern: /\$\{(?=(?<key>[A-Za-z_][A-Za-z0-9_]{0,60}):?[-=](?<secret>[^}\s]{1,40})\})/,
    confirm: (match) => credentialKey(match.groups.key ?? '') && isDefaultIn(match.secret, match.file),
    remediation: 'Drop the fallback and fail when the variable is unset: `${DB_PASSWORD:?DB_PASSWORD is required}`.',
    samples: {
      positive: () => [
        sample('docker-compose.yml', `      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-${'postgres'}}`),
        sample('docker-compose.yml', `      - ADMIN_PASSWORD=\${ADMIN_PASSWORD:-${'changeme'}}`),
        sample('scripts/start.sh', `export REDIS_PASSWORD="\${REDIS_PASSWORD-${'foobared'}}"`),
      ],
      negative: () => [
        sample('docker-compose.yml', `      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?required}`),
        sample('docker-compose.yml', `      POSTGRES_USER: \${POSTGRES_USER:-postgres}`),
      ],
    },
  },
  {
    id: 'default-credential-vault-dev-root-token',
    title: 'Vault dev-server root token',
    description:
      'A Vault dev server root token (the `-dev-root-token-id` flag of `vault server -dev`, or `VAULT_DEV_ROOT_TOKEN_ID`). Dev mode keeps everything in memory with a known root token; it must never back a real deployment.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['dev-root-token', 'dev_root_token'],
    // A token id is a word of letters, digits and `._~-`: not `))`, `\\`, `,` or the start of an expression.
    pattern: /dev[-_]root[-_]token[-_]id(?=["']?(?:[ \t]{0,4}[:=][ \t]{0,4}|[ \t]{1,4})["']?(?<secret>[A-Za-z0-9][A-Za-z0-9._~-]{0,63})(?![^\s"'`,;)\]}]))/i,
    // Words of the prose around a flag or variable name, not an id.
    allow: [/^(?:value|values|variable|flag|option|setting|string|env|here|is|to|the|and|or)$/i],
    remediation: 'Run Vault with real storage and an initialized, unsealed cluster; issue scoped tokens instead of a root token.',
    samples: {
      positive: () => [
        sample('docker-compose.yml', `    command: vault server -dev -dev-root-token-id=${'root'}`),
        sample('docker-compose.yml', `      VAULT_DEV_ROOT_TOKEN_ID: "${'root'}"`),
        sample('.github/workflows/it.yml', `          VAULT_DEV_ROOT_TOKEN_ID: ${'dev-only-token'}`),
      ],
      negative: () => [
        sample('docker-compose.yml', '      VAULT_DEV_ROOT_TOKEN_ID: ${VAULT_DEV_TOKEN}'),
        sample('test/helpers.py', 'token = os.environ.get("VAULT_DEV_ROOT_TOKEN_ID"))'),
        sample('scripts/dev.sh', 'vault server -dev -dev-root-token-id \\'),
        sample('k8s/vault.json', '{"name": "VAULT_DEV_ROOT_TOKEN_ID", "value": "$(TOKEN)"}'),
        sample('docs/vault.md', 'Set the VAULT_DEV_ROOT_TOKEN_ID value before starting.'),
        sample('src/vault.go', 'token := env["VAULT_DEV_ROOT_TOKEN_ID"], value'),
      ],
    },
  },
  {
    id: 'default-credential-xml-element',
    title: 'Default credential in an XML element',
    description:
      'A known default password in an XML `password` element (Maven settings, Tomcat) or a .NET `add` element whose key names a password.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['pass', 'pwd'],
    pattern: /(?:passw(?:or)?d|pass|pwd)(?=[A-Za-z0-9_.-]{0,30}(?:>|"[ \t]{1,4}value=")(?<secret>[^<"\s]{1,40})(?:<\/|"))/i,
    confirm: (match) => isDefaultIn(match.secret, match.file),
    remediation,
    samples: {
      positive: () => [
        sample('.m2/settings.xml', `      <password>${'admin123'}</password>`),
        sample('web.config', `    <add key="DbPassword" value="${'changeme'}" />`),
      ],
      negative: () => [
        sample('.m2/settings.xml', `      <password>\${env.NEXUS_PASSWORD}</password>`),
        sample('web.config', `    <add key="DbPassword" value="${mixed(BASE62, 12)}" />`),
      ],
    },
  },
  {
    id: 'default-credential-cli-argument',
    title: 'Default credential on a command line',
    description:
      'A known default password passed as a command-line flag (`--password`, `--admin-password`) or a Redis `requirepass`/`masterauth` directive.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['pass', 'pwd', 'masterauth'],
    // Only the space-separated form: `--password=admin` is an assignment, reported by the env-assignment rule.
    pattern: /(?:passwd|password|pass|pwd|requirepass|masterauth)(?=[ \t]{1,4}["']?(?<secret>[^\s"'`=-][^\s"'`]{0,39})(?![^\s"'`]))/,
    confirm: (match) => isDefaultIn(match.secret, match.file) && flagOrDirective(match),
    remediation,
    samples: {
      positive: () => [
        sample('docker-compose.yml', `    command: redis-server --requirepass ${'foobared'}`),
        sample('redis.conf', `requirepass ${'foobared'}`),
        sample('scripts/create-admin.sh', `superset fab create-${'admin'} --username ${'admin'} --${'password'} ${'admin'}`),
      ],
      negative: () => [
        sample('scripts/seed.sh', `mysql --user ${'root'} --${'password'} "$MYSQL_ROOT_PASSWORD" ${'shop'} < seed.sql`),
        sample('scripts/create-admin.sh', `create-${'admin'} --username ${'admin'} --${'password'} "$ADMIN_PASSWORD"`),
      ],
    },
  },
  {
    id: 'default-credential-auth-disabled',
    title: 'Authentication disabled by configuration',
    description:
      'Database authentication switched off (`MYSQL_ALLOW_EMPTY_PASSWORD` or `ALLOW_EMPTY_PASSWORD` set to yes, `POSTGRES_HOST_AUTH_METHOD` set to trust): anyone who reaches the port is in.',
    severity: 'high',
    category: 'default-credential',
    keywords: ['allow_empty', 'host_auth_method'],
    pattern: /(?:allow_empty(?:_root)?_password|host_auth_method)(?=["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>yes|true|1|trust)(?![A-Za-z0-9]))/i,
    remediation: 'Set a generated password from a secret instead, and keep these switches out of anything reachable.',
    samples: {
      positive: () => [
        sample('docker-compose.yml', `      MYSQL_ALLOW_EMPTY_PASSWORD: "${'yes'}"`),
        sample('docker-compose.yml', `      - POSTGRES_HOST_AUTH_METHOD=${'trust'}`),
        sample('.env', `ALLOW_EMPTY_PASSWORD=${'yes'}`),
      ],
      negative: () => [sample('docker-compose.yml', '      POSTGRES_HOST_AUTH_METHOD: scram-sha-256')],
    },
  },
];
