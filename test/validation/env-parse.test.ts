import { describe, expect, it } from 'vitest';
import { effectiveValues, parseEnv } from '../../src/validation/env/parse.js';
import { decodeEnvBytes } from '../../src/validation/env/text.js';
import { secret } from '../support/random.js';

const rules = (text: string): string[] => parseEnv(text).problems.map((p) => `${p.line}:${p.column} ${p.ruleId}`);
const values = (text: string): Record<string, string> =>
  Object.fromEntries([...effectiveValues(parseEnv(text))].map(([k, v]) => [k, v.value]));

describe('parseEnv: the dialect', () => {
  it('records key and value positions, skips comments and blank lines, strips export', () => {
    const parsed = parseEnv('# comment\n\nA=1\n  export B=two\nC=\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.variables.map((v) => [v.key, v.value, v.line, v.column, v.valueLine, v.valueColumn])).toEqual([
      ['A', '1', 3, 1, 3, 3],
      ['B', 'two', 4, 10, 4, 12],
      ['C', '', 5, 1, 5, 3],
    ]);
  });

  it('keeps single quotes literal and expands the double-quote escapes \\n \\r \\t \\\\ \\"', () => {
    expect(values(`S='a\\nb $X'\nD="a\\nb\\tc\\\\d\\"e\\qf"\n`)).toEqual({ S: 'a\\nb $X', D: 'a\nb\tc\\d"e\\qf' });
  });

  it('reads multi-line double-quoted values and continues after them with the right lines', () => {
    const parsed = parseEnv('KEY="line one\nline two"\nNEXT=x\n');
    const [key, next] = parsed.variables;
    expect(key).toMatchObject({ key: 'KEY', value: 'line one\nline two', line: 1, endLine: 2, quote: 'double' });
    expect(next).toMatchObject({ key: 'NEXT', line: 3 });
    expect(parsed.problems).toEqual([]);
  });

  it('ends unquoted values at " #" and trims them; allows comments after quotes', () => {
    expect(values('A=value # note\nB="q" # note\nC=\'s\'   \n')).toEqual({ A: 'value', B: 'q', C: 's' });
    expect(rules('A=value # note\nB="q" # note\n')).toEqual([]);
  });

  it('never expands $VAR, ${VAR} or $(cmd) and marks references and encrypted: values opaque', () => {
    const parsed = effectiveValues(parseEnv('A=$(touch /tmp/pwned)\nB=${OTHER}\nC="encrypted:BASE64DATA"\nD=plain\n'));
    expect(parsed.get('A')).toMatchObject({ value: '$(touch /tmp/pwned)', opaque: false });
    expect(parsed.get('B')).toMatchObject({ value: '${OTHER}', opaque: true });
    expect(parsed.get('C')).toMatchObject({ value: 'encrypted:BASE64DATA', opaque: true });
    expect(parsed.get('D')?.opaque).toBe(false);
  });

  it('accepts CRLF line ends and a BOM', () => {
    expect(values('\uFEFFA=1\r\nB="x"\r\n')).toEqual({ A: '1', B: 'x' });
  });
});

describe('parseEnv: ambiguous lines are lint problems at their position', () => {
  it('env-syntax-no-equals', () => {
    expect(rules('A=1\nJUST_A_WORD\n')).toEqual(['2:1 env-syntax-no-equals']);
    expect(values('JUST_A_WORD\n')).toEqual({});
  });

  it('env-duplicate-key: the last one wins', () => {
    expect(rules('A=1\nB=2\nA=3\n')).toEqual(['3:1 env-duplicate-key']);
    expect(values('A=1\nA=3\n')).toEqual({ A: '3' });
  });

  it('env-space-around-equals', () => {
    expect(rules('A = 1\nB= 2\nC =3\nD=\n')).toEqual(['1:1 env-space-around-equals', '2:1 env-space-around-equals', '3:1 env-space-around-equals']);
    expect(values('A = 1\n')).toEqual({ A: '1' });
  });

  it('env-unquoted-hash at the # (dotenv cuts there, compose keeps it)', () => {
    expect(rules('PASS=ab#cd\n')).toEqual(['1:8 env-unquoted-hash']);
    expect(rules('PASS="ab#cd"\nQ=\'a#b\'\n')).toEqual([]);
  });

  it('env-lowercase-key', () => {
    expect(rules('lower_key=1\nMixedKey=2\n')).toEqual(['1:1 env-lowercase-key', '2:1 env-lowercase-key']);
  });

  it('env-unterminated-quote, keeping the rest of the file parseable', () => {
    const parsed = parseEnv('A="never closed\nB=2\n');
    expect(parsed.problems.map((p) => `${p.line}:${p.column} ${p.ruleId}`)).toEqual(['1:3 env-unterminated-quote']);
    expect(values('A="never closed\nB=2\n')).toEqual({ A: 'never closed', B: '2' });
    expect(rules("S='open\n")).toEqual(['1:3 env-unterminated-quote']);
  });

  it('env-invalid-key', () => {
    expect(rules('MY.KEY=1\n1ABC=2\n=nokey\n')).toEqual(['1:1 env-invalid-key', '2:1 env-invalid-key', '3:1 env-invalid-key']);
  });

  it('env-key-colon-syntax, still recorded so security checks see the value', () => {
    expect(rules('KEY: value\n')).toEqual(['1:1 env-key-colon-syntax']);
    expect(values('KEY: value\n')).toEqual({ KEY: 'value' });
  });

  it('env-trailing-text after a closing quote', () => {
    expect(rules('A="x"y\nB=\'x\'#c\n')).toEqual(['1:6 env-trailing-text', '2:6 env-trailing-text']);
  });
});

describe('parseEnv: messages name keys, never values read as keys (found by the redaction property)', () => {
  it('a key body line or a value before "=" or ":" is not echoed, whatever the problem', () => {
    const body = `${secret.base64(30)}+${secret.base64(6)}`;
    for (const line of [`${body} = x`, `${body}: x`, `${body}=a#b`, `${body}='x' y`, `${body}="x`, `${body}='x`]) {
      const { problems } = parseEnv(`${line}\n`);
      expect(problems.length, line).toBeGreaterThan(0);
      for (const p of problems) expect(p.message, line).not.toContain(body.slice(4, 14));
    }
    expect(parseEnv('db_url=x\n').problems.map((p) => p.message)).toEqual(['key db_url has lowercase letters: environment variable names are conventionally upper case']);
  });
});

describe('decodeEnvBytes', () => {
  it('decodes UTF-8 text', () => {
    expect(decodeEnvBytes(Buffer.from('A=é\n'))).toEqual({ text: 'A=é\n' });
  });

  it('reports binary content with the line of the NUL byte', () => {
    const outcome = decodeEnvBytes(Buffer.concat([Buffer.from('A=1\nB='), Buffer.from([0, 1, 2])]));
    expect(outcome).toEqual({ problem: { line: 2, message: expect.stringContaining('binary') } });
  });

  it('reports invalid UTF-8 with its line', () => {
    const outcome = decodeEnvBytes(Buffer.concat([Buffer.from('A=1\nB=2\nC='), Buffer.from([0xc3, 0x28])]));
    expect(outcome).toEqual({ problem: { line: 3, message: expect.stringContaining('not valid UTF-8') } });
    expect(decodeEnvBytes(Buffer.from([0x41, 0x3d, 0xe2, 0x82]))).toEqual({ problem: { line: 1, message: expect.stringContaining('UTF-8') } });
  });
});
