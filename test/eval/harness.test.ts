// The evaluation harness's own logic (scripts/eval/): intervals, sampling, the label format, the Go reader
// that extracts the peers' test inputs, and snippet redaction. The evaluation itself is never run here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redactSnippet } from '../../src/core/redact.js';

// The harness is plain ESM JavaScript (scripts/ runs without a build); loaded by path, so it is typed loosely here.
const load = (rel: string): Promise<any> => import(pathToFileURL(path.resolve(__dirname, '../..', rel)).href);

describe('stats', () => {
  it('gives the Wilson interval', async () => {
    const { wilson, proportion } = await load('scripts/eval/stats.mjs');
    const w = wilson(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    expect(proportion(0, 0).value).toBeNull();
    expect(wilson(10, 10).high).toBeCloseTo(1, 9);
  });

  it('is a plain proportion when every stratum is labelled in full, and a weighted one when sampled', async () => {
    const { stratified } = await load('scripts/eval/stats.mjs');
    const census = stratified([{ population: 10, labelled: 10, tp: 9 }, { population: 5, labelled: 5, tp: 1 }]);
    expect(census.value).toBeCloseTo(10 / 15, 6);
    expect(census.sampled).toBe(false);
    const sampled = stratified([{ population: 300, labelled: 100, tp: 50 }, { population: 100, labelled: 100, tp: 100 }]);
    // 300/400 × 0.5 + 100/400 × 1
    expect(sampled.value).toBeCloseTo(0.625, 6);
    expect(sampled.sampled).toBe(true);
    expect(sampled.low).toBeLessThan(0.625);
    expect(sampled.high).toBeGreaterThan(0.625);
  });

  it('draws the same uniform sample for the same items and seed, whatever their order', async () => {
    const { seededSample } = await load('scripts/eval/stats.mjs');
    const items = Array.from({ length: 500 }, (_, i) => `site-${i}`);
    const a = seededSample(items, 100, 'seed', (s: string) => s);
    const b = seededSample([...items].reverse(), 100, 'seed', (s: string) => s);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(100);
    expect(seededSample(items, 100, 'other', (s: string) => s)).not.toEqual(a);
    expect(seededSample(items.slice(0, 7), 100, 'seed', (s: string) => s)).toHaveLength(7);
  });
});

describe('labels', () => {
  const write = (name: string, text: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kw-labels-'));
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads sites, skipping comments and blank lines', async () => {
    const { loadLabels, siteKey } = await load('scripts/eval/labels.mjs');
    const labels = loadLabels(write('a.tsv', '# header\n\nconfig/app.yml\t12\ttp\tdefault credential in compose\nREADME.md\t3\tfp\tdocs example\n'));
    expect(labels.size).toBe(2);
    expect(labels.get(siteKey('config/app.yml', 12)).verdict).toBe('tp');
  });

  it.each([
    ['a.yml\tx\ttp\tr\n', /a\.tsv:1: line must be a positive whole number/],
    ['a.yml\t3\tmaybe\tr\n', /a\.tsv:1: verdict must be tp or fp/],
    ['# c\n/etc/x\t3\ttp\tr\n', /a\.tsv:2: the path must be repository-relative posix/],
    ['a.yml\t3\ttp\tr\na.yml\t3\tfp\tr\n', /a\.tsv:2: a\.yml:3 is labelled fp here and tp at .*a\.tsv:1/],
    ['just-a-file\n', /a\.tsv:1: expected file<TAB>line<TAB>verdict<TAB>reason/],
  ])('names file and line of a bad label: %j', async (text, message) => {
    const { loadLabels } = await load('scripts/eval/labels.mjs');
    expect(() => loadLabels(write('a.tsv', text))).toThrow(message);
  });

  it('checks repos.json entries', async () => {
    const { loadRepos } = await load('scripts/eval/labels.mjs');
    const commit = 'ab'.repeat(20);
    expect(loadRepos(write('r.json', JSON.stringify([{ repo: 'o/n', commit, heldOut: true }])))[0]).toMatchObject({ repo: 'o/n', heldOut: true, name: 'o/n' });
    expect(() => loadRepos(write('r.json', JSON.stringify([{ repo: 'o/n', commit: 'main' }])))).toThrow(/entry 1 \(o\/n\): "commit" must be 40 lowercase hex/);
  });
});

