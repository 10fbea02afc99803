import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { enqueue } from '#shared/queue/send.ts';
import { claimEvent, pendingEvents, readEvent } from '#shared/webhooks/store.ts';

/**
 * Every minute: moves pending outbox events to the webhooks queue. The message is sent before the
 * event leaves the pending listing, so a crash in between repeats a delivery (the consumer skips a
 * finished one) rather than losing it.
 */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const left = () => context?.getRemainingTimeInMillis?.() ?? 60_000;
  let queued = 0;
  while (left() > 10_000) {
    const page = await pendingEvents(50);
    if (page.length === 0) break;
    for (const { eventId } of page) {
      const outbox = await readEvent(eventId);
      await enqueue('webhooks', { eventId, attempt: 0 });
      await claimEvent(eventId, outbox?.type ?? 'unknown', outbox?.shopId, new Date().toISOString());
      queued++;
    }
  }
  logger.info('webhooks dispatched', { scheduledFor: event.time, queued });
  return { queued };
};
