import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { sendTimers, ticketPorts } from '#shared/tickets/adapters.ts';
import { handleTimer } from '#shared/tickets/timers.ts';

const ports = ticketPorts();

export const handler = withSqs('sla-timers-consumer', async (timer) => {
  const outcome = await handleTimer(ports, timer, (next) => sendTimers([next]));
  if (outcome !== 'requeued') {
    const lagMs = ports.now().getTime() - Date.parse(timer.dueAt);
    logger.info('sla timer', { ticketId: timer.ticketId, metric: timer.metric, kind: timer.kind, hop: timer.hop, outcome, lagMs });
  }
});
