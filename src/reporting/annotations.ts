import type { AnnotationProperties } from '@actions/core';
import type { Finding, Level } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { isPlainPath, logText, printable } from './escape.js';
import { activeFindings, rulesOf } from './findings.js';

/** GitHub shows at most 10 annotations of each level per step (and 50 per job); the rest are dropped silently. */
export const ANNOTATIONS_PER_LEVEL = 10;

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties: AnnotationProperties;
}

/** The part of `@actions/core` annotations go through; `core` itself fits. */
export interface AnnotationSink {
  error(message: string, properties: AnnotationProperties): void;
  warning(message: string, properties: AnnotationProperties): void;
  notice(message: string, properties: AnnotationProperties): void;
}

const ANNOTATION_LEVEL: Record<Level, AnnotationLevel> = { error: 'error', warning: 'warning', note: 'notice' };

/**
 * The annotations GitHub will actually show: the most severe unsuppressed findings, at most
 * 10 per level. `omitted` counts the findings left out, for the job summary to say so.
 */
export function planAnnotations(report: Report): { annotations: Annotation[]; omitted: number } {
  const rules = rulesOf(report);
  const active = activeFindings(report);
  const perLevel: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const annotations: Annotation[] = [];
  for (const finding of active) {
    const level = ANNOTATION_LEVEL[finding.level];
    if (perLevel[level] >= ANNOTATIONS_PER_LEVEL) continue;
    perLevel[level]++;
    annotations.push({
      level,
      message: annotationMessage(finding),
      properties: annotationProperties(finding, rules.get(finding.ruleId)?.name ?? finding.ruleId),
    });
  }
  return { annotations, omitted: active.length - annotations.length };
}

/** Sends the planned annotations; returns how many findings were not annotated. */
export function emitAnnotations(report: Report, sink: AnnotationSink): number {
  const { annotations, omitted } = planAnnotations(report);
  for (const a of annotations) sink[a.level](a.message, a.properties);
  return omitted;
}

/**
 * Control and bidi characters are escaped and no line can open a workflow command; `@actions/core`
 * then escapes `%`, CR and LF in the message (and `:` and `,` in properties) as the runner expects.
 */
function annotationMessage(f: Finding): string {
  const parts = isPlainPath(f.file) ? [f.message] : [`In ${printable(f.file)}:`, f.message];
  if (f.snippet) parts.push(`Snippet: ${f.snippet}`);
  if (f.commit) parts.push(`Introduced in commit ${f.commit.slice(0, 12)}.`);
  parts.push(`Rule: ${f.ruleId}`);
  return logText(parts.join('\n'));
}

function annotationProperties(f: Finding, ruleName: string): AnnotationProperties {
  const startLine = Math.max(1, f.startLine);
  const endLine = Math.max(startLine, f.endLine);
  const properties: AnnotationProperties = { title: printable(`keywarden: ${ruleName}`), startLine, endLine };
  // A path with control or bidi characters is not put in `file` (it would show raw); the message names it, escaped.
  if (isPlainPath(f.file)) properties.file = f.file;
  // GitHub rejects columns on multi-line annotations.
  if (startLine === endLine && f.startColumn !== undefined && f.startColumn >= 1) {
    properties.startColumn = f.startColumn;
    if (f.endColumn !== undefined && f.endColumn >= f.startColumn) properties.endColumn = f.endColumn;
  }
  return properties;
}
