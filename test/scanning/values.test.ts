import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/scanning/engine.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { BASE62, mixed } from '../../src/scanning/rules/support.js';
import { isExpressionText, syntaxOf, viewValue } from '../../src/scanning/values.js';

/** Built from parts: a stock default and a random, human-looking password. */
const ADMIN = 'ad' + 'min';
const PASSWORD = 'pass' + 'word';
const strong = (): string => `${mixed(BASE62, 7)}-${mixed(BASE62, 6)}!`;

const ids = (text: string, file: string): string[] => scanText(text, file, RULES).map((m) => m.rule.id);

function position(line: string, value: string, file: string): string {
  const at = line.lastIndexOf(value);
  return viewValue(line, at, at + value.length, syntaxOf(file), file).position;
}

describe('where a value sits on its line', () => {
  it('reads a quoted string as a literal in every syntax, a bare word as code only in code', () => {
    const value = strong();
    expect(position(`password = "${value}"`, value, 'src/app.py')).toBe('string');
    expect(position(`password = ${value}`, value, 'src/app.py')).toBe('code');
    expect(position(`password: ${value}`, value, 'config/app.yml')).toBe('scalar');
    expect(position(`PASSWORD=${value}`, value, '.env')).toBe('scalar');
    expect(position(`mysql --password ${value}`, value, 'scripts/db.sh')).toBe('scalar');
    expect(position(`password = ${value}`, value, 'infra/main.tf')).toBe('code');
    expect(position(`password = "${value}"`, value, 'infra/main.tf')).toBe('string');
  });

  it('reads template and interpolation expressions as expressions, strings inside them as literals', () => {
    const value = strong();
    expect(position(`  password: {{ .Values.auth.${PASSWORD} }}`, PASSWORD, 'charts/app/templates/secret.yaml')).toBe('expression');
    expect(position(`  password: {{ .Values.pw | default "${value}" }}`, value, 'charts/app/templates/secret.yaml')).toBe('string');
    expect(position('const url = `https://${host}/?password=${pw}`', 'pw', 'src/client.ts')).toBe('expression');
    expect(position(`password="$(cat /run/secrets/${PASSWORD})"`, PASSWORD, 'entry.sh')).toBe('expression');
  });

  it('reads commented-out lines as their language would without the marker', () => {
    const value = strong();
    expect(position(`# requirepass ${value}`, value, 'redis.conf')).toBe('comment');
    expect(position(`  // password: "${value}"`, value, 'src/app.ts')).toBe('comment');
    expect(position(`// ${PASSWORD} = ${PASSWORD}`, PASSWORD, 'src/app.ts')).toBe('code');
    expect(position(`<!-- <password>${value}</password> -->`, value, 'conf/settings.xml')).toBe('comment');
    expect(position(`url: https://host/${value}`, value, 'config/app.yml')).toBe('scalar');
  });

  it('reads markup and locale strings as text', () => {
    expect(position(`<label for="${PASSWORD}">Pass${'word'}</label>`, `Pass${'word'}`, 'views/login.html')).toBe('text');
    expect(position(`<input type="${PASSWORD}" value="${ADMIN}">`, ADMIN, 'views/login.vue')).toBe('text');
    expect(position(`  "LABEL_PASSWORD": "Pass${'wort'}"`, `Pass${'wort'}`, 'src/locales/de.json')).toBe('text');
  });

  it('tells expressions, format verbs and references from values', () => {
    for (const text of ['%s', '%(password)s', '%v', '{0}', '{password}', '{{ .Values.x }}', '${DB_PASSWORD}', '$DB_PASSWORD', 'static::$password', 'map[string]any{}', '{}']) {
      expect(isExpressionText(text), text).toBe(true);
    }
    for (const text of [strong(), `$apr1$${mixed(BASE62, 8)}`, ADMIN]) expect(isExpressionText(text), text).toBe(false);
  });
});

describe('code taken as a value is never reported (every rule, every language)', () => {
  const cases: [string, string][] = [
    ['internal/db/config.go', `\t\t"${PASSWORD}": ${PASSWORD},`],
    ['internal/db/config.go', `\t\t"secret": map[string]any{},`],
    ['charts/app/templates/secret.yaml', `{{- $${PASSWORD} := .Values.auth.${PASSWORD} }}`],
    ['charts/app/templates/secret.yaml', `  ${PASSWORD}: {{ default (include "app.${PASSWORD}" .) .Values.auth.${PASSWORD} | b64enc }}`],
    ['src/db.py', `DSN = "postgres://app:%s@db:5432/app" % ${PASSWORD}`],
    ['src/db.go', `dsn := fmt.Sprintf("postgres://%s:%s@%s/app", user, ${PASSWORD}, host)`],
    ['app/Models/User.php', `            '${PASSWORD}' => static::$${PASSWORD} ??= Hash::make('${PASSWORD}'),`],
    ['src/auth.ts', `const ${PASSWORD} = ${PASSWORD}Input.value;`],
    ['src/auth.rb', `    ${PASSWORD}: ${PASSWORD}_digest,`],
    ['src/Auth.java', `        this.${PASSWORD} = ${PASSWORD}Encoder.encode(raw${'Password'});`],
    ['src/auth.ts', `// ${PASSWORD} = ${ADMIN} when unset`],
    ['src/locales/de.json', `  "LABEL_PASSWORD": "Pass${'wort'}",`],
    ['public/i18n/en.yml', `  ${PASSWORD}: Pass${'word'}`],
    ['views/login.html', `<label for="${PASSWORD}">Pass${'word'}</label>`],
    ['views/login.html', `<input type="${PASSWORD}" name="${PASSWORD}" value="${ADMIN}">`],
    ['src/Login.vue', `    <input v-model="${PASSWORD}" placeholder="Pass${'word'}" />`],
    ['infra/main.tf', `  ${PASSWORD} = random_${PASSWORD}.db.result`],
    ['config/app.yml', `  token_policies: "default,${ADMIN}"`],
    ['infra/vault.tf', `  token_policies = ["default", "${ADMIN}"]`],
  ];
  for (const [file, line] of cases) {
    it(`${file}: ${line.trim()}`, () => expect(ids(line, file)).toEqual([]));
  }

  it('still reports literals in the same languages', () => {
    const value = strong();
    expect(ids(`\t\t"${PASSWORD}": "${value}",`, 'internal/db/config.go')).toEqual(['generic-password']);
    expect(ids(`$${PASSWORD} = '${value}';`, 'config/db.php')).toEqual(['generic-password']);
    expect(ids(`  ${PASSWORD} = "${value}"`, 'infra/main.tf')).toEqual(['generic-password']);
    expect(ids(`      POSTGRES_PASSWORD: ${ADMIN}`, 'docker-compose.yml')).toEqual(['default-credential-env-assignment']);
    expect(ids(`  "${PASSWORD}": "${ADMIN}"`, 'config/settings.json')).toEqual(['default-credential-env-assignment']);
    expect(ids(`<script>const ${PASSWORD} = "${value}";</script>`.replace('<script>', ''), 'src/Login.vue')).toEqual(['generic-password']);
  });
});
