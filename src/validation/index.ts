import type { RunContext } from '../core/context.js';
import { mergeResults, type CheckResult } from '../core/result.js';
import { validateEnvFiles } from './env/index.js';
import { envRuleDescriptors } from './env/rules.js';
import { lintVaultPolicies } from './vault-policy/index.js';

export interface ValidateOptions {
  /** Also lint the policies deployed in Vault (sys/policies/acl). */
  live: boolean;
}

/** `keywarden validate`: .env files (dialect, schemas, presets, drift), then Vault ACL policies. */
export async function runValidate(ctx: RunContext, options: ValidateOptions): Promise<CheckResult> {
  const env: CheckResult = { findings: validateEnvFiles(ctx), rules: envRuleDescriptors() };
  const policies = await lintVaultPolicies(ctx, { live: options.live });
  return mergeResults([env, policies]);
}
