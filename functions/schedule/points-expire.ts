import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { expireDuePoints } from '#shared/members/points.ts';

/** Daily: expires every points lot whose date has come, through the sharded expiry index. */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const result = await expireDuePoints(new Date().toISOString(), () => context?.getRemainingTimeInMillis?.() ?? 60_000);
  logger.info('points expiry', { scheduledFor: event.time, ...result });
  return result;
};
