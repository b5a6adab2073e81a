#!/usr/bin/env node
// `npm run eval`: keywarden, gitleaks and secretlint on data this project did not write — pinned public
// repositories scored against the hand labels in eval/labels/, the peers' own test suites, leaky-repo — and on
// this project's own generated corpus. Fetched sources stay in the cache; only figures are written, to
// eval/results.md and eval/results.json. Not a test: never part of CI's pass/fail. See docs/evaluation.md.
//
//   node scripts/eval.mjs [--cache DIR] [--mirrors DIR]… [--engine dist|source] [--only real,suites,corpus]
//                         [--repo owner/name]… [--todo [--todo-out DIR]] [--sample-size N] [--sample-above N]
//                         [--seed TEXT] [--peer-timeout S] [--readme]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileSources, installPeers, keywardenCli, ROOT, runners, toolVersions } from './lib/tools.mjs';
import { evaluateCorpus } from './eval/corpus.mjs';
import { InputError, loadRepos } from './eval/labels.mjs';
import { evaluateRepos, totals } from './eval/real.mjs';
import { render, renderSummary } from './eval/render.mjs';
import { findMirror, mirrorDirs } from './eval/sources.mjs';
import { scoreGitleaks } from './eval/suites/gitleaks.mjs';
import { scoreLeakyRepo } from './eval/suites/leaky-repo.mjs';
import { scoreSecretlint } from './eval/suites/secretlint.mjs';
import { scoreTrufflehog } from './eval/suites/trufflehog.mjs';
import { writeTodo } from './eval/todo.mjs';

const USAGE = 'usage: npm run eval -- [--cache DIR] [--mirrors DIR]... [--engine dist|source] [--only real,suites,corpus] [--repo owner/name]... [--todo [--todo-out DIR]] [--sample-size N] [--sample-above N] [--seed TEXT] [--peer-timeout S] [--readme]';
const PARTS = ['real', 'suites', 'corpus'];
const TOOLS = ['keywarden', 'gitleaks', 'secretlint'];

function log(message) {
  process.stderr.write(`[eval] ${message}\n`);
}

