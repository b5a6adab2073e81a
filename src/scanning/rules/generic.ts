import type { RuleMatch, SecretRule } from '../rule.js';
import { assignmentOf, isPlaceholder, isReference, isMetadataKey } from './context.js';
import { DEFAULT_PASSWORDS } from './default-credentials.js';
import { BASE62, BASE64, HEX, badChecksumToken, mixed, random, sample } from './support.js';

/** Value shapes that are not credentials even under a secret-looking key. */
function notASecretValue(value: string): boolean {
  return (
    isReference(value) ||
    isPlaceholder(value) ||
    DEFAULT_PASSWORDS.has(value) ||
    /^(?:https?|file|s3|gs):\/\//i.test(value) ||
    /^(?:~|\.{1,2})?(?:\/[a-z0-9_.-]{1,40}){2,}\/?$|^[\w./-]+\.(?:pem|key|crt|json|ya?ml|txt|env|p12)$/.test(value) || // a path to the secret, not the secret
    /^[a-z]+(?:_[a-z]+)+$/.test(value) || // a snake_case identifier (`:'app_password'` in psql, a setting name)
    /^[a-z0-9_.-]+(?:\/[a-z0-9_.*+-]+)+\/?$/.test(value) || // a lower-case API or file path (`auth/token/create`)
    /0123456789|123456789|abcdefgh/i.test(value) || // a sequence: test data
    /^[A-Za-z_][A-Za-z0-9_]*\(|^[A-Za-z_]+(?:\.[A-Za-z_]+)+$/.test(value) || // a call or a dotted identifier
    /^[a-z][a-z_-]*(?:\.[a-z][a-z0-9_-]*)+$/.test(value) || // a dotted lower-case name (`meta.tag.punctuation.tag-close.xml`)
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) || // a UUID (ids, not secrets)
    /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value) || // a version (`0.31.0`, `v1.2.3-rc1`)
    /^0x[0-9a-fA-F]{40}$/.test(value) || // an Ethereum address: public
    // A kebab-case resource name: the Secret or key it names (`db-password`, `elasticsearch-master-credentials`).
    (/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(value) && /passw|secret|token|credential|key|auth|tls|cert/.test(value))
  );
}

/**
 * A literal assigned to a key naming this kind of secret (the engine has already kept only literals:
 * quoted strings in code, scalars in configuration); metadata keys (`password_hash`, `token_url`) do not count.
 */
function secretAssignment(keyPattern: RegExp, claimed: (match: RuleMatch) => boolean) {
  return (match: RuleMatch): boolean => {
    if (notASecretValue(match.secret) || claimed(match)) return false;
    // `${DB_PASSWORD:-…}`: the match starts at the expansion operator; default-credential rules judge the fallback.
    if (/^[-?+=]/.test(match.secret) && match.line.includes('${')) return false;
    const assignment = assignmentOf(match.line, match.secret);
    if (!assignment || assignment.comparison) return false;
    if (!keyPattern.test(assignment.key) || isMetadataKey(assignment.key)) return false;
    if (assignment.call && !isSetter(assignment.key)) return false;
    // Mixed character classes: real generated secrets and passwords mix them; words and identifiers do not.
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(match.secret)).length;
    return classes >= 2;
  };
}

const VALUE = `[^\\s"'\`,;<>(){}]`;

/** ASSIGN, plus a setter or builder call: `setPassword("…")`, `.withToken("…")`. */
const ASSIGN_OR_SETTER = `[ \\t"']{0,6}[:=>(]{1,3}[ \\t"']{0,6}`;

/**
 * Only setters and builder methods take a secret as a call argument (`props.setPassword("…")`,
 * `.password("…")`); `checkPassword("…")` in a test or a plain function `secret(…)` does not hold one.
 */
function isSetter(key: string): boolean {
  const method = key.slice(key.lastIndexOf('.') + 1);
  const credential = /(?:passw(?:or)?d|pass|pwd|secret|token|api_?key|access_?key)$/i;
  return (/^(?:set|with)[A-Z_]/.test(method) && credential.test(method)) || (key.includes('.') && /^(?:password|passwd|pwd|secret|token|apiKey|api_key|accessKey)$/.test(method));
}

/**
 * One secret, one finding: a value in the format of a specific rule (provider, key, connection string)
 * belongs to that rule. When the rule reports it, its title is better; when the rule rejects it (a wrong
 * checksum, a public `anon` JWT), it is known not to be that secret, so no generic finding either.
 * Path-scoped rules (credential files) are left out: their formats mean nothing elsewhere.
 */
