import type { RunContext } from '../core/context.js';
import { LEVEL_RANK, compareFindings, withoutMatchParts, type Finding, type Level } from '../core/finding.js';
import { FINGERPRINT_KEY_ENV } from '../core/fingerprint.js';
import { redactFinding } from '../core/redact.js';
import { mergeResults, type CheckResult } from '../core/result.js';
import { INLINE_ALLOW_RULES } from '../core/inline-allow.js';
import { applySuppressions, baselineKeyMismatch, EXPIRED_IGNORE_RULE, parseBaseline, readBaseline, type LoadedBaseline } from '../core/suppress.js';
import { CONFIG_CHANGE_RULE, pendingChangeFindings, relativeTo } from '../config/trusted.js';
import { runRotate, runRotationCheck, type RotateOptions } from '../rotation/index.js';
import { runScan, type ScanOptions } from '../scanning/index.js';
import { workspaceFile } from '../core/workspace-path.js';
import { runValidate } from '../validation/index.js';

/** Commands that produce findings (init writes a file and reports nothing). */
export type CheckCommand = 'check' | 'scan' | 'validate' | 'rotation-check' | 'rotate' | 'baseline';

export const CHECK_COMMANDS: readonly CheckCommand[] = ['check', 'scan', 'validate', 'rotation-check', 'rotate', 'baseline'];

export type FailOn = Level | 'never';

export interface CommandOptions {
  scan: ScanOptions;
  live: boolean;
  rotate: RotateOptions;
  /** Baseline to apply (CLI --baseline / action input), else config scan.baseline. */
  baseline?: string;
}

/** Runs the checks a command stands for, then applies suppressions; findings come back most severe first. */
export async function runCommand(command: CheckCommand, ctx: RunContext, options: CommandOptions): Promise<CheckResult> {
  const result = mergeResults(await runChecks(command, ctx, options));
  const disabled = new Set(ctx.config.scan.disable);
  result.findings = dropRestatements(result.findings).filter((f) => !disabled.has(f.ruleId));
  const pending = command === 'baseline' ? [] : pendingChangeFindings(ctx.trustedFiles);
  const baselineFile = command === 'baseline' ? undefined : (options.baseline ?? configBaseline(ctx));
  const shownBaseline = baselineFile && (relativeTo(ctx.root, baselineFile) ?? baselineFile);
  const baseline = baselineFile ? baselineOf(ctx, baselineFile) : undefined;
  const mismatch = baseline && baselineKeyMismatch(baseline, Boolean(ctx.env[FINGERPRINT_KEY_ENV]), shownBaseline!);
  if (mismatch) ctx.log.warning(mismatch);
  const findings = applySuppressions([...result.findings, ...pending], {
    root: ctx.root,
    now: ctx.now,
    ignore: ctx.config.scan.ignore,
    baseline,
    baselineFile: shownBaseline,
    source: ctx.source,
  })
    .map((f) => redactFinding(withoutMatchParts(f)))
    .sort(compareFindings);
  const rules = ctx.config.scan.ignore.length > 0 ? [...result.rules, EXPIRED_IGNORE_RULE] : [...result.rules];
  if (pending.length > 0) rules.push(CONFIG_CHANGE_RULE);
  for (const rule of INLINE_ALLOW_RULES) {
    if (!rules.some((r) => r.id === rule.id) && findings.some((f) => f.ruleId === rule.id)) rules.push(rule);
  }
  return { ...result, findings, rules };
}

/** scan.baseline is the repository's choice, so it must stay inside it (an input's --baseline is trusted). */
function configBaseline(ctx: RunContext): string | undefined {
  const file = ctx.config.scan.baseline;
  if (file === undefined) return undefined;
  workspaceFile(ctx.root, file, 'scan.baseline', { file: ctx.source.file ?? '.keywarden.yml', ...ctx.source.locate(['scan', 'baseline']) });
  return file;
}

/** The baseline's fingerprints from the trusted source: on a pull request, the base commit's file. */
function baselineOf(ctx: RunContext, file: string): LoadedBaseline | undefined {
  const origin = ctx.trustedFiles?.origin;
  if (!ctx.trustedFiles || origin?.kind === 'workspace' || origin?.kind === 'head') return readBaseline(ctx.root, file);
  const shown = relativeTo(ctx.root, file) ?? file;
  const bytes = ctx.trustedFiles.read(file);
  if (bytes === undefined) {
    const why = origin?.kind === 'base' ? `it is not in the base commit ${origin.commit.slice(0, 12)}` : 'the base commit cannot be read';
    ctx.log.warning(`baseline ${shown} not applied: ${why}, and the pull request's copy is not trusted`);
    return undefined;
  }
  return parseBaseline(bytes.toString('utf8'), shown);
}

async function runChecks(command: CheckCommand, ctx: RunContext, options: CommandOptions): Promise<CheckResult[]> {
  switch (command) {
    case 'scan':
      return [await runScan(ctx, options.scan)];
    case 'validate':
      return [await runValidate(ctx, { live: options.live })];
    case 'rotation-check':
      return [await runRotationCheck(ctx)];
    case 'rotate':
      return [await runRotate(ctx, options.rotate)];
    case 'check':
    case 'baseline': {
      const results = [await runScan(ctx, options.scan), await runValidate(ctx, { live: options.live })];
      if (command === 'check' && rotationConfigured(ctx)) {
        // A pull request's config must not choose which servers the run talks to, and a secret's
        // age does not change with a pull request: rotation age is for push and scheduled runs.
        if (ctx.configUntrusted) ctx.log.info('rotation-check skipped: it does not run on pull request events');
        else results.push(await runRotationCheck(ctx));
      }
      return results;
    }
  }
}

/**
 * Validation rules that restate a scanner finding: when `check` runs both and they land on the same
 * line, one fact gets one finding (the scanner's, which names the credential's kind).
 */
const RESTATES_SCAN: Record<string, (scanRuleId: string) => boolean> = {
  'env-default-credential': (id) => id.startsWith('default-credential'),
  'env-tracked-env-file': (id) => id === 'committed-env-file',
};

function dropRestatements(findings: Finding[]): Finding[] {
  const scanRulesAt = new Map<string, string[]>();
  for (const f of findings) {
    if (f.check !== 'scan' || f.commit) continue;
    const at = `${f.file}:${f.startLine}`;
    scanRulesAt.set(at, [...(scanRulesAt.get(at) ?? []), f.ruleId]);
  }
  return findings.filter((f) => {
    const restates = RESTATES_SCAN[f.ruleId];
    return !restates || !(scanRulesAt.get(`${f.file}:${f.startLine}`) ?? []).some(restates);
  });
}

function rotationConfigured(ctx: RunContext): boolean {
  return ctx.config.rotation.secrets.length > 0 || ctx.config.githubSecrets.maxAgeMs !== undefined;
}

/** Unsuppressed findings at or above the threshold: what fails the build. */
export function failingFindings(findings: Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'never') return [];
  return findings.filter((f) => !f.suppression && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]);
}

export function parseFailOn(value: string): FailOn | undefined {
  return (['error', 'warning', 'note', 'never'] as const).find((v) => v === value);
}
