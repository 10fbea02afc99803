import { setTimeout as delay } from 'node:timers/promises';

export interface UntilOptions {
  /**
   * Only a guard against hangs, never a measure of speed: generous on purpose, so a busy 2-core
   * machine still passes. Default 30 s.
   */
  timeoutMs?: number;
  /** How often the probe runs. Default 25 ms. */
  everyMs?: number;
  /** Said in the error when the deadline passes. */
  what?: string;
}

/**
 * Waits for a condition: runs `probe` until it returns something other than `undefined`/`false`
 * and returns that. The one polling helper of the test suite (tests wait on conditions or on
 * `stack.quiesce()`, never on a fixed sleep).
 */
export async function until<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  opts: UntilOptions | number = {},
): Promise<T> {
  const { timeoutMs = 30_000, everyMs = 25, what = 'a condition' } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value as T;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      const cause = lastError instanceof Error ? `: last probe threw ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await delay(everyMs);
  }
}
