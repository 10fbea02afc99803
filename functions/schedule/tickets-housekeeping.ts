import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { runHousekeeping } from '#shared/tickets/housekeeping.ts';

const ports = ticketPorts();

export const handler = async (_event: ScheduledEvent): Promise<void> => {
  const result = await runHousekeeping(ports);
  logger.info('tickets housekeeping', result);
};
