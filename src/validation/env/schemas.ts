/** The schemas an env entry validates against: a built-in preset and/or a schema file from the repo. */
import { splitLines } from '../../core/lines.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import leyzenVault from '../../../schemas/presets/leyzen-vault.schema.json' with { type: 'json' };
import medicAgent from '../../../schemas/presets/medic-agent.schema.json' with { type: 'json' };
import statusPanel from '../../../schemas/presets/status-panel.schema.json' with { type: 'json' };
import type { EnvEntry, EnvPreset, TrustedFiles } from '../../config/types.js';
import { UserError } from '../../core/errors.js';
import { sha256Hex } from '../../core/finding.js';
import { workspaceFile } from '../../core/workspace-path.js';
import { compileEnvSchema } from './schema.js';

const PRESETS: Record<EnvPreset, Record<string, unknown>> = {
  'status-panel': statusPanel,
  'leyzen-vault': leyzenVault,
  'medic-agent': medicAgent,
};

export interface LoadedSchema {
  raw: Record<string, unknown>;
  validate: ValidateFunction;
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = splitLines(text.slice(0, offset));
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/**
 * Reads and compiles a schema file, from the work tree or, on a pull request, the base commit;
 * every problem is a UserError naming the file.
 */
function loadSchemaFile(root: string, file: string, fromCommit?: TrustedFiles): LoadedSchema {
  const full = workspaceFile(root, file, 'env schema');
  const where = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  const origin = fromCommit?.origin;
  const bytes = fromCommit ? fromCommit.read(where) : existsSync(full) ? readFileSync(full) : undefined;
  if (bytes === undefined) {
    const at = origin?.kind === 'base' ? ` in the base commit ${origin.commit.slice(0, 12)}` : '';
    throw new UserError(`env schema not found${at}: ${where}`, { file: where });
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // Node's message may quote part of the file; report only the position, when it gives one.
    const offset = /position (\d+)/.exec((error as Error).message)?.[1];
    const position = offset !== undefined ? lineColumnAt(text, Number(offset)) : {};
    throw new UserError('env schema is not valid JSON', { file: where, ...position });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UserError('env schema must be a JSON object (a draft-07 JSON Schema)', { file: where, line: 1 });
  }
  try {
    return { raw: raw as Record<string, unknown>, validate: compileEnvSchema(`file:${full}:${sha256Hex(text)}`, raw as Record<string, unknown>) };
  } catch (error) {
    throw new UserError(`env schema is invalid: ${(error as Error).message}`, { file: where, line: 1 });
  }
}

export function schemasForEntry(root: string, entry: EnvEntry, fromCommit?: TrustedFiles): LoadedSchema[] {
  const schemas: LoadedSchema[] = [];
  if (entry.preset) {
    const raw = PRESETS[entry.preset];
    schemas.push({ raw, validate: compileEnvSchema(`preset:${entry.preset}`, raw) });
  }
  if (entry.schema) schemas.push(loadSchemaFile(root, entry.schema, fromCommit));
  return schemas;
}
