import { describe, expect, it } from 'vitest';
import { assignmentOf, isPlaceholder, isReference } from '../../src/scanning/rules/context.js';

describe('assignmentOf', () => {
  const cases: [string, string, { key: string; comparison: boolean; call: boolean }][] = [
    ['DB_PASSWORD=abc123xyz', 'abc123xyz', { key: 'DB_PASSWORD', comparison: false, call: false }],
    [`  password: "${'abc'}123"`, 'abc123', { key: 'password', comparison: false, call: false }],
    ['if password == "abc"', 'abc', { key: 'password', comparison: true, call: false }],
    ["'password' => 'secretval'", 'secretval', { key: 'password', comparison: false, call: false }],
    [`<password>${'admin'}</password>`, 'admin', { key: 'password', comparison: false, call: false }],
    ['user.password = password', 'password', { key: 'user.password', comparison: false, call: false }],
    [`{"password":"${'s3cret'}"}`, 's3cret', { key: 'password', comparison: false, call: false }],
    ['spring.datasource.password=root', 'root', { key: 'spring.datasource.password', comparison: false, call: false }],
    ['if (pw !== "admin")', 'admin', { key: 'pw', comparison: true, call: false }],
    [`props.setPassword("${'hunter'}22");`, 'hunter22', { key: 'props.setPassword', comparison: false, call: true }],
    [`password := "${'hunter'}22"`, 'hunter22', { key: 'password', comparison: false, call: false }],
  ];
  for (const [line, value, expected] of cases) {
    it(line, () => expect(assignmentOf(line, value)).toEqual(expected));
  }
});

describe('value classifiers', () => {
  it('recognises references', () => {
    for (const value of ['${DB_PASSWORD}', '$DB_PASSWORD', '{{ .Values.password }}', 'process.env.PASSWORD', 'os.environ["X"]', 'var.db_password']) {
      expect(isReference(value), value).toBe(true);
    }
    expect(isReference('s3cr3t-Value')).toBe(false);
  });
  it('recognises placeholders', () => {
    for (const value of ['<password>', 'your_password_here', 'xxxxxxxx', '********', 'REPLACE_ME', 'TODO', '...']) {
      expect(isPlaceholder(value), value).toBe(true);
    }
    expect(isPlaceholder('Tr0ub4dor&3')).toBe(false);
  });
});
