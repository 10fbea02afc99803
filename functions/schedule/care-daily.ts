import type { Context, ScheduledEvent } from 'aws-lambda';
import { marketingNow } from '#shared/campaigns/clock.ts';
import { logger } from '#shared/log.ts';
import { runCare } from '#shared/members/care.ts';

/** Hourly: sends today's care messages outside quiet hours (each occasion once; later runs pick up what a capped or timed-out run left). */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const counts = await runCare(marketingNow(), () => context?.getRemainingTimeInMillis?.() ?? 120_000);
  logger.info('care run', { scheduledFor: event.time, ...counts });
  return counts;
};
