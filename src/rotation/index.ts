import type { RunContext } from '../core/context.js';
import type { CheckResult } from '../core/result.js';
import { rotationCheck } from './check.js';
import { withDefaults, type RotationDeps } from './deps.js';
import { rotate, type RotateOptions } from './rotate.js';

export type { RotationDeps } from './deps.js';
export type { RotateOptions, RotateSelection } from './rotate.js';
export { ROTATION_RULES } from './rules.js';

/** Age of configured Vault secrets, their agents' health, and GitHub Actions secrets. */
export async function runRotationCheck(ctx: RunContext, deps: Partial<RotationDeps> = {}): Promise<CheckResult> {
  return rotationCheck(ctx, withDefaults(deps));
}

/** Rotates due, all, or named secrets in Vault; `rotated` lists every selected secret's outcome. */
export async function runRotate(ctx: RunContext, options: RotateOptions, deps: Partial<RotationDeps> = {}): Promise<CheckResult> {
  return rotate(ctx, options, withDefaults(deps));
}
