/**
 * .env validation for `keywarden validate`: for each `env:` entry, its files are parsed (dialect
 * lint), validated against the entry's preset and/or schema, and compared with their template.
 * Without `env:` config every .env-family file gets the dialect lint and drift only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Minimatch, minimatch } from 'minimatch';
import type { EnvEntry } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import { UserError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import { redactValue } from '../../core/redact.js';
import { workspaceFile } from '../../core/workspace-path.js';
import { isEnvFamily, isEnvTemplate, isGitIgnored, listRepoFiles, type RepoFiles } from '../files.js';
import { driftFindings } from './drift.js';
import { effectiveValues, type ParsedEnv } from './parse.js';
import { envFinding, readEnvFile, type ReadOutcome } from './read.js';
import { decodeEnvBytes } from './text.js';
import { parseEnv } from './parse.js';
import type { EnvRuleId } from './rules.js';
import { validateEnvObject, type EnvFileFacts } from './schema.js';
import { schemasForEntry, type LoadedSchema } from './schemas.js';

const DEFAULT_TEMPLATE = '.env.example';

class EnvRun {
  readonly findings: Finding[] = [];
  private readonly reads = new Map<string, ReadOutcome>();
  private readonly linted = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(
    readonly ctx: RunContext,
    readonly repo: RepoFiles,
  ) {}

  add(finding: Finding): void {
    const id = `${finding.fingerprint}:${finding.startLine}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.findings.push(finding);
  }

  /** Parses a file once; its read problem or dialect lint is reported once, whichever entries match it. */
  parsed(file: string): ParsedEnv | undefined {
    let outcome = this.reads.get(file);
    if (!outcome) {
      outcome = readEnvFile(this.ctx.root, file, this.ctx.config.scan.maxFileSize);
      this.reads.set(file, outcome);
    }
    if (!this.linted.has(file)) {
      this.linted.add(file);
      if ('skipped' in outcome) this.ctx.log.debug(`env: ${outcome.skipped}`);
      if ('finding' in outcome) this.add(outcome.finding);
      if ('parsed' in outcome) {
        for (const p of outcome.parsed.problems) {
          this.add(envFinding({ ruleId: p.ruleId, file, line: p.line, column: p.column, message: p.message, material: `${p.key ?? ''}:${p.message}` }));
        }
      }
    }
    return 'parsed' in outcome ? outcome.parsed : undefined;
  }

  drift(file: string, parsed: ParsedEnv, template: string | undefined): void {
    if (!template || template === file || isEnvTemplate(file)) return;
    const templateParsed = this.template(template);
    if (templateParsed) for (const f of driftFindings(file, parsed, template, templateParsed)) this.add(f);
  }

  /** A template is the reference: on a pull request it is read from the base commit, not the change. */
  private template(template: string): ParsedEnv | undefined {
    if (fromCommit(this.ctx)) {
      const bytes = this.ctx.trustedFiles!.read(template);
      const decoded = bytes && decodeEnvBytes(bytes);
      return decoded && 'text' in decoded ? parseEnv(decoded.text) : undefined;
    }
    if (!existsSync(path.join(this.ctx.root, template))) return undefined;
    return this.parsed(template);
  }
}

function besideTemplate(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? DEFAULT_TEMPLATE : `${dir}/${DEFAULT_TEMPLATE}`;
}

/** Config-named files come from a commit (a pull request's base) rather than the work tree. */
function fromCommit(ctx: RunContext): boolean {
  const kind = ctx.trustedFiles?.origin.kind;
  return kind === 'base' || kind === 'defaults';
}

function templateFor(run: EnvRun, entry: EnvEntry, file: string): string | undefined {
  if (!entry.template) return besideTemplate(file);
  const at = { file: run.ctx.source.file ?? '.keywarden.yml', ...run.ctx.source.locate(['env', entry.index, 'template']) };
  const full = workspaceFile(run.ctx.root, entry.template, 'env template', at);
  const present = fromCommit(run.ctx) ? run.ctx.trustedFiles!.read(entry.template) !== undefined : existsSync(full);
  if (!present) {
    throw new UserError(`env template not found: ${entry.template}`, at);
  }
  return entry.template;
}