function claimedBy(specific: SecretRule[]): (match: RuleMatch) => boolean {
  const compiled = specific
    .filter((rule) => !rule.paths)
    .map((rule) => ({ rule, regex: new RegExp(rule.pattern.source, `${rule.pattern.flags}g`) }));
  return (match) => {
    const lower = match.line.toLowerCase();
    return compiled.some(({ rule, regex }) => {
      if (!rule.keywords.some((keyword) => lower.includes(keyword))) return false;
      for (const found of match.line.matchAll(regex)) {
        const secret = found.groups?.secret;
        if (secret && (secret.includes(match.secret) || match.secret.includes(secret))) return true;
      }
      return false;
    });
  };
}

function assignmentRule(claimed: (match: RuleMatch) => boolean, spec: {
  id: string;
  title: string;
  what: string;
  anchor: string;
  keywords: string[];
  key: RegExp;
  minLength: number;
  minEntropy: number;
  positive: () => { file: string; text: string }[];
  negative: () => { file: string; text: string }[];
}): SecretRule {
  return {
    id: spec.id,
    title: spec.title,
    description: `${spec.what} assigned as a literal in code, YAML, JSON, XML, properties, INI, .env or shell, with a random-looking value (entropy ≥ ${spec.minEntropy} bits/char).`,
    severity: 'high',
    category: 'generic-secret',
    keywords: spec.keywords,
    pattern: new RegExp(
      // The value is taken atomically (a lookahead, then a backreference): a greedy run followed by
      // (?!VALUE) matches only whole runs anyway, and giving characters back one by one cost ~13 µs
      // a character on a 10 MB line of `password=password=…`.
      `(?:${spec.anchor})(?=[A-Za-z0-9_.-]{0,30}${ASSIGN_OR_SETTER}(?=(?<secret>${VALUE}{${spec.minLength},200}))\\k<secret>(?!${VALUE}))`,
      'i',
    ),
    minEntropy: spec.minEntropy,
    confirm: secretAssignment(spec.key, claimed),
    remediation: 'Rotate the credential, then load it at run time from the environment or a secret manager instead of the source.',
    samples: { positive: spec.positive, negative: spec.negative },
  };
}

const passwordValue = (): string => `${mixed(BASE62, 6)}-${mixed(BASE62, 5)}!`;
const tokenValue = (): string => mixed(BASE62, 32);

