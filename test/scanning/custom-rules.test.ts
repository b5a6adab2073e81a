import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfigText, proveConfigRules } from '../../src/config/load.js';
import { UserError } from '../../src/core/errors.js';
import { translateRe2, withCustomRules } from '../../src/scanning/custom-rules.js';
import { scanText } from '../../src/scanning/engine.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { ALNUM, secretChars } from '../support/random.js';

/** A token of an in-house "acme" service, built at test time: `acme` + `_` + 32 mixed characters. */
const acmeToken = (): string => 'acme' + '_' + secretChars(ALNUM, 32, (v) => /[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v));
const ACME_REGEX = '(?<![A-Za-z0-9_])(?<secret>acme_[A-Za-z0-9]{32})(?![A-Za-z0-9_])';

function rule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme-token',
    description: 'Acme service token',
    regex: ACME_REGEX,
    keywords: ['acme_'],
    entropy: 3,
    samples: { positive: [`ACME_TOKEN=${acmeToken()}`], negative: ['ACME_TOKEN=acme_short'] },
    ...overrides,
  };
}

/** A config with these rules after a first line, so the lines errors name are not all 1. */
function configText(...rules: Record<string, unknown>[]): string {
  return `# custom rules\n${stringify({ scan: { rules } })}`;
}

async function load(...rules: Record<string, unknown>[]) {
  const loaded = parseConfigText(configText(...rules), '.keywarden.yml');
  await proveConfigRules(loaded);
  return loaded.config.scan.rules;
}

