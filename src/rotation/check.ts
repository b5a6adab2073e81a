import type { RotationSecret } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import type { RunContext } from '../core/context.js';
import { describeError, UserError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { CheckResult } from '../core/result.js';
import type { VaultClient } from '../vault/types.js';
import { ageStatus, readSecretState, type SecretState } from './age.js';
import type { RotationDeps } from './deps.js';
import { checkGithubSecrets } from './github-secrets.js';
import { displayUrl, readHealth, type FetchLike } from './health.js';
import { describeSecret, ROTATION_RULES, secretFinding } from './rules.js';

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function sinceText(state: Extract<SecretState, { kind: 'aged' }>): string {
  return state.source === 'custom_metadata'
    ? `last rotated ${formatDuration(state.ageMs)} ago`
    : `unchanged for ${formatDuration(state.ageMs)} (no rotation recorded by keywarden; counted from version ${state.version}'s creation)`;
}

/** The age findings for one secret: nothing when it is fresh. */
function ageFindings(ctx: RunContext, secret: RotationSecret, state: SecretState): Finding[] {
  const what = describeSecret(secret);
  switch (state.kind) {
    case 'missing':
      return [secretFinding(ctx, secret, 'rotation-secret-missing', `${what} does not exist in Vault (or its current version is deleted)`)];
    case 'key-missing': {
      const keys = Object.keys(state.secret.data);
      const has = keys.length ? `it has ${keys.map((k) => `"${k}"`).join(', ')}` : 'it has no keys';
      return [secretFinding(ctx, secret, 'rotation-key-missing', `${what}: the secret has no key "${secret.key}" (${has})`)];
    }
    case 'unversioned':
      return [secretFinding(ctx, secret, 'rotation-age-unknown', `${what} is on KV v1 mount "${secret.mount}": its age cannot be known (no versions or metadata), and keywarden will not rotate it`)];
    case 'aged': {
      const max = secret.maxAgeMs;
      const status = ageStatus(state.ageMs, max, ctx.config.rotation.warnAt);
      if (status === 'overdue') {
        return [
          secretFinding(ctx, secret, 'rotation-overdue', `${what} was ${sinceText(state)}; it should have been rotated ${formatDuration(state.ageMs - max)} ago (max-age ${formatDuration(max)})`),
        ];
      }
      if (status === 'due-soon') {
        const share = percent(state.ageMs / max);
        return [
          secretFinding(ctx, secret, 'rotation-due-soon', `${what} was ${sinceText(state)}, ${share} of its max-age ${formatDuration(max)}; it is due within ${formatDuration(max - state.ageMs)}`),
        ];
      }
      return [];
    }
  }
}

async function checkVaultSecret(ctx: RunContext, client: VaultClient, secret: RotationSecret): Promise<Finding[]> {
  try {
    return ageFindings(ctx, secret, await readSecretState(client, secret, ctx.now));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return [secretFinding(ctx, secret, 'rotation-vault-error', `cannot check ${describeSecret(secret)}: ${describeError(error)}`)];
  }
}

/** The agent's view: is it refreshing from Vault, and how old is the token it uses? */
async function checkAgent(ctx: RunContext, secret: RotationSecret, fetchFn: FetchLike): Promise<Finding[]> {
  if (!secret.verify) return [];
  // Even from the base commit's config, a pull request's run fetches nothing a config names.
  if (ctx.configUntrusted) return [];
  const what = describeSecret(secret);
  const reading = await readHealth(secret.verify.url, fetchFn);
  if (!reading.ok) return [secretFinding(ctx, secret, 'rotation-agent-unreachable', `agent health for ${what}: ${reading.problem}`)];
  const where = displayUrl(secret.verify.url);
  if (reading.lastRefreshOk === false) {
    return [secretFinding(ctx, secret, 'rotation-agent-refresh-failed', `agent health for ${what}: ${where} reports last_refresh_ok false: its last token refresh from Vault failed`)];
  }
  if (reading.lastRefreshOk === null) {
    return [
      secretFinding(ctx, secret, 'rotation-agent-refresh-failed', `agent health for ${what}: ${where} reports last_refresh_ok null: the agent does not read its token from Vault, so rotations will not reach it`),
    ];
  }
  const maxMs = secret.verify.maxTokenAgeMs;
  if (maxMs !== undefined && reading.tokenAgeSeconds * 1000 > maxMs) {
    return [
      secretFinding(ctx, secret, 'rotation-agent-token-stale', `agent health for ${what}: its token is ${formatDuration(reading.tokenAgeSeconds * 1000)} old, above verify.max-token-age ${formatDuration(maxMs)}`),
    ];
  }
  return [];
}

/**
 * rotation-check: the age of every configured Vault secret, its agent's health, and GitHub Actions secrets.
 * Vault failures (unreachable, permission denied, no address) become one finding per secret so the
 * report stays complete; they are errors, so the run fails.
 */
export async function rotationCheck(ctx: RunContext, deps: RotationDeps): Promise<CheckResult> {
  const findings: Finding[] = [];
  const secrets = ctx.config.rotation.secrets;
  if (secrets.length > 0) {
    let client: VaultClient | undefined;
    try {
      client = await deps.connect(ctx);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      for (const secret of secrets) {
        findings.push(secretFinding(ctx, secret, 'rotation-vault-error', `cannot check ${describeSecret(secret)}: ${describeError(error)}`));
      }
    }
    for (const secret of secrets) {
      if (client) findings.push(...(await checkVaultSecret(ctx, client, secret)));
      findings.push(...(await checkAgent(ctx, secret, deps.fetch)));
    }
    ctx.log.info(`rotation-check: ${secrets.length} Vault secret${secrets.length === 1 ? '' : 's'} checked`);
  }
  findings.push(...(await checkGithubSecrets(ctx, deps.fetch)));
  return { findings, rules: ROTATION_RULES };
}
