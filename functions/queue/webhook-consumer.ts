import { logger } from '#shared/log.ts';
import { enqueue } from '#shared/queue/send.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { readShop } from '#shared/store/shops.ts';
import { policyFor } from '#shared/webhooks/address-policy.ts';
import { postPinned, signedHeaders } from '#shared/webhooks/deliver.ts';
import { type DispatchPorts, deliverEvent } from '#shared/webhooks/dispatch.ts';
import { readDelivery, readEvent, saveDelivery } from '#shared/webhooks/store.ts';

/**
 * Production ports: every target is checked with `policyFor` — the strict policy, except a local
 * test receiver's exact loopback origin on the local stage outside Lambda (never in AWS). The
 * shop is read fresh, not from the per-container cache: a URL or secret just saved applies at once.
 */
const ports: DispatchPorts = {
  readDelivery,
  readEvent,
  async target(shopId) {
    const shop = shopId ? await readShop(shopId) : undefined;
    return shop?.webhookUrl ? { url: shop.webhookUrl, secret: shop.webhookSecret } : undefined;
  },
  post: (url, body, event, secret) => postPinned(url, body, signedHeaders(secret, event.type, body, new Date()), policyFor(url)),
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
