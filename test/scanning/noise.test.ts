import { afterEach, describe, expect, it } from 'vitest';
import { scanText } from '../../src/scanning/engine.js';
import { findingsFor } from '../../src/scanning/findings.js';
import { runScan } from '../../src/scanning/index.js';
import { isMetadataKey } from '../../src/scanning/rules/context.js';
import { RULES } from '../../src/scanning/rules/index.js';
import { BASE62, BASE64, HEX, mixed, random } from '../../src/scanning/rules/support.js';
import { GitRepo } from '../support/git-repo.js';
import { scanContext } from './helpers.js';

/** Built from parts: stock defaults, random values, provider prefixes. */
const ADMIN = 'ad' + 'min';
const ROOT = 'ro' + 'ot';
const strong = (): string => `${mixed(BASE62, 7)}-${mixed(BASE62, 6)}!`;
const ids = (text: string, file: string): string[] => findingsFor(file, scanText(text, file, RULES)).map((f) => f.ruleId);

describe('metadata under credential-ish keys is not a secret', () => {
  it('reads key words: metadata after the credential word, derived values, key names, existing Secrets', () => {
    for (const key of ['password_expires_at', 'passwordExpiresAt', 'token_policies', 'token-ttl', 'hashed_secret', 'encrypted_password', 'existingSecret', 'existingSecretPasswordKey', 'auth.passwordKey', 'secret_name', 'password_min_length']) {
      expect(isMetadataKey(key), key).toBe(true);
    }
    for (const key of ['password', 'DB_PASSWORD', 'secret_key_base', 'SECRET_KEY', 'aws_secret_access_key', 'reset_password_token', 'client_secret', 'apiToken']) {
      expect(isMetadataKey(key), key).toBe(false);
    }
  });

  const cases: [string, string][] = [
    ['db/seeds.yml', `  password_expires_at: "2016-0${'1'}-01T00:00:00Z"`],
    ['app/models/user.json', `{ "passwordExpiresAt": "2016-0${'1'}-01T00:00:00.000Z" }`],
    ['k8s/sealed-secrets.yaml', `        image: docker.io/bitnami/sealed-secrets-controller:0.31.${'0'}`],
    ['infra/vault.tf', `  token_policies = "default,${ADMIN}"`],
    ['config/vault.hcl', `token_policies = ["default", "${ADMIN}"]`],
    ['charts/db/values.yaml', `  existingSecretPasswordKey: "db-pass${'word'}"`],
    ['charts/db/values.yaml', `  existingSecret: ${mixed(BASE62, 10).toLowerCase()}-creds`],
    ['charts/es/values.yaml', `elasticsearchCredentialSecret: elasticsearch-master-credentials`],
    ['config/app.yml', `  token_version: v1.2.${'3'}-rc1`],
    ['src/faucet.ts', `const beeTokenAddress = '0x${random(HEX, 40)}'`],
    ['conf/app.conf', `password.policy = ${strong()}`],
    ['static/js/mode-java.js', `        token : "meta.tag.punctuation.tag-close.xml",`],
  ];
  for (const [file, line] of cases) {
    it(`${file}: ${line.trim()}`, () => expect(ids(line, file)).toEqual([]));
  }
});

describe('encrypted, hashed and masked values are not secrets', () => {
  const sops = `ENC[AES256_GCM,data:${mixed(BASE64, 24)},iv:${mixed(BASE64, 43)}=,tag:${mixed(BASE64, 22)}==,type:str]`;
  const cases: [string, string][] = [
    ['secrets/prod.enc.yaml', `db_password: ${sops}`],
    ['secrets/prod.enc.json', `  "api_token": "${sops}",`],
    ['secrets/.env.enc', `STRIPE_SECRET=${sops}`],
    ['config/deploy/secrets.ejson', `  "aws_secret_access_key": "EJ[1:${mixed(BASE64, 44)}:${mixed(BASE64, 32)}:${mixed(BASE64, 40)}]",`],
    ['config/deploy/secrets.ejson', `  "db_password": "EJ[1:${mixed(BASE64, 44)}:${mixed(BASE64, 32)}:${mixed(BASE64, 40)}]",`],
    ['.secrets.baseline', `      "hashed_secret": "${random(HEX, 40)}",`],
    ['config/app.yml', `password: "[Redacted]"`],
    ['logs/request.txt', `Authorization: Bearer REDACTED`],
    ['config/app.ini', `secret = ${'#'.repeat(12)}`],
    ['.env', `API_TOKEN=${'#'.repeat(16)}`],
  ];
  for (const [file, line] of cases) {
    it(`${file}: ${line.slice(0, 40)}`, () => expect(ids(line, file)).toEqual([]));
  }

  it('drops made-up values in a provider format, keeps random ones', () => {
    const anthropic = (body: string): string => `sk-ant-api03-${body}-${mixed(BASE62, 20)}AA`;
    expect(ids(`ANTHROPIC_API_KEY=${anthropic(`abc${'123'}xyz${mixed(BASE62, 70)}`)}`, '.env')).toEqual([]);
    expect(ids(`ANTHROPIC_API_KEY=${anthropic(mixed(BASE62, 76))}`, '.env').length).toBeGreaterThan(0);
  });
});

describe('one finding per secret', () => {
  it('two rules on one value are one finding, the more specific one', () => {
    expect(ids(`      VAULT_DEV_ROOT_TOKEN_ID: ${ROOT}`, 'docker-compose.yml')).toEqual(['default-credential-vault-dev-root-token']);
    expect(ids(`aws_secret_access_key = "${mixed(BASE64, 40).replace(/[+/]/g, 'k')}"`, 'config/creds.toml')).toHaveLength(1);
  });

  const repos: GitRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.remove();
  });

  it('a committed key file is one finding: the key body, not also the file', async () => {
    const repo = new GitRepo('kw-keyfile-');
    repos.push(repo);
    const body = Array.from({ length: 6 }, () => mixed(BASE64, 64)).join('\n');
    const pem = `-----BEGIN ${'RSA PRIVATE'} KEY-----\n${body}\n-----END ${'RSA PRIVATE'} KEY-----\n`;
    repo.commit('init', { 'deploy/id_rsa': pem, 'certs/server.key': pem });
    const result = await runScan(scanContext(repo.dir).ctx, { mode: 'tree' });
    const byFile = result.findings.map((f) => `${f.file} ${f.ruleId}`).sort();
    expect(byFile).toHaveLength(2);
    expect(byFile.every((f) => !f.endsWith('committed-private-key-file'))).toBe(true);
  });
});
