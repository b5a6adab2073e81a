import type { VaultConfig } from '../../config/types.js';
import type { PolicyRuleId } from './catalog.js';
import type { PolicyRule } from './parse.js';
import {
  bestMatchingRule,
  examplePathOf,
  isForbiddenPattern,
  matchesPolicyPath,
  patternContains,
  patternsOverlap,
  stripLeadingSlash,
} from './paths.js';

export interface PolicyIssue {
  ruleId: PolicyRuleId;
  message: string;
  rule: PolicyRule;
}

const WRITE_CAPABILITIES = ['create', 'update', 'patch', 'delete'];
const KV2_SUBPATHS = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys', 'config'];
const VAULT_ONLY_CAPABILITIES = ['subscribe', 'recover'];
const OPENBAO_ONLY_CAPABILITIES = ['scan'];
const ONLY_VAULT = 'exists only in Vault (OpenBao rejects the policy)';
const ONLY_OPENBAO = 'exists only in OpenBao (Vault rejects the policy)';
const ENGINE_SPECIFIC_KEYS: Record<string, string> = {
  subscribe_event_types: ONLY_VAULT,
  expiration: ONLY_OPENBAO,
  pagination_limit: ONLY_OPENBAO,
  list_scan_response_keys_filter_path: ONLY_OPENBAO,
  control_group: 'works only in Vault Enterprise (OpenBao rejects the policy)',
};
/** Mount-like first segments that are not secret engines: listing them is covered by other rules. */
const NOT_SECRET_MOUNTS = new Set(['sys', 'auth', 'identity', 'cubbyhole']);

const SYS_SENSITIVE = ['sys/auth/*', 'sys/mounts*', 'sys/audit*', 'sys/raw*', 'sys/generate-root*', 'sys/rekey*', 'sys/seal'];
const POLICY_ENDPOINTS = ['sys/policy*', 'sys/policies/*'];
const DEFAULT_POLICY_PATHS = ['sys/policies/acl/default', 'sys/policy/default'];
const TOKEN_CREATE = 'auth/token/create*';
const IDENTITY_WRITES = ['identity/entity*', 'identity/group*'];
/** Role definitions only: auth/MOUNT/role/NAME/secret-id and similar sub-endpoints are narrower. */
const AUTH_ROLES = ['auth/token/roles/+', 'auth/+/role/+'];
const LEASE_REVOKE = 'sys/leases/revoke*';

/** Templates are opaque: hide them so their text never looks like `*` or `+`. */
const maskTemplates = (path: string): string => path.replace(/\{\{.*?\}\}/g, (t) => 'T'.repeat(t.length));

const grants = (rule: PolicyRule): boolean => rule.capabilities.length > 0 && !rule.capabilities.includes('deny');
const has = (rule: PolicyRule, ...capabilities: string[]): boolean => capabilities.some((c) => rule.capabilities.includes(c));
const writes = (rule: PolicyRule): boolean => has(rule, ...WRITE_CAPABILITIES);
const overlapsAny = (path: string, targets: string[]): boolean => targets.some((target) => patternsOverlap(path, target));

const normalizeMount = (mount: string): string => mount.replace(/^\/+|\/+$/g, '');
const quote = (path: string): string => `"${path}"`;

/** Does the path have a `*` that is not its last character (outside templates)? */
function hasInnerGlob(path: string): boolean {
  const masked = maskTemplates(stripLeadingSlash(path));
  const body = masked.endsWith('*') ? masked.replace(/\*+$/, '') : masked;
  return body.includes('*') || /\*\*+$/.test(masked);
}

/** Rewrites literal `*` segments into `+` and keeps only a single trailing glob. */
function withWildcardSegments(path: string): string {
  const stripped = stripLeadingSlash(path);
  const prefix = stripped.endsWith('*');
  const segments = stripped.replace(/\*+$/, '').split('/');
  const fixed = segments.map((segment, k) => {
    const masked = maskTemplates(segment);
    if (!masked.includes('*')) return segment;
    // A glob in the last segment of a prefix rule keeps its literal lead: a*b* → a*
    if (k === segments.length - 1 && prefix) return segment.slice(0, masked.indexOf('*'));
    return '+';
  });
  return `${fixed.join('/')}${prefix ? '*' : ''}`;
}

