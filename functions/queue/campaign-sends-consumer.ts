import { queues } from '#infra/manifest.ts';
import { sendPorts } from '#shared/campaigns/adapters.ts';
import { processSendMessage } from '#shared/campaigns/send.ts';
import { giveCoupon } from '#shared/coupons/service.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

const ports = sendPorts({ claimCoupon: giveCoupon });
const maxReceives = queues.find((q) => q.name === 'campaign-sends')?.maxReceiveCount ?? 5;

export const handler = withSqs('campaign-sends-consumer', async (message, record) => {
  const receives = Number(record.attributes.ApproximateReceiveCount ?? 1);
  const result = await processSendMessage(message, receives >= maxReceives, ports, receives > 1);
  logger.info('campaign send batch', {
    campaignId: message.campaignId,
    batch: message.batch,
    redrive: message.redrive,
    size: message.contactIds.length,
    outcome: result.outcome,
    failed: result.failed,
    ...result.members,
  });
});
