import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksummedToken } from '../../src/scanning/rules/support.js';
import { GitRepo, tempDir } from '../support/git-repo.js';
import { parseGithubOutput, runAction, type Ran } from '../support/run-built.js';

/**
 * A pull request's file and folder names are the attacker's. Each output of the built action is
 * checked the way the runner reads it: no line of stdout may be a workflow command other than the
 * ones keywarden itself issues, and no bidi control may reach any output raw.
 */

const fakeGithubToken = (): string => checksummedToken(['gh', 'p_'].join(''));

const RLO = '\u202e';
const LRI = '\u2066';
const PDI = '\u2069';
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Folder names that try every command form the runner honours. */
const HOSTILE_DIRS = [
  '::stop-commands::x',
  '##[error]forged',
  '%0A::set-output name=leak::1',
  '  ::warning file=a,line=1::indented',
  `bidi${RLO}txt.js${LRI}${PDI}`,
  'comma,colon:name',
  'line\n::error::newline',
  'cr\r::error::carriage',
  'nbsp\u00a0::add-mask::x',
];

/** Commands keywarden issues itself; anything else on stdout is an injection. */
const OWN_COMMANDS = new Set(['error', 'warning', 'notice', 'debug', 'add-mask']);
const ANNOTATION_KEYS = new Set(['title', 'file', 'line', 'endLine', 'col', 'endColumn']);

interface Command {
  name: string;
  properties: Record<string, string>;
  data: string;
}

