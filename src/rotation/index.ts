import { UserError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import type { CheckResult } from '../core/result.js';

export type RotateSelection = { kind: 'due' } | { kind: 'all' } | { kind: 'names'; names: string[] };

export interface RotateOptions {
  selection: RotateSelection;
  dryRun: boolean;
}

export async function runRotationCheck(_ctx: RunContext): Promise<CheckResult> {
  throw new UserError('rotation-check is not available yet');
}

export async function runRotate(_ctx: RunContext, _options: RotateOptions): Promise<CheckResult> {
  throw new UserError('rotate is not available yet');
}
