import { describe, expect, it } from 'vitest';
import { recordedRotation, rotatedAtKey, rotatedByKey, rotatedByValue, rotationPatch } from '../../src/rotation/metadata.js';

describe('custom_metadata entries', () => {
  it('names entries per key, hashing keys that would pass the 128-character limit', () => {
    expect(rotatedAtKey('SECRET_KEY')).toBe('keywarden.rotated-at.SECRET_KEY');
    expect(rotatedByKey('token')).toBe('keywarden.rotated-by.token');
    const long = 'K'.repeat(120);
    expect(rotatedAtKey(long)).toMatch(/^keywarden\.rotated-at\.sha256:[0-9a-f]{64}$/);
    expect(rotatedAtKey(long).length).toBeLessThanOrEqual(128);
    expect(rotatedAtKey(long)).not.toBe(rotatedAtKey('K'.repeat(121)));
  });

  it('reads a recorded time, and ignores a missing or unreadable one', () => {
    const at = '2026-01-02T03:04:05.123456789Z';
    expect(recordedRotation({ [rotatedAtKey('a')]: at }, 'a')?.toISOString()).toBe('2026-01-02T03:04:05.123Z');
    expect(recordedRotation({ [rotatedAtKey('a')]: 'yesterday' }, 'a')).toBeUndefined();
    expect(recordedRotation({}, 'a')).toBeUndefined();
  });

  it('says who rotated as JSON of at most 512 characters, even with absurd names', () => {
    const env = { GITHUB_WORKFLOW: 'Rotate "prod" \\ secrets', GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2', GITHUB_ACTOR: 'octocat', GITHUB_REPOSITORY: 'acme/app' };
    expect(JSON.parse(rotatedByValue(env, 'all'))).toEqual({ reason: 'all', workflow: 'Rotate "prod" \\ secrets', run: '123', attempt: '2', actor: 'octocat', repository: 'acme/app' });
    const huge = { GITHUB_WORKFLOW: '"'.repeat(500), GITHUB_RUN_ID: '9', GITHUB_ACTOR: '\\'.repeat(300), GITHUB_REPOSITORY: '"'.repeat(300) };
    const value = rotatedByValue(huge, 'due');
    expect(value.length).toBeLessThanOrEqual(512);
    // Escaped, the 140 quotes of the repository and 100 backslashes of the actor push it over: both go.
    expect(JSON.parse(value)).toEqual({ reason: 'due', run: '9', workflow: '"'.repeat(200) });
    expect(JSON.parse(rotatedByValue({}, 'manual'))).toEqual({ reason: 'manual' });
  });

  it('keeps within 64 entries: overwrites existing keys freely, drops new ones that do not fit, in priority order', () => {
    const existing = Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`k${i}`, 'v']));
    existing[rotatedAtKey('a')] = 'old';
    const { patch, dropped } = rotationPatch(existing, [
      [rotatedAtKey('a'), 'new'],
      [rotatedAtKey('b'), 't'],
      [rotatedByKey('a'), 'who'],
    ]);
    expect(patch).toEqual({ [rotatedAtKey('a')]: 'new', [rotatedAtKey('b')]: 't' });
    expect(dropped).toEqual([rotatedByKey('a')]);
  });
});
