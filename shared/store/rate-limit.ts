import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tooManyRequests } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window rate limiting with one atomic counter item per window (TTL-expired). Counts are
 * shared by every Lambda container, which an in-memory limiter could not do.
 */
export async function enforceLimits(limits: Limit[], now: Date): Promise<void> {
  for (const limit of limits) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateWindow(limit.bucket, windowStart),
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': windowStart + limit.windowSeconds * 2 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if ((res.Attributes?.hits as number) > limit.max) {
      throw tooManyRequests(Math.max(1, windowStart + limit.windowSeconds - nowSeconds));
    }
  }
}
