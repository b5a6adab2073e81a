// Generates a realistic evaluation repository: ordinary source and config files with planted
// secrets (the ground truth) and decoys that look like secrets but are not. Every token is built
// here at run time from a seeded generator; nothing secret-shaped is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// ---------- deterministic randomness (a seed makes runs comparable) ----------
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chars = (set, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += set[int(set.length)];
    return s;
  };
  return { next, int, pick, chars, chance: (p) => next() < p };
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const B62 = DIGITS + UPPER + LOWER;
const HEX = '0123456789abcdef';
const B64 = UPPER + LOWER + DIGITS + '+/';
const B64URL = UPPER + LOWER + DIGITS + '-_';
const B32 = UPPER + '234567';

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(s) {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function b62(n, w) {
  let s = '';
  while (n > 0) {
    s = B62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s.padStart(w, '0');
}

// ---------- secret makers ----------
function makers(r) {
  const body = (set, n) => r.chars(set, n);
  const checksummed = (prefix) => {
    const b = body(B62, 30);
    return prefix + b + b62(crc32(b), 6);
  };
  const humanPassword = () =>
    r.pick([
      () => `${r.pick(['Summer', 'Winter', 'Blue', 'River', 'Tiger', 'Falcon', 'Maple', 'Orbit'])}${r.pick(['!', '#', '-', '_', '.'])}${body(DIGITS, 4)}${r.pick(['Qx', 'zR', 'Lm', 'Tp'])}`,
      () => body(B62, 14 + r.int(8)),
      () => `${body(B62, 6)}-${body(B62, 6)}-${body(B62, 4)}`,
      () => `${body(LOWER, 5)}${body(DIGITS, 3)}${r.pick(['$', '%', '&', '@', '!'])}${body(UPPER, 3)}${body(LOWER, 3)}`,
    ])();
  const pemBody = (lines, width = 64) => Array.from({ length: lines }, () => body(B64, width));
  const jwt = (claims) => {
    const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: r.pick(['HS256', 'RS256']), typ: 'JWT' })}.${enc(claims)}.${body(B64URL, 43)}`;
  };
  return {
    body,
    checksummed,
    humanPassword,
    pemBody,
    jwt,
    awsId: () => r.pick(['AKIA', 'AKIA', 'ASIA']) + body(B32, 16),
    awsSecret: () => body(B64, 40),
    githubClassic: () => checksummed(r.pick(['ghp_', 'ghp_', 'gho_', 'ghs_', 'ghu_'])),
    githubFine: () => `github_pat_${body(B62, 22)}_${body(B62, 59)}`,
    gitlab: () => `glpat-${body(B64URL.replace('-', '').replace('_', ''), 20)}`,
    slackBot: () => `xoxb-${body(DIGITS, 12)}-${body(DIGITS, 13)}-${body(B62, 24)}`,
    slackWebhook: () => `https://hooks.slack.com/services/T${body(UPPER + DIGITS, 10)}/B${body(UPPER + DIGITS, 10)}/${body(B62, 24)}`,
    stripeLive: () => `${r.pick(['sk', 'rk'])}_live_${body(B62, r.pick([24, 99]))}`,
    googleKey: () => `AIza${body(B64URL, 35)}`,
    azureConn: () => `DefaultEndpointsProtocol=https;AccountName=${body(LOWER, 10)};AccountKey=${body(B64, 86)}==;EndpointSuffix=core.windows.net`,
    vault: () => r.pick([() => `hvs.${body(B62, 24)}`, () => `hvs.CAESI${body(B64URL, 86)}`])(),
    npm: () => checksummed('npm_'),
    pypi: () => `pypi-AgEIcHlwaS5vcmc${body(B64URL, 150)}`,
    sendgrid: () => `SG.${body(B64URL, 22)}.${body(B64URL, 43)}`,
    twilioKey: () => `SK${body(HEX, 32)}`,
    mailgun: () => `key-${body(HEX, 32)}`,
    openai: () => `sk-proj-${body(B64URL, 74)}T3BlbkFJ${body(B64URL, 74)}`,
    anthropic: () => `sk-ant-api03-${body(B64URL, 93)}AA`,
    huggingface: () => `hf_${body(UPPER + LOWER, 34)}`,
    digitalocean: () => `dop_v1_${body(HEX, 64)}`,
    shopify: () => `shpat_${body(HEX, 32)}`,
    telegram: () => `${1 + r.int(8)}${body(DIGITS, 9)}:AA${body(B64URL, 33)}`,
    discordWebhook: () => `https://discord.com/api/webhooks/${body(DIGITS, 18)}/${body(B64URL, 68)}`,
    dockerHub: () => `dckr_pat_${body(B64URL, 27)}`,
    datadog: () => body(HEX, 32),
  };
}

// ---------- ordinary content ----------
const WORDS = ['user', 'order', 'invoice', 'cart', 'session', 'payment', 'report', 'account', 'product', 'catalog', 'shipment', 'audit', 'metric', 'event', 'queue', 'worker', 'cache', 'search', 'profile', 'billing'];
const VERBS = ['load', 'save', 'fetch', 'render', 'update', 'delete', 'create', 'sync', 'parse', 'validate', 'format', 'merge', 'compute', 'resolve', 'publish'];

