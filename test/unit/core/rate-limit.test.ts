import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, slidingHits } from '#shared/store/rate-limit.ts';

describe('sliding-window rate limit', () => {
  it('counts a burst that straddles a window boundary as one burst', () => {
    // 4 hits at the end of one window, 3 a second into the next: 7 in a few seconds, over a limit of 5.
    expect(slidingHits(4, 3, 1, 60)).toBeGreaterThan(5);
    // A fixed window alone would have seen 3.
    expect(slidingHits(0, 3, 1, 60)).toBe(3);
  });

  it('lets the previous window’s weight fall to nothing over one window', () => {
    expect(slidingHits(10, 0, 0, 60)).toBe(10);
    expect(slidingHits(10, 0, 30, 60)).toBe(5);
    expect(slidingHits(10, 2, 60, 60)).toBe(2);
  });

  it('tells a caller to retry no earlier than one more hit fits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 30 }),
        (prev, curr, elapsed, max) => {
          const wait = retryAfterSeconds(prev, curr, elapsed, 60, max);
          expect(wait).toBeGreaterThanOrEqual(1);
          const at = elapsed + wait;
          const after = at < 60 ? slidingHits(prev, curr, at, 60) : slidingHits(curr, 0, at - 60, 60);
          expect(after + 1).toBeLessThanOrEqual(max + 1e-9);
          if (wait > 1) {
            const before = at - 1 < 60 ? slidingHits(prev, curr, at - 1, 60) : slidingHits(curr, 0, at - 61, 60);
            expect(before + 1).toBeGreaterThan(max);
          }
        },
      ),
    );
  });
});
