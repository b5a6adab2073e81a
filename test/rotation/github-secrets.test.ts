import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runRotationCheck } from '../../src/rotation/index.js';
import { DAY, randomToken, rotationContext, startJsonServer, type LocalServer } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const CONFIG = `github-secrets:
  max-age: 90d
  organization: acme
`;

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function secret(name: string, daysOld: number): { name: string; created_at: string; updated_at: string } {
  const time = new Date(NOW.getTime() - daysOld * DAY).toISOString();
  return { name, created_at: time, updated_at: time };
}

/** 150 repository secrets over two pages; the org has two. */
const REPO_SECRETS = Array.from({ length: 150 }, (_, i) => secret(`S${i}`, i === 120 ? 102 : i === 7 ? 80 : 5));
const ORG_SECRETS = [secret('ORG_DEPLOY_KEY', 200), secret('ORG_FRESH', 1)];

function githubApi(req: IncomingMessage, token: string): { status: number; body: unknown } {
  if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { message: 'Bad credentials' } };
  const url = new URL(req.url ?? '/', 'http://x');
  const page = Number(url.searchParams.get('page'));
  const perPage = Number(url.searchParams.get('per_page'));
  const list = url.pathname === '/repos/acme/app/actions/secrets' ? REPO_SECRETS : url.pathname === '/orgs/acme/actions/secrets' ? ORG_SECRETS : undefined;
  if (!list) return { status: 404, body: { message: 'Not Found' } };
  return { status: 200, body: { total_count: list.length, secrets: list.slice((page - 1) * perPage, page * perPage) } };
}

describe('rotation-check: GitHub Actions secrets', () => {
  it('lists repository (paginated) and organisation secrets and judges updated_at against max-age', async () => {
    const token = randomToken();
    server = await startJsonServer((req) => githubApi(req, token));
    const { ctx } = rotationContext(CONFIG, { env: { GITHUB_API_URL: server.url }, now: NOW, githubToken: token, repository: 'acme/app' });
    const result = await runRotationCheck(ctx);
    const summary = result.findings.map((f) => `${f.ruleId}|${f.level}|${f.startLine}|${f.message}`);
    expect(summary).toEqual([
      expect.stringMatching(/^github-secret-due-soon\|warning\|1\|GitHub Actions secret S7 \(repository acme\/app\) was last updated 80 days ago; rotate it within 10 days/),
      expect.stringMatching(/^github-secret-overdue\|error\|1\|GitHub Actions secret S120 \(repository acme\/app\).*should have been rotated 12 days ago/),
      expect.stringMatching(/^github-secret-overdue\|error\|1\|GitHub Actions secret ORG_DEPLOY_KEY \(organization acme\).*should have been rotated 110 days ago/),
    ]);
    expect(server.requests).toEqual([
      'GET /repos/acme/app/actions/secrets?per_page=100&page=1 auth',
      'GET /repos/acme/app/actions/secrets?per_page=100&page=2 auth',
      'GET /orgs/acme/actions/secrets?per_page=100&page=1 auth',
    ]);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('says a token with secrets read access is needed when the API answers 403 (the default GITHUB_TOKEN)', async () => {
    server = await startJsonServer(() => ({ status: 403, body: { message: 'Resource not accessible by integration' } }));
    const { ctx } = rotationContext(CONFIG, { env: { GITHUB_API_URL: server.url }, now: NOW, githubToken: randomToken(), repository: 'acme/app' });
    const result = await runRotationCheck(ctx);
    expect(result.findings.map((f) => [f.ruleId, f.level])).toEqual([
      ['github-secrets-unreadable', 'note'],
      ['github-secrets-unreadable', 'note'],
    ]);
    expect(result.findings[0]!.message).toContain('needs a token with secrets read access');
    expect(result.findings[0]!.message).toContain('the default GITHUB_TOKEN cannot read them');
    expect(result.findings[0]!.fingerprint).not.toBe(result.findings[1]!.fingerprint);
  });

  it('notes a missing token without calling the API, and warns when the API cannot be reached', async () => {
    const none = await runRotationCheck(rotationContext(CONFIG, { now: NOW, repository: 'acme/app' }).ctx);
    expect(none.findings.map((f) => [f.ruleId, f.level])).toEqual([['github-secrets-unreadable', 'note']]);
    expect(none.findings[0]!.message).toContain('no GitHub token was given');

    server = await startJsonServer(() => 'drop');
    const env = { GITHUB_API_URL: server.url, GITHUB_TOKEN: randomToken(), GITHUB_REPOSITORY: 'acme/app' };
    const down = await runRotationCheck(rotationContext('github-secrets:\n  max-age: 30d\n', { now: NOW, env }).ctx);
    expect(down.findings.map((f) => [f.ruleId, f.level])).toEqual([['github-secrets-error', 'warning']]);
    expect(down.findings[0]!.message).toContain(`cannot reach ${server.url}`);
  });

  it('does nothing when github-secrets.max-age is not set', async () => {
    const result = await runRotationCheck(rotationContext('github-secrets:\n  organization: acme\n', { now: NOW }).ctx);
    expect(result.findings).toEqual([]);
  });
});
