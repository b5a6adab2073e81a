/** Drift between a .env file and its template: keys on one side only (values are never compared). */
import type { Finding } from '../../core/finding.js';
import { effectiveValues, type ParsedEnv } from './parse.js';
import { envFinding } from './read.js';

export function driftFindings(file: string, parsed: ParsedEnv, templateFile: string, template: ParsedEnv): Finding[] {
  const fileKeys = effectiveValues(parsed);
  const templateKeys = effectiveValues(template);
  const findings: Finding[] = [];
  for (const [key, declared] of templateKeys) {
    if (fileKeys.has(key)) continue;
    findings.push(
      envFinding({
        ruleId: 'env-drift-missing-key',
        file,
        line: 1,
        message: `${key} is declared in ${templateFile}:${declared.line} but not set in this file`,
        material: key,
      }),
    );
  }
  for (const [key, variable] of fileKeys) {
    if (templateKeys.has(key)) continue;
    findings.push(
      envFinding({
        ruleId: 'env-drift-undocumented-key',
        file,
        line: variable.line,
        column: variable.column,
        message: `${key} is not declared in the template ${templateFile}`,
        material: key,
      }),
    );
  }
  return findings;
}
