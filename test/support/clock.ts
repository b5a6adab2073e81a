/**
 * A simulated clock: time moves only when code sleeps on it or a test (or the fake Vault's latency
 * fault) advances it, so polling loops, backoffs and request timeouts run instantly and the same way
 * on a loaded machine as on an idle one.
 */
export interface SimulatedClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A signal that aborts with a `TimeoutError` once the clock has moved `ms` past now. */
  timeout(ms: number): AbortSignal;
  /** Moves time forward; returns how many timeout signals that fired. */
  advance(ms: number): number;
}

export function simulatedClock(start = Date.UTC(2026, 0, 1)): SimulatedClock {
  let now = start;
  let pending: { at: number; controller: AbortController }[] = [];
  const advance = (ms: number): number => {
    now += Math.max(0, ms);
    const due = pending.filter((p) => p.at <= now);
    pending = pending.filter((p) => p.at > now);
    for (const { controller } of due) controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    return due.length;
  };
  return {
    now: () => now,
    advance,
    sleep: async (ms) => {
      advance(ms);
    },
    timeout: (ms) => {
      const controller = new AbortController();
      pending.push({ at: now + ms, controller });
      return controller.signal;
    },
  };
}
