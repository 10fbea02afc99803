/** Reconnect schedule: doubling from 500 ms, capped at 30 s, with "equal jitter" (half fixed, half random). */
export const BACKOFF = { baseMs: 500, maxMs: 30_000 } as const;

/**
 * Delay before reconnect attempt `attempt` (0 = first retry). Jitter spreads the reconnects of many
 * widgets after a server restart instead of having them all hit the API in the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
