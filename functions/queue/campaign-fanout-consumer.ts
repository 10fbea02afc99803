import type { Context, SQSEvent } from 'aws-lambda';
import { fanoutPorts } from '#shared/campaigns/adapters.ts';
import { runFanout } from '#shared/campaigns/fanout.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

let remaining: () => number = () => 60_000;

const consume = withSqs('campaign-fanout-consumer', async (message) => {
  const outcome = await runFanout(message, fanoutPorts(remaining));
  logger.info('campaign fan-out hop', { campaignId: message.campaignId, hop: message.hop, outcome });
});

export const handler = (event: SQSEvent, context: Context) => {
  remaining = () => context.getRemainingTimeInMillis();
  return consume(event, context);
};
