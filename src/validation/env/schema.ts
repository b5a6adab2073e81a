/**
 * Validates an env file, as an object of strings, against a draft-07 JSON Schema extended with
 * keywarden's formats and `x-…` keywords. One Ajv instance; each schema is compiled once.
 */
import { safeName } from '../../core/redact.js';
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { matchesPolicyPath } from '../vault-policy/paths.js';
import {
  corsProblems,
  externalHttpProblem,
  isDisabledSetting,
  isHttpsOrLoopbackUrl,
  isHttpsUrl,
  isLoopbackAddress,
  publicBindProblem,
  redisProblems,
  strengthProblem,
  type StrengthSpec,
} from './checks.js';
import { isDefaultCredential } from './defaults.js';
import { isOpaqueValue } from './parse.js';
import type { EnvRuleId } from './rules.js';

/** Facts about the file and its config entry that some keywords depend on. */
export interface EnvFileFacts {
  production: boolean;
  allowPublicBind: boolean;
  /** Tracked by git; undefined outside a git work tree. */
  tracked?: boolean;
  /** Excluded by .gitignore rules; undefined outside a git work tree. */
  ignored?: boolean;
  /** A template (.env.example, …): meant to be committed, so the git-ignore rule does not apply. */
  template: boolean;
  allowedPaths: string[];
  kvV2Mounts: string[];
}

export interface SchemaProblem {
  ruleId: EnvRuleId;
  /** The key the problem is about; a missing key when `missing` is set. */
  key?: string;
  missing?: boolean;
  message: string;
}

/** Cap on reported schema errors per file: allErrors on a hostile file must stay bounded. */
export const MAX_SCHEMA_ERRORS = 100;

/**
 * The facts of the file being validated. Ajv keywords take no per-call arguments and validation
 * is synchronous, so `validateEnvObject` sets this just around the call.
 */
let current: EnvFileFacts | undefined;

function facts(): EnvFileFacts {
  if (!current) throw new Error('env keyword evaluated outside validateEnvObject');
  return current;
}

type ValueCheck = (schema: never, value: string, key: string, env: Record<string, string>) => { rule: EnvRuleId; message: string }[];
type RootCheck = (schema: never, env: Record<string, string>) => SchemaProblem[];

function valueKeyword(ajv: Ajv, keyword: string, metaSchema: object, check: ValueCheck): void {
  const validate: SchemaValidateFunction = (schema, data, _parent, cxt) => {
    if (typeof data !== 'string' || isOpaqueValue(data) || !cxt) return true;
    const key = String(cxt.parentDataProperty);
    const problems = check(schema as never, data, key, cxt.rootData as Record<string, string>);
    validate.errors = problems.map((p) => ({ keyword, message: p.message, params: { rule: p.rule } }));
    return problems.length === 0;
  };
  ajv.addKeyword({ keyword, type: 'string', metaSchema, errors: true, validate });
}

function rootKeyword(ajv: Ajv, keyword: string, metaSchema: object, check: RootCheck): void {
  const validate: SchemaValidateFunction = (schema, data) => {
    const problems = check(schema as never, data as Record<string, string>);
    validate.errors = problems.map((p) => ({ keyword, message: p.message, params: { rule: p.ruleId, key: p.key, missing: p.missing } }));
    return problems.length === 0;
  };
  ajv.addKeyword({ keyword, type: 'object', metaSchema, errors: true, validate });
}

const STRING_ARRAY = { type: 'array', items: { type: 'string', minLength: 1 } };

