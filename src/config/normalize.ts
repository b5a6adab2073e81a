import { compileCustomRules, type CustomRuleSpec } from '../scanning/custom-rules.js';
import { BUILT_IN_RULE_IDS } from '../scanning/rules/index.js';
import type { Config, EnvPreset, GenerateFormat, VaultAuthMethod } from './types.js';
import { parseDuration, parsePercent, parseSize } from './units.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- validated by the schema first

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

/** A `scan.ignore` value: a leading `(?i)`, as gitleaks users write it, becomes the `i` flag. */
export function ignoreValuePattern(text: string): RegExp {
  return text.startsWith('(?i)') ? new RegExp(text.slice(4), 'i') : new RegExp(text);
}

/** Turns the schema-valid YAML object into the typed Config with defaults filled in. */
export function normalizeConfig(raw: Raw): Config {
  const scan: Raw = raw.scan ?? {};
  const vault: Raw = raw.vault ?? {};
  const auth: Raw = vault.auth ?? {};
  const rotation: Raw = raw.rotation ?? {};
  const github: Raw = raw['github-secrets'] ?? {};
  return {
    scan: {
      include: asList(scan.include),
      exclude: asList(scan.exclude),
      maxFileSize: parseSize(scan['max-file-size'] ?? '10MiB'),
      baseline: scan.baseline,
      ...(scan['test-paths'] ? { testPaths: asList(scan['test-paths']) } : {}),
      reportWeakInTests: scan['report-weak-in-tests'] ?? false,
      ignore: ((scan.ignore ?? []) as Raw[]).map((entry, index) => ({
        rule: entry.rule,
        paths: entry.paths,
        fingerprint: entry.fingerprint,
        ...(entry.value !== undefined ? { value: ignoreValuePattern(entry.value) } : {}),
        ...(entry.stopwords !== undefined ? { stopwords: (entry.stopwords as string[]).map((w) => w.toLowerCase()) } : {}),
        reason: entry.reason,
        expires: entry.expires,
        index,
      })),
      rules: scan.rules ? compileCustomRules(scan.rules as CustomRuleSpec[], BUILT_IN_RULE_IDS) : [],
      disable: asList(scan.disable),
    },
    env: ((raw.env ?? []) as Raw[]).map((entry, index) => ({
      files: asList(entry.files),
      preset: entry.preset as EnvPreset | undefined,
      schema: entry.schema,
      template: entry.template,
      production: entry.production ?? false,
      allowPublicBind: entry['allow-public-bind'] ?? false,
      index,
    })),
    vault: {
      address: vault.address,
      namespace: vault.namespace,
      caCert: vault['ca-cert'],
      timeoutMs: parseDuration(vault.timeout ?? '10s'),
      auth: {
        method: (auth.method ?? 'token') as VaultAuthMethod,
        mount: auth.mount,
        role: auth.role,
        audience: auth.audience,
        tokenEnv: auth['token-env'] ?? 'VAULT_TOKEN',
        roleIdEnv: auth['role-id-env'] ?? 'VAULT_ROLE_ID',
        secretIdEnv: auth['secret-id-env'] ?? 'VAULT_SECRET_ID',
      },
      kvV2Mounts: asList(vault['kv-v2-mounts']),
      policies: asList(vault.policies),
      allowedPaths: asList(vault['allowed-paths']),
      readOnlyPolicies: asList(vault['read-only-policies']),
      allowSudo: asList(vault['allow-sudo']),
    },
    rotation: {
      warnAt: parsePercent(rotation['warn-at'] ?? '80%'),
      maxPerRun: rotation['max-per-run'] ?? 1,
      secrets: ((rotation.secrets ?? []) as Raw[]).map((secret, index) => {
        const generate: Raw = secret.generate ?? {};
        const verify: Raw | undefined = secret.verify;
        return {
          name: secret.name,
          mount: secret.mount,
          path: secret.path,
          key: secret.key,
          maxAgeMs: parseDuration(secret['max-age']),
          generate: {
            format: (generate.format ?? 'hex') as GenerateFormat,
            bytes: generate.bytes ?? 32,
            length: generate.length ?? 32,
            charset: generate.charset,
          },
          verify: verify && {
            url: verify.url,
            maxTokenAgeMs: verify['max-token-age'] === undefined ? undefined : parseDuration(verify['max-token-age']),
            timeoutMs: parseDuration(verify.timeout ?? '70s'),
          },
          index,
        };
      }),
    },
    githubSecrets: {
      maxAgeMs: github['max-age'] === undefined ? undefined : parseDuration(github['max-age']),
      organization: github.organization,
    },
  };
}
