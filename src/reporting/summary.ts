import { compareFindings, type Finding, type Level } from '../core/finding.js';
import { totalsOf, type Report } from '../core/report.js';
import type { RotationRecord } from '../core/result.js';
import { markdownText, truncate, uriPath } from './escape.js';
import { activeFindings, coverageLine, plural, rulesOf, verdictOf } from './findings.js';

export interface SummaryOptions {
  /** Findings `emitAnnotations` could not show (GitHub's per-step caps). */
  omittedAnnotations: number;
}

/** GitHub rejects a step summary over 1 MiB; stay well below it whatever the findings. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024;
export const SUMMARY_TOP_FINDINGS = 50;
/** Suppressed findings listed one by one; past this, only the count. */
export const SUMMARY_SUPPRESSED_ROWS = 100;
/** Keeps the rule table from crowding out the top findings when checks report many distinct rules. */
export const SUMMARY_RULE_ROWS = 100;
const MAX_MESSAGE_CHARS = 300;
const MAX_PATH_CHARS = 200;

const LEVEL_ICON: Record<Level, string> = { error: '🔴', warning: '🟠', note: '🔵' };

/** Markdown for `$GITHUB_STEP_SUMMARY`. Every message and path is escaped: they come from scanned files. */
export function renderSummary(report: Report, options: SummaryOptions): string {
  const out = new BudgetedText(SUMMARY_BUDGET_BYTES);
  const totals = totalsOf(report.findings);
  const verdict = verdictOf(report);
  const threshold = report.failOn === 'never' ? 'fail-on: never' : `fail-on: ${report.failOn}`;

  out.add(`## ${verdict === 'pass' ? '✅' : '❌'} keywarden ${markdownText(report.command)}: ${verdict === 'pass' ? 'passed' : 'failed'} (${threshold})\n\n`);
  out.add(
    `**${plural(totals.error, 'error')}**, ${plural(totals.warning, 'warning')}, ${plural(totals.note, 'note')}` +
      `${totals.suppressed > 0 ? ` · ${totals.suppressed} suppressed` : ''}\n\n`,
  );
  origin(report, out);

  if (report.coverage) out.add(`${markdownText(coverageLine(report.coverage))}\n\n`);
  const active = activeFindings(report);
  if (active.length === 0) out.add('No findings.\n\n');
  else {
    ruleTable(report, active, out);
    topFindings(report, active, out);
  }
  suppressedFindings(report, out);
  if (options.omittedAnnotations > 0) {
    out.add(
      `${plural(options.omittedAnnotations, 'finding')} not annotated: GitHub shows at most 10 annotations per level in a step. ` +
        'The SARIF and JSON reports list every finding.\n\n',
    );
  }
  if (report.rotated && report.rotated.length > 0) rotationTable(report.rotated, out);
  return out.finish();
}

function ruleTable(report: Report, active: Finding[], out: BudgetedText): void {
  const rules = rulesOf(report);
  const counts = new Map<string, { finding: Finding; count: number }>();
  for (const f of active) {
    const entry = counts.get(f.ruleId);
    if (entry) entry.count++;
    else counts.set(f.ruleId, { finding: f, count: 1 });
  }
  out.add('### Findings by rule\n\n| Check | Rule | Name | Level | Count |\n| --- | --- | --- | --- | ---: |\n');
  // `active` is most-severe-first, so the map keeps that order for the rows.
  const rows = [...counts.values()];
  for (const { finding, count } of rows.slice(0, SUMMARY_RULE_ROWS)) {
    const name = rules.get(finding.ruleId)?.name ?? finding.ruleId;
    const row = `| ${finding.check} | <code>${markdownText(truncate(finding.ruleId, MAX_PATH_CHARS))}</code> | ${markdownText(truncate(name, MAX_MESSAGE_CHARS))} | ${LEVEL_ICON[finding.level]} ${finding.level} | ${count} |\n`;
    if (!out.add(row)) return;
  }
  const hidden = rows.length - SUMMARY_RULE_ROWS;
  out.add(hidden > 0 ? `\n${plural(hidden, 'more rule')} not shown.\n\n` : '\n');
}

function topFindings(report: Report, active: Finding[], out: BudgetedText): void {
  const shown = active.slice(0, SUMMARY_TOP_FINDINGS);
  out.add(`### Top findings${active.length > shown.length ? ` (${shown.length} of ${active.length})` : ''}\n\n`);
  out.add('| Level | Location | Rule | Message |\n| --- | --- | --- | --- |\n');
  for (const f of shown) {
    const message = markdownText(truncate(f.message, MAX_MESSAGE_CHARS)) + (f.commit ? ` (commit <code>${markdownText(f.commit.slice(0, 12))}</code>)` : '');
    const row = `| ${LEVEL_ICON[f.level]} ${f.level} | ${location(report, f)} | <code>${markdownText(f.ruleId)}</code> | ${message} |\n`;
    if (!out.add(row)) return;
  }
  out.add('\n');
}

