import type { RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import type { CheckResult } from '../core/result.js';
import { rotationCheck } from './check.js';
import { withDefaults, type RotationDeps } from './deps.js';
import { rotate, type RotateOptions } from './rotate.js';
import { ROTATION_RULES } from './rules.js';

export type { RotationDeps } from './deps.js';
export type { RotateOptions, RotateSelection } from './rotate.js';
export { ROTATION_RULES } from './rules.js';

/*
 * On untrusted events (a pull request) the rotation list, the verify URLs and the GitHub-secrets
 * settings are the pull request's own config: it would choose what the workflow's Vault
 * overwrites, which URLs the runner fetches, and, by comparing found values with Vault's, get an
 * oracle for guesses. So nothing here acts there: rotate refuses, and rotation-check runs only from
 * a config read from the pull request's base commit (the maintainers' list), never fetching a verify URL.
 */

/** Age of configured Vault secrets, their agents' health, and GitHub Actions secrets. */
export async function runRotationCheck(ctx: RunContext, deps: Partial<RotationDeps> = {}): Promise<CheckResult> {
  if (ctx.configUntrusted && ctx.trustedFiles?.origin.kind !== 'base') {
    ctx.log.warning(`rotation-check made no network call: on ${ctx.event?.name ?? 'pull request'} events it runs only from the config of the base commit, and this one is not`);
    return { findings: [], rules: ROTATION_RULES };
  }
  return rotationCheck(ctx, withDefaults(deps));
}

/** Rotates due, all, or named secrets in Vault; `rotated` lists every selected secret's outcome. */
export async function runRotate(ctx: RunContext, options: RotateOptions, deps: Partial<RotationDeps> = {}): Promise<CheckResult> {
  if (ctx.configUntrusted) {
    throw new UserError(
      `rotate does not run on ${ctx.event?.name ?? 'pull request'} events: the pull request's config would choose what is written to Vault; run it on push, schedule or workflow_dispatch`,
    );
  }
  return rotate(ctx, options, withDefaults(deps));
}
