import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';

/**
 * Daily housekeeping. Expired items (connections, rate windows, idempotency records) are removed
 * by DynamoDB TTL and ignored on read; this run records that the schedule fired.
 */
export const handler = async (event: ScheduledEvent): Promise<{ ranAt: string }> => {
  const ranAt = new Date().toISOString();
  logger.info('daily maintenance', { scheduledFor: event.time, ranAt });
  return { ranAt };
};
