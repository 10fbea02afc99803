import type { Context, ScheduledEvent } from 'aws-lambda';
import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { sweepSurveys } from '#shared/feedback/sweep.ts';
import { logger } from '#shared/log.ts';

/** Every minute: delivers survey requests past due whose delayed queue message never arrived. */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const result = await sweepSurveys(feedbackPorts(), () => context?.getRemainingTimeInMillis() ?? 60_000);
  if (result.delivered || result.duplicate || result.suppressed || result.retried || result.failed)
    logger.info('surveys sweep', { scheduledFor: event.time, ...result });
  return result;
};
