import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { STARTER_CONFIG } from '../config/init-template.js';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import type { Logger } from '../core/context.js';
import { describeError, UserError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { writeFileNoFollow } from '../core/safe-write.js';
import { buildBaseline } from '../core/suppress.js';
import { FINGERPRINT_KEY_ENV } from '../core/fingerprint.js';
import { createContext } from '../commands/context.js';
import { failingFindings, runCommand } from '../commands/run.js';
import { TOOL, VERSION } from '../commands/version.js';
import { logText, renderReport, renderText } from '../reporting/index.js';
import { HELP, parseCliArgs, type CliArgs } from './args.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Runs the CLI; returns the exit code (0 clean, 1 findings at or above --fail-on, 2 error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (args.help) {
      io.stdout.write(`${HELP[args.explicitCommand ? args.command : 'main']}\n`);
      return 0;
    }
    return args.command === 'init' ? init(args, io) : await check(args, io);
  } catch (error) {
    io.stderr.write(`${logText(`keywarden: ${describeError(error)}`)}\n`);
    return 2;
  }
}

function init(args: CliArgs, io: CliIo): number {
  const dir = path.resolve(io.cwd, args.path);
  const existing = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  if (existing && !args.force) throw new UserError(`${path.relative(io.cwd, existing) || existing} already exists (use --force to overwrite)`);
  mkdirSync(dir, { recursive: true });
  const file = existing ?? path.join(dir, CONFIG_FILE_NAMES[0]);
  writeFileNoFollow(file, STARTER_CONFIG, dir);
  io.stderr.write(`keywarden: wrote ${path.relative(io.cwd, file) || file}\n`);
  return 0;
}

async function check(args: CliArgs, io: CliIo): Promise<number> {
  const root = path.resolve(io.cwd, args.path);
  if (!existsSync(root) && !args.explicitCommand) {
    throw new UserError(`"${args.path}" is neither a command nor an existing path (commands: check, scan, validate, rotation-check, rotate, init, baseline)`);
  }
  const log = stderrLogger(io);
  const ctx = await createContext({
    path: root,
    configPath: args.config && path.resolve(io.cwd, args.config),
    env: io.env,
    log,
    isAction: false,
    // The CLI never prints workflow commands such as ::add-mask::, so there is nothing to mask.
    mask: () => undefined,
    redactShown: args.redactShown,
  });
  if (args.command === 'init') throw new UserError('init takes no checks');
  const result = await runCommand(args.command, ctx, {
    scan: { mode: args.mode, base: args.base, head: args.head },
    live: args.live,
    rotate: { selection: args.selection, dryRun: args.dryRun },
    baseline: args.baseline && path.resolve(io.cwd, args.baseline),
  });

  if (args.command === 'baseline') {
    const file = path.resolve(io.cwd, args.output ?? path.join(args.path, '.keywarden-baseline.json'));
    const baseline = buildBaseline(result.findings, ctx.now, Boolean(ctx.env[FINGERPRINT_KEY_ENV]));
    writeFileNoFollow(file, `${JSON.stringify(baseline, null, 2)}\n`, ctx.root);
    io.stderr.write(`keywarden: wrote ${baseline.findings.length} fingerprints to ${path.relative(io.cwd, file) || file}\n`);
    return 0;
  }

  const report: Report = {
    tool: TOOL,
    command: args.command,
    findings: result.findings,
    rules: result.rules,
    rotated: result.rotated,
    ...(result.coverage ? { coverage: result.coverage } : {}),
    failOn: args.failOn,
  };
  const color = args.color ?? (io.stdout.isTTY === true && !args.output && !io.env.NO_COLOR);
  const rendered = renderReport(report, args.format, { color });
  if (args.output) {
    const file = path.resolve(io.cwd, args.output);
    writeFileNoFollow(file, rendered.endsWith('\n') ? rendered : `${rendered}\n`, ctx.root);
    if (args.format !== 'text') io.stderr.write(renderText(report, { color: false }));
  } else {
    io.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  }
  return failingFindings(result.findings, args.failOn).length > 0 ? 1 : 0;
}

function stderrLogger(io: CliIo): Logger {
  const debug = io.env.KEYWARDEN_DEBUG === '1' || io.env.RUNNER_DEBUG === '1';
  return {
    // The CLI may run in a workflow step too: its output is escaped as the action's is.
    info: (message) => io.stderr.write(`${logText(message)}\n`),
    warning: (message) => io.stderr.write(`warning: ${logText(message)}\n`),
    debug: (message) => {
      if (debug) io.stderr.write(`debug: ${logText(message)}\n`);
    },
  };
}
