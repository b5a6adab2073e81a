import type { RunContext } from '../core/context.js';
import type { Finding } from '../core/finding.js';
import { redactText } from '../core/redact.js';
import { formatDuration } from '../config/units.js';
import { ageStatus } from './age.js';
import type { FetchLike } from './health.js';
import { sectionFinding } from './rules.js';

/**
 * Age of GitHub Actions secrets from the REST API's `updated_at`. Listing secrets needs a token with
 * secrets read access; the default GITHUB_TOKEN gets 403, which becomes a note rather than an error.
 */

interface ListedSecret {
  name: string;
  updated_at: string;
}

type Listing = { ok: true; secrets: ListedSecret[] } | { ok: false; status?: number; problem: string };

const PER_PAGE = 100;
/** 100 pages of 100: far beyond GitHub's own limits on secrets, a guard against a server that never ends. */
const MAX_PAGES = 100;
const REQUEST_TIMEOUT_MS = 30_000;

async function listSecrets(baseUrl: string, route: string, token: string, fetchFn: FetchLike): Promise<Listing> {
  const secrets: ListedSecret[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const url = `${baseUrl}${route}?per_page=${PER_PAGE}&page=${page}`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${token}`,
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'keywarden',
        },
      });
    } catch (error) {
      const err = error as Error & { cause?: Error & { code?: string } };
      return { ok: false, problem: redactText(`cannot reach ${baseUrl}: ${err.cause?.code ?? err.cause?.message ?? err.message}`) };
    }
    const text = await response.text();
    if (!response.ok) return { ok: false, status: response.status, problem: `GET ${route} answered ${response.status}` };
    let body: { total_count?: unknown; secrets?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { ok: false, problem: `GET ${route} answered without JSON` };
    }
    const items = Array.isArray(body.secrets) ? (body.secrets as ListedSecret[]) : [];
    secrets.push(...items.filter((item) => typeof item?.name === 'string' && typeof item.updated_at === 'string'));
    const total = typeof body.total_count === 'number' ? body.total_count : 0;
    if (items.length < PER_PAGE || secrets.length >= total) break;
  }
  return { ok: true, secrets };
}

function ageFindings(ctx: RunContext, scope: string, secrets: ListedSecret[], maxAgeMs: number): Finding[] {
  const findings: Finding[] = [];
  for (const secret of secrets) {
    const updated = Date.parse(secret.updated_at);
    if (Number.isNaN(updated)) continue;
    const ageMs = Math.max(0, ctx.now.getTime() - updated);
    const status = ageStatus(ageMs, maxAgeMs, ctx.config.rotation.warnAt);
    const subject = `${scope}\u0000${secret.name}`;
    if (status === 'overdue') {
      const message = `GitHub Actions secret ${secret.name} (${scope}) was last updated ${formatDuration(ageMs)} ago; it should have been rotated ${formatDuration(ageMs - maxAgeMs)} ago (max-age ${formatDuration(maxAgeMs)})`;
      findings.push(sectionFinding(ctx, ['github-secrets'], 'github-secret-overdue', message, subject));
    } else if (status === 'due-soon') {
      const message = `GitHub Actions secret ${secret.name} (${scope}) was last updated ${formatDuration(ageMs)} ago; rotate it within ${formatDuration(maxAgeMs - ageMs)} (max-age ${formatDuration(maxAgeMs)})`;
      findings.push(sectionFinding(ctx, ['github-secrets'], 'github-secret-due-soon', message, subject));
    }
  }
  return findings;
}

function listingFinding(ctx: RunContext, scope: string, listing: Extract<Listing, { ok: false }>): Finding {
  const denied = listing.status === 401 || listing.status === 403 || listing.status === 404;
  if (denied) {
    const message =
      `cannot list the ${scope} Actions secrets (${listing.problem}): this needs a token with secrets read access ` +
      '(a fine-grained token or GitHub App token with "Secrets: read"); the default GITHUB_TOKEN cannot read them';
    return sectionFinding(ctx, ['github-secrets'], 'github-secrets-unreadable', message, scope);
  }
  return sectionFinding(ctx, ['github-secrets'], 'github-secrets-error', `cannot list the ${scope} Actions secrets: ${listing.problem}`, scope);
}

/** Findings for repository (and organisation) secrets older than github-secrets.max-age. */
export async function checkGithubSecrets(ctx: RunContext, fetchFn: FetchLike): Promise<Finding[]> {
  const { maxAgeMs, organization } = ctx.config.githubSecrets;
  if (maxAgeMs === undefined) return [];
  const token = ctx.githubToken ?? ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN;
  const repository = ctx.repository ?? ctx.env.GITHUB_REPOSITORY;
  if (!token) {
    const message =
      'github-secrets.max-age is set but no GitHub token was given: pass a token with secrets read access ' +
      '(action input github-token, or GITHUB_TOKEN for the CLI)';
    return [sectionFinding(ctx, ['github-secrets'], 'github-secrets-unreadable', message, 'token')];
  }
  const baseUrl = (ctx.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const findings: Finding[] = [];
  const scopes: { scope: string; route: string }[] = [];
  if (repository && /^[^/\s]+\/[^/\s]+$/.test(repository)) {
    scopes.push({ scope: `repository ${repository}`, route: `/repos/${repository.split('/').map(encodeURIComponent).join('/')}/actions/secrets` });
  } else {
    const message = 'github-secrets.max-age is set but the repository is unknown (GITHUB_REPOSITORY, as owner/repo, is not set)';
    findings.push(sectionFinding(ctx, ['github-secrets'], 'github-secrets-error', message, 'repository'));
  }
  if (organization) scopes.push({ scope: `organization ${organization}`, route: `/orgs/${encodeURIComponent(organization)}/actions/secrets` });

  for (const { scope, route } of scopes) {
    const listing = await listSecrets(baseUrl, route, token, fetchFn);
    if (listing.ok) findings.push(...ageFindings(ctx, scope, listing.secrets, maxAgeMs));
    else findings.push(listingFinding(ctx, scope, listing));
  }
  return findings;
}
