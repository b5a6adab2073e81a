import type { RunContext } from '../core/context.js';
import { makeFinding, type Finding, type RuleDescriptor } from '../core/finding.js';
import type { RotationSecret } from '../config/types.js';
import { describeRules, type RuleText } from '../core/rule-catalog.js';

/** Every rule rotation-check and rotate can report. */
const RULES = {
  'rotation-overdue': {
    severity: 'high',
    name: 'RotationOverdue',
    short: 'Secret is older than its max-age',
    full: 'The key was last rotated longer ago than the max-age configured for it in rotation.secrets.',
    help: 'Run `keywarden rotate --secret NAME` (or the scheduled rotation workflow) to rotate it now.',
  },
  'rotation-due-soon': {
    severity: 'medium',
    name: 'RotationDueSoon',
    short: 'Secret is past warn-at of its max-age',
    full: 'The key has reached rotation.warn-at of its max-age; `keywarden rotate --due` rotates it.',
    help: 'Let the scheduled rotation run, or rotate it now with `keywarden rotate --secret NAME`.',
  },
  'rotation-secret-missing': {
    severity: 'high',
    name: 'RotationSecretMissing',
    short: 'Configured secret does not exist in Vault',
    full: 'rotation.secrets lists a secret that Vault does not hold (or whose current version is deleted).',
    help: 'Create the secret in Vault, or fix mount and path in .keywarden.yml.',
  },
  'rotation-key-missing': {
    severity: 'high',
    name: 'RotationKeyMissing',
    short: 'Configured key is missing from the secret',
    full: 'The secret exists in Vault but its current version has no value under the configured key.',
    help: 'Add the key to the secret in Vault, or fix `key` in .keywarden.yml.',
  },
  'rotation-age-unknown': {
    severity: 'low',
    name: 'RotationAgeUnknown',
    short: 'Secret age cannot be known',
    full: 'KV v1 mounts keep no versions, creation times or metadata, so the age of the secret cannot be established (and keywarden will not rotate it).',
    help: 'Move the secret to a KV v2 mount to have its age checked and rotation automated.',
  },
  'rotation-vault-error': {
    severity: 'high',
    name: 'RotationVaultError',
    short: 'Vault could not be read',
    full: 'Vault was unreachable, refused the token (permission denied) or answered an error, so this secret could not be checked.',
    help: 'Check the Vault address and that the token policy grants `read` on MOUNT/data/PATH and MOUNT/metadata/PATH.',
  },
  'rotation-agent-unreachable': {
    severity: 'medium',
    name: 'RotationAgentUnreachable',
    short: 'Agent health endpoint did not answer usefully',
    full: 'verify.url could not be fetched, or did not answer JSON with token_age_seconds and last_refresh_ok.',
    help: 'Check that the agent runs and that verify.url points at its /health endpoint.',
  },
  'rotation-agent-refresh-failed': {
    severity: 'high',
    name: 'RotationAgentRefreshFailed',
    short: 'Agent failed to refresh its token from Vault',
    full: 'The agent reports last_refresh_ok false (or null: it does not read its token from Vault), so a rotated token would not reach it.',
    help: "Check the agent's logs for Vault fetch errors, its Vault address, token and path.",
  },
  'rotation-agent-token-stale': {
    severity: 'medium',
    name: 'RotationAgentTokenStale',
    short: "Agent's token is older than verify.max-token-age",
    full: "The agent's token_age_seconds is above verify.max-token-age: it has not picked up a new token for longer than expected.",
    help: 'Check that the agent refreshes from the same mount and path keywarden rotates.',
  },
  'rotation-failed': {
    severity: 'high',
    name: 'RotationFailed',
    short: 'Rotation failed',
    full: 'A rotation step failed; the run stopped and the report lists which secrets were rotated and which were not. When the failure came after the write, the message gives the new version.',
    help: 'Read the message: it says whether Vault holds the old or the new value. Fix the cause and run rotate again.',
  },
  'rotation-not-verified': {
    severity: 'high',
    name: 'RotationNotVerified',
    short: 'Agent did not pick up the rotated value',
    full: 'The new version was written, but the health endpoint did not show the agent using it (token_age_seconds newer than the write and last_refresh_ok true) within verify.timeout.',
    help: "Check the agent: it may still use the old token. The message gives the new version; roll back to the old version in Vault if the agent cannot read the new one.",
  },
  'github-secret-overdue': {
    severity: 'high',
    name: 'GithubSecretOverdue',
    short: 'GitHub Actions secret is older than github-secrets.max-age',
    full: "The secret's updated_at is further back than github-secrets.max-age.",
    help: 'Rotate the credential at its source and update the GitHub secret.',
  },
  'github-secret-due-soon': {
    severity: 'medium',
    name: 'GithubSecretDueSoon',
    short: 'GitHub Actions secret is past warn-at of github-secrets.max-age',
    full: "The secret's updated_at has reached rotation.warn-at of github-secrets.max-age.",
    help: 'Plan to rotate the credential and update the GitHub secret.',
  },
  'github-secrets-unreadable': {
    severity: 'low',
    name: 'GithubSecretsUnreadable',
    short: 'GitHub Actions secrets could not be listed',
    full: 'Listing secrets needs a token with secrets read access (a fine-grained token or GitHub App token with "Secrets: read"); the default GITHUB_TOKEN cannot list them.',
    help: 'Pass such a token as the github-token input (or GITHUB_TOKEN for the CLI), or remove github-secrets from .keywarden.yml.',
  },
  'github-secrets-error': {
    severity: 'medium',
    name: 'GithubSecretsError',
    short: 'GitHub API error while listing secrets',
    full: 'The GitHub REST API could not be reached or answered an unexpected error.',
    help: 'Check GITHUB_API_URL and the network, then run again.',
  },
} satisfies Record<string, RuleText>;

export type RotationRuleId = keyof typeof RULES;

export const ROTATION_RULES: RuleDescriptor[] = describeRules('rotation', RULES, ['security', 'rotation']);

function configFile(ctx: RunContext): string {
  return ctx.source.file ?? '.keywarden.yml';
}

/** A finding about one configured secret, at the `.keywarden.yml` line that declares it; never holds a value. */
export function secretFinding(ctx: RunContext, secret: RotationSecret, ruleId: RotationRuleId, message: string): Finding {
  return sectionFinding(ctx, ['rotation', 'secrets', secret.index], ruleId, message, `${secret.mount}\u0000${secret.path}\u0000${secret.key}`);
}

/** A finding about the config section at `keyPath` (the rotation or github-secrets block); `subject` identifies it stably. */
export function sectionFinding(ctx: RunContext, keyPath: (string | number)[], ruleId: RotationRuleId, message: string, subject: string): Finding {
  const { line, column } = ctx.source.locate(keyPath);
  return makeFinding({
    ruleId,
    check: 'rotation',
    severity: RULES[ruleId].severity,
    message,
    file: configFile(ctx),
    startLine: line,
    startColumn: column,
    fingerprintMaterial: `${ruleId}\u0000${subject}`,
  });
}

/** `status_panel/deployment-123-abc/token#token`: how messages name a secret's key. */
export function describeSecret(secret: RotationSecret): string {
  return `"${secret.name}" (${secret.mount}/${secret.path}#${secret.key})`;
}