describe('reading Go test inputs', () => {
  const q = (s: string) => JSON.stringify(s);

  it('evaluates literals, constants, + and fmt.Sprintf, and nothing else', async () => {
    const { tokenize, declarations, evaluate, UNKNOWN } = await load('scripts/eval/gosrc.mjs');
    const src = `package x\nvar (\n\tkeyword = ${q('acme')}\n\tvalue = \`raw\\n\` + "\\x41"\n)\nconst n = 3\nvar a = fmt.Sprintf("%s token=%s %d%%", keyword, value, n)\nvar b = strings.Repeat("ab", n)\nvar c = compute(keyword)\n`;
    const tokens = tokenize(src);
    const decls = declarations(tokens);
    const value = (name: string) => evaluate(tokens, ...decls.get(name), { decls });
    expect(value('a')).toBe('acme token=raw\\nA 3%');
    expect(value('b')).toBe('ababab');
    expect(value('c')).toBe(UNKNOWN);
    expect(evaluate(tokens, ...decls.get('a'), { decls, literalOnly: true })).toBe(UNKNOWN);
  });

  it('takes the literal tps/fps samples of a rule file and counts the generated ones', async () => {
    const { samplesOfGo } = await load('scripts/eval/suites/gitleaks.mjs');
    const src = [
      'func Rule() *config.Rule {',
      '\ttps := utils.GenerateSampleSecrets("acme", secrets.NewSecret("[a-z]{8}"))',
      `\ttps = append(tps, ${q('acme_key = ')} + ${q('abc')}, \`multi\nline\`, generated()...)`,
      `\tfps := []string{ ${q('acme_key = xxxxxxxx')}, // a placeholder`,
      '\t\tutils.GenerateSampleSecret("acme", "z"),',
      '\t}',
      '\treturn utils.Validate(r, tps, fps)',
      '}',
    ].join('\n');
    const { found, generated } = samplesOfGo(src);
    expect(found.tps).toEqual(['acme_key = abc', 'multi\nline']);
    expect(found.fps).toEqual(['acme_key = xxxxxxxx']);
    expect(generated).toEqual({ tps: 2, fps: 1 });
  });

  it('takes the cases of a TruffleHog-style pattern test table', async () => {
    const { patternCases } = await load('scripts/eval/suites/trufflehog.mjs');
    const src = [
      'var (',
      `\tvalidPattern = ${q('acme-')} + ${q('0123')}`,
      '\tsecrets = []string{"one"}',
      ')',
      'func TestAcme_Pattern(t *testing.T) {',
      '\ttests := []struct {',
      '\t\tname  string',
      '\t\tinput string',
      '\t\twant  []string',
      '\t}{',
      '\t\t{ name: "valid", input: fmt.Sprintf("token: %s", validPattern), want: []string{validPattern} },',
      '\t\t{ name: "via constant", input: validPattern, want: secrets },',
      '\t\t{ name: "invalid", input: "token: nope", want: nil },',
      '\t\t{ name: "computed", input: build(), want: nil },',
      '\t}',
      '}',
      'func TestAcme_Other(t *testing.T) {',
      '\ttests := []struct { data string; shouldMatch bool }{ { data: "x", shouldMatch: true } }',
      '}',
    ].join('\n');
    expect(patternCases(src)).toEqual([
      { name: 'valid', input: 'token: acme-0123', positive: true },
      { name: 'via constant', input: 'acme-0123', positive: true },
      { name: 'invalid', input: 'token: nope', positive: false },
      { name: 'computed', input: undefined, positive: false },
    ]);
  });
});

describe('todo snippets', () => {
  it("show a peer-only site through the project's redaction: no reported or other value whole, names readable", async () => {
    const { peerSnippet } = await load('scripts/eval/todo.mjs');
    const value = ['Zq8', 'x7Lm', 'Pw2', 'rT9v', 'Kd4'].join('');
    const other = ['Ab', '12', 'Cd', '34', 'Ef', '56', 'Gh'].join('');
    const line = `  AWS_SECRET_ACCESS_KEY: "${value}" # backup ${other}`;
    const column = line.indexOf(value) + 1;
    const out = peerSnippet(line, [{ line: 3, endLine: 3, column, endColumn: column + value.length }], redactSnippet);
    expect(out).not.toContain(value);
    expect(out).not.toContain(other);
    expect(out).toContain('AWS_SECRET_ACCESS_KEY');
    expect(out).toContain(value.slice(0, 4));
    const noSpan = peerSnippet(`password = "${value}"`, [{ line: 1 }], redactSnippet);
    expect(noSpan).not.toContain(value);
    expect(noSpan).toContain('password');
  });
});

describe('leaky-repo', () => {
  it('reads its secrets.csv', async () => {
    const { parseSecretsCsv } = await load('scripts/eval/suites/leaky-repo.mjs');
    expect(parseSecretsCsv('# name,num_risk,num_informative\n.netrc,2,0\n\n# note\ndb/dump.sql,10,1\n')).toEqual([
      { file: '.netrc', risk: 2, informative: 0 },
      { file: 'db/dump.sql', risk: 10, informative: 1 },
    ]);
  });
});
