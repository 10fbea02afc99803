import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { queues } from '#infra/manifest.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { sendPorts } from '#shared/campaigns/adapters.ts';
import { processSendMessage } from '#shared/campaigns/send.ts';
import { logger } from '#shared/log.ts';

const Message = z.strictObject({
  campaignId: z.string().check(z.minLength(1), z.maxLength(128)),
  contactIds: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(100)),
  holds: z.int().check(z.minimum(0)),
});
type Message = z.infer<typeof Message>;

const ports = sendPorts();
const maxReceives = queues.find((q) => q.name === 'campaign-sends')?.maxReceiveCount ?? 5;

export const handler = withSqs<Message>(
  {
    name: 'campaign-sends-consumer',
    schema: Message,
    idempotencyKey: (m) => `${m.campaignId}#${m.holds}#${createHash('sha1').update(m.contactIds.join(',')).digest('hex')}`,
  },
  async (message, record) => {
    const finalAttempt = Number(record.attributes.ApproximateReceiveCount ?? 1) >= maxReceives;
    const result = await processSendMessage(message, finalAttempt, ports);
    logger.info('campaign send batch', { campaignId: message.campaignId, size: message.contactIds.length, outcome: result.outcome, failed: result.failed, ...result.members });
  },
);
