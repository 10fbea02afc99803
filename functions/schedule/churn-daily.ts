import type { Context, ScheduledEvent } from 'aws-lambda';
import { marketingNow } from '#shared/campaigns/clock.ts';
import { enqueueBatch } from '#shared/campaigns/sqs-batch.ts';
import { runDailyChurn } from '#shared/churn/daily.ts';
import { logger } from '#shared/log.ts';

/** Hourly: runs (or resumes) today's churn refresh; a finished day returns at once. */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const state = await runDailyChurn({
    now: marketingNow,
    timeLeftMs: () => context?.getRemainingTimeInMillis?.() ?? 60_000,
    enqueue: (messages) => enqueueBatch('churn-rescore', messages),
  });
  const summary = { day: state.day, done: state.done, queued: state.queued, sampled: state.seen };
  logger.info('churn daily run', { scheduledFor: event.time, ...summary });
  return summary;
};
