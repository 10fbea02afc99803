import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { reviewDueTiers } from '#shared/members/points.ts';

/** Daily: reviews members whose tier review is due (grace period, then downgrade), through gsi3. */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const result = await reviewDueTiers(new Date().toISOString(), () => context?.getRemainingTimeInMillis?.() ?? 60_000);
  logger.info('tier review', { scheduledFor: event.time, complete: result.complete, ...result.reviewed });
  return result;
};
