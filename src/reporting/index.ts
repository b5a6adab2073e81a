import type { Report } from '../core/report.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export { emitAnnotations, planAnnotations, type Annotation, type AnnotationSink } from './annotations.js';
export { buildJson, renderJson, type JsonFinding, type JsonReport } from './json.js';
export { commandSafe, logText, markdownText, printable } from './escape.js';
export { buildSarif, renderSarif } from './sarif.js';
export { renderSummary, type SummaryOptions } from './summary.js';
export { renderText, type TextOptions } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif';

/** The report in one of the CLI's `--format`s. */
export function renderReport(report: Report, format: ReportFormat, options: TextOptions = { color: false }): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'text':
      return renderText(report, options);
  }
}
