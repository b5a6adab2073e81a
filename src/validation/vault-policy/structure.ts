import { Ajv, type ErrorObject } from 'ajv';
import { safeName } from '../../core/redact.js';
import policySchema from '../../../schemas/vault-policy.schema.json' with { type: 'json' };
import { locateTopLevelKey, type Position } from './locate.js';
import type { ParsedPolicy } from './parse.js';

export interface StructureProblem extends Position {
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validatePolicy = ajv.compile(policySchema);

const CAPABILITIES: string[] = policySchema.definitions.capability.enum;

/** A key or value from the policy, quoted, when shaped like a name; anything that could be a pasted value is not echoed. */
function quoteName(text: string): string {
  const named = safeName(text, '');
  return named ? `"${named}"` : '(not shown: it looks like a value)';
}

function describeCapability(value: unknown): string {
  if (value === 'write') return '"write" is not a capability (it is a legacy `policy` value): list create, read, update, delete, list instead, or use policy = "write"';
  if (value === '*') return '"*" is not a capability and Vault rejects the policy: list only the capabilities the path needs';
  if (value === 'root') return '"root" is not a capability a policy can grant';
  const named = typeof value === 'string' ? safeName(value, '') : '';
  return `${named ? `"${named}"` : 'a value that'} is not a capability; valid: ${CAPABILITIES.join(', ')}`;
}

/** The offending value: ajv only attaches `data` in verbose mode, so walk the instance path. */
function valueAt(document: unknown, instancePath: string): unknown {
  let value = document;
  for (const part of instancePath.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function describe(error: ErrorObject, key: string | undefined, inBlock: boolean, value: unknown): string {
  const where = key ? `${key}: ` : '';
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return !inBlock
        ? `unknown top-level key ${quoteName(extra)}: a policy holds only "name" and "path" blocks (Vault rejects the policy)`
        : `unknown key ${quoteName(extra)} (Vault rejects the policy)`;
    }
    case 'enum':
      if (error.instancePath.includes('/capabilities/')) return describeCapability(value);
      if (key === 'policy') return `invalid policy ${typeof value === 'string' ? quoteName(value) : 'value'}: use deny, read, write or sudo`;
      return `${where}must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${where}must be ${error.params.type === 'array' ? 'a list' : `a ${String(error.params.type)}`}`;
    case 'anyOf':
      return `${where}must be a duration such as "90s" or a number of seconds`;
    default:
      return `${where}${error.message ?? 'is invalid'}`;
  }
}

/** Validates the parsed policy against schemas/vault-policy.schema.json; problems sit on their block's line. */
export function checkStructure(policy: ParsedPolicy): StructureProblem[] {
  const document = { ...policy.topLevel, path: policy.rules.map((rule) => rule.body) };
  if (validatePolicy(document)) return [];
  const problems: StructureProblem[] = [];
  const seen = new Set<string>();
  for (const error of validatePolicy.errors ?? []) {
    // anyOf reports each branch too; its own summary is enough.
    if (error.schemaPath.includes('/anyOf/')) continue;
    const parts = error.instancePath.split('/').slice(1);
    let problem: StructureProblem;
    if (parts[0] === 'path' && parts[1] !== undefined) {
      const ruleIndex = Number(parts[1]);
      const rule = policy.rules[ruleIndex]!;
      problem = { message: `path "${rule.path}": ${describe(error, parts[2], true, valueAt(document, error.instancePath))}`, line: rule.line, column: rule.column };
    } else {
      const key = parts[0] ?? (error.params as { additionalProperty?: string }).additionalProperty ?? 'path';
      problem = { message: describe(error, parts[0], false, valueAt(document, error.instancePath)), ...locateTopLevelKey(policy.text, key) };
    }
    const id = `${problem.line}:${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(problem);
    }
  }
  return problems;
}