async function errorOf(...rules: Record<string, unknown>[]): Promise<UserError> {
  try {
    await load(...rules);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a config error');
}

/** The line of `needle` in the config text, searched from the `entry`-th rule (0-based). */
function lineOf(text: string, needle: string, entry = 0): number {
  let start = 0;
  for (let i = 0; i <= entry; i++) start = text.indexOf('- id:', start) + 1;
  return text.slice(0, text.indexOf(needle, start - 1)).split('\n').length;
}

describe('scan.rules: custom rules in config', () => {
  it('compiles a rule that reports what its regex captures, with its id, severity and description', async () => {
    const [compiled] = await load(rule({ severity: 'critical' }));
    const token = acmeToken();
    const [match, ...rest] = scanText(`const client = acme.connect("${token}");\n`, 'src/app.ts', [compiled!]);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ secret: token, line: 1 });
    expect(compiled).toMatchObject({ id: 'acme-token', severity: 'critical', title: 'Acme service token', keywords: ['acme_'] });
  });

  it('honours entropy, paths and the allow list', async () => {
    const [compiled] = await load(rule({ paths: ['config/**'], allow: ['^acme_0{4}'] }));
    const token = acmeToken();
    expect(scanText(`t=${token}`, 'config/app.env', [compiled!])).toHaveLength(1);
    expect(scanText(`t=${token}`, 'src/app.env', [compiled!])).toEqual([]);
    expect(scanText(`t=acme_0000${token.slice(9)}`, 'config/app.env', [compiled!])).toEqual([]);
    expect(scanText(`t=acme_${'ab'.repeat(16)}`, 'config/app.env', [compiled!])).toEqual([]);
  });

  it('translates RE2 syntax: a leading (?i) becomes a flag, (?P<secret>…) a named group', async () => {
    expect(translateRe2('(?i)(?P<secret>x)')).toEqual({ source: '(?<secret>x)', flags: 'i' });
    expect(translateRe2('(?si)a')).toEqual({ source: 'a', flags: 'is' });
    const [compiled] = await load(rule({ regex: `(?i)${ACME_REGEX.replace('(?<secret>', '(?P<secret>')}` }));
    const token = acmeToken().replace('acme', 'ACME');
    expect(scanText(`t=${token}`, 'a.txt', [compiled!])).toHaveLength(1);
  });

  it('refuses RE2 syntax JavaScript would read differently, with the reason, at the regex line', async () => {
    for (const [regex, reason] of [
      ['acme_(?i)(?<secret>[a-z]{32})', /inline flags \(\?i\) are only understood at the very start/],
      ['(?<secret>acme_[a-z]{32})\\z', /\\A, \\z.*RE2 escapes/],
      ['(?<secret>acme_[[:alnum:]]{32})', /POSIX classes/],
    ] as const) {
      const error = await errorOf(rule({ regex }));
      expect(error.message).toMatch(/^scan\.rules\[0\]\.regex: /);
      expect(error.message).toMatch(reason);
      expect(error.line).toBe(lineOf(configText(rule({ regex })), 'regex:'));
    }
  });

  it('names the line of each kind of bad rule', async () => {
    const ok = rule({ id: 'first-rule' });
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [rule({ regex: '(?<secret>acme_[a-z' }), /^scan\.rules\[1\]\.regex: regex is not a valid regular expression/, 'regex:'],
      [rule({ regex: 'acme_[A-Za-z0-9]{32}' }), /^scan\.rules\[1\]\.regex: regex needs a named group around the secret/, 'regex:'],
      [rule({ regex: '(?<secret>acme_(?:[a-z0-9]+)+)_end', samples: { positive: ['x=acme_q7w3e9r2t5y8u1i4_end'] } }), /^scan\.rules\[1\]\.regex: regex can backtrack catastrophically/, 'regex:'],
      [rule({ allow: ['^(a+)+b$'], samples: { positive: [`x=${acmeToken()}`] } }), /^scan\.rules\[1\]\.allow\[0\]: allow\[0\] can backtrack catastrophically/, '- ^(a+)+b$'],
      [rule({ id: RULES[0]!.id }), new RegExp(`^scan\\.rules\\[1\\]\\.id: id "${RULES[0]!.id}" is a built-in rule's`), 'id:'],
      [rule({ id: 'first-rule' }), /^scan\.rules\[1\]\.id: id "first-rule" is used by an earlier entry/, 'id:'],
    ];
    for (const [bad, message, needle] of cases) {
      const error = await errorOf(ok, bad);
      expect(error.message).toMatch(message);
      expect(error.file).toBe('.keywarden.yml');
      expect(error.line).toBe(lineOf(configText(ok, bad), needle, 1));
    }
  });

  it('checks the rule against its own samples: a positive it misses or a negative it reports is an error at that sample, never echoed', async () => {
    const token = acmeToken();
    const missed = rule({ samples: { positive: [`ACME_TOKEN=${acmeToken()}`, `ACME_TOKEN=${token.slice(0, 20)}`] } });
    const error = await errorOf(missed);
    expect(error.message).toMatch(/^scan\.rules\[0\]\.samples\.positive\[1\]: positive sample 2 is not found by the rule/);
    expect(error.line).toBe(lineOf(configText(missed), token.slice(0, 20)));
    expect(error.message).not.toContain(token.slice(5, 20));

    const reported = rule({ samples: { positive: [`A=${acmeToken()}`], negative: [`B=${token}`] } });
    const negative = await errorOf(reported);
    expect(negative.message).toMatch(/^scan\.rules\[0\]\.samples\.negative\[0\]: negative sample 1 is reported by the rule/);
    expect(negative.line).toBe(lineOf(configText(reported), token));
    expect(negative.message).not.toContain(token.slice(5));
  });

  it('rejects entries the schema does not admit: no samples, no keywords, a bad severity', async () => {
    expect((await errorOf(rule({ samples: undefined }))).message).toMatch(/samples/);
    expect((await errorOf(rule({ keywords: [] }))).message).toMatch(/keywords/);
    expect((await errorOf(rule({ severity: 'urgent' }))).message).toMatch(/severity/);
  });

  it('reports the values of its positive samples under no rule, so the config listing them is not a finding', async () => {
    const sample = acmeToken();
    const custom = await load(rule({ samples: { positive: [`ACME_TOKEN=${sample}`] } }));
    const line = `ACME_TOKEN=${sample}\nOTHER_TOKEN=${acmeToken()}\n`;
    expect(scanText(line, '.keywarden.yml', [...RULES, ...custom]).filter((m) => m.line === 1).length).toBeGreaterThan(0);
    const matches = scanText(line, '.keywarden.yml', withCustomRules(RULES, custom));
    expect(matches.map((m) => m.line)).not.toContain(1);
    expect(matches.map((m) => m.rule.id)).toContain('acme-token');
  });

  it('a regex with a named group is not a secret assignment, in any config format and group syntax', () => {
    for (const name of ['secret', 'password', 'token', 'api_key']) {
      for (const group of [`(?<${name}>`, `(?P<${name}>`]) {
        const regex = `(?i)(?<![a-z0-9])${group}acme_[A-Za-z0-9]{32})`;
        for (const [file, line] of [
          ['.keywarden.yml', `    regex: '${regex}'`],
          ['.gitleaks.toml', `regex = '''${regex}'''`],
          ['rules.json', `  "regex": ${JSON.stringify(regex)},`],
        ] as const) {
          expect(scanText(line, file, RULES).map((m) => m.rule.id), `${file}: ${line}`).toEqual([]);
        }
      }
    }
    // The group syntax only excuses what follows it directly: an assignment on the same line is still one.
    const real = secretChars(ALNUM, 24, (v) => /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v));
    expect(scanText(`const re = /(?<id>x)/; const secret = "${real}";`, 'src/a.js', RULES).map((m) => m.rule.id)).toContain('generic-secret');
  });

  it('leaves the built-in rules alone when scan.rules is absent', async () => {
    expect(parseConfigText('scan: {}\n', '.keywarden.yml').config.scan.rules).toEqual([]);
  });
});
