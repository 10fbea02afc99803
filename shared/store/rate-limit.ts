import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tooManyRequests } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * The hits a sliding window of `windowSeconds` ending now holds, estimated from two fixed windows:
 * all of the current one and the share of the previous one the sliding window still overlaps
 * (the "sliding window counter" of rate limiters). A fixed window alone lets a caller send 2 × max
 * across a window boundary, and resets a burst that straddles it.
 */
export function slidingHits(previous: number, current: number, elapsedSeconds: number, windowSeconds: number): number {
  return previous * Math.max(0, (windowSeconds - elapsedSeconds) / windowSeconds) + current;
}

/**
 * Seconds until one more hit fits under `max` again, however the caller's windows are filled: the
 * current window's hits become the previous window's, and their weight falls second by second.
 */
export function retryAfterSeconds(previous: number, current: number, elapsedSeconds: number, windowSeconds: number, max: number): number {
  for (let wait = 1; wait < 2 * windowSeconds; wait++) {
    const at = elapsedSeconds + wait;
    const estimate = at < windowSeconds ? slidingHits(previous, current, at, windowSeconds) : slidingHits(current, 0, at - windowSeconds, windowSeconds);
    if (estimate + 1 <= max) return wait;
  }
  return 2 * windowSeconds;
}

/**
 * Rate limiting with one atomic counter item per fixed window (TTL-expired), read as a sliding
 * window (see slidingHits). Counts are shared by every Lambda container, which an in-memory limiter
 * could not do. Per limit: one UpdateItem on the current window and, in parallel, one read of the
 * previous window.
 */
export async function enforceLimits(limits: Limit[], now: Date): Promise<void> {
  for (const limit of limits) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
    const [res, previous] = await Promise.all([
      db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.rateWindow(limit.bucket, windowStart),
          UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':ttl': windowStart + limit.windowSeconds * 2 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
      db().send(
        new GetCommand({ TableName: tableName(), Key: keys.rateWindow(limit.bucket, windowStart - limit.windowSeconds), ProjectionExpression: 'hits' }),
      ),
    ]);
    const before = (previous?.Item?.hits as number | undefined) ?? 0;
    const hits = (res?.Attributes?.hits as number | undefined) ?? 1;
    const elapsed = nowSeconds - windowStart;
    if (slidingHits(before, hits, elapsed, limit.windowSeconds) > limit.max) {
      throw tooManyRequests(retryAfterSeconds(before, hits, elapsed, limit.windowSeconds, limit.max));
    }
  }
}