function filler(r, kind, lines) {
  const w = () => r.pick(WORDS);
  const v = () => r.pick(VERBS);
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const out = [];
  const gens = {
    js: () =>
      r.pick([
        () => [`export async function ${v()}${cap(w())}(id, options = {}) {`, `  const ${w()} = await db.${w()}s.findOne({ id });`, `  if (!${w()}) throw new Error('${w()} not found: ' + id);`, `  return { ...options, updatedAt: Date.now() };`, '}', ''],
        () => [`import { ${v()}${cap(w())} } from './${w()}.js';`],
        () => [`// ${cap(v())} the ${w()} before the ${w()} is ${v()}d.`],
        () => [`const ${w()}Limit = ${r.int(1000)};`, `const ${w()}Label = '${cap(w())} ${w()}';`],
        () => [`app.get('/api/${w()}s/:id', async (req, res) => {`, `  res.json(await ${v()}${cap(w())}(req.params.id));`, '});', ''],
        () => [`  logger.info({ ${w()}Id: ${w()}.id, took: Date.now() - start }, '${w()} ${v()}d');`],
      ])(),
    py: () =>
      r.pick([
        () => [`def ${v()}_${w()}(${w()}_id: int, *, strict: bool = False) -> dict:`, `    """${cap(v())} a ${w()} by id."""`, `    record = session.get(${cap(w())}, ${w()}_id)`, `    if record is None and strict:`, `        raise LookupError(f"no ${w()} {${w()}_id}")`, '    return record.to_dict()', ''],
        () => [`from .${w()} import ${cap(w())}${cap(v())}er`],
        () => [`# ${cap(v())} ${w()}s in batches of ${r.int(500)}`],
        () => [`    log.debug("${w()} %s ${v()}d", ${w()}.id)`],
      ])(),
    go: () =>
      r.pick([
        () => [`func ${cap(v())}${cap(w())}(ctx context.Context, id string) (*${cap(w())}, error) {`, `\trow := db.QueryRowContext(ctx, "SELECT * FROM ${w()}s WHERE id = $1", id)`, `\tvar out ${cap(w())}`, '\tif err := row.Scan(&out.ID, &out.Name); err != nil {', `\t\treturn nil, fmt.Errorf("${v()} ${w()}: %w", err)`, '\t}', '\treturn &out, nil', '}', ''],
        () => [`// ${cap(v())}${cap(w())} ${v()}s the ${w()}.`],
      ])(),
    yaml: () =>
      r.pick([
        () => [`${w()}:`, `  ${w()}_limit: ${r.int(100)}`, `  ${w()}_name: ${w()}-${w()}`, `  enabled: ${r.pick(['true', 'false'])}`],
        () => [`# ${w()} settings`],
        () => [`${w()}_timeout: ${r.int(60)}s`],
      ])(),
    json: () => [`  "${w()}${cap(w())}": ${r.pick([`"${w()}"`, String(r.int(1000)), 'true', 'null'])},`],
    env: () => [`${w().toUpperCase()}_${r.pick(['PORT', 'HOST', 'LEVEL', 'ENABLED', 'LIMIT', 'NAME'])}=${r.pick([String(r.int(9000)), w(), 'true', `${w()}.internal`])}`],
    properties: () => [`${w()}.${w()}.${r.pick(['timeout', 'size', 'enabled', 'name'])}=${r.pick([String(r.int(100)), 'true', w()])}`],
    xml: () => [`    <${w()} name="${w()}" value="${r.int(100)}"/>`],
    md: () =>
      r.pick([
        () => [`## ${cap(v())} ${w()}s`, '', `The ${w()} service ${v()}s ${w()}s and ${v()}s the ${w()} cache.`, ''],
        () => ['```bash', `npm run ${v()}:${w()}`, '```', ''],
        () => [`- ${cap(w())}: ${v()}s the ${w()}`],
      ])(),
    ini: () => [`${w()}_${r.pick(['size', 'path', 'mode'])} = ${r.pick([String(r.int(100)), w()])}`],
    sh: () => [`echo "${v()}ing ${w()}s"`, `${v()}_${w()} "$${w().toUpperCase()}_DIR"`],
  };
  while (out.length < lines) out.push(...gens[kind]());
  return out;
}

// ---------- planting ----------
/**
 * Each plant gives the file kind, a file-name pattern and the lines to insert; `truth` marks real
 * secrets (with category and kind), otherwise the plant is a decoy.
 */
