import { UserError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import type { CheckResult } from '../core/result.js';

export interface ValidateOptions {
  /** Also lint the policies deployed in Vault (sys/policies/acl). */
  live: boolean;
}

export async function runValidate(_ctx: RunContext, _options: ValidateOptions): Promise<CheckResult> {
  throw new UserError('validate is not available yet');
}
