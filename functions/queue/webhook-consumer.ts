import { logger } from '#shared/log.ts';
import { enqueue } from '#shared/queue/send.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { getShop } from '#shared/store/shops.ts';
import { strictPolicy } from '#shared/webhooks/address-policy.ts';
import { postPinned, signedHeaders } from '#shared/webhooks/deliver.ts';
import { type DispatchPorts, deliverEvent } from '#shared/webhooks/dispatch.ts';
import { readDelivery, readEvent, saveDelivery } from '#shared/webhooks/store.ts';

/** Production ports: the strict address policy is fixed here and cannot be configured away. */
const ports: DispatchPorts = {
  readDelivery,
  readEvent,
  async target(shopId) {
    const shop = shopId ? await getShop(shopId) : undefined;
    return shop?.webhookUrl ? { url: shop.webhookUrl, secret: shop.webhookSecret } : undefined;
  },
  post: (url, body, event, secret) => postPinned(url, body, signedHeaders(secret, event.type, body, new Date()), strictPolicy),
  save: saveDelivery,
  requeue: (eventId, attempt, delaySeconds) => enqueue('webhooks', { eventId, attempt }, delaySeconds),
  now: () => new Date(),
};

export const handler = withSqs('webhook-consumer', async (message) => {
  const delivery = await deliverEvent(message.eventId, message.attempt, ports);
  logger.info('webhook delivery', {
    eventId: message.eventId,
    attempt: message.attempt,
    state: delivery.state,
    status: delivery.lastStatus,
    error: delivery.lastError,
  });
});