/** On a pull request, where what suppresses findings came from: reviewers must know when it was the change itself. */
function origin(report: Report, out: BudgetedText): void {
  const from = report.configOrigin;
  if (!from || from.kind === 'workspace') return;
  if (from.kind === 'head') {
    out.add("⚠️ **Suppressions came from the pull request's head** (`config-from: head`): its own config, ignores and baseline were applied.\n\n");
  } else if (from.kind === 'base') {
    out.add(`Config, ignores and baseline from the base commit <code>${markdownText(from.commit.slice(0, 12))}</code>; inline allow comments count only on lines the pull request adds.\n\n`);
  } else {
    out.add(`⚠️ **The base commit could not be read** (${markdownText(truncate(from.reason, MAX_MESSAGE_CHARS))}): no config, ignores or baseline were applied, and the pull request's own were not trusted.\n\n`);
  }
}

/** Every suppressed finding, up to a bound: a suppression hides a finding, so it must be seen. */
function suppressedFindings(report: Report, out: BudgetedText): void {
  const suppressed = report.findings.filter((f) => f.suppression).sort(compareFindings);
  if (suppressed.length === 0) return;
  const shown = suppressed.slice(0, SUMMARY_SUPPRESSED_ROWS);
  out.add(`### Suppressed findings${suppressed.length > shown.length ? ` (${shown.length} of ${suppressed.length})` : ''}\n\n`);
  out.add('| Rule | Location | Suppressed by | Why |\n| --- | --- | --- | --- |\n');
  for (const f of shown) {
    const why = markdownText(truncate(f.suppression!.justification, MAX_MESSAGE_CHARS));
    const row = `| <code>${markdownText(f.ruleId)}</code> | ${location(report, f)} | ${f.suppression!.kind} | ${why} |\n`;
    if (!out.add(row)) return;
  }
  out.add(suppressed.length > shown.length ? `\n${plural(suppressed.length - shown.length, 'more suppressed finding')} not shown; the SARIF and JSON reports list every one.\n\n` : '\n');
}

/** A link to the line at the analysed commit when the repository and commit are known, else `file:line`. */
function location(report: Report, f: Finding): string {
  const text = markdownText(`${truncate(f.file, MAX_PATH_CHARS)}:${f.startLine}`);
  const base = report.repositoryUrl;
  const sha = report.commitSha;
  if (!base || !sha || !/^https:\/\/[^\s()<>"'`]+$/.test(base) || !/^[0-9a-f]{7,64}$/i.test(sha)) return text;
  return `[${text}](${base.replace(/\/+$/, '')}/blob/${sha}/${uriPath(f.file)}#L${Math.max(1, f.startLine)})`;
}

function rotationTable(records: RotationRecord[], out: BudgetedText): void {
  out.add('### Rotation\n\n| Secret | Path | Key | Version | Status | Detail |\n| --- | --- | --- | --- | --- | --- |\n');
  for (const r of records) {
    const cells = [r.name, `${r.mount}/${r.path}`, r.key, `${r.oldVersion ?? '–'} → ${r.newVersion ?? '–'}`, r.status, r.detail ?? ''];
    if (!out.add(`| ${cells.map((c) => markdownText(truncate(c, MAX_MESSAGE_CHARS))).join(' | ')} |\n`)) return;
  }
  out.add('\n');
}

/** Text that never grows past a byte budget: the first refused piece ends it with a truncation note. */
class BudgetedText {
  private readonly parts: string[] = [];
  private bytes = 0;
  private truncated = false;
  private static readonly NOTE = '\n\n_Summary truncated to stay under GitHub’s 1 MiB limit; the SARIF and JSON reports list every finding._\n';

  constructor(private readonly budget: number) {}

  add(text: string): boolean {
    if (this.truncated) return false;
    const size = Buffer.byteLength(text, 'utf8');
    if (this.bytes + size > this.budget - Buffer.byteLength(BudgetedText.NOTE, 'utf8')) {
      this.truncated = true;
      return false;
    }
    this.parts.push(text);
    this.bytes += size;
    return true;
  }

  finish(): string {
    return this.parts.join('') + (this.truncated ? BudgetedText.NOTE : '');
  }
}