function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    // `required` without `properties` is valid and common in env schemas (keys matched by patternProperties).
    strictRequired: false,
    allErrors: true,
    allowUnionTypes: true,
    allowMatchingProperties: true,
  });
  const format = (name: string, test: (v: string) => boolean): void => {
    ajv.addFormat(name, { type: 'string', validate: (v: string) => isOpaqueValue(v) || test(v) });
  };
  format('https-url', isHttpsUrl);
  format('https-or-loopback-url', isHttpsOrLoopbackUrl);
  format('loopback-address', isLoopbackAddress);
  format('sha256-hex', (v) => /^[0-9a-fA-F]{64}$/.test(v));
  format('duration', (v) => /^\d+(ms|s|m|h|d|w)$/.test(v));

  valueKeyword(ajv, 'x-not-default-credential', { type: 'boolean' }, (on: boolean, value) =>
    on && isDefaultCredential(value) ? [{ rule: 'env-default-credential', message: 'is a well-known default or placeholder credential' }] : [],
  );
  valueKeyword(
    ajv,
    'x-min-strength',
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        minLength: { type: 'integer', minimum: 1 },
        minEntropyBits: { type: 'number', minimum: 1 },
        encoding: { enum: ['hex', 'base64', 'urlsafe'] },
        minBytes: { type: 'integer', minimum: 1 },
      },
    },
    (spec: StrengthSpec, value) => {
      // An empty value is "not set": `required` / `minLength` say so; a default is reported once.
      if (value === '' || isDefaultCredential(value)) return [];
      const why = strengthProblem(value, spec);
      return why ? [{ rule: 'env-weak-secret', message: why }] : [];
    },
  );
  valueKeyword(ajv, 'x-not-public-bind', { type: 'boolean' }, (on: boolean, value) => {
    if (!on || facts().allowPublicBind) return [];
    const why = publicBindProblem(value);
    return why ? [{ rule: 'env-public-bind', message: why }] : [];
  });
  valueKeyword(ajv, 'x-not-committed', { type: 'boolean' }, (on: boolean, value) =>
    on && value !== '' && !isDefaultCredential(value) && facts().tracked
      ? [{ rule: 'env-committed-secret', message: 'is set in a file tracked by git: never commit it; remove it from the file and rotate it' }]
      : [],
  );
  valueKeyword(ajv, 'x-production-https', { type: 'boolean' }, (on: boolean, value) =>
    // Only loopback http is left to report: other http URLs already fail the https-or-loopback-url format.
    on && facts().production && isHttpsOrLoopbackUrl(value) && !isHttpsUrl(value)
      ? [{ rule: 'env-https-only', message: 'must be an https:// URL in a production entry (loopback http included)' }]
      : [],
  );
  valueKeyword(ajv, 'x-production-value', { type: 'string' }, (expected: string, value) =>
    facts().production && value !== expected
      ? [{ rule: 'env-production-value', message: `must be "${expected}" in a production entry` }]
      : [],
  );
  valueKeyword(ajv, 'x-cors-origins', { type: 'boolean' }, (on: boolean, value) =>
    on
      ? corsProblems(value, facts().production).map((p) => ({
          rule: p.rule === 'wildcard' ? ('env-cors-wildcard' as const) : ('env-cors-insecure-origin' as const),
          message: p.message,
        }))
      : [],
  );
  valueKeyword(ajv, 'x-redis-url', { type: 'boolean' }, (on: boolean, value) =>
    on ? redisProblems(value).map((message) => ({ rule: 'env-redis-insecure' as const, message })) : [],
  );
  valueKeyword(ajv, 'x-external-https', { type: 'boolean' }, (on: boolean, value) => {
    const why = on ? externalHttpProblem(value) : undefined;
    return why ? [{ rule: 'env-external-http', message: why }] : [];
  });
  valueKeyword(ajv, 'x-enabled', { type: 'boolean' }, (on: boolean, value) =>
    on && isDisabledSetting(value) ? [{ rule: 'env-feature-disabled', message: 'turns the control off (false, 0, off or empty): enable it' }] : [],
  );

  rootKeyword(ajv, 'x-required-in-production', STRING_ARRAY, (keys: string[], env) =>
    facts().production
      ? keys
          .filter((k) => !(k in env) || env[k] === '')
          .map((k) => ({ ruleId: 'env-required-in-production', key: k, missing: !(k in env), message: `${k} must be set in a production entry` }))
      : [],
  );
  rootKeyword(
    ajv,
    'x-recommended',
    { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'reason'], properties: { key: { type: 'string' }, reason: { type: 'string' } } } },
    (items: { key: string; reason: string }[], env) =>
      items
        .filter((item) => !(item.key in env) || env[item.key] === '')
        .map((item) => ({ ruleId: 'env-recommended-key', key: item.key, missing: true, message: `${item.key} is not set: ${item.reason}` })),
  );
  rootKeyword(
    ajv,
    'x-required-key-pattern',
    {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['pattern', 'description'], properties: { pattern: { type: 'string', minLength: 1 }, description: { type: 'string' } } },
    },
    (items: { pattern: string; description: string }[], env) =>
      items
        .filter((item) => !Object.keys(env).some((k) => new RegExp(item.pattern).test(k)))
        .map((item) => ({ ruleId: 'env-required-key-pattern', missing: true, message: `no ${item.description} key is set (a key matching /${item.pattern}/)` })),
  );
  rootKeyword(
    ajv,
    'x-vault-kv-path',
    {
      type: 'object',
      additionalProperties: false,
      required: ['prefixKey', 'hashKey', 'defaultHash', 'leaf'],
      properties: { prefixKey: { type: 'string' }, hashKey: { type: 'string' }, defaultHash: { type: 'string' }, leaf: { type: 'string' } },
    },
    (spec: { prefixKey: string; hashKey: string; defaultHash: string; leaf: string }, env) => {
      const { allowedPaths, kvV2Mounts } = facts();
      const prefix = env[spec.prefixKey];
      if (allowedPaths.length === 0 || !prefix || isOpaqueValue(prefix)) return [];
      const hash = env[spec.hashKey] || spec.defaultHash;
      const apiPath = `${prefix.replace(/^\/+|\/+$/g, '')}/${hash}/${spec.leaf}`;
      const policyPath = kvPolicyPath(apiPath, kvV2Mounts);
      if (allowedPaths.some((allowed) => matchesPolicyPath(allowed, policyPath))) return [];
      return [
        {
          ruleId: 'env-vault-path-not-allowed',
          key: spec.prefixKey,
          message: `${spec.prefixKey} and ${spec.hashKey} make the KV path ${policyPath}, which is outside vault.allowed-paths`,
        },
      ];
    },
  );
  rootKeyword(ajv, 'x-git-ignored', { type: 'boolean' }, (on: boolean) => {
    const { tracked, ignored, template } = facts();
    if (!on || template) return [];
    if (tracked) return [{ ruleId: 'env-tracked-env-file', message: 'this file is tracked by git: it must never be committed; remove it from the index (git rm --cached) and rotate its secrets' }];
    if (ignored === false) return [{ ruleId: 'env-not-gitignored', message: 'this file is not excluded by .gitignore: add it so it cannot be committed' }];
    return [];
  });
  return ajv;
}