function plants(r, m) {
  const P = [];
  const secret = (category, kind, fileKind, name, lines) => P.push({ truth: true, category, kind, fileKind, name, lines });
  const decoy = (kind, fileKind, name, lines) => P.push({ truth: false, kind, fileKind, name, lines });
  const q = () => r.pick(['"', "'"]);
  const envName = (...names) => r.pick(names);

  // Provider tokens, in several contexts each.
  const token = (kind, make, keys) => {
    for (let i = 0; i < 6; i++) {
      const t = make();
      const key = r.pick(keys);
      r.pick([
        () => secret('provider', kind, 'env', '.env', [`${key}=${t}`]),
        () => secret('provider', kind, 'yaml', 'config/secrets.yml', [`${key.toLowerCase()}: ${t}`]),
        () => { const c = q(); secret('provider', kind, 'js', 'src/clients/client.js', [`const ${key.toLowerCase().replace(/_([a-z])/g, (_, x) => x.toUpperCase())} = ${c}${t}${c};`]); },
        () => { const c = q(); secret('provider', kind, 'py', 'app/settings.py', [`${key} = ${c}${t}${c}`]); },
        () => secret('provider', kind, 'sh', 'scripts/deploy.sh', [`export ${key}=${t}`]),
        () => secret('provider', kind, 'json', 'config/local.json', [`  "${key.toLowerCase()}": "${t}",`]),
        () => secret('provider', kind, 'tf', 'infra/prod.tfvars', [`${key.toLowerCase()} = "${t}"`]),
        () => secret('provider', kind, 'md', 'docs/runbook.md', ['```bash', `${key}=${t} ./deploy.sh`, '```'].slice(1, 2)),
        () => secret('provider', kind, 'go', 'internal/clients/config.go', [`\t${key.toLowerCase().replace(/_([a-z])/g, (_, x) => x.toUpperCase())}: "${t}",`]),
        () => secret('provider', kind, 'yaml', 'chart/values-prod.yaml', [`  ${key.toLowerCase().replace(/_([a-z])/g, (_, x) => x.toUpperCase())}: "${t}"`]),
      ])();
    }
  };
  token('aws-access-key-id', m.awsId, ['AWS_ACCESS_KEY_ID', 'AWS_KEY_ID']);
  token('github-token', m.githubClassic, ['GITHUB_TOKEN', 'GH_TOKEN', 'GH_PAT']);
  token('github-fine-grained', m.githubFine, ['GITHUB_TOKEN', 'RELEASE_TOKEN']);
  token('gitlab-pat', m.gitlab, ['GITLAB_TOKEN', 'CI_PUSH_TOKEN']);
  token('slack-bot', m.slackBot, ['SLACK_BOT_TOKEN', 'SLACK_TOKEN']);
  token('slack-webhook', m.slackWebhook, ['SLACK_WEBHOOK_URL', 'ALERT_WEBHOOK']);
  token('stripe-live', m.stripeLive, ['STRIPE_SECRET_KEY', 'STRIPE_KEY']);
  token('google-api-key', m.googleKey, ['GOOGLE_MAPS_KEY', 'FIREBASE_API_KEY']);
  token('vault-token', m.vault, ['VAULT_TOKEN', 'VAULT_SERVICE_TOKEN']);
  token('npm-token', m.npm, ['NPM_TOKEN', 'NODE_AUTH_TOKEN']);
  token('pypi-token', m.pypi, ['PYPI_TOKEN', 'TWINE_PASSWORD']);
  token('sendgrid', m.sendgrid, ['SENDGRID_API_KEY', 'MAIL_API_KEY']);
  token('mailgun', m.mailgun, ['MAILGUN_API_KEY']);
  token('openai', m.openai, ['OPENAI_API_KEY']);
  token('anthropic', m.anthropic, ['ANTHROPIC_API_KEY']);
  token('huggingface', m.huggingface, ['HF_TOKEN', 'HUGGINGFACE_TOKEN']);
  token('digitalocean', m.digitalocean, ['DO_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN']);
  token('shopify', m.shopify, ['SHOPIFY_ACCESS_TOKEN']);
  token('telegram', m.telegram, ['TELEGRAM_BOT_TOKEN', 'TG_BOT_TOKEN']);
  token('discord-webhook', m.discordWebhook, ['DISCORD_WEBHOOK_URL']);
  token('docker-hub', m.dockerHub, ['DOCKERHUB_TOKEN', 'DOCKER_PASSWORD']);
  token('twilio-api-key', m.twilioKey, ['TWILIO_API_KEY', 'TWILIO_API_SID']);
  token('datadog-api-key', m.datadog, ['DD_API_KEY', 'DATADOG_API_KEY']);
  for (let i = 0; i < 6; i++) {
    secret('provider', 'aws-secret-access-key', 'ini', '.aws/credentials', [`aws_secret_access_key = ${m.awsSecret()}`]);
    r.chance(0.5)
      ? secret('provider', 'azure-storage', 'json', 'appsettings.json', [`  "StorageConnection": "${m.azureConn()}",`])
      : secret('provider', 'azure-storage', 'env', '.env', [`AZURE_STORAGE_CONNECTION_STRING="${m.azureConn()}"`]);
    secret('provider', 'jwt-bearer', 'sh', 'scripts/smoke.sh', [`curl -H "Authorization: Bearer ${m.jwt({ sub: m.body(DIGITS, 6), scope: 'admin', exp: 1900000000 })}" https://api.internal/health`]);
  }

  // Private keys, one block each.
  for (const label of ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
    const lines = [`-----BEGIN ${label}-----`, ...m.pemBody(8 + r.int(12)), `${m.body(B64, 20)}==`, `-----END ${label}-----`];
    secret('private-key', label.toLowerCase().replace(/ /g, '-'), 'pem', r.pick(['deploy/server.key', 'certs/tls.key', 'keys/id_rsa', 'ops/bastion.pem']), lines);
  }
  for (let i = 0; i < 3; i++) {
    secret('private-key', 'gcp-service-account', 'json', 'deploy/service-account.json', [
      `  "type": "service_account",`,
      `  "private_key": "-----BEGIN PRIVATE KEY-----\\n${m.pemBody(6).join('\\n')}\\n-----END PRIVATE KEY-----\\n",`,
      `  "client_email": "deployer@${m.body(LOWER, 8)}.iam.gserviceaccount.com",`,
    ].slice(1, 2));
  }
  for (let i = 0; i < 3; i++) {
    secret('private-key', 'pem-in-code', 'js', 'test/helpers/keys.js', [`export const SIGNING_KEY = \`-----BEGIN RSA PRIVATE KEY-----`, ...m.pemBody(6), '-----END RSA PRIVATE KEY-----`;']);
  }

  // Connection strings with real (random) passwords.
  const hosts = ['db.internal', 'pg-primary.prod', 'mysql.svc.cluster.local', 'cache.internal', 'mq.internal', '10.0.3.17'];
  for (let i = 0; i < 24; i++) {
    const pw = m.humanPassword().replace(/[@/:]/g, '');
    const user = r.pick(['app', 'shop_rw', 'svc_orders', 'reporting', 'api']);
    const [scheme, port] = r.pick([['postgresql', 5432], ['postgres', 5432], ['mysql', 3306], ['mongodb+srv', ''], ['redis', 6379], ['amqps', 5671], ['mongodb', 27017]]);
    const url = `${scheme}://${user}:${pw}@${r.pick(hosts)}${port ? `:${port}` : ''}/${r.pick(WORDS)}`;
    r.pick([
      () => secret('connection-string', scheme, 'env', '.env.production', [`${envName('DATABASE_URL', 'DB_URL', 'BROKER_URL', 'CACHE_URL')}=${url}`]),
      () => secret('connection-string', scheme, 'yaml', 'config/database.yml', [`  url: "${url}"`]),
      () => secret('connection-string', scheme, 'py', 'app/db.py', [`engine = create_engine("${url}")`]),
      () => secret('connection-string', scheme, 'js', 'src/db.js', [`const client = new Client({ connectionString: '${url}' });`]),
    ])();
  }
  for (let i = 0; i < 6; i++) {
    secret('connection-string', 'ado-net', 'json', 'appsettings.Production.json', [`    "Default": "Server=sql${i}.internal;Database=Shop;User Id=shop;Password=${m.humanPassword().replace(/[;"]/g, '')};",`]);
    secret('connection-string', 'https-basic', 'sh', 'scripts/fetch-artifacts.sh', [`curl -fsSL "https://deploy:${m.humanPassword().replace(/[@/:"]/g, '')}@artifacts.internal/releases/app.tgz" -o app.tgz`]);
  }

  // Credential files.
  for (let i = 0; i < 3; i++) {
    secret('credential-file', 'pgpass', 'raw', '.pgpass', [`db${i}.internal:5432:shop:app:${m.humanPassword().replace(/:/g, '')}`]);
    secret('credential-file', 'netrc', 'raw', '.netrc', [`machine api${i}.internal login deploy password ${m.body(B62, 24)}`]);
    secret('credential-file', 'git-credentials', 'raw', '.git-credentials', [`https://ci-bot:${m.githubFine()}@github.com`]);
    secret('credential-file', 'htpasswd', 'raw', 'nginx/.htpasswd', [`${r.pick(['admin', 'ops', 'metrics'])}:$apr1$${m.body(B62, 8)}$${m.body(B62, 22)}`]);
  }

  // Generic hard-coded passwords and secrets.
  for (let i = 0; i < 45; i++) {
    const pw = m.humanPassword();
    r.pick([
      () => secret('generic-password', 'env', 'env', '.env', [`${envName('DB_PASSWORD', 'SMTP_PASSWORD', 'LDAP_BIND_PASSWORD', 'ADMIN_PASS', 'REDIS_PASSWORD')}=${pw}`]),
      () => secret('generic-password', 'yaml', 'yaml', 'config/application.yml', [`    password: "${pw}"`]),
      () => secret('generic-password', 'properties', 'properties', 'src/main/resources/application.properties', [`spring.datasource.password=${pw}`]),
      () => secret('generic-password', 'xml', 'xml', 'conf/settings.xml', [`      <password>${pw.replace(/[<&]/g, '')}</password>`]),
      () => secret('generic-password', 'python', 'py', 'app/mailer.py', [`SMTP_PASSWORD = "${pw}"`]),
      () => secret('generic-password', 'js', 'js', 'src/config.js', [`  password: '${pw}',`]),
      () => secret('generic-password', 'ini', 'ini', 'config/app.ini', [`password = ${pw}`]),
      () => secret('generic-password', 'secret-key', 'py', 'app/settings.py', [`SECRET_KEY = "${m.body(B64, 50)}"`]),
      () => secret('generic-password', 'client-secret', 'yaml', 'config/oauth.yml', [`  client_secret: ${m.body(B62, 40)}`]),
      () => secret('generic-password', 'go-struct', 'go', 'internal/db/conn.go', [`\t\tPassword: "${pw}",`]),
      () => secret('generic-password', 'php', 'php', 'config/database.php', [`        'password' => '${pw}',`]),
      () => secret('generic-password', 'ruby', 'rb', 'config/mail.rb', [`  password: '${pw}',`]),
      () => secret('generic-password', 'toml', 'toml', 'config/app.toml', [`password = "${pw}"`]),
      () => secret('generic-password', 'shell-env', 'sh', 'scripts/backup.sh', [`PGPASSWORD='${pw}' pg_dump -h db.internal shop > dump.sql`]),
      () => secret('generic-password', 'docker-run', 'sh', 'scripts/run-local.sh', [`docker run -d -e DB_PASSWORD='${pw}' shop/api:latest`]),
      () => secret('generic-password', 'java-call', 'java', 'src/main/java/com/shop/Mail.java', [`        props.setPassword("${pw}");`]),
    ])();
  }

  // Default credentials in real configuration.
  const defaults = [
    ['compose', 'docker-compose.yml', () => [`      POSTGRES_PASSWORD: ${'postgres'}`]],
    ['compose', 'docker-compose.yml', () => [`      MYSQL_ROOT_PASSWORD: ${r.pick(['root', 'example', 'password'])}`]],
    ['compose', 'docker-compose.yml', () => [`      - GF_SECURITY_ADMIN_PASSWORD=${'admin'}`]],
    ['compose', 'docker-compose.yml', () => [`      MINIO_ROOT_PASSWORD: ${'minioadmin'}`]],
    ['compose', 'docker-compose.yml', () => [`      RABBITMQ_DEFAULT_PASS: ${'guest'}`]],
    ['compose', 'docker-compose.yml', () => [`      ELASTIC_PASSWORD: ${'changeme'}`]],
    ['compose', 'docker-compose.yml', () => [`      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-${'postgres'}}`]],
    ['compose', 'docker-compose.yml', () => [`      - ADMIN_PASSWORD=\${ADMIN_PASSWORD:-${'changeme'}}`]],
    ['compose', 'docker-compose.yml', () => [`    command: vault server -dev -dev-root-token-id=${'root'} -dev-listen-address=0.0.0.0:8200`]],
    ['compose', 'docker-compose.yml', () => [`      VAULT_DEV_ROOT_TOKEN_ID: ${'root'}`]],
    ['compose', 'docker-compose.yml', () => [`    command: redis-server --requirepass ${'foobared'}`]],
    ['env', '.env', () => [`VAULT_TOKEN=${'root'}`]],
    ['env', '.env', () => [`DATABASE_URL=postgres://postgres:${'postgres'}@db:5432/app`]],
    ['env', '.env', () => [`AMQP_URL=amqp://guest:${'guest'}@rabbitmq:5672/`]],
    ['env', '.env', () => [`ADMIN_PASSWORD=${'changeme'}`]],
    ['env', '.env', () => [`DB_PASSWORD=${r.pick(['password', '123456', 'secret', 'admin123'])}`]],
    ['properties', 'src/main/resources/application.properties', () => [`spring.datasource.password=${'root'}`]],
    ['xml', 'conf/tomcat-users.xml', () => [`  <user username="tomcat" password="${'s3cret'}" roles="manager-gui"/>`]],
    ['yaml', 'k8s/postgres.yaml', () => [`            - name: POSTGRES_PASSWORD`, `              value: ${'postgres'}`]],
    ['yaml', 'k8s/grafana.yaml', () => [`            - name: GF_SECURITY_ADMIN_PASSWORD`, `              value: "${'admin'}"`]],
    ['yaml', 'config/app.yml', () => [`  password: ${'changeme'}`]],
    ['json', 'config/default.json', () => [`    "${'password'}": "${'admin'}",`]],
    ['compose', 'docker-compose.yml', () => [`      - "MYSQL_PASSWORD=${'mysql'}"`]],
    ['properties', 'src/main/resources/application.properties', () => [`spring.rabbitmq.password=${'guest'}`]],
    ['env', '.env', () => [`MONGO_URL=mongodb://admin:${'admin'}@mongo:27017`]],
    ['sh', 'scripts/dev-db.sh', () => [`docker run -d -e POSTGRES_PASSWORD=${'postgres'} -p 5432:5432 postgres:16`]],
    ['yaml', 'chart/values.yaml', () => [`  adminPassword: ${'admin'}`]],
    ['js', 'test/e2e/login.js', () => [`const auth = { username: 'admin', password: '${'admin'}' };`]],
    ['yaml', 'config/database.yml', () => [`  password: "${'postgres'}"`]],
  ];
  for (let i = 0; i < 87; i++) {
    const [fileKind, name, make] = defaults[i % defaults.length];
    secret('default-credential', name.split('/').pop(), fileKind, name, make());
  }

  // ---------- decoys ----------
  const d = [
    ['placeholder', 'env', '.env', () => [`API_KEY=your_api_key_here`]],
    ['placeholder', 'yaml', 'config/app.yml', () => [`  password: <your-password>`]],
    ['placeholder', 'env', '.env', () => [`GITHUB_TOKEN=ghp_${'x'.repeat(36)}`]],
    ['placeholder', 'yaml', 'config/app.yml', () => [`  api_token: REPLACE_ME`]],
    ['placeholder', 'env', '.env', () => [`STRIPE_SECRET_KEY=sk_live_${'*'.repeat(24)}`]],
    ['placeholder', 'js', 'src/config.js', () => [`  password: '********',`]],
    ['reference', 'yaml', '.github/workflows/release.yml', () => [`          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}`]],
    ['reference', 'js', 'src/payments.js', () => [`const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);`]],
    ['reference', 'py', 'app/settings.py', () => [`DB_PASSWORD = os.environ["DB_PASSWORD"]`]],
    ['reference', 'compose', 'docker-compose.yml', () => [`      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}`]],
    ['reference', 'yaml', 'chart/templates/deploy.yaml', () => [`              value: {{ .Values.db.password | quote }}`]],
    ['reference', 'yaml', 'k8s/api.yaml', () => [`            - name: DB_PASSWORD`, `              valueFrom:`, `                secretKeyRef:`, `                  name: api-db`, `                  key: password`]],
    ['reference', 'tf', 'infra/main.tf', () => [`  password = var.db_password`]],
    ['reference', 'env', '.env', () => [`DATABASE_URL=postgres://app:\${DB_PASSWORD}@db:5432/app`]],
    ['docs-example', 'md', 'docs/aws.md', () => [`    aws_access_key_id = AKIAIOSFODNN7EXAMPLE`, `    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`]],
    ['docs-example', 'md', 'docs/vault.md', () => [`    export VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx`]],
    ['docs-example', 'md', 'README.md', () => [`    docker run -e POSTGRES_PASSWORD=mysecretpassword -d postgres`]],
    ['template', 'env', '.env.example', () => [`POSTGRES_PASSWORD=postgres`, `ADMIN_PASSWORD=changeme`]],
    ['template', 'yaml', 'config/app.sample.yml', () => [`  password: admin`]],
    ['test-key', 'js', 'test/payments.test.js', () => [`const key = 'sk_test_${m.body(B62, 24)}';`]],
    ['test-key', 'js', 'web/checkout.js', () => [`const stripe = Stripe('pk_live_${m.body(B62, 24)}');`]],
    ['bad-checksum', 'js', 'test/fixtures/tokens.js', () => [`export const FAKE_GITHUB_TOKEN = 'ghp_${m.body(B62, 36)}';`]],
    ['hash', 'yaml', '.github/workflows/ci.yml', () => [`      - uses: actions/checkout@${m.body(HEX, 40)} # v4`]],
    ['hash', 'docker', 'Dockerfile', () => [`FROM node:20-alpine@sha256:${m.body(HEX, 64)}`]],
    ['hash', 'json', 'config/release.json', () => [`  "commit": "${m.body(HEX, 40)}",`, `  "checksum": "${m.body(HEX, 64)}",`]],
    ['hash', 'py', 'app/migrations/0042_audit.py', () => [`revision = "${m.body(HEX, 12)}"`, `down_revision = "${m.body(HEX, 12)}"`]],
    ['uuid', 'json', 'fixtures/orders.json', () => [`  { "id": "${uuid(m)}", "customer_id": "${uuid(m)}" },`]],
    ['uuid', 'yaml', 'config/tenants.yml', () => [`  tenant_id: ${uuid(m)}`, `  client_id: ${uuid(m)}`]],
    ['public-key', 'pem', 'certs/ca.pem', () => ['-----BEGIN CERTIFICATE-----', ...m.pemBody(10), '-----END CERTIFICATE-----']],
    ['public-key', 'pem', 'keys/signing.pub', () => ['-----BEGIN PUBLIC KEY-----', ...m.pemBody(6), '-----END PUBLIC KEY-----']],
    ['public-key', 'raw', 'deploy/authorized_keys', () => [`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${m.body(B64, 43)} deploy@ci`]],
    ['asset-hash', 'json', 'public/manifest.json', () => [`  "main.js": "/static/js/main.${m.body(HEX, 8)}.js",`, `  "main.css": "/static/css/main.${m.body(HEX, 8)}.css",`]],
    ['asset-hash', 'html', 'public/index.html', () => [`<script src="/app.js" integrity="sha384-${m.body(B64, 64)}" crossorigin="anonymous"></script>`]],
    ['base64-image', 'css', 'src/styles/icons.css', () => [`.icon-cart { background: url(data:image/png;base64,${m.body(B64, 400)}=); }`]],
    ['password-metadata', 'yaml', 'config/security.yml', () => [`  password_min_length: 12`, `  password_reset_url: https://accounts.example.com/reset`]],
    ['password-code', 'js', 'src/auth.js', () => [`  const password = req.body.password;`, `  if (!(await bcrypt.compare(password, user.passwordHash))) return res.sendStatus(401);`]],
    ['password-code', 'py', 'app/forms.py', () => [`    password = PasswordField("Password", validators=[DataRequired()])`]],
    ['password-code', 'html', 'templates/login.html', () => [`<input type="password" name="password" placeholder="Password" autocomplete="current-password">`]],
    ['i18n-label', 'yaml', 'config/locales/en.yml', () => [`  password: Password`, `  token: Token`]],
    ['default-user', 'compose', 'docker-compose.yml', () => [`      POSTGRES_USER: postgres`, `      MINIO_ROOT_USER: minioadmin`]],
    ['public-jwt', 'js', 'web/supabase.js', () => [`const supabaseAnonKey = "${m.jwt({ iss: 'supabase', role: 'anon', exp: 1900000000 })}";`]],
    ['high-entropy-id', 'json', 'fixtures/events.json', () => [`  "trace": "${m.body(HEX, 32)}", "span": "${m.body(HEX, 16)}",`]],
    ['cache-key', 'js', 'src/cache.js', () => [`const cacheKey = 'key-${m.body(HEX, 32)}';`]],
    ['bcrypt-seed', 'yaml', 'db/seeds/users.yml', () => [`  password_digest: "$2b$12$${m.body(B62 + './', 53)}"`]],
    ['password-code', 'java', 'src/main/java/com/shop/Db.java', () => [`        String password = credentials.getPassword();`, `        config.setPassword(System.getenv("DB_PASSWORD"));`]],
    ['password-code', 'go', 'internal/db/config.go', () => [`\t\tPassword: cfg.DBPassword,`, `\t\tToken:    os.Getenv("API_TOKEN"),`]],
    ['reference', 'rb', 'config/database.rb', () => [`  password: ENV.fetch("DB_PASSWORD"),`]],
    ['reference', 'yaml', 'config/mkdocs.yml', () => [`  api_key: !ENV [ALGOLIA_API_KEY, ""]`]],
    ['reference', 'npmrc', '.npmrc', () => ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}']],
    ['reference', 'yaml', '.github/workflows/deploy.yml', () => [`          token: \${{ github.token }}`, `          password: \${{ secrets.REGISTRY_PASSWORD }}`]],
    ['metadata', 'yaml', 'k8s/external-secret.yaml', () => [`  secretName: api-credentials`, `  token_type: bearer`, `  secret_store: vault-backend`]],
    ['docs-example', 'md', 'docs/api.md', () => [`    curl -H "Authorization: Bearer <token>" https://api.example.com/v1/orders`, `    {"access_token": "<access-token>", "token_type": "bearer"}`]],
    ['docs-example', 'md', 'docs/tls.md', () => ['    -----BEGIN PRIVATE KEY-----', '    ...', '    -----END PRIVATE KEY-----']],
    ['sql', 'sql', 'db/migrations/001_roles.sql', () => [`CREATE ROLE app LOGIN PASSWORD :'app_password';`]],
    ['terraform', 'tf', 'infra/db.tf', () => [`resource "random_password" "db" {`, `  length  = 32`, `  special = true`, `}`, `  password = random_password.db.result`]],
    ['base64-fixture', 'json', 'fixtures/avatars.json', () => [`  "avatar": "iVBORw0KGgoAAAANSUhEUgAA${m.body(B64, 300)}",`]],
    ['arn', 'yaml', 'config/aws.yml', () => [`  role_arn: arn:aws:iam::${m.body(DIGITS, 12)}:role/deploy`, `  kms_key_id: arn:aws:kms:eu-west-1:${m.body(DIGITS, 12)}:key/${uuid(m)}`]],
    ['git-sha', 'md', 'CHANGELOG.md', () => [`- Fix retry loop (${m.body(HEX, 40)})`]],
    ['length-setting', 'env', '.env', () => [`SESSION_SECRET_LENGTH=64`, `TOKEN_TTL_SECONDS=3600`]],
    ['empty', 'env', '.env', () => [`DB_PASSWORD=`, `API_TOKEN=""`]],
    ['empty', 'yaml', 'config/app.yml', () => [`  password: ""`, `  token: null`, `  api_key: ~`]],
    ['reference', 'yaml', 'ansible/group_vars/prod.yml', () => [`db_password: "{{ vault_db_password }}"`]],
    ['password-code', 'py', 'app/cli.py', () => [`    password = getpass.getpass("Password: ")`, `api_key = None`]],
    ['metadata', 'py', 'app/settings.py', () => [`PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]`]],
    ['metadata', 'yaml', 'config/oidc.yml', () => [`  token_endpoint: https://auth.internal/oauth2/token`, `  secret: true`]],
    ['reference', 'js', 'src/auth/jwt.js', () => [`  secretOrKey: config.jwt.secret,`]],
    ['reference', 'xml', 'conf/settings.xml', () => [`      <password>\${env.NEXUS_PASSWORD}</password>`]],
  ];
  for (let i = 0; i < d.length * 6; i++) {
    const [kind, fileKind, name, make] = d[i % d.length];
    decoy(kind, fileKind, name, make());
  }
  return P;
}

