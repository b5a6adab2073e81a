import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { MAX_SHOWN, parseShown } from '../core/redact.js';
import { CHECK_COMMANDS, parseFailOn, type CheckCommand, type FailOn } from '../commands/run.js';
import type { RotateSelection } from '../rotation/index.js';
import type { ScanMode } from '../scanning/index.js';

export type Command = CheckCommand | 'init';
export type Format = 'text' | 'json' | 'sarif';

export interface CliArgs {
  command: Command;
  /** False for `keywarden PATH`: a missing PATH is then reported as a possibly mistyped command. */
  explicitCommand: boolean;
  path: string;
  format: Format;
  output?: string;
  config?: string;
  failOn: FailOn;
  mode: ScanMode;
  base?: string;
  head?: string;
  baseline?: string;
  live: boolean;
  selection: RotateSelection;
  dryRun: boolean;
  force: boolean;
  color?: boolean;
  help: boolean;
  version: boolean;
  /** `--redact N`: leading characters of a found value that snippets show. */
  redactShown: number;
}

const COMMANDS: readonly Command[] = [...CHECK_COMMANDS, 'init'];
const MODES: readonly ScanMode[] = ['tree', 'diff', 'history', 'staged'];

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  'fail-on': { type: 'string' },
  mode: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  baseline: { type: 'string' },
  redact: { type: 'string' },
  live: { type: 'boolean' },
  due: { type: 'boolean' },
  all: { type: 'boolean' },
  secret: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]} (see keywarden --help)`);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = COMMANDS.find((c) => c === first);
  // `keywarden PATH` means `keywarden check PATH`.
  const pathArgs = command ? rest : positionals;
  if (pathArgs.length > 1) {
    throw new UserError(command ? `expected one path, got ${pathArgs.length}: ${pathArgs.join(' ')}` : `unknown command "${first}" (commands: ${COMMANDS.join(', ')})`);
  }

  const format = (values.format ?? 'text') as Format;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UserError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = parseFailOn(values['fail-on'] ?? 'error');
  if (!failOn) throw new UserError(`--fail-on must be error, warning, note or never, not "${values['fail-on']}"`);
  const mode = (values.mode ?? (values.base ? 'diff' : 'tree')) as ScanMode;
  if (!MODES.includes(mode)) throw new UserError(`--mode must be one of ${MODES.join(', ')}, not "${mode}"`);
  if (mode === 'diff' && !values.base) throw new UserError('--mode diff needs --base REF (and optionally --head REF, default HEAD)');

  let redactShown = MAX_SHOWN;
  try {
    if (values.redact !== undefined) redactShown = parseShown(values.redact, '--redact');
  } catch (error) {
    throw new UserError((error as Error).message);
  }

  const selections = [values.due && 'due', values.all && 'all', values.secret && 'secret'].filter(Boolean);
  if (selections.length > 1) throw new UserError('choose one of --due, --all and --secret NAME');
  const selection: RotateSelection = values.all
    ? { kind: 'all' }
    : values.secret
      ? { kind: 'names', names: values.secret.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) }
      : { kind: 'due' };

  return {
    command: command ?? 'check',
    path: pathArgs[0] ?? '.',
    explicitCommand: command !== undefined,
    format,
    output: values.output,
    config: values.config,
    failOn,
    mode,
    base: values.base,
    head: values.head,
    baseline: values.baseline,
    live: values.live ?? false,
    selection,
    dryRun: values['dry-run'] ?? false,
    force: values.force ?? false,
    color: values['no-color'] ? false : values.color,
    help: values.help ?? false,
    version: values.version ?? false,
    redactShown,
  };
}

const COMMON = `Options:
  -f, --format text|json|sarif   report format (default: text)
  -o, --output FILE              write the report to FILE instead of stdout
  -c, --config FILE              config file (default: .keywarden.yml or .keywarden.yaml in PATH)
      --fail-on LEVEL            error|warning|note|never: exit 1 when a finding is at or above it (default: error)
      --baseline FILE            report only findings not in this baseline
      --redact N                 show at most N (0-4) leading characters of a found value (default: 4)
      --no-color                 no ANSI colour (also NO_COLOR=1); colour is used only on a terminal
  -h, --help                     this help
  -v, --version                  print the version`;

export const HELP: Record<Command | 'main', string> = {
  main: `keywarden: keeps secrets out of repositories and keeps secret hygiene honest.

Usage: keywarden <command> [path] [options]

Commands:
  check            every configured check: scan, validate, and rotation-check when rotation is configured (default)
  scan             committed secrets and default credentials
  validate         .env files against schemas and presets; Vault ACL policy files
  rotation-check   age of Vault secrets (and GitHub Actions secrets) against policy
  rotate           rotate secrets in Vault (generate, write with check-and-set, verify)
  init             write a commented starter .keywarden.yml
  baseline         record the current findings' fingerprints, so that only new ones are reported

Run "keywarden <command> --help" for a command's options.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, config or runtime error.

${COMMON}`,
  check: `Usage: keywarden check [path] [options]

Runs scan, validate and (when rotation or github-secrets is configured) rotation-check.
Scan options (--mode, --base, --head) and validate options (--live) apply.

${COMMON}`,
  scan: `Usage: keywarden scan [path] [options]

Finds committed secrets (provider tokens, private keys, connection strings, high-entropy
passwords) and default credentials.

Scan options:
      --mode tree|diff|history|staged   what to scan (default: tree; diff when --base is given)
                                        tree: the files git tracks plus untracked, not ignored ones
                                        diff: lines added since the merge base of --base and --head
                                        history: every line added by every commit
                                        staged: lines added in the index (pre-commit hook)
      --base REF                        diff mode: base ref
      --head REF                        diff mode: head ref (default: HEAD)

${COMMON}`,
  validate: `Usage: keywarden validate [path] [options]

Validates .env files (dialect lint, JSON Schema presets, drift against .env.example) and
Vault ACL policy files (structure, path semantics, least privilege).

Validate options:
      --live      also lint the ACL policies deployed in Vault (needs vault.address and auth)

${COMMON}`,
  'rotation-check': `Usage: keywarden rotation-check [path] [options]

Checks how old each secret in rotation.secrets is (from Vault KV v2 metadata), and the age of
GitHub Actions secrets when github-secrets.max-age is set.

${COMMON}`,
  rotate: `Usage: keywarden rotate [path] [--due | --all | --secret NAME...] [--dry-run] [options]

Rotates secrets listed in rotation.secrets: generates a value, writes a new KV v2 version with
check-and-set, records the rotation in custom_metadata, reads back and verifies. Never prints a value.

Rotate options:
      --due           rotate secrets past warn-at, oldest first, at most max-per-run (default)
      --all           emergency: rotate every listed secret, in order
      --secret NAME   rotate these secrets (repeat, or comma-separated)
      --dry-run       say what would be rotated; write nothing

${COMMON}`,
  init: `Usage: keywarden init [path] [--force]

Writes a commented starter .keywarden.yml into path (default: the current directory).
      --force     overwrite an existing config`,
  baseline: `Usage: keywarden baseline [path] [-o FILE]

Runs scan and validate and writes the fingerprints of every current finding (never a value) to
FILE (default: .keywarden-baseline.json). Then "keywarden check --baseline FILE" (or
scan.baseline in the config) reports only findings that are not in it.

${COMMON}`,
};
