import { existsSync, readFileSync } from 'node:fs';
import type { EventInfo } from '../core/context.js';

/** The event that triggered the workflow, as the runner describes it. */
export function readEvent(env: NodeJS.ProcessEnv): EventInfo | undefined {
  const name = env.GITHUB_EVENT_NAME;
  if (!name) return undefined;
  const file = env.GITHUB_EVENT_PATH;
  let payload: Record<string, unknown> = {};
  if (file && existsSync(file)) {
    try {
      payload = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  return { name, payload };
}

/** https://github.com/OWNER/REPO and the commit findings link to in the job summary. */
export function linkTarget(env: NodeJS.ProcessEnv, event?: EventInfo): { repositoryUrl?: string; commitSha?: string } {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repositoryUrl = env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}` : undefined;
  const pr = event?.payload.pull_request as { head?: { sha?: string } } | undefined;
  return { repositoryUrl, commitSha: pr?.head?.sha ?? env.GITHUB_SHA };
}