function uuid(m) {
  const h = (n) => m.body(HEX, n);
  return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
}

// ---------- files ----------
const BASE_FILES = [
  ['src/{w}/{v}.js', 'js'], ['src/{w}/{w}-service.js', 'js'], ['app/{w}/{v}.py', 'py'], ['internal/{w}/{v}.go', 'go'],
  ['config/{w}.yml', 'yaml'], ['config/{w}.json', 'json'], ['deploy/{w}/.env', 'env'], ['src/main/resources/{w}.properties', 'properties'],
  ['conf/{w}.xml', 'xml'], ['docs/{w}.md', 'md'], ['config/{w}.ini', 'ini'], ['scripts/{v}-{w}.sh', 'sh'], ['k8s/{w}.yaml', 'yaml'],
];

/** Filler kind for a plant's file kind (compose, k8s… are YAML; pem and raw files get no filler). */
const FILLER = { js: 'js', py: 'py', go: 'go', yaml: 'yaml', compose: 'yaml', json: 'json', env: 'env', properties: 'properties', xml: 'xml', md: 'md', ini: 'ini', sh: 'sh', tf: 'ini', docker: 'sh', html: 'md', css: 'md', java: 'js', rb: 'py', sql: 'md', npmrc: undefined, php: 'js', toml: 'ini' };

