import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/scanning/engine.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { BASE62, BASE64URL, DIGITS, HEX, mixed, random, uuid } from '../../src/scanning/rules/support.js';

/** The base64 of "openai" every OpenAI key carries. */
const OPENAI_MARK = 'T3Blbk' + 'FJ';

const ruleIds = (text: string, file: string): string[] => scanText(text, file, RULES).map((m) => m.rule.id);

/** A placeholder word inside a random tail, glued to random characters on both sides (`…7testQ…`). */
const withWord = (head: string, word: string, tail: string): string => `${head}7${word}Q${tail}`;

describe('placeholder words are whole segments, for every rule', () => {
  for (const word of ['test', 'Test', 'mock', 'fake', 'sample']) {
    it(`keeps real-format tokens whose random tail contains ${word}`, () => {
      const openai = `sk-proj-${withWord(mixed(BASE64URL, 40), word, mixed(BASE64URL, 60))}${OPENAI_MARK}${mixed(BASE64URL, 60)}`;
      expect(ruleIds(`OPENAI_API_KEY=${openai}`, '.env')).toContain('openai-api-key');
      const slack = `xoxb-${random(DIGITS, 12)}-${random(DIGITS, 12)}-${withWord(mixed(BASE62, 14 - word.length), word, mixed(BASE62, 8))}`;
      expect(ruleIds(`SLACK_BOT_TOKEN=${slack}`, 'bot/.env')).toContain('slack-bot-token');
      const generic = withWord(mixed(BASE62, 12), word, mixed(BASE62, 12));
      expect(ruleIds(`api_secret = "${generic}"`, 'src/settings.py')).not.toEqual([]);
    });
  }

  it('still drops values made of placeholder words', () => {
    for (const value of ['test-password-987', 'my_test_token', 'testkey123', 'myFakeToken42x', 'TEST_SECRET_1', 'sampleValue9']) {
      expect(ruleIds(`api_secret = "${value}"`, 'src/settings.py'), value).toEqual([]);
    }
    expect(ruleIds(`OPENAI_API_KEY=sk-proj-test-${mixed(BASE64URL, 40)}${OPENAI_MARK}${mixed(BASE64URL, 40)}`, '.env')).toEqual([]);
  });
});

describe('UUID-format keys named by their provider', () => {
  const cases: Array<[string, string, string]> = [
    ['HEROKU_API_KEY', '.env', 'heroku-api-key-uuid'],
    ['VAULT_TOKEN', 'deploy/.env', 'vault-uuid-token'],
    ['secret_id', 'deploy/approle.yml', 'vault-uuid-token'],
    ['NPM_TOKEN', 'ci/publish.env', 'npm-legacy-token'],
  ];
  for (const [key, file, id] of cases) {
    it(`reports a UUID assigned to ${key}`, () => {
      expect(ruleIds(`${key}=${uuid()}`, file)).toContain(id);
    });
  }

  it('does not report a UUID under an id-like key that names no provider', () => {
    const text = [`request_id = "${uuid()}"`, `trace_id: ${uuid()}`, `build: ${random(HEX, 32)}`].join('\n');
    expect(ruleIds(text, 'src/app.py')).toEqual([]);
  });
});
