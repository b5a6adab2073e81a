import { expect } from 'vitest';
import type { Finding, RuleDescriptor } from '../../src/core/finding.js';
import type { Report } from '../../src/core/report.js';
import { planAnnotations, renderJson, renderSarif, renderSummary, renderText } from '../../src/reporting/index.js';

/** Every report format of the same findings: what a leak test must search. */
export function everyOutput(findings: Finding[], rules: RuleDescriptor[] = [], command = 'check'): Record<string, string> {
  const report: Report = {
    tool: { name: 'keywarden', version: '0.0.0-test', informationUri: 'https://github.com/keywarden/keywarden' },
    command,
    findings,
    rules,
    failOn: 'error',
  };
  return {
    text: renderText(report, { color: false }),
    colour: renderText(report, { color: true }),
    json: renderJson(report),
    sarif: renderSarif(report),
    summary: renderSummary(report, { omittedAnnotations: 0 }),
    annotations: JSON.stringify(planAnnotations(report).annotations),
  };
}

/** A planted value and every 6-character piece of it past the first `shown` characters a report may show. */
export function leakPieces(values: string[], shown = 4): string[] {
  return values.flatMap((value) => [value, ...Array.from({ length: Math.max(0, value.length - shown - 5) }, (_, i) => value.slice(shown + i, shown + i + 6))]);
}

/** Fails naming the output and the value's length (never the value) when any piece appears. */
export function expectNoLeak(outputs: Record<string, string>, values: string[], shown = 4): void {
  const pieces = leakPieces(values, shown);
  for (const [name, text] of Object.entries(outputs)) {
    for (const piece of pieces) {
      if (text.includes(piece)) expect.fail(`${name} shows part of a planted value (${piece.length} characters at ${text.indexOf(piece)}): ${text.slice(Math.max(0, text.indexOf(piece) - 40), text.indexOf(piece)).replace(/[A-Za-z0-9]/g, '*')}`);
    }
  }
}
