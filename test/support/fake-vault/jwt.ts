import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** JWT auth for the fake server: RS256 signature, exp/nbf/iss, bound audiences and claims, with Vault's 400 messages. */

export interface JwtRole {
  boundAudiences?: string[];
  /** Every claim must match; a list matches when any value does. */
  boundClaims?: Record<string, string | string[]>;
  userClaim?: string;
  policies: string[];
}

export interface JwtAuthOptions {
  /** Auth mount path (default `jwt`). */
  mount?: string;
  publicKey: KeyObject | string;
  boundIssuer?: string;
  roles: Record<string, JwtRole>;
}

export interface JwtLogin {
  role: string;
  claims: Record<string, unknown>;
  policies: string[];
  displayName: string;
}

/** Thrown with the exact text Vault answers in `{"errors":[…]}` (status 400). */
export class JwtLoginError extends Error {}

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

export function verifyJwtLogin(options: JwtAuthOptions, body: Record<string, unknown>, now: Date): JwtLogin {
  const roleName = body.role;
  const token = body.jwt;
  if (typeof token !== 'string' || token === '') throw new JwtLoginError('missing token');
  if (typeof roleName !== 'string' || roleName === '') throw new JwtLoginError('missing role');
  const role = options.roles[roleName];
  if (!role) throw new JwtLoginError(`role "${roleName}" could not be found`);

  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtLoginError('error validating token: malformed JWT');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodePart(parts[0]!);
    claims = decodePart(parts[1]!);
  } catch {
    throw new JwtLoginError('error validating token: malformed JWT');
  }
  if (header.alg !== 'RS256') throw new JwtLoginError(`error validating token: unsupported signing algorithm "${String(header.alg)}"`);
  const key = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('sha256', signed, key, Buffer.from(parts[2]!, 'base64url'))) {
    throw new JwtLoginError('error validating token: failed to verify id token signature');
  }

  const seconds = Math.floor(now.getTime() / 1000);
  const leeway = 150; // Vault's default clock skew leeway on exp and nbf
  if (typeof claims.exp === 'number' && seconds > claims.exp + leeway) {
    throw new JwtLoginError('error validating token: invalid expiration time (exp) claim: token is expired');
  }
  if (typeof claims.nbf === 'number' && seconds < claims.nbf - leeway) {
    throw new JwtLoginError('error validating token: invalid not before (nbf) claim: token not yet valid');
  }
  if (options.boundIssuer !== undefined && claims.iss !== options.boundIssuer) {
    throw new JwtLoginError('error validating token: invalid issuer (iss) claim');
  }

  const audiences = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  const bound = role.boundAudiences ?? [];
  if (audiences.length > 0 && bound.length === 0) {
    throw new JwtLoginError('error validating token: audience claim found in JWT but no audiences bound to the role');
  }
  if (bound.length > 0 && !audiences.some((aud) => bound.includes(aud))) {
    throw new JwtLoginError('error validating token: invalid audience (aud) claim: audience claim does not match any expected audience');
  }

  for (const [name, expected] of Object.entries(role.boundClaims ?? {})) {
    if (!(name in claims)) throw new JwtLoginError(`error validating claims: claim "${name}" is missing`);
    const allowed = Array.isArray(expected) ? expected : [expected];
    if (!allowed.includes(String(claims[name]))) {
      throw new JwtLoginError(`error validating claims: claim "${name}" does not match any associated bound claim values`);
    }
  }

  const userClaim = role.userClaim ?? 'sub';
  return { role: roleName, claims, policies: role.policies, displayName: `${options.mount ?? 'jwt'}-${String(claims[userClaim] ?? '')}` };
}

/** Signs claims as an RS256 JWT (tests make their own key pair at run time). */
export function signJwt(privateKey: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}
