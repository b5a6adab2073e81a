import { describe, expect, it } from 'vitest';
import {
  bestMatchingRule,
  examplePathOf,
  isForbiddenPattern,
  matchesPolicyPath,
  patternContains,
  patternsOverlap,
} from '../../src/validation/vault-policy/paths.js';

describe('matchesPolicyPath', () => {
  it('treats a trailing * as a prefix match', () => {
    expect(matchesPolicyPath('secret/foo*', 'secret/foobar')).toBe(true);
    expect(matchesPolicyPath('secret/foo*', 'secret/foo/bar/baz')).toBe(true);
    expect(matchesPolicyPath('secret/foo*', 'secret/fo')).toBe(false);
    expect(matchesPolicyPath('*', 'anything/at/all')).toBe(true);
  });

  it('treats a * that is not at the end as a literal character', () => {
    expect(matchesPolicyPath('status_panel/deployment-*/token', 'status_panel/deployment-123-abc/token')).toBe(false);
    expect(matchesPolicyPath('status_panel/deployment-*/token', 'status_panel/deployment-*/token')).toBe(true);
  });

  it('matches + against exactly one whole segment', () => {
    expect(matchesPolicyPath('secret/data/+/token', 'secret/data/dep-1/token')).toBe(true);
    expect(matchesPolicyPath('secret/data/+/token', 'secret/data/a/b/token')).toBe(false);
    expect(matchesPolicyPath('secret/data/+', 'secret/data/a/b')).toBe(false);
    expect(matchesPolicyPath('secret/+/foo*', 'secret/x/foo/bar')).toBe(true);
    expect(matchesPolicyPath('secret/a+b', 'secret/axb')).toBe(false);
    expect(matchesPolicyPath('secret/a+b', 'secret/a+b')).toBe(true);
  });

  it('ignores a leading slash and rejects +*', () => {
    expect(matchesPolicyPath('/secret/data/app', 'secret/data/app')).toBe(true);
    expect(isForbiddenPattern('secret/+*')).toBe(true);
    expect(matchesPolicyPath('secret/+*', 'secret/x')).toBe(false);
  });

  it('lets a template stand for one non-empty value', () => {
    expect(matchesPolicyPath('secret/data/{{identity.entity.id}}/*', 'secret/data/e-1/x')).toBe(true);
    expect(matchesPolicyPath('secret/data/{{identity.entity.id}}/*', 'secret/data//x')).toBe(false);
    expect(matchesPolicyPath('secret/data/app-{{identity.entity.name}}', 'secret/data/app-web')).toBe(true);
  });
});

describe('patternContains', () => {
  it.each([
    ['secret/data/*', 'secret/data/app/*', true],
    ['secret/data/*', 'secret/data/+/x', true],
    ['secret/data/ab*', 'secret/data/a*', false],
    ['secret/data/a*', 'secret/data/ab*', true],
    ['secret/*', 'secret/data/x', true],
    ['secret*', 'secret/data/x', true],
    ['*', '+/anything/*', true],
    ['secret/+', 'secret/foo', true],
    ['secret/+', 'secret/foo/bar', false],
    ['secret/+', 'secret/*', false],
    ['secret/+/*', 'secret/a/b', true],
    ['secret/+/*', 'secret/a', false],
    ['secret/data/app', 'secret/data/app', true],
    ['secret/data/app', 'secret/data/app*', false],
    ['secret/data/+/token', 'secret/data/dep/token', true],
    ['secret/data/dep/token', 'secret/data/+/token', false],
    ['secret/data/{{identity.entity.id}}/*', 'secret/data/{{identity.entity.id}}/x', true],
    ['secret/data/x/*', 'secret/data/{{identity.entity.id}}/*', false],
    ['secret/data/*', 'secret/data/{{identity.entity.id}}/*', true],
    ['secret/data/*', 'secret/metadata/x', false],
    ['/secret/data/*', 'secret/data/x', true],
    ['secret/data/*', 'secret/data/+*', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(patternContains(outer, inner)).toBe(expected);
  });
});

describe('patternsOverlap', () => {
  it.each([
    ['sys/policy*', 'sys/*', true],
    ['sys/policies/*', 'sys/policies/acl/app', true],
    ['sys/policies/*', 'sys/mounts', false],
    ['auth/+/role/+', 'auth/approle/role/*', true],
    ['auth/+/role/+', 'auth/approle/role/ci/secret-id', false],
    ['secret/data/a*', 'secret/data/ab*', true],
    ['secret/data/a*', 'secret/data/b*', false],
    ['identity/entity*', 'identity/+/id/*', true],
    ['secret/data/{{identity.entity.id}}', 'secret/data/x', true],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe('bestMatchingRule (Vault priority matching)', () => {
  const pick = (paths: string[], request: string): string | undefined => bestMatchingRule(paths.map((path) => ({ path })), request)?.path;

  it('prefers an exact rule over any glob', () => {
    expect(pick(['secret/*', 'secret/data/app', 'secret/data/+'], 'secret/data/app')).toBe('secret/data/app');
  });

  it('prefers the rule whose first + or * comes later', () => {
    expect(pick(['foo/+', 'foo/a*'], 'foo/ab')).toBe('foo/a*');
    expect(pick(['foo/+/bar/baz', 'foo/bar/+/baz'], 'foo/bar/bar/baz')).toBe('foo/bar/+/baz');
  });

  it('prefers a non-prefix rule when the first wildcard is at the same place', () => {
    expect(pick(['foo/+/ba*', 'foo/+/bar'], 'foo/x/bar')).toBe('foo/+/bar');
    expect(pick(['foo/*', 'foo/+'], 'foo/x')).toBe('foo/+');
  });

  it('prefers fewer + segments, then the longer rule', () => {
    expect(pick(['foo/+/+/baz', 'foo/+/bar/baz'], 'foo/x/bar/baz')).toBe('foo/+/bar/baz');
    expect(pick(['foo/+/bar/b*', 'foo/+/bar/ba*'], 'foo/x/bar/baz')).toBe('foo/+/bar/ba*');
  });

  it('considers only the longest plain prefix rule', () => {
    expect(pick(['secret/*', 'secret/data/*'], 'secret/data/x')).toBe('secret/data/*');
  });

  it('lets a specific allow override a broad deny', () => {
    const rules = [
      { path: 'secret/*', deny: true },
      { path: 'secret/data/app/*', deny: false },
    ];
    expect(bestMatchingRule(rules, 'secret/data/app/key')?.deny).toBe(false);
    expect(bestMatchingRule(rules, 'secret/data/other')?.deny).toBe(true);
  });

  it('returns undefined when nothing matches (Vault denies)', () => {
    expect(pick(['secret/data/app'], 'secret/data/other')).toBeUndefined();
  });

  it('builds an example path a pattern matches', () => {
    for (const pattern of ['secret/data/+/token', 'secret/data/app/*', 'a/{{identity.entity.id}}/b']) {
      expect(matchesPolicyPath(pattern, examplePathOf(pattern))).toBe(true);
    }
  });
});
