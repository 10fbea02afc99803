import type { Context, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { fanoutPorts } from '#shared/campaigns/adapters.ts';
import { runFanout } from '#shared/campaigns/fanout.ts';
import { logger } from '#shared/log.ts';

const Message = z.strictObject({ campaignId: z.string().check(z.minLength(1), z.maxLength(128)), hop: z.int().check(z.minimum(0)) });
type Message = z.infer<typeof Message>;

let remaining: () => number = () => 60_000;

const consume = withSqs<Message>(
  { name: 'campaign-fanout-consumer', schema: Message, idempotencyKey: (m) => `${m.campaignId}#${m.hop}` },
  async (message) => {
    const outcome = await runFanout(message, fanoutPorts(remaining));
    logger.info('campaign fan-out hop', { campaignId: message.campaignId, hop: message.hop, outcome });
  },
);

export const handler = (event: SQSEvent, context: Context) => {
  remaining = () => context.getRemainingTimeInMillis();
  return consume(event, context);
};