/** The policy path of a KV read: on a KV v2 mount, `data/` follows the mount. */
export function kvPolicyPath(apiPath: string, kvV2Mounts: string[]): string {
  const mount = kvV2Mounts
    .map((m) => m.replace(/^\/+|\/+$/g, ''))
    .filter((m) => apiPath === m || apiPath.startsWith(`${m}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (!mount) return apiPath;
  const rest = apiPath.slice(mount.length + 1);
  return /^(data|metadata)\//.test(rest) ? apiPath : `${mount}/data/${rest}`;
}

let ajvInstance: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Compiles `schema` once per `cacheKey` (a preset name or a schema file path).
 * Throws Ajv's error on a schema that is invalid or breaks strict mode.
 */
export function compileEnvSchema(cacheKey: string, schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(cacheKey);
  if (cached) return cached;
  ajvInstance ??= createAjv();
  // Two schema files may reuse an $id; the newest wins (never the draft-07 meta-schema itself).
  if (typeof schema.$id === 'string' && !schema.$id.startsWith('http://json-schema.org/')) ajvInstance.removeSchema(schema.$id);
  const validate = ajvInstance.compile(schema);
  compiled.set(cacheKey, validate);
  return validate;
}

const FORMAT_RULES: Record<string, { rule: EnvRuleId; message: string }> = {
  'https-url': { rule: 'env-https-only', message: 'must be an https:// URL' },
  'https-or-loopback-url': { rule: 'env-https-only', message: 'must be an https:// URL (plain http only to 127.0.0.1, ::1 or localhost)' },
  'loopback-address': { rule: 'env-loopback-only', message: 'must be a loopback address (127.0.0.1, ::1 or localhost)' },
  'sha256-hex': { rule: 'env-sha256-pin', message: 'must be a SHA-256 digest: 64 hex characters' },
  duration: { rule: 'env-invalid-duration', message: 'must be a duration such as 90d, 12h or 30s' },
};

function keyOfPath(instancePath: string): string | undefined {
  const first = instancePath.split('/')[1];
  return first === undefined || first === '' ? undefined : first.replace(/~1/g, '/').replace(/~0/g, '~');
}

function toProblem(error: ErrorObject): SchemaProblem {
  const key = keyOfPath(error.instancePath);
  // Keys come from the checked file: one shaped like a value (a key-body line read as a key) is never echoed.
  const named = key === undefined ? undefined : safeName(key, 'a key');
  const params = error.params as Record<string, unknown>;
  if (error.keyword.startsWith('x-')) {
    const target = (params.key as string | undefined) ?? key;
    const message = key && !params.key ? `${named} ${error.message ?? 'is invalid'}` : (error.message ?? 'is invalid');
    return { ruleId: params.rule as EnvRuleId, ...(target ? { key: target } : {}), ...(params.missing ? { missing: true } : {}), message };
  }
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    return { ruleId: 'env-required-key', key: missing, missing: true, message: `required key ${missing} is missing` };
  }
  if (error.keyword === 'format') {
    const known = FORMAT_RULES[String(params.format)];
    if (known) return { ruleId: known.rule, ...(key ? { key } : {}), message: `${named ?? 'value'} ${known.message}` };
  }
  if (error.keyword === 'minLength' && params.limit === 1 && key) {
    return { ruleId: 'env-required-key', key, message: `${named} is empty; it must be set` };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    return { ruleId: 'env-schema-violation', key: extra, message: `${safeName(extra, 'a key')} is not allowed by the schema` };
  }
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { ruleId: 'env-schema-violation', ...(key ? { key } : {}), message: `${named ?? 'the file'} ${error.message ?? 'is invalid'}${allowed}` };
}

/** Runs a compiled schema on the effective key/value pairs of one file. */
export function validateEnvObject(validate: ValidateFunction, env: Record<string, string>, fileFacts: EnvFileFacts): SchemaProblem[] {
  current = fileFacts;
  try {
    if (validate(env)) return [];
  } finally {
    current = undefined;
  }
  // A failing keyword inside anyOf/oneOf/if also reports the combinator itself: keep the specific one.
  const errors = (validate.errors ?? []).filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  return errors.slice(0, MAX_SCHEMA_ERRORS).map(toProblem);
}
