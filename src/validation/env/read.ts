/** Reading one .env file from the repository into a parse result, or a finding saying why not. */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { makeFinding, type Finding } from '../../core/finding.js';
import { envSeverity, type EnvRuleId } from './rules.js';
import { parseEnv, type ParsedEnv } from './parse.js';
import { decodeEnvBytes } from './text.js';

export interface EnvFindingInput {
  ruleId: EnvRuleId;
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  message: string;
  /** Hashed into the fingerprint: a key name and the message, never a value. */
  material: string;
  snippet?: string;
}

export function envFinding(input: EnvFindingInput): Finding {
  return makeFinding({
    ruleId: input.ruleId,
    check: 'validate',
    severity: envSeverity(input.ruleId),
    message: input.message,
    file: input.file,
    startLine: input.line,
    ...(input.column !== undefined ? { startColumn: input.column } : {}),
    endLine: input.endLine ?? input.line,
    ...(input.snippet !== undefined ? { snippet: input.snippet } : {}),
    fingerprintMaterial: input.material,
  });
}

export type ReadOutcome = { parsed: ParsedEnv } | { finding: Finding } | { skipped: string };

/**
 * Reads `file` (repo-relative) under `root`. Files outside the root (through a symlink) are skipped:
 * a pull request must not make keywarden read files elsewhere on the runner.
 */
export function readEnvFile(root: string, file: string, maxFileSize: number): ReadOutcome {
  const full = path.join(root, file);
  let size: number;
  try {
    const real = realpathSync(full);
    const realRoot = realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return { skipped: `${file} points outside the repository` };
    const stat = lstatSync(real);
    if (!stat.isFile()) return { skipped: `${file} is not a regular file` };
    size = stat.size;
  } catch {
    return { skipped: `${file} cannot be read` };
  }
  if (size > maxFileSize) {
    return {
      finding: envFinding({
        ruleId: 'env-file-too-large',
        file,
        line: 1,
        message: `${file} is ${size} bytes, over scan.max-file-size (${maxFileSize}); it was not validated`,
        material: 'size',
      }),
    };
  }
  const decoded = decodeEnvBytes(readFileSync(full));
  if ('problem' in decoded) {
    return { finding: envFinding({ ruleId: 'env-not-text', file, line: decoded.problem.line, message: `${file} ${decoded.problem.message}`, material: 'not-text' }) };
  }
  return { parsed: parseEnv(decoded.text) };
}
