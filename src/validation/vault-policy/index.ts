import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { VaultConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import { UserError, describeError } from '../../core/errors.js';
import { makeFinding, type Finding } from '../../core/finding.js';
import type { CheckResult } from '../../core/result.js';
import { connectVault } from '../../vault/connect.js';
import type { VaultClient } from '../../vault/types.js';
import { policyRuleDescriptors, severityOf, type PolicyRuleId } from './catalog.js';
import { listPolicyFiles } from './files.js';
import { decodePolicyBytes, parsePolicy } from './parse.js';
import { stripLeadingSlash } from './paths.js';
import { lintRules } from './rules.js';
import { checkStructure } from './structure.js';

export { bestMatchingRule, matchesPolicyPath, patternContains, patternsOverlap } from './paths.js';

/** Findings about deployed policies use this pseudo-file, followed by the policy name. */
export const LIVE_POLICY_PREFIX = 'vault:sys/policies/acl/';

export type VaultConnector = (ctx: RunContext) => Promise<VaultClient>;

export interface LintPolicyOptions {
  live: boolean;
}

interface FindingAt {
  ruleId: PolicyRuleId;
  message: string;
  line: number;
  column: number;
  /** Stable identity of the problem, hashed into the fingerprint. */
  material: string;
}

function toFinding(file: string, at: FindingAt): Finding {
  return makeFinding({
    ruleId: at.ruleId,
    check: 'validate',
    severity: severityOf(at.ruleId),
    message: at.message,
    file,
    startLine: at.line,
    startColumn: at.column,
    fingerprintMaterial: at.material,
  });
}

/** Does `vault.read-only-policies` cover this file (or, for a deployed policy, its name)? */
function isReadOnly(file: string, globs: string[]): boolean {
  const name = file.startsWith(LIVE_POLICY_PREFIX) ? file.slice(LIVE_POLICY_PREFIX.length) : undefined;
  return globs.some((glob) => minimatch(file, glob, { dot: true }) || (name !== undefined && minimatch(name, glob, { dot: true })));
}

/** Lints one policy's text. Pure: no file system, no network. */
export function lintPolicyText(text: string, file: string, config: VaultConfig): Finding[] {
  const parsed = parsePolicy(text, file);
  if (!parsed.ok) {
    const { message, line, column } = parsed.problem;
    return [toFinding(file, { ruleId: 'vault-policy-syntax', message, line, column, material: 'syntax' })];
  }
  const { rules } = parsed.policy;
  const found: FindingAt[] = [];
  if (rules.length === 0) {
    found.push({ ruleId: 'vault-policy-empty', message: 'policy has no path blocks, so it grants nothing', line: 1, column: 1, material: 'empty' });
  }
  for (const problem of checkStructure(parsed.policy)) {
    found.push({ ruleId: 'vault-policy-schema', message: problem.message, line: problem.line, column: problem.column, material: problem.message });
  }
  // Occurrence counts keep fingerprints of duplicated blocks apart without depending on line numbers.
  const occurrences = new Map<string, number>();
  for (const issue of lintRules(rules, config, isReadOnly(file, config.readOnlyPolicies))) {
    const key = `${issue.ruleId}\u0000${stripLeadingSlash(issue.rule.path)}`;
    const nth = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, nth);
    found.push({ ruleId: issue.ruleId, message: issue.message, line: issue.rule.line, column: issue.rule.column, material: `${key}\u0000${nth}` });
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column).map((at) => toFinding(file, at));
}

function readPolicyFile(root: string, file: string, maxBytes: number): { text: string } | { finding: Finding } {
  const syntax = (message: string, line = 1, column = 1): { finding: Finding } => ({
    finding: toFinding(file, { ruleId: 'vault-policy-syntax', message, line, column, material: 'syntax' }),
  });
  const full = path.join(root, file);
  try {
    const stat = lstatSync(full);
    // Never follow links: a link in an untrusted pull request could point anywhere on the runner.
    if (stat.isSymbolicLink()) return syntax('policy file is a symbolic link; not followed');
    if (!stat.isFile()) return syntax('not a regular file');
    if (stat.size > maxBytes) return syntax(`policy file is ${stat.size} bytes, above scan.max-file-size (${maxBytes}); not parsed`);
    const decoded = decodePolicyBytes(readFileSync(full));
    if ('problem' in decoded) return syntax(decoded.problem.message, decoded.problem.line, decoded.problem.column);
    return decoded;
  } catch (error) {
    return syntax(`cannot read policy file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function lintDeployedPolicies(ctx: RunContext, connect: VaultConnector): Promise<Finding[]> {
  const client = await connect(ctx);
  let names: string[];
  try {
    names = await client.listPolicies();
  } catch (error) {
    throw new UserError(`cannot list Vault policies (sys/policies/acl): ${describeError(error)}`);
  }
  const findings: Finding[] = [];
  // root cannot be read or changed; it is not a policy document.
  for (const name of names.filter((n) => n !== 'root').sort()) {
    let text: string | null;
    try {
      text = await client.readPolicy(name);
    } catch (error) {
      throw new UserError(`cannot read Vault policy "${name}": ${describeError(error)}`);
    }
    if (text !== null) findings.push(...lintPolicyText(text, `${LIVE_POLICY_PREFIX}${name}`, ctx.config.vault));
  }
  return findings;
}

/**
 * Lints the policy files matching `vault.policies` and, with `live`, the ACL policies deployed in
 * Vault. `connect` opens the Vault client (tests may pass one to a fake client).
 */
export async function lintVaultPolicies(
  ctx: RunContext,
  options: LintPolicyOptions,
  connect: VaultConnector = (c) => connectVault(c),
): Promise<CheckResult> {
  const findings: Finding[] = [];
  const files = listPolicyFiles(ctx.root, ctx.config.vault.policies);
  for (const file of files) {
    const read = readPolicyFile(ctx.root, file, ctx.config.scan.maxFileSize);
    findings.push(...('finding' in read ? [read.finding] : lintPolicyText(read.text, file, ctx.config.vault)));
  }
  ctx.log.debug(`vault policies: ${files.length} file(s) linted`);
  if (options.live) findings.push(...(await lintDeployedPolicies(ctx, connect)));
  return { findings, rules: policyRuleDescriptors() };
}
