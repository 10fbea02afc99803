import { accepted, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { DeliveryParams, NoInput } from '#shared/shop/api.ts';
import { retryDelivery } from '#shared/webhooks/test-event.ts';

export const handler = withHttp('webhook-retry', { body: NoInput, params: DeliveryParams }, async ({ params, caller, now }) => {
  const delivery = await retryDelivery(params.deliveryId, now);
  logger.info('webhook delivery retried', { deliveryId: delivery.deliveryId, attempt: delivery.queuedAttempt, actor: caller.sub });
  return accepted(delivery);
});