/** The declared KV v2 mount a path lies on (longest match), if any. */
function kvV2MountOf(path: string, mounts: string[]): string | undefined {
  const stripped = stripLeadingSlash(path);
  return mounts
    .map(normalizeMount)
    .filter((mount) => mount !== '' && stripped.startsWith(`${mount}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** `MOUNT/foo` → `MOUNT/data/foo` (with literal `*` segments turned into `+`). */
function withKvV2Data(path: string, mount: string): string {
  const fixed = withWildcardSegments(path);
  return `${mount}/data/${fixed.slice(mount.length + 1)}`;
}

/** The path with `+` segments; with data/ inserted when it sits (or may sit) on a KV v2 mount without it. */
function globSuggestion(path: string, kvMount: string | undefined): string {
  const fixed = withWildcardSegments(path);
  if (kvMount) return quote(missesKvV2Subpath(path, kvMount) ? withKvV2Data(path, kvMount) : fixed);
  const segments = stripLeadingSlash(path).split('/');
  const mount = segments[0]!;
  const mountIsLiteral = segments.length > 1 && !mount.includes('*') && !mount.includes('+');
  const kvHint = mountIsLiteral && missesKvV2Subpath(path, mount) ? ` (on a KV v2 mount: ${quote(withKvV2Data(path, mount))})` : '';
  return `${quote(fixed)}${kvHint}`;
}

/** Does the segment right after the KV v2 mount miss every valid subpath (data/, metadata/, …)? */
function missesKvV2Subpath(path: string, mount: string): boolean {
  const stripped = stripLeadingSlash(path);
  const rest = stripped.slice(mount.length + 1);
  if (rest === '') return false;
  const slash = rest.indexOf('/');
  const segment = slash === -1 ? rest : rest.slice(0, slash);
  if (segment === '+') return false;
  const isLastWithGlob = slash === -1 && segment.endsWith('*');
  if (isLastWithGlob) {
    const lead = segment.slice(0, -1);
    return !KV2_SUBPATHS.some((sub) => sub.startsWith(lead));
  }
  return !KV2_SUBPATHS.includes(segment);
}

/** `*`, `/*` or a `+` mount segment: the rule spans every mount, sys/ and auth/ included. */
function isCatchAll(path: string): boolean {
  const stripped = stripLeadingSlash(path);
  return stripped === '*' || stripped.split('/')[0] === '+';
}

function isBroadSys(path: string): boolean {
  return ['sys/*', 'sys/+', 'sys/+/*'].some((inner) => patternContains(path, inner));
}

/** The paths a `list` on the mount root would be: MOUNT/ or, on KV v2, MOUNT/metadata/. */
function mountRootListPaths(path: string, kvV2Mounts: string[]): string[] {
  const stripped = stripLeadingSlash(path);
  const kvMount = kvV2MountOf(stripped, kvV2Mounts);
  if (kvMount) return [`${kvMount}/metadata/`, `${kvMount}/`];
  const first = stripped.split('/')[0]!;
  if (first === '' || first.includes('*') || first === '+' || NOT_SECRET_MOUNTS.has(first) || !stripped.includes('/')) return [];
  return [`${first}/`, `${first}/metadata/`];
}

function readOnlyViolation(rule: PolicyRule, kvV2Mounts: string[]): string | undefined {
  if (!grants(rule)) return undefined;
  if (has(rule, 'delete')) return 'delete';
  if (!has(rule, 'create', 'update', 'patch')) return undefined;
  const mounts = kvV2Mounts.map(normalizeMount).filter(Boolean);
  const targets = [...['+/delete/*', '+/destroy/*'], ...mounts.flatMap((m) => [`${m}/delete/*`, `${m}/destroy/*`])];
  return overlapsAny(rule.path, targets) ? 'write access to KV v2 delete/ or destroy/' : undefined;
}


/** Everything wrong with one rule on its own. */
function ruleIssues(rule: PolicyRule, config: VaultConfig, readOnly: boolean): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const add = (ruleId: PolicyRuleId, message: string): void => {
    issues.push({ ruleId, message, rule });
  };
  const path = rule.path;
  const masked = maskTemplates(stripLeadingSlash(path));
  const kvMount = kvV2MountOf(path, config.kvV2Mounts);

  if (isForbiddenPattern(path)) {
    add('vault-policy-plus-glob', `path ${quote(path)} contains "+*", which Vault rejects: use "+/*" or "+"`);
  } else {
    if (hasInnerGlob(path)) {
      add(
        'vault-policy-glob-not-at-end',
        `path ${quote(path)}: "*" is a glob only at the end of a path; here it is a literal asterisk, so the rule matches nothing a deployment writes: use ${globSuggestion(path, kvMount)}`,
      );
    }
    const segments = masked.replace(/\*+$/, '').split('/');
    if (segments.some((segment) => segment.includes('+') && segment !== '+')) {
      add('vault-policy-plus-in-segment', `path ${quote(path)}: "+" is a wildcard only as a whole segment; inside a segment it is a literal plus sign`);
    }
  }

  if (kvMount && missesKvV2Subpath(path, kvMount)) {
    add(
      'vault-policy-kv2-missing-prefix',
      `path ${quote(path)} grants nothing: "${kvMount}" is a KV v2 mount, whose API paths are ${kvMount}/data/… and ${kvMount}/metadata/…; use ${quote(withKvV2Data(path, kvMount))}`,
    );
  }
  if (kvMount && rule.hasParameters) {
    add('vault-policy-kv2-parameters', `path ${quote(path)}: allowed/denied/required_parameters have no effect on KV v2 secrets ("${kvMount}" nests values under data)`);
  }

  if (grants(rule) && config.allowedPaths.length > 0 && !config.allowedPaths.some((allowed) => patternContains(allowed, path))) {
    add('vault-policy-outside-allowed-paths', `path ${quote(path)} is not inside vault.allowed-paths (${config.allowedPaths.join(', ')})`);
  }

  const catchAll = grants(rule) && isCatchAll(path);
  if (catchAll) {
    add('vault-policy-catch-all', `path ${quote(path)} matches every mount (sys/ and auth/ included) and grants ${rule.capabilities.join(', ')}: only deny is safe here`);
  }
  const sudoAllowed = config.allowSudo.some((allowed) => patternContains(allowed, path));
  const tokenCreateSudo = has(rule, 'sudo') && !sudoAllowed && !catchAll && patternsOverlap(path, TOKEN_CREATE);
  if (tokenCreateSudo) {
    add('vault-policy-token-create-sudo', `path ${quote(path)}: sudo on auth/token/create lets this token mint tokens with any policy, including root`);
  } else if (has(rule, 'sudo') && !sudoAllowed) {
    add('vault-policy-sudo', `path ${quote(path)} grants sudo, which is not allowed here by vault.allow-sudo`);
  }

  const broadSys = grants(rule) && !catchAll && isBroadSys(path);
  if (broadSys) add('vault-policy-sys-broad', `path ${quote(path)} grants ${rule.capabilities.join(', ')} across sys/, the control plane of Vault`);

  if (grants(rule) && !catchAll && !broadSys) {
    const sensitive = SYS_SENSITIVE.filter((target) => patternsOverlap(path, target));
    if (sensitive.length > 0) add('vault-policy-sys-sensitive', `path ${quote(path)} grants access to ${sensitive.join(', ')}`);
    if (writes(rule)) {
      const stripped = stripLeadingSlash(path);
      if (DEFAULT_POLICY_PATHS.includes(stripped)) {
        add('vault-policy-default-policy-write', `path ${quote(path)} can rewrite the default policy, which every token carries`);
      } else if (overlapsAny(path, POLICY_ENDPOINTS)) {
        const coversDefault = DEFAULT_POLICY_PATHS.some((p) => matchesPolicyPath(path, p));
        add('vault-policy-policy-write', `path ${quote(path)} can write policies${coversDefault ? ', including default (carried by every token)' : ''}: a token can grant itself any access`);
      }
      if (overlapsAny(path, IDENTITY_WRITES)) add('vault-policy-identity-write', `path ${quote(path)} can write identity entities or groups, which carry policies`);
      if (overlapsAny(path, AUTH_ROLES)) add('vault-policy-auth-role-write', `path ${quote(path)} can write auth role definitions, which decide the policies a login gets`);
    }
    if (patternsOverlap(path, LEASE_REVOKE)) add('vault-policy-lease-revoke', `path ${quote(path)} can reach sys/leases/revoke*, which revokes every lease under a prefix`);
  }
  if (!tokenCreateSudo && !catchAll && has(rule, 'create', 'update') && patternsOverlap(path, TOKEN_CREATE)) {
    add('vault-policy-token-create', `path ${quote(path)} can create child tokens`);
  }

  if (has(rule, 'list') && !catchAll && !broadSys) {
    const root = mountRootListPaths(path, config.kvV2Mounts).find((p) => matchesPolicyPath(path, p));
    if (root) add('vault-policy-list-mount-root', `path ${quote(path)} grants list on the mount root (${root}), disclosing every key name in the mount`);
  }

  if (readOnly) {
    const violation = readOnlyViolation(rule, config.kvV2Mounts);
    if (violation) add('vault-policy-read-only-delete', `path ${quote(path)} grants ${violation}, but this policy is listed in vault.read-only-policies`);
  }

  if (rule.declaredCapabilities.includes('deny') && rule.declaredCapabilities.length > 1) {
    const others = rule.declaredCapabilities.filter((c) => c !== 'deny');
    add('vault-policy-deny-mixed', `path ${quote(path)}: deny makes Vault ignore ${others.join(', ')} in the same block`);
  }
  if (rule.minWrappingTtl !== undefined && rule.maxWrappingTtl !== undefined && rule.minWrappingTtl > 0 && rule.maxWrappingTtl > 0 && rule.maxWrappingTtl < rule.minWrappingTtl) {
    add('vault-policy-wrapping-ttl', `path ${quote(path)}: max_wrapping_ttl (${rule.maxWrappingTtl}s) is below min_wrapping_ttl (${rule.minWrappingTtl}s); Vault refuses the policy`);
  }

  const vaultOnly = rule.declaredCapabilities.filter((c) => VAULT_ONLY_CAPABILITIES.includes(c));
  const openBaoOnly = rule.declaredCapabilities.filter((c) => OPENBAO_ONLY_CAPABILITIES.includes(c));
  const keys = Object.keys(rule.body).filter((key) => key in ENGINE_SPECIFIC_KEYS);
  const notes = [
    ...vaultOnly.map((c) => `capability "${c}" ${ONLY_VAULT}`),
    ...openBaoOnly.map((c) => `capability "${c}" ${ONLY_OPENBAO}`),
    ...keys.map((key) => `key "${key}" ${ENGINE_SPECIFIC_KEYS[key]}`),
  ];
  if (notes.length > 0) add('vault-policy-engine-specific', `path ${quote(path)}: ${notes.join('; ')}`);
  return issues;
}

/** Problems between rules of the same policy: duplicates and specific allows overriding a broad deny. */
function crossRuleIssues(rules: PolicyRule[]): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const firstByPath = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = stripLeadingSlash(rule.path);
    const first = firstByPath.get(key);
    if (first) {
      issues.push({
        ruleId: 'vault-policy-duplicate-path',
        message: `path ${quote(rule.path)} is already declared on line ${first.line}; Vault merges both blocks (deny wins)`,
        rule,
      });
    } else {
      firstByPath.set(key, rule);
    }
  }

  const denies = rules.filter((rule) => rule.capabilities.includes('deny'));
  for (const allow of rules.filter(grants)) {
    const example = examplePathOf(allow.path);
    const overridden = denies.find(
      (deny) =>
        stripLeadingSlash(deny.path) !== stripLeadingSlash(allow.path) &&
        matchesPolicyPath(deny.path, example) &&
        bestMatchingRule([deny, allow], example) === allow,
    );
    if (overridden) {
      issues.push({
        ruleId: 'vault-policy-deny-overridden',
        message: `path ${quote(allow.path)} overrides the broader deny on ${quote(overridden.path)} (line ${overridden.line}): Vault applies the most specific rule, so the deny does not win here`,
        rule: allow,
      });
    }
  }
  return issues;
}

/** All lint issues for a parsed policy. `readOnly`: the policy matches vault.read-only-policies. */
export function lintRules(rules: PolicyRule[], config: VaultConfig, readOnly: boolean): PolicyIssue[] {
  return [...rules.flatMap((rule) => ruleIssues(rule, config, readOnly)), ...crossRuleIssues(rules)];
}
