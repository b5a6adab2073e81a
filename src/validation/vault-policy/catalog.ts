import type { RuleDescriptor, Severity } from '../../core/finding.js';
import { describeRules, type RuleText } from '../../core/rule-catalog.js';

/** Every rule the Vault policy linter can report, with the remediation shown in SARIF and summaries. */
const RULES = {
  'vault-policy-syntax': {
    severity: 'high',
    name: 'PolicySyntax',
    short: 'Policy file cannot be parsed',
    full: 'Vault parses ACL policies as HCL v1 (or its JSON form). This file is not valid HCL, or is binary or not UTF-8, so Vault would refuse it.',
    help: 'Fix the syntax at the reported line; `vault policy fmt FILE` shows the same error.',
  },
  'vault-policy-schema': {
    severity: 'high',
    name: 'PolicyStructure',
    short: 'Policy has unknown keys or invalid values',
    full: 'Vault rejects a policy with an unknown key, an invalid capability (such as "*" or "write") or a value of the wrong type.',
    help: 'Use only name and path blocks at the top level; inside a path block use capabilities (create, read, update, patch, delete, list, sudo, deny, subscribe, recover, scan), the *_parameters keys, min/max_wrapping_ttl, mfa_methods, control_group, expiration or comment.',
  },
  'vault-policy-empty': {
    severity: 'medium',
    name: 'EmptyPolicy',
    short: 'Policy has no path blocks',
    full: 'A policy without path blocks grants nothing; it is usually a mistake or a leftover.',
    help: 'Add the path blocks the token needs, or delete the file.',
  },
  'vault-policy-glob-not-at-end': {
    severity: 'high',
    name: 'GlobNotAtEnd',
    short: '`*` inside a policy path is a literal character',
    full: 'In Vault ACL paths `*` is a glob only at the very end. Anywhere else it is a literal asterisk, so the rule matches none of the paths it was meant for.',
    help: 'Replace a wildcard segment with `+` (exactly one segment), e.g. `status_panel/data/+/token` on a KV v2 mount, or list the paths explicitly.',
  },
  'vault-policy-plus-in-segment': {
    severity: 'medium',
    name: 'PlusInSegment',
    short: '`+` inside a segment is a literal character',
    full: '`+` is a wildcard only as a whole path segment (`a/+/b`); inside a segment (`a/b+/c`) it is a literal plus sign.',
    help: 'Use `+` as a whole segment, or remove it.',
  },
  'vault-policy-plus-glob': {
    severity: 'high',
    name: 'PlusGlob',
    short: '`+*` is forbidden in policy paths',
    full: 'Vault refuses a policy whose path contains `+*`.',
    help: 'Use `+/*` (one segment, then anything below it) or `+` alone.',
  },
  'vault-policy-outside-allowed-paths': {
    severity: 'high',
    name: 'OutsideAllowedPaths',
    short: 'Policy path is outside vault.allowed-paths',
    full: 'Every rule must stay inside one of the configured `vault.allowed-paths` patterns (checked with Vault path semantics, not as a string prefix).',
    help: 'Narrow the path so it lies inside an allowed path, or extend `vault.allowed-paths` in .keywarden.yml if the access is intended.',
  },
  'vault-policy-kv2-missing-prefix': {
    severity: 'high',
    name: 'KvV2MissingDataPrefix',
    short: 'KV v2 rule without data/ or metadata/ grants nothing',
    full: 'On a KV v2 mount the API paths are MOUNT/data/…, MOUNT/metadata/… (and delete/undelete/destroy/subkeys/config). A rule on MOUNT/foo matches no request.',
    help: 'Write MOUNT/data/PATH for reading and writing secrets and MOUNT/metadata/PATH for metadata and list.',
  },
  'vault-policy-kv2-parameters': {
    severity: 'medium',
    name: 'KvV2Parameters',
    short: '*_parameters do not work on KV v2 paths',
    full: 'KV v2 nests secret values under `data`, so allowed_parameters, denied_parameters and required_parameters cannot restrict them.',
    help: 'Remove the *_parameters keys and restrict by path instead.',
  },
  'vault-policy-catch-all': {
    severity: 'critical',
    name: 'CatchAllPath',
    short: 'Rule matches every mount',
    full: 'A path such as "*" or "+/…" applies to every mount, including sys/ and auth/; anything but deny there grants far more than intended.',
    help: 'Replace it with rules for the specific mounts and paths the token needs.',
  },
  'vault-policy-sudo': {
    severity: 'critical',
    name: 'SudoCapability',
    short: 'sudo outside vault.allow-sudo',
    full: 'sudo unlocks root-protected endpoints. It should appear only on the paths listed in `vault.allow-sudo`.',
    help: 'Remove sudo, or add the path to `vault.allow-sudo` if it is really needed.',
  },
  'vault-policy-sys-broad': {
    severity: 'critical',
    name: 'BroadSysAccess',
    short: 'Broad access to sys/',
    full: 'sys/ holds the cluster’s control plane (policies, mounts, auth methods, audit, seal). A broad rule on it lets the token reconfigure Vault.',
    help: 'Grant only the specific sys/ endpoints needed, e.g. sys/leases/renew or sys/capabilities-self.',
  },
  'vault-policy-sys-sensitive': {
    severity: 'critical',
    name: 'SensitiveSysPath',
    short: 'Access to auth methods, mounts, audit, raw storage, root generation, rekey or seal',
    full: 'sys/auth/*, sys/mounts*, sys/audit*, sys/raw*, sys/generate-root*, sys/rekey* and sys/seal control who can log in, where secrets live, what is audited and the seal itself.',
    help: 'Remove the rule; these endpoints belong to operators using short-lived root or break-glass tokens.',
  },
  'vault-policy-policy-write': {
    severity: 'critical',
    name: 'PolicyWrite',
    short: 'Writes to policies (self-escalation)',
    full: 'A token that can create, update, patch or delete sys/policy* or sys/policies/* can grant itself any access.',
    help: 'Remove write capabilities on policy endpoints; manage policies from a trusted pipeline with its own credentials.',
  },
  'vault-policy-default-policy-write': {
    severity: 'critical',
    name: 'DefaultPolicyWrite',
    short: 'Writes to the default policy',
    full: 'Every token carries the default policy, and it can be edited: write access to it is write access to every token’s permissions.',
    help: 'Remove write capabilities on sys/policies/acl/default (and sys/policy/default).',
  },
  'vault-policy-token-create-sudo': {
    severity: 'critical',
    name: 'TokenCreateSudo',
    short: 'sudo on auth/token/create',
    full: 'With sudo on auth/token/create a token can mint tokens with any policies, including root, and orphan tokens.',
    help: 'Drop sudo; use token roles (auth/token/create/ROLE) with allowed_policies instead.',
  },
  'vault-policy-token-create': {
    severity: 'low',
    name: 'TokenCreate',
    short: 'Can create child tokens',
    full: 'Without sudo, tokens created through auth/token/create get a subset of the creator’s policies; still, each is a new credential to track.',
    help: 'Prefer token roles (auth/token/create/ROLE) with explicit allowed_policies and TTLs.',
  },
  'vault-policy-identity-write': {
    severity: 'critical',
    name: 'IdentityWrite',
    short: 'Writes to identity entities or groups',
    full: 'Entities and groups carry policies; a token that can write identity/entity* or identity/group* can attach policies to itself.',
    help: 'Remove write capabilities on identity/entity* and identity/group*.',
  },
  'vault-policy-auth-role-write': {
    severity: 'critical',
    name: 'AuthRoleWrite',
    short: 'Writes to auth roles',
    full: 'Auth roles (auth/token/roles/*, auth/MOUNT/role/NAME) decide which policies a login gets; writing them is privilege escalation.',
    help: 'Remove write capabilities on role definitions; issuing secret IDs (auth/MOUNT/role/NAME/secret-id) is a separate, narrower path.',
  },
  'vault-policy-list-mount-root': {
    severity: 'high',
    name: 'ListMountRoot',
    short: 'list on a mount root',
    full: 'list returns every key name under the path and is not filtered by other rules, so list on a mount root discloses the whole mount’s layout.',
    help: 'Grant list only on the folders the token works in, e.g. secret/metadata/app/*.',
  },
  'vault-policy-read-only-delete': {
    severity: 'high',
    name: 'ReadOnlyPolicyDeletes',
    short: 'Read-only policy can delete or destroy',
    full: 'This file matches `vault.read-only-policies`, yet a rule grants delete, or writes to KV v2 delete/ or destroy/.',
    help: 'Remove delete (and write access to delete/ and destroy/) from read-only policies.',
  },
  'vault-policy-lease-revoke': {
    severity: 'high',
    name: 'LeaseRevoke',
    short: 'Access to sys/leases/revoke*',
    full: 'Revoking leases by prefix or force cuts off every credential issued under a path: a denial-of-service lever.',
    help: 'Let tokens revoke only their own leases (auth/token/revoke-self, sys/leases/revoke with the lease id from a trusted pipeline).',
  },
  'vault-policy-deny-mixed': {
    severity: 'medium',
    name: 'DenyMixed',
    short: 'deny mixed with other capabilities',
    full: 'When deny is present Vault ignores every other capability in the block.',
    help: 'Keep deny alone, or remove it if the other capabilities were meant.',
  },
  'vault-policy-duplicate-path': {
    severity: 'medium',
    name: 'DuplicatePath',
    short: 'Path declared twice in one policy',
    full: 'Vault merges blocks with the same path (deny wins), which hides what the policy really grants.',
    help: 'Merge the blocks into one.',
  },
  'vault-policy-deny-overridden': {
    severity: 'medium',
    name: 'DenyOverridden',
    short: 'A more specific rule overrides a broader deny',
    full: 'Vault applies only the most specific matching rule (priority matching), so a specific allow overrides a broad deny in the same policy; deny does not win across different paths.',
    help: 'If the deny was meant to win, repeat deny on the specific path or remove the allow.',
  },
  'vault-policy-wrapping-ttl': {
    severity: 'medium',
    name: 'WrappingTtlOrder',
    short: 'max_wrapping_ttl is below min_wrapping_ttl',
    full: 'No wrap TTL can satisfy both bounds; Vault refuses to load such a policy.',
    help: 'Make max_wrapping_ttl at least min_wrapping_ttl.',
  },
  'vault-policy-engine-specific': {
    severity: 'low',
    name: 'EngineSpecific',
    short: 'Capability or key known to only one of Vault and OpenBao',
    full: 'subscribe, recover and subscribe_event_types exist only in Vault and scan, expiration, pagination_limit and list_scan_response_keys_filter_path only in OpenBao: the other server rejects the policy. control_group works only in Vault Enterprise.',
    help: 'Keep it if the policy targets that server only; otherwise remove it.',
  },
} satisfies Record<string, RuleText>;

export type PolicyRuleId = keyof typeof RULES;

export function severityOf(id: PolicyRuleId): Severity {
  return RULES[id].severity as Severity;
}

export function policyRuleDescriptors(): RuleDescriptor[] {
  return describeRules('validate', RULES, ['security', 'vault']);
}
