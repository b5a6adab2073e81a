import { UserError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import type { CheckResult } from '../core/result.js';

export type ScanMode = 'tree' | 'diff' | 'history' | 'staged';

export interface ScanOptions {
  /** `auto` picks from the GitHub event (pull_request → diff, push → before..after, else tree). */
  mode: ScanMode | 'auto';
  base?: string;
  head?: string;
}

export async function runScan(_ctx: RunContext, _options: ScanOptions): Promise<CheckResult> {
  throw new UserError('scan is not available yet');
}
