import type { ScheduledEvent } from 'aws-lambda';
import { tickPorts } from '#shared/campaigns/adapters.ts';
import { tickCampaigns } from '#shared/campaigns/lifecycle.ts';
import { logger } from '#shared/log.ts';

const ports = tickPorts();

/** Every minute: starts due scheduled campaigns, restarts stalled fan-outs, re-queues lost send batches, completes finished campaigns. */
export const handler = async (event: ScheduledEvent) => {
  const result = await tickCampaigns(ports);
  if (result.started || result.rescued || result.requeued || result.failed || result.completed)
    logger.info('campaigns tick', { scheduledFor: event.time, ...result });
  return result;
};
