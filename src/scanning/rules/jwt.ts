import type { RuleMatch, SecretRule } from '../rule.js';
import { BASE64URL, mixed, sample, tokenPattern } from './support.js';

const JWT = 'eyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,4000}\\.[A-Za-z0-9_-]{16,1000}';

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed JWT: the header decodes to JSON with an `alg`. Supabase-style `anon` keys are public
 * by design and are skipped.
 */
function isSignedJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  const head = decodeJson(header ?? '');
  const body = decodeJson(payload ?? '');
  if (!head || !body || typeof head.alg !== 'string' || head.alg.toLowerCase() === 'none') return false;
  return body.role !== 'anon';
}

const CREDENTIAL_CONTEXT = /bearer|authori[sz]ation|token|secret|api[_-]?key|password|jwt|session|cookie/i;

const inCredentialContext = (match: RuleMatch): boolean => CREDENTIAL_CONTEXT.test(match.line.replace(match.secret, ''));

function jwtOf(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.${mixed(BASE64URL, 43)}`;
}

const userClaims = (): Record<string, unknown> => ({ sub: mixed(BASE64URL, 12), name: 'ci-bot', iat: 1_700_000_000 });

const remediation =
  'Revoke the session or rotate the signing key if the token is long-lived; never commit captured tokens, load them at run time.';

export const jwtRules: SecretRule[] = [
  {
    id: 'jwt-credential',
    title: 'JSON Web Token used as a credential',
    description: 'A signed JWT assigned to a token, secret or auth name, or sent as a Bearer credential.',
    severity: 'high',
    category: 'provider-token',
    // It decodes, but whether it is live or a fixture, nothing in it says.
    confidence: 'medium',
    keywords: ['eyj'],
    pattern: tokenPattern(JWT, 'A-Za-z0-9_-'),
    confirm: (match) => isSignedJwt(match.secret) && inCredentialContext(match),
    remediation,
    samples: {
      positive: () => [
        sample('tests/api.http', `Authorization: Bearer ${jwtOf(userClaims())}`),
        sample('.env', `SERVICE_TOKEN=${jwtOf(userClaims())}`),
      ],
      negative: () => [
        sample('web/supabase.js', `const supabaseAnonKey = "${jwtOf({ role: 'anon', iss: 'supabase' })}";`),
        sample('tests/api.http', `Authorization: Bearer eyJ${mixed(BASE64URL, 20)}.eyJ${mixed(BASE64URL, 30)}.${mixed(BASE64URL, 43)}`),
      ],
    },
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    description: 'A signed JWT outside an obvious credential context (fixtures, docs, captured responses). Medium: it may be expired or a sample.',
    severity: 'medium',
    category: 'provider-token',
    confidence: 'medium',
    keywords: ['eyj'],
    pattern: tokenPattern(JWT, 'A-Za-z0-9_-'),
    confirm: (match) => isSignedJwt(match.secret) && !inCredentialContext(match),
    remediation,
    samples: {
      positive: () => [sample('fixtures/response.json', `{"data": "${jwtOf(userClaims())}"}`)],
      negative: () => [sample('fixtures/response.json', `{"data": "${jwtOf(userClaims(), { typ: 'JWT' })}"}`)],
    },
  },
];
