import { CONFIDENCES, type Confidence, type Finding, type Level } from '../core/finding.js';
import { totalsOf, type Report, type Totals } from '../core/report.js';
import type { RotationRecord } from '../core/result.js';
import { commandSafe, printable } from './escape.js';
import { coverageLine, plural } from './findings.js';

export interface TextOptions {
  /** ANSI colours: only for a terminal (the CLI decides: TTY, --color, NO_COLOR). */
  color: boolean;
}

type Style = (text: string) => string;

interface Palette {
  file: Style;
  level: Record<Level, Style>;
  dim: Style;
  ok: Style;
}

const ansi = (open: number, close: number): Style => (text) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOR: Palette = {
  file: ansi(1, 22),
  level: { error: ansi(31, 39), warning: ansi(33, 39), note: ansi(36, 39) },
  dim: ansi(2, 22),
  ok: ansi(32, 39),
};

const plain: Style = (text) => text;
const PLAIN: Palette = { file: plain, level: { error: plain, warning: plain, note: plain }, dim: plain, ok: plain };

const CONFIDENCE_HEADING: Record<Confidence, string> = {
  high: 'High confidence (verified formats, private keys, credential URLs with random passwords)',
  medium: 'Medium confidence (random-looking values assigned to credential names)',
  low: 'Low confidence (weak or default values; tests, docs and comments)',
};

/**
 * Findings grouped by confidence, then by file (files sorted, then by line); suppressed ones only
 * counted; then the rotation table and a totals line. A heading is shown only when findings of more
 * than one confidence are listed.
 */
export function renderText(report: Report, options: TextOptions): string {
  const style = options.color ? COLOR : PLAIN;
  const lines: string[] = [];
  const open = report.findings.filter((f) => !f.suppression);
  const groups = CONFIDENCES.map((c) => [c, open.filter((f) => f.confidence === c)] as const).filter(([, group]) => group.length > 0);
  for (const [confidence, group] of groups) {
    if (groups.length > 1) lines.push(style.file(CONFIDENCE_HEADING[confidence]), '');
    for (const [file, findings] of groupByFile(group)) {
      lines.push(style.file(printable(file)));
      lines.push(...fileLines(findings, style), '');
    }
  }
  if (report.rotated && report.rotated.length > 0) lines.push(...rotationLines(report.rotated), '');
  lines.push(totalsLine(totalsOf(report.findings), style));
  if (report.coverage) lines.push(coverageLine(report.coverage));
  // Fragments are printable already; the whole is checked again so no composed line opens a workflow command.
  return `${commandSafe(lines.join('\n'))}\n`;
}

function groupByFile(findings: Finding[]): [string, Finding[]][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.file);
    if (group) group.push(f);
    else groups.set(f.file, [f]);
  }
  const byPosition = (a: Finding, b: Finding) =>
    a.startLine - b.startLine || (a.startColumn ?? 0) - (b.startColumn ?? 0) || a.ruleId.localeCompare(b.ruleId);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, group]) => [file, group.sort(byPosition)]);
}

function fileLines(findings: Finding[], style: Palette): string[] {
  // Aligned on the colon, like ESLint's stylish output: line right-aligned, column left-aligned.
  const lineWidth = Math.max(...findings.map((f) => String(f.startLine).length));
  const columnWidth = Math.max(0, ...findings.map((f) => (f.startColumn ? String(f.startColumn).length + 1 : 0)));
  const positions = findings.map(
    (f) => String(f.startLine).padStart(lineWidth) + (f.startColumn ? `:${f.startColumn}` : '').padEnd(columnWidth),
  );
  const posWidth = lineWidth + columnWidth;
  const levelWidth = Math.max(...findings.map((f) => f.level.length));
  const indent = ' '.repeat(2 + posWidth + 2 + levelWidth + 2);
  const lines: string[] = [];
  findings.forEach((f, i) => {
    const level = style.level[f.level](f.level.padEnd(levelWidth));
    lines.push(`  ${positions[i]}  ${level}  ${printable(f.message)}  ${style.dim(printable(f.ruleId))}`);
    const details = [
      ...(f.snippet ? [`snippet: ${printable(f.snippet)}`] : []),
      ...(f.commit ? [`commit: ${printable(f.commit.slice(0, 12))}`] : []),
    ];
    if (details.length > 0) lines.push(`${indent}${style.dim(details.join('  '))}`);
  });
  return lines;
}

function rotationLines(records: RotationRecord[]): string[] {
  const rows = records.map((r) => [
    r.name,
    `${r.mount}/${r.path}#${r.key}`,
    `${r.oldVersion ?? '-'} -> ${r.newVersion ?? '-'}`,
    r.status,
    r.detail ?? '',
  ].map(printable));
  const header = ['SECRET', 'PATH', 'VERSION', 'STATUS', 'DETAIL'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const format = (cells: string[]) => `  ${cells.map((c, col) => c.padEnd(widths[col]!)).join('  ')}`.trimEnd();
  return ['Rotation', format(header), ...rows.map(format)];
}

function totalsLine(totals: Totals, style: Palette): string {
  const suppressed = totals.suppressed > 0 ? ` (${totals.suppressed} suppressed)` : '';
  if (totals.total === 0) return style.ok(`No findings${suppressed}.`);
  return `${plural(totals.error, 'error')}, ${plural(totals.warning, 'warning')}, ${plural(totals.note, 'note')}${suppressed}`;
}
