import { SKIP_REASON_TEXT, skippedByReason, skippedTotal } from '../core/coverage.js';
import { UserError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import type { CheckResult } from '../core/result.js';
import { scanDiff, type DiffTarget } from './diff.js';
import { ruleDescriptors } from './findings.js';
import { GitError, isGitWorkTree, ZERO_SHA } from '../core/git.js';
import { scanHistory, type HistoryTarget } from './history.js';
import { withCustomRules } from './custom-rules.js';
import { RULES } from './rules/index.js';
import type { SecretRule } from './rule.js';
import { formatBytes, ScanSession } from './session.js';
import { scanTree } from './tree.js';

export type ScanMode = 'tree' | 'diff' | 'history' | 'staged';

export interface ScanOptions {
  /** `auto` picks from the GitHub event (pull_request → diff, push → before..after, else tree). */
  mode: ScanMode | 'auto';
  base?: string;
  head?: string;
}

/** What one scan reads, after `auto` is resolved. */
export type ScanPlan =
  | { mode: 'tree' }
  | { mode: 'diff'; target: DiffTarget }
  | { mode: 'history'; target: HistoryTarget }
  | { mode: 'none'; reason: string };

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

const sha = (value: unknown): string | undefined => (typeof value === 'string' && /^[0-9a-f]{40,64}$/i.test(value) ? value : undefined);

/** Turns the requested mode (and, for `auto`, the GitHub event) into what to read. */
export function planScan(ctx: RunContext, options: ScanOptions): ScanPlan {
  switch (options.mode) {
    case 'tree':
      return { mode: 'tree' };
    case 'staged':
      return { mode: 'diff', target: { kind: 'staged' } };
    case 'history':
      return { mode: 'history', target: { kind: 'all' } };
    case 'diff':
      if (!options.base) throw new UserError('diff mode needs a base ref (--base REF, or the action input base)');
      return { mode: 'diff', target: { kind: 'range', base: options.base, head: options.head ?? 'HEAD' } };
    case 'auto':
      return planAuto(ctx, options);
  }
}

function planAuto(ctx: RunContext, options: ScanOptions): ScanPlan {
  if (options.base) return { mode: 'diff', target: { kind: 'range', base: options.base, head: options.head ?? 'HEAD' } };
  const event = ctx.event;
  if (!event) return { mode: 'tree' };
  const payload = event.payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- webhook payload, checked field by field
  if (PULL_REQUEST_EVENTS.has(event.name)) {
    const base = sha(payload.pull_request?.base?.sha);
    const head = sha(payload.pull_request?.head?.sha);
    if (!base || !head) throw new UserError(`the ${event.name} event has no pull_request base/head SHAs; set scan-mode: tree or diff with base`);
    return { mode: 'diff', target: { kind: 'range', base, head } };
  }
  if (event.name === 'merge_group') {
    const base = sha(payload.merge_group?.base_sha);
    const head = sha(payload.merge_group?.head_sha);
    if (base && head) return { mode: 'diff', target: { kind: 'range', base, head } };
  }
  if (event.name === 'push') {
    const before = sha(payload.before);
    const after = sha(payload.after);
    if (!after || !before) return { mode: 'tree' };
    if (ZERO_SHA.test(after)) return { mode: 'none', reason: 'the push deleted a branch or tag' };
    const ref = typeof payload.ref === 'string' ? payload.ref : '';
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    if (ZERO_SHA.test(before)) {
      // A new branch brings its own commits; for a new tag the tree is the safe choice.
      return branch ? { mode: 'history', target: { kind: 'new-branch', after, branch } } : { mode: 'tree' };
    }
    return { mode: 'history', target: { kind: 'range', before, after, ...(branch ? { branch } : {}) } };
  }
  return { mode: 'tree' };
}

/** The scan check: lists or diffs, scans with the rule table, returns findings and every rule's descriptor. */
export async function runScan(ctx: RunContext, options: ScanOptions, builtIn: SecretRule[] = RULES): Promise<CheckResult> {
  // The repository's own scan.rules, already compiled and proven when the config loaded.
  const allRules = withCustomRules(builtIn, ctx.config.scan.rules);
  const plan = planScan(ctx, options);
  // scan.disable: a disabled rule is not run at all (runCommand drops the findings of other checks' rules).
  const disabled = new Set(ctx.config.scan.disable);
  const rules = disabled.size === 0 ? allRules : allRules.filter((rule) => !disabled.has(rule.id));
  const session = new ScanSession(ctx, rules);
  const started = Date.now();
  if (plan.mode !== 'tree' && plan.mode !== 'none' && !(await isGitWorkTree(ctx.root))) {
    throw new UserError(`${plan.mode} mode needs a git repository, and ${ctx.root} is not one`);
  }
  let what: string;
  try {
    what = await runPlan(plan, session);
  } catch (error) {
    // Git failing in an unexpected way is still the user's repository speaking: one clear line.
    if (error instanceof GitError) throw new UserError(`scan: ${error.message}`);
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  const { coverage } = session;
  const rate = seconds > 0 ? ` (${formatBytes(coverage.scannedChars / seconds)}/s)` : '';
  const skipped = skippedByReason(coverage).map(({ reason, count }) => `${SKIP_REASON_TEXT[reason]}: ${count}`);
  const findings = session.keyFilesMerged();
  ctx.log.info(
    `scan: ${what}: ${coverage.scannedFiles} files, ${formatBytes(coverage.scannedChars)} scanned, ` +
      `${skippedTotal(coverage)} not scanned${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}, ${findings.length} findings in ${seconds.toFixed(2)} s${rate}`,
  );
  return { findings, rules: ruleDescriptors(rules), coverage };
}

async function runPlan(plan: ScanPlan, session: ScanSession): Promise<string> {
  switch (plan.mode) {
    case 'none':
      return `nothing (${plan.reason})`;
    case 'tree':
      await scanTree(session);
      return 'the working tree';
    case 'diff':
      return scanDiff(session, plan.target);
    case 'history': {
      const result = await scanHistory(session, plan.target);
      return `${result.description} (${result.commits} commits)`;
    }
  }
}