/** The generic rules; `specific` are the rules whose matches they leave alone. */
export function genericRules(specific: SecretRule[]): SecretRule[] {
  const claimed = claimedBy(specific);
  return [
    assignmentRule(claimed, {
      id: 'generic-password',
      title: 'Hard-coded password',
      what: 'A password',
      anchor: 'passw(?:or)?d|pass|pwd',
      keywords: ['pass', 'pwd'],
      key: /passw(?:or)?d|(?:^|[_.-])pass(?:[_.-]|$)|pass$|pwd/i,
      minLength: 8,
      // Human-chosen passwords repeat characters; the class-mix and identifier checks carry the precision here.
      minEntropy: 2.5,
      positive: () => [
        sample('.env', `DB_PASSWORD=${passwordValue()}`),
        sample('config/app.yml', `  password: "${passwordValue()}"`),
        sample('src/main/resources/application.properties', `spring.datasource.password=${passwordValue()}`),
        sample('src/db.py', `conn = connect(host="db", password="${passwordValue()}")`),
        sample('conf/settings.xml', `<password>${passwordValue()}</password>`),
        sample('config.ini', `pass = ${passwordValue()}`),
        sample('src/main/java/Mail.java', `        props.setPassword("${passwordValue()}");`),
      ],
      negative: () => [
        sample('src/auth.ts', 'const password = req.body.password;'),
        sample('src/auth.ts', `const hash = await bcrypt.hash(password, 12);`),
        sample('.env', 'DB_PASSWORD=${DB_PASSWORD}'),
        sample('config/app.yml', '  password_min_length: 12'),
        sample('config/app.yml', `  password_hash: "${random(HEX, 64)}"`),
        sample('src/form.tsx', '<input type="password" placeholder="Your password" />'),
        sample('src/db.go', 'password := os.Getenv("DB_PASSWORD")'),
        sample('db/roles.sql', "CREATE ROLE app LOGIN PASSWORD :'app_password';"),
        sample('test/PasswordTest.java', `    assertTrue(isValidPassword("${passwordValue()}"));`),
        sample('.env', 'DB_PASSWORD=changeme'),
      ],
    }),
    assignmentRule(claimed, {
      id: 'generic-secret',
      title: 'Hard-coded secret',
      what: 'A secret (client secret, signing secret, secret key)',
      anchor: 'secret',
      keywords: ['secret'],
      key: /secret/i,
      minLength: 12,
      minEntropy: 3.5,
      positive: () => [
        sample('config/oauth.yml', `client_secret: ${tokenValue()}`),
        sample('settings.py', `SECRET_KEY = "${mixed(BASE64, 50)}"`),
        sample('.env', `JWT_SECRET=${tokenValue()}`),
      ],
      negative: () => [
        sample('config/oauth.yml', 'client_secret: ${{ secrets.OAUTH_CLIENT_SECRET }}'),
        sample('k8s/deploy.yaml', '          secretName: api-tls'),
        sample('.env', 'JWT_SECRET=secret'),
      ],
    }),
    assignmentRule(claimed, {
      id: 'generic-token',
      title: 'Hard-coded token',
      what: 'An access, auth or API token',
      anchor: 'token',
      keywords: ['token'],
      key: /token/i,
      minLength: 16,
      minEntropy: 3.2,
      positive: () => [
        sample('.env', `SERVICE_AUTH_TOKEN=${tokenValue()}`),
        sample('src/client.rb', `ACCESS_TOKEN = '${tokenValue()}'`),
      ],
      negative: () => [
        sample('src/client.ts', 'const token = await getToken();'),
        sample('config/app.yml', 'token_url: https://auth.internal/oauth/token'),
        sample('src/lexer.ts', `const tokenizer = "${'abc'.repeat(6)}";`),
        sample('test/fixtures/tokens.js', `export const GITHUB_TOKEN = '${badChecksumToken('ghp_')}';`),
        sample('src/vault.js', `const value = token('billing-service-${mixed(BASE62, 6)}');`),
      ],
    }),
    assignmentRule(claimed, {
      id: 'generic-api-key',
      title: 'Hard-coded API key',
      what: 'An API or access key',
      anchor: 'api[_.-]?key|access[_.-]?key',
      keywords: ['api_key', 'apikey', 'api-key', 'api.key', 'access_key', 'accesskey', 'access-key'],
      key: /api[_.-]?key|access[_.-]?key/i,
      minLength: 16,
      // 32 random hex characters often measure under 3.5 bits, now and then under 3.2.
      minEntropy: 3,
      positive: () => [
        sample('config/services.yml', `  api_key: ${tokenValue()}`),
        sample('src/weather.js', `const apiKey = "${random(HEX, 32)}";`),
      ],
      negative: () => [
        sample('src/weather.js', 'const apiKey = config.apiKey;'),
        sample('config/services.yml', '  api_key_id: 7d0b4c1e'),
      ],
    }),
    {
      id: 'http-basic-auth-header',
      shape: 'structure',
      title: 'HTTP Basic credentials',
      description: 'An `Authorization: Basic <base64 user:password>` header value.',
      severity: 'high',
      category: 'generic-secret',
      keywords: ['basic '],
      pattern: /Authorization(?=[ \t"':=,]{1,8}Basic (?<secret>[A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=]))/i,
      confirm: (match) => {
        const decoded = Buffer.from(match.secret, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return colon > 0 && colon < decoded.length - 1 && !isPlaceholder(decoded.slice(colon + 1));
      },
      remediation: 'Change the password, and build the header at run time from a secret.',
      samples: {
        positive: () => [sample('tests/smoke.sh', `curl -H "Authorization: Basic ${Buffer.from(`admin:${passwordValue()}`).toString('base64')}" https://api.internal/health`)],
        negative: () => [sample('tests/smoke.sh', 'curl -H "Authorization: Basic $CREDENTIALS" https://api.internal/health')],
      },
    },
    {
      id: 'http-bearer-token',
      shape: 'structure',
      title: 'HTTP Bearer token',
      description: 'An `Authorization: Bearer <token>` (or `Token <token>`, as Django REST framework and others use) header with a literal, random-looking token.',
      severity: 'high',
      category: 'generic-secret',
      keywords: ['bearer ', 'token '],
      pattern: /Authorization(?=[ \t"':=,]{1,8}(?:Bearer|Token) (?<secret>[A-Za-z0-9._~+/-]{20,400}=*)(?![A-Za-z0-9._~+/=-]))/i,
      minEntropy: 3.5,
      confirm: (match) => !notASecretValue(match.secret) && !claimed(match),
      remediation: 'Revoke the token and read it from the environment or a secret store at run time.',
      samples: {
        positive: () => [
          sample('scripts/deploy.sh', `curl -H "Authorization: Bearer ${tokenValue()}" https://api.internal/deploy`),
          sample('src/client.py', `HEADERS = {"Authorization": "Token ${tokenValue()}"}`),
        ],
        negative: () => [sample('scripts/deploy.sh', 'curl -H "Authorization: Bearer $API_TOKEN" https://api.internal/deploy')],
      },
    },
  ];
}