function factsFor(run: EnvRun, entry: EnvEntry, file: string, needsIgnore: boolean): EnvFileFacts {
  const { repo, ctx } = run;
  return {
    production: entry.production,
    allowPublicBind: entry.allowPublicBind,
    template: isEnvTemplate(file),
    ...(repo.inGit ? { tracked: repo.tracked.has(file) } : {}),
    ...(repo.inGit && needsIgnore ? { ignored: isGitIgnored(ctx.root, file) } : {}),
    allowedPaths: ctx.config.vault.allowedPaths,
    kvV2Mounts: ctx.config.vault.kvV2Mounts,
  };
}

/** A template documents keys with empty or placeholder values: only what it does set is judged. */
const NOT_FOR_TEMPLATES = new Set<EnvRuleId>([
  'env-required-key',
  'env-required-in-production',
  'env-recommended-key',
  'env-required-key-pattern',
  'env-default-credential',
  'env-weak-secret',
]);

function validateAgainstSchemas(run: EnvRun, file: string, parsed: ParsedEnv, schemas: LoadedSchema[], facts: EnvFileFacts): void {
  const variables = effectiveValues(parsed);
  const env = Object.fromEntries([...variables].map(([key, v]) => [key, v.value]));
  for (const schema of schemas) {
    for (const problem of validateEnvObject(schema.validate, env, facts)) {
      if (facts.template && NOT_FOR_TEMPLATES.has(problem.ruleId)) continue;
      const variable = problem.key && !problem.missing ? variables.get(problem.key) : undefined;
      run.add(
        envFinding({
          ruleId: problem.ruleId,
          file,
          line: variable?.line ?? 1,
          ...(variable ? { column: variable.valueColumn, endLine: variable.endLine } : {}),
          message: problem.message,
          material: `${problem.key ?? ''}:${problem.message}`,
          ...(variable ? { snippet: `${variable.key}=${redactValue(variable.value, run.ctx.redactShown)}` } : {}),
        }),
      );
    }
  }
}

/**
 * A schema that requires its files to be git-ignored (leyzen-vault) must also hold when the file
 * does not exist yet, as in CI: the path the entry names (or .env) has to be ignored.
 */
function checkIgnoreRuleWithoutFiles(run: EnvRun, entry: EnvEntry, schemas: LoadedSchema[], matched: string[]): void {
  if (!run.repo.inGit || !schemas.some((s) => s.raw['x-git-ignored'] === true)) return;
  if (matched.some((file) => !isEnvTemplate(file))) return;
  const literal = entry.files.map((glob) => glob.replace(/^\.\//, '')).filter((glob) => !new Minimatch(glob).hasMagic() && !isEnvTemplate(glob));
  for (const file of literal.length > 0 ? literal : ['.env']) {
    if (isGitIgnored(run.ctx.root, file) !== false) continue;
    const at = run.ctx.source.locate(['env', entry.index, 'files']);
    run.add(
      envFinding({
        ruleId: 'env-not-gitignored',
        file: run.ctx.source.file ?? '.keywarden.yml',
        line: at.line,
        column: at.column,
        message: `${file} would not be excluded by .gitignore: add it so a local .env cannot be committed`,
        material: file,
      }),
    );
  }
}

function validateEntry(run: EnvRun, entry: EnvEntry): void {
  const schemas = schemasForEntry(run.ctx.root, entry, fromCommit(run.ctx) ? run.ctx.trustedFiles : undefined);
  const needsIgnore = schemas.some((s) => s.raw['x-git-ignored'] === true);
  const candidates = [...run.repo.visible, ...run.repo.ignored];
  const globs = entry.files.map((glob) => glob.replace(/^\.\//, ''));
  const matched = candidates.filter((file) => globs.some((glob) => minimatch(file, glob, { dot: true }))).sort();
  for (const file of matched) {
    const parsed = run.parsed(file);
    if (!parsed) continue;
    validateAgainstSchemas(run, file, parsed, schemas, factsFor(run, entry, file, needsIgnore));
    run.drift(file, parsed, templateFor(run, entry, file));
  }
  checkIgnoreRuleWithoutFiles(run, entry, schemas, matched);
  run.ctx.log.debug(`env entry ${entry.index}: ${matched.length} file(s)`);
}

export function validateEnvFiles(ctx: RunContext): Finding[] {
  const run = new EnvRun(ctx, listRepoFiles(ctx.root));
  if (ctx.config.env.length === 0) {
    for (const file of run.repo.visible.filter(isEnvFamily)) {
      const parsed = run.parsed(file);
      if (parsed) run.drift(file, parsed, besideTemplate(file));
    }
  } else {
    for (const entry of ctx.config.env) validateEntry(run, entry);
  }
  return run.findings;
}
