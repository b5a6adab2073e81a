import type { RuleDescriptor, Severity } from '../../core/finding.js';

interface EnvRule {
  severity: Severity;
  name: string;
  short: string;
  full: string;
  help: string;
}

/** Every rule .env validation can report. */
const ENV_RULES = {
  'env-not-text': {
    severity: 'medium',
    name: 'EnvNotText',
    short: '.env file is binary or not UTF-8',
    full: 'The file matched a .env pattern but holds a NUL byte or invalid UTF-8, so it was not parsed and nothing in it was checked.',
    help: 'Save the file as UTF-8 text, or exclude it from the env entry.',
  },
  'env-file-too-large': {
    severity: 'low',
    name: 'EnvFileTooLarge',
    short: '.env file is larger than scan.max-file-size',
    full: 'The file is larger than the configured maximum, so it was skipped.',
    help: 'Raise scan.max-file-size or exclude the file.',
  },
  'env-syntax-no-equals': {
    severity: 'medium',
    name: 'NoEquals',
    short: 'Line has no "="',
    full: 'dotenv silently drops a line without "=" and docker compose rejects the file: the variable the line was meant to set is missing.',
    help: 'Write KEY=value, or make the line a comment with "#".',
  },
  'env-duplicate-key': {
    severity: 'medium',
    name: 'DuplicateKey',
    short: 'Key is set more than once',
    full: 'Both dotenv and docker compose keep the last assignment, so the earlier one is silently ignored.',
    help: 'Keep one assignment per key.',
  },
  'env-space-around-equals': {
    severity: 'low',
    name: 'SpaceAroundEquals',
    short: 'Spaces around "="',
    full: 'Readers differ on whether the spaces belong to the key or the value.',
    help: 'Write KEY=value without spaces; quote the value if it must start with a space.',
  },
  'env-unquoted-hash': {
    severity: 'medium',
    name: 'UnquotedHash',
    short: 'Unquoted value contains "#"',
    full: 'dotenv starts a comment at "#" even without a space before it; docker compose keeps it. The two load different values (a password may be silently truncated).',
    help: 'Quote the value: KEY="value#with-hash" (or single quotes).',
  },
  'env-lowercase-key': {
    severity: 'low',
    name: 'LowercaseKey',
    short: 'Key has lowercase letters',
    full: 'Environment variable names are conventionally upper case; a lowercase key is often a typo of the key the program reads.',
    help: 'Use the exact upper-case name the program reads.',
  },
  'env-unterminated-quote': {
    severity: 'high',
    name: 'UnterminatedQuote',
    short: 'Quote is never closed',
    full: 'dotenv keeps the quote as part of the value; other readers swallow the following lines into it. The value actually loaded is unpredictable.',
    help: 'Close the quote on the same line (or, for a multi-line value, with a double quote).',
  },
  'env-invalid-key': {
    severity: 'medium',
    name: 'InvalidKey',
    short: 'Key is not a portable variable name',
    full: 'A key outside [A-Za-z_][A-Za-z0-9_]* cannot be read from a shell and is treated differently by dotenv and docker compose.',
    help: 'Rename the key to letters, digits and underscores, not starting with a digit.',
  },
  'env-key-colon-syntax': {
    severity: 'medium',
    name: 'KeyColonSyntax',
    short: '"KEY: value" instead of "KEY=value"',
    full: 'dotenv accepts YAML-style "KEY: value" but docker compose does not, so the variable exists for one and not the other.',
    help: 'Write KEY=value.',
  },
  'env-trailing-text': {
    severity: 'medium',
    name: 'TrailingText',
    short: 'Text after a closing quote',
    full: 'Readers disagree on text after the closing quote: some append it, some drop it, some fail.',
    help: 'Put the whole value inside the quotes; a comment needs a space before "#".',
  },
  'env-required-key': {
    severity: 'high',
    name: 'RequiredKey',
    short: 'Required key is missing',
    full: 'The schema (or preset) requires this key; the system it configures refuses to run safely without it.',
    help: 'Set the key in the file (see the preset table in the README for why it is required).',
  },
  'env-required-in-production': {
    severity: 'high',
    name: 'RequiredInProduction',
    short: 'Key required in production is missing',
    full: 'The env entry is marked production: true and the schema requires this key there.',
    help: 'Set the key, or drop production: true if these files do not configure production.',
  },
  'env-recommended-key': {
    severity: 'medium',
    name: 'RecommendedKey',
    short: 'Recommended key is not set',
    full: 'The system works without this key but only warns at run time; setting it closes the gap the warning is about.',
    help: 'Set the key (the finding says why).',
  },
  'env-required-key-pattern': {
    severity: 'high',
    name: 'RequiredKeyPattern',
    short: 'No key of a required kind is set',
    full: 'The schema requires at least one key matching a pattern (for example a rate-limit setting), and none is set.',
    help: 'Set the setting the finding names.',
  },
  'env-https-only': {
    severity: 'high',
    name: 'HttpsOnly',
    short: 'URL must use HTTPS',
    full: 'The seed systems reject or warn on plain-http URLs for updates, downloads and Vault: traffic and tokens would cross the network unencrypted.',
    help: 'Use an https:// URL (plain http is accepted only to loopback where the schema allows it).',
  },
  'env-loopback-only': {
    severity: 'high',
    name: 'LoopbackOnly',
    short: 'Address must be loopback',
    full: 'The schema requires a loopback address (127.0.0.1, ::1 or localhost).',
    help: 'Use 127.0.0.1, ::1 or localhost.',
  },
  'env-sha256-pin': {
    severity: 'high',
    name: 'Sha256Pin',
    short: 'SHA-256 pin is malformed',
    full: 'A SHA-256 pin must be 64 hex characters; a malformed pin makes every update fail verification, or is a sign the wrong value was pasted.',
    help: 'Set the 64-character hex SHA-256 of the expected download.',
  },
  'env-invalid-duration': {
    severity: 'medium',
    name: 'InvalidDuration',
    short: 'Value is not a duration',
    full: 'The schema expects a duration such as 90d, 12h, 30m or 45s.',
    help: 'Write a number followed by ms, s, m, h, d or w.',
  },
  'env-public-bind': {
    severity: 'high',
    name: 'PublicBind',
    short: 'Service binds every interface',
    full: 'A bind, listen or host key set to 0.0.0.0 or :: exposes the service on every network; the seed systems default to 127.0.0.1 to prevent accidental exposure.',
    help: 'Bind 127.0.0.1 (or a private address); if exposure is intended, set allow-public-bind: true on the env entry.',
  },
  'env-default-credential': {
    severity: 'critical',
    name: 'DefaultCredential',
    short: 'Credential is a well-known default or placeholder',
    full: 'The value is a well-known default or a template placeholder (admin, changeme, your-strong-password, …): anyone can guess it.',
    help: 'Generate a random value (for example `openssl rand -hex 32`) and rotate it wherever it was used.',
  },
  'env-weak-secret': {
    severity: 'high',
    name: 'WeakSecret',
    short: 'Secret is too short, too predictable or wrongly encoded',
    full: 'The secret is shorter, less random or in a different encoding than the system documents (for example 32 random bytes as hex).',
    help: 'Generate it as documented: `openssl rand -hex 32`, `openssl rand -base64 32` or `python -c "import secrets; print(secrets.token_urlsafe(32))"`.',
  },
  'env-committed-secret': {
    severity: 'critical',
    name: 'CommittedSecret',
    short: 'Secret set in a file tracked by git',
    full: 'The seed forbids committing this secret (VAULT_TOKEN, AGENT_TOKEN, API keys); it is set in a file git tracks, so it is in the repository history. Empty values and obvious placeholders are accepted.',
    help: 'Remove the value from the tracked file (keep the key empty in templates), provide it at deploy time, and rotate it.',
  },
  'env-vault-path-not-allowed': {
    severity: 'high',
    name: 'VaultPathNotAllowed',
    short: 'Agent KV path is outside vault.allowed-paths',
    full: 'VAULT_AGENT_PATH_PREFIX and DEPLOYMENT_HASH form the KV path {prefix}/{hash}/token the agent reads; it must lie inside the paths the Vault policies allow (Vault path semantics, data/ inserted on KV v2 mounts).',
    help: 'Fix the prefix or deployment hash, or extend vault.allowed-paths if the path is intended.',
  },
  'env-tracked-env-file': {
    severity: 'critical',
    name: 'TrackedEnvFile',
    short: '.env file is tracked by git',
    full: 'The seed keeps .env out of version control; this one is committed, so its secrets are in the repository history.',
    help: 'git rm --cached the file, add it to .gitignore, and rotate every secret it held.',
  },
  'env-not-gitignored': {
    severity: 'high',
    name: 'EnvNotGitignored',
    short: '.env file is not git-ignored',
    full: 'The seed keeps .env out of version control through .gitignore; without the rule the next `git add .` commits it.',
    help: 'Add .env to .gitignore.',
  },
  'env-production-value': {
    severity: 'high',
    name: 'ProductionValue',
    short: 'Production entry does not select production mode',
    full: 'The env entry is production: true but the mode variable is not set to production, so development defaults stay on.',
    help: 'Set the variable to the value the finding names.',
  },
  'env-cors-wildcard': {
    severity: 'high',
    name: 'CorsWildcard',
    short: 'CORS origin list has a wildcard',
    full: 'CORS origins must be listed explicitly; a wildcard lets any site call the API from a browser.',
    help: 'List each allowed origin, for example https://app.example.com.',
  },
  'env-cors-insecure-origin': {
    severity: 'high',
    name: 'CorsInsecureOrigin',
    short: 'CORS origin is not HTTPS in production',
    full: 'In production CORS origins must be https:// URLs.',
    help: 'Use https:// origins, or remove the http one.',
  },
  'env-feature-disabled': {
    severity: 'high',
    name: 'ControlDisabled',
    short: 'Security control is turned off',
    full: 'A security control the system documents as enabled (such as rate limiting) is set to false, 0, off or empty.',
    help: 'Enable the control (for example a positive request limit).',
  },
  'env-redis-insecure': {
    severity: 'high',
    name: 'RedisInsecure',
    short: 'Redis URL without auth or on a public address',
    full: 'Redis must require authentication and be reachable from internal networks only.',
    help: 'Use redis://:PASSWORD@internal-host:6379 (or rediss://) on a private address.',
  },
  'env-external-http': {
    severity: 'high',
    name: 'ExternalHttp',
    short: 'External URL uses plain http',
    full: 'All external communication must use TLS; plain http is accepted only to loopback, private addresses and single-label or .internal/.local/.svc service names.',
    help: 'Use an https:// URL.',
  },
  'env-schema-violation': {
    severity: 'high',
    name: 'SchemaViolation',
    short: 'Value does not satisfy the schema',
    full: 'A standard JSON Schema keyword (type, enum, pattern, const, length, …) failed for this key.',
    help: 'Change the value to satisfy the schema, or fix the schema.',
  },
  'env-drift-missing-key': {
    severity: 'medium',
    name: 'DriftMissingKey',
    short: 'Key from the template is missing',
    full: 'The template (.env.example, or the entry\'s template) declares a key this file does not set: the deployment is configured differently from what the template documents.',
    help: 'Set the key, or remove it from the template if it is obsolete.',
  },
  'env-drift-undocumented-key': {
    severity: 'medium',
    name: 'DriftUndocumentedKey',
    short: 'Key is not in the template',
    full: 'The file sets a key the template does not declare: the next deployment built from the template will miss it.',
    help: 'Add the key (without a real value) to the template, or remove it from the file.',
  },
} satisfies Record<string, EnvRule>;

export type EnvRuleId = keyof typeof ENV_RULES;

export function envSeverity(id: EnvRuleId): Severity {
  return ENV_RULES[id].severity as Severity;
}

export function envRuleDescriptors(): RuleDescriptor[] {
  return Object.entries(ENV_RULES).map(([id, rule]) => ({
    id,
    check: 'validate' as const,
    name: rule.name,
    shortDescription: rule.short,
    fullDescription: rule.full,
    help: rule.help,
    severity: rule.severity as Severity,
    tags: ['security', 'env'],
  }));
}
