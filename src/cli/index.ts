#!/usr/bin/env node
import { writeFailureReason } from '../core/safe-write.js';
import { main } from './main.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `keywarden scan | head` closes the pipe early: that is the reader's choice, not an error.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // `keywarden scan > report.txt` on a full disk: one line and the error code, as for -o.
  process.stderr.write(`keywarden: cannot write the report to standard output: ${writeFailureReason(error)}\n`);
  process.exit(2);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