/** The runner's reading of stdout (ActionCommandManager): lines split on CR/LF, commands after left-trimming. */
function runnerCommands(stdout: string): { commands: Command[]; legacy: string[] } {
  const commands: Command[] = [];
  const legacy: string[] = [];
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    if (line.includes('##[')) legacy.push(line);
    const trimmed = line.replace(/^[\s\u0085]+/, '');
    if (!trimmed.startsWith('::')) continue;
    const end = trimmed.indexOf('::', 2);
    const head = trimmed.slice(2, end === -1 ? undefined : end);
    const [name = '', props = ''] = head.split(/ (.*)/s);
    const properties: Record<string, string> = {};
    for (const pair of props.split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({ name, properties, data: end === -1 ? '' : unescapeData(trimmed.slice(end + 2)) });
  }
  return { commands, legacy };
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

describe('the built action on a repository with hostile names', () => {
  const repo = new GitRepo('kw-hostile-');
  const outside = tempDir('kw-outside-');
  const outsideToken = fakeGithubToken();
  const work = tempDir('kw-runner-');
  const files = { event: path.join(work, 'event.json'), output: path.join(work, 'output.txt'), summary: path.join(work, 'summary.md') };
  const tokens: string[] = [];
  let ran: Ran;
  let summary: string;
  let sarifText: string;
  let jsonText: string;

  beforeAll(() => {
    const content: Record<string, string> = {};
    for (const dir of HOSTILE_DIRS) {
      const token = fakeGithubToken();
      tokens.push(token);
      content[`${dir}/.env`] = `GITHUB_TOKEN=${token}\n`;
    }
    repo.write(content);
    // Links out of the work tree, with hostile names: neither is read nor reported with content.
    writeFileSync(path.join(outside, 'id_rsa'), `GITHUB_TOKEN=${outsideToken}\n`);
    symlinkSync('/etc/shadow', path.join(repo.dir, '::error::shadow'));
    symlinkSync(outside, path.join(repo.dir, '##[warning]ssh'));
    repo.commit('hostile names');
    writeFileSync(files.event, '{}');
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    ran = runAction({
      cwd: repo.dir,
      inputs: {},
      env: {
        GITHUB_WORKSPACE: repo.dir,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_REPOSITORY: 'acme/widgets',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: repo.git('rev-parse', 'HEAD'),
        GITHUB_ACTIONS: 'true',
        RUNNER_TEMP: work,
      },
    });
    const outputs = parseGithubOutput(readFileSync(files.output, 'utf8'));
    summary = readFileSync(files.summary, 'utf8');
    sarifText = readFileSync(outputs['sarif-file']!, 'utf8');
    jsonText = readFileSync(outputs.report!, 'utf8');
  });
  afterAll(() => repo.remove());

  it('runs and fails on the planted tokens', () => {
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(1);
  });

  it('text report (core.info): no injected command, names shown escaped', () => {
    const { commands, legacy } = runnerCommands(ran.stdout);
    expect(legacy).toEqual([]);
    expect(commands.map((c) => c.name).filter((name) => !OWN_COMMANDS.has(name))).toEqual([]);
    expect(ran.stdout).not.toMatch(BIDI);
    // The report names the folders, defused: `\x3a:stop-commands…`, `\x23#[error]…`, `\u202e`.
    expect(ran.stdout).toContain('\\x3a:stop-commands::x/.env');
    expect(ran.stdout).toContain('\\x23#[error]forged/.env');
    expect(ran.stdout).toContain('bidi\\u202etxt.js\\u2066\\u2069/.env');
    expect(ran.stdout).toContain('line ::error::newline/.env');
  });

  it('logs (core.warning for links out of the tree): escaped, and the target is never read', () => {
    const { commands } = runnerCommands(ran.stdout);
    const linkWarnings = commands.filter((c) => c.name === 'warning' && c.data.includes('outside the repository'));
    expect(linkWarnings.map((c) => c.data.split(' ')[0]).sort()).toEqual(['\\x23#[warning]ssh', '\\x3a:error::shadow']);
    for (const text of [ran.stdout, summary, sarifText, jsonText]) {
      expect(text).not.toContain(outsideToken.slice(4));
      expect(text).not.toMatch(/root:[^\n]*:\d+:/); // a line of /etc/shadow
    }
    const json = JSON.parse(jsonText);
    expect(json.findings.some((f: { file: string }) => f.file.includes('shadow') || f.file.includes('ssh'))).toBe(false);
    expect(json.coverage.skipped.symlink).toBe(2);
  });

  it('annotations: properties escaped by core rules, hostile paths only in the escaped message', () => {
    const { commands } = runnerCommands(ran.stdout);
    const annotations = commands.filter((c) => c.name === 'error' && c.properties.title);
    expect(annotations.length).toBeGreaterThanOrEqual(HOSTILE_DIRS.length);
    for (const a of annotations) {
      expect(Object.keys(a.properties).every((key) => ANNOTATION_KEYS.has(key))).toBe(true);
      expect(a.data).not.toMatch(BIDI);
      expect(a.data.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
    }
    const files = annotations.map((a) => a.properties.file).filter(Boolean);
    // `:` and `,` in a path travel as %3A / %2C and come back exact; so does the folder named `%0A…`.
    expect(files).toContain('comma,colon:name/.env');
    expect(files).toContain('%0A::set-output name=leak::1/.env');
    expect(files).toContain('::stop-commands::x/.env');
    // A path with a bidi control, a line break or `##[` gets no `file` property; the message names it, escaped.
    expect(files.some((f) => BIDI.test(f!) || /[\r\n]/.test(f!) || f!.includes('##['))).toBe(false);
    expect(annotations.some((a) => a.data.startsWith('In \\x23#[error]forged/.env:'))).toBe(true);
    expect(annotations.some((a) => a.data.startsWith('In bidi\\u202etxt.js\\u2066\\u2069/.env:'))).toBe(true);
  });

  it('job summary: every table row keeps its cells, no raw HTML, bidi or command text', () => {
    expect(summary).not.toMatch(BIDI);
    expect(summary).not.toContain('##[');
    const table = summary.split('\n').filter((line) => /^\| (?:🔴|🟠|🔵) /u.test(line));
    expect(table.length).toBeGreaterThanOrEqual(HOSTILE_DIRS.length);
    for (const row of table) expect(row.split('|').length).toBe(6); // | Level | Location | Rule | Message |
    expect(summary).not.toMatch(/<(?!\/?code>)/);
    expect(summary).toContain('bidi&#92;u202etxt.js');
  });

  it('SARIF: exact paths as percent-encoded URIs, escaped messages, no raw bidi or ##[ in the file', () => {
    expect(sarifText).not.toMatch(BIDI);
    expect(sarifText).not.toContain('##[');
    const sarif = JSON.parse(sarifText);
    const uris: string[] = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    const decoded = uris.map((uri) => uri.split('/').map(decodeURIComponent).join('/'));
    for (const dir of HOSTILE_DIRS) expect(decoded).toContain(`${dir}/.env`);
    for (const r of sarif.runs[0].results) expect(r.message.text).not.toMatch(BIDI);
  });

  it('JSON: exact paths after parsing, yet no raw bidi or ##[ in the file', () => {
    expect(jsonText).not.toMatch(BIDI);
    expect(jsonText).not.toContain('##[');
    const json = JSON.parse(jsonText);
    const reported = new Set(json.findings.map((f: { file: string }) => f.file));
    for (const dir of HOSTILE_DIRS) expect(reported.has(`${dir}/.env`)).toBe(true);
    for (const token of tokens) expect(jsonText).not.toContain(token.slice(4));
  });
});