function options() {
  const { values } = parseArgs({
    options: {
      cache: { type: 'string' },
      mirrors: { type: 'string', multiple: true },
      engine: { type: 'string' },
      only: { type: 'string' },
      repo: { type: 'string', multiple: true },
      todo: { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
      'todo-out': { type: 'string' },
      'sample-size': { type: 'string', default: '100' },
      'sample-above': { type: 'string', default: '150' },
      seed: { type: 'string', default: 'keywarden-eval-1' },
      'peer-timeout': { type: 'string', default: '1200' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.engine && !['dist', 'source'].includes(values.engine)) throw new InputError(`--engine must be dist or source, got "${values.engine}"`);
  const only = values.only ? values.only.split(',').map((p) => p.trim()) : values.todo ? ['real'] : PARTS;
  const unknown = only.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new InputError(`--only takes ${PARTS.join(', ')}; got ${unknown.join(', ')}`);
  if (values.readme && only.length !== PARTS.length) throw new InputError('--readme needs a full run (no --only)');
  const sampleSize = Number(values['sample-size']);
  const sampleAbove = Number(values['sample-above']);
  if (!Number.isInteger(sampleSize) || sampleSize < 1 || !Number.isInteger(sampleAbove) || sampleAbove < sampleSize) throw new InputError('--sample-size must be a positive whole number and --sample-above at least as large');
  const cache = path.resolve(values.cache ?? process.env.KEYWARDEN_EVAL_CACHE ?? path.join(ROOT, '.eval-cache'));
  return { ...values, cache, only, sampling: { sampleSize, sampleAbove, seed: values.seed }, timeoutMs: Number(values['peer-timeout']) * 1000 };
}

async function main() {
  const opts = options();
  mkdirSync(opts.cache, { recursive: true });
  const mirrors = mirrorDirs(opts.cache, opts.mirrors);
  const peers = installPeers(opts.cache, log);
  const cli = keywardenCli(opts.cache, opts.engine ?? 'dist', log);
  const all = runners({ cli, peers, cacheDir: opts.cache });
  const tools = Object.fromEntries(TOOLS.map((t) => [t, all[t]]));
  const versions = toolVersions({ cli, peers });
  const out = { date: new Date().toISOString().slice(0, 10), versions, tools: TOOLS, sampling: opts.sampling };

  if (opts.only.includes('real')) {
    let repos = loadRepos(path.join(ROOT, 'eval/repos.json'));
    if (opts.repo) repos = repos.filter((r) => opts.repo.includes(r.repo));
    const results = evaluateRepos({ repos, labelsDir: path.join(ROOT, 'eval/labels'), cacheDir: opts.cache, mirrors, tools, versions, timeoutMs: opts.timeoutMs, sampling: opts.sampling, log });
    if (opts.todo) {
      const { redactSnippet } = await import(path.join(compileSources(opts.cache, log), 'src/core/redact.js'));
      const outDir = path.resolve(opts['todo-out'] ?? path.join(opts.cache, 'todo'));
      const counts = writeTodo(results, { labelsDir: path.join(ROOT, 'eval/labels'), outDir, redactSnippet });
      for (const c of counts) process.stdout.write(`${c.repo}: ${c.sites} sites to label in ${path.join(outDir, c.repo.replace('/', '__') + '.tsv')}\n`);
      if (counts.length === 0) process.stdout.write('every site to label is labelled\n');
      return;
    }
    out.real = {
      results: results.map(({ selections, dir, ...r }) => r),
      all: totals(results, TOOLS),
      heldOut: totals(results.filter((r) => r.heldOut), TOOLS),
    };
  }

  if (opts.only.includes('suites')) {
    const pins = JSON.parse(readFileSync(path.join(ROOT, 'eval/suites.json'), 'utf8'));
    const scorers = { secretlint: scoreSecretlint, trufflehog: scoreTrufflehog, gitleaks: scoreGitleaks, leakyRepo: scoreLeakyRepo };
    out.suites = {};
    for (const [name, scorer] of Object.entries(scorers)) {
      const pin = pins[name];
      const mirror = findMirror(mirrors, pin.repo, pin.commit);
      if (mirror.missing) {
        log(`${name}: skipped, ${mirror.missing}`);
        // The log names the folders looked in; the results, which are committed, name no machine path.
        out.suites[name] = { missing: 'no mirror with the pinned commit was found' };
        continue;
      }
      out.suites[name] = scorer({ cacheDir: opts.cache, gitDir: mirror.gitDir, repo: pin.repo, commit: pin.commit, focus: pin.focus, tools, timeoutMs: opts.timeoutMs, log });
    }
  }

  if (opts.only.includes('corpus')) out.corpus = evaluateCorpus({ cacheDir: opts.cache, tools, timeoutMs: opts.timeoutMs, log });

  const markdown = render(out);
  writeFileSync(path.join(ROOT, 'eval/results.md'), `${markdown}\n`);
  writeFileSync(path.join(ROOT, 'eval/results.json'), `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(`${markdown}\n`);
  if (opts.readme) writeReadmeSummary(renderSummary(out));
}

const SUMMARY_START = '<!-- eval-summary:start (written by npm run eval -- --readme) -->';
const SUMMARY_END = '<!-- eval-summary:end -->';

/** Replaces the README's summary block with this run's figures. */
function writeReadmeSummary(summary) {
  const file = path.join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(SUMMARY_START);
  const end = text.indexOf(SUMMARY_END);
  if (start === -1 || end < start) throw new InputError(`README.md has no ${SUMMARY_START} … ${SUMMARY_END} block`);
  writeFileSync(file, `${text.slice(0, start + SUMMARY_START.length)}\n\n${summary}\n\n${text.slice(end)}`);
  log('README.md summary block updated');
}

main().catch((error) => {
  if (error instanceof InputError) {
    process.stderr.write(`eval: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
});