/**
 * Writes the corpus under `dir` and returns { truth, decoys, files, bytes }.
 * `files` and `linesPerFile` size the ordinary content (large for the speed corpus); `plant: false` leaves secrets and decoys out.
 */
export function generateCorpus(dir, { seed = 20261122, files = 420, linesPerFile = 60, plant = true } = {}) {
  const r = rng(seed);
  const m = makers(r);
  const content = new Map(); // path → lines
  const truth = [];
  const decoys = [];
  const fill = (p, kind) => {
    if (!content.has(p)) content.set(p, kind ? filler(r, kind, 5 + r.int(linesPerFile)) : []);
    return content.get(p);
  };
  for (let i = 0; i < files; i++) {
    const [pattern, kind] = r.pick(BASE_FILES);
    let p = pattern.replace(/\{w\}/g, () => r.pick(WORDS)).replace(/\{v\}/g, () => r.pick(VERBS));
    // Large corpora get many packages rather than ever-longer files.
    if (content.has(p) && files > 1000) p = `packages/pkg${i % 97}/${p}`;
    const lines = fill(p, kind);
    if (lines.length < linesPerFile) lines.push(...filler(r, kind, linesPerFile));
  }
  if (plant) {
    let keyFiles = 0;
    for (const pl of plants(r, m)) {
      // Spread plants over a few copies of each file name (service folders), so files stay realistic in size.
      const slot = r.int(4);
      const dirName = path.posix.dirname(pl.name);
      const spread = slot === 0 ? pl.name : path.posix.join(dirName, `svc${slot}`, path.posix.basename(pl.name));
      if (pl.fileKind === 'pem') {
        // A key file holds one key.
        const unique = spread.replace(/(\.[^./]+)?$/, (ext) => `-${keyFiles++}${ext}`);
        content.set(unique, []);
        place(content.get(unique), pl, unique, 0);
        continue;
      }
      // Credential files (`raw`) hold only their entries; everything else gets ordinary content around it.
      const lines = fill(spread, pl.fileKind === 'raw' ? undefined : FILLER[pl.fileKind]);
      place(lines, pl, spread, r.int(lines.length + 1));
    }
  }
  function place(lines, pl, file, at) {
    lines.splice(at, 0, ...pl.lines);
    // Shift entries recorded earlier in this file that sit at or after the insertion point.
    for (const list of [truth, decoys]) {
      for (const e of list) if (e.file === file && e.line > at) {
        e.line += pl.lines.length;
        e.endLine += pl.lines.length;
      }
    }
    const entry = { file, line: at + 1, endLine: at + pl.lines.length, kind: pl.kind };
    if (pl.truth) truth.push({ ...entry, category: pl.category });
    else decoys.push(entry);
  }
  let bytes = 0;
  for (const [p, lines] of content) {
    const full = path.join(dir, p);
    mkdirSync(path.dirname(full), { recursive: true });
    const text = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(text);
    writeFileSync(full, text);
  }
  return { truth, decoys, files: content.size, bytes };
}
