import type { VaultAuthConfig } from '../config/types.js';
import { UserError } from '../core/errors.js';
import type { RunContext } from '../core/context.js';
import { VaultError } from './errors.js';
import type { VaultTransport } from './http.js';

/** Obtaining a Vault token: from the environment, an AppRole login or a GitHub OIDC (JWT) login. Every credential is masked at once. */

const ID_TOKEN_ATTEMPTS = 3;

function required(ctx: RunContext, name: string, purpose: string): string {
  const value = ctx.env[name];
  if (!value) throw new UserError(`Vault auth: ${purpose} is missing: set the environment variable ${name}`);
  ctx.mask(value);
  return value;
}

async function login(transport: VaultTransport, ctx: RunContext, mount: string, body: Record<string, string>, what: string): Promise<string> {
  const request = { method: 'POST' as const, path: `auth/${mount}/login`, body, anonymous: true };
  const response = await transport.request(request);
  if (response.status !== 200) {
    const error = transport.answerError(request, response);
    throw new VaultError(`Vault login (${what}) failed: ${error.message}`, { status: response.status, path: request.path });
  }
  const token = (response.body?.auth as { client_token?: unknown } | null | undefined)?.client_token;
  if (typeof token !== 'string' || token === '') {
    throw new VaultError(`Vault login (${what}) at ${transport.address} returned no client token`, { path: request.path });
  }
  ctx.mask(token);
  return token;
}

/** GitHub's OIDC endpoint can fail transiently like any HTTP call; retry it a few times. */
async function idToken(ctx: RunContext, transport: VaultTransport, audience: string | undefined): Promise<string> {
  if (!ctx.getIdToken) {
    throw new UserError('Vault auth "jwt" needs a GitHub OIDC token: run keywarden as the action with `permissions: id-token: write`');
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= ID_TOKEN_ATTEMPTS; attempt += 1) {
    try {
      const token = await ctx.getIdToken(audience);
      ctx.mask(token);
      return token;
    } catch (error) {
      lastError = error;
      if (attempt < ID_TOKEN_ATTEMPTS) await transport.pause(attempt);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new UserError(`could not get a GitHub OIDC token (after ${ID_TOKEN_ATTEMPTS} attempts): ${reason}; does the job have \`permissions: id-token: write\`?`);
}

export async function authenticate(transport: VaultTransport, ctx: RunContext, auth: VaultAuthConfig): Promise<string> {
  switch (auth.method) {
    case 'token':
      return required(ctx, auth.tokenEnv, 'the Vault token');
    case 'approle': {
      const roleId = required(ctx, auth.roleIdEnv, 'the AppRole role id');
      const secretId = required(ctx, auth.secretIdEnv, 'the AppRole secret id');
      return login(transport, ctx, auth.mount ?? 'approle', { role_id: roleId, secret_id: secretId }, 'approle');
    }
    case 'jwt': {
      if (!auth.role) throw new UserError('Vault auth "jwt" needs a role: set vault.auth.role (or the action input vault-role)');
      const jwt = await idToken(ctx, transport, auth.audience);
      return login(transport, ctx, auth.mount ?? 'jwt', { jwt, role: auth.role }, `jwt, role "${auth.role}"`);
    }
  }
}
