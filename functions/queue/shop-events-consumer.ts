import { applyRefundCompleted } from '#shared/aftersales/refund-store.ts';
import { isRefundEvent, isShipmentEvent } from '#shared/api/shop-events.ts';
import { rescoreAfterShopEvent } from '#shared/churn/store.ts';
import { logger } from '#shared/log.ts';
import { applyShipmentEvent, trackDispatch } from '#shared/logistics/store.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { applyShopEvent } from '#shared/store/shop-events.ts';

export const handler = withSqs('shop-events-consumer', async ({ shopId, event }) => {
  if (isShipmentEvent(event)) {
    const outcome = await applyShipmentEvent(shopId, event);
    logger.info('shop event', { eventId: event.eventId, type: event.type, outcome });
    return;
  }
  if (isRefundEvent(event)) {
    const outcome = await applyRefundCompleted(shopId, event);
    logger.info('shop event', { eventId: event.eventId, type: event.type, outcome });
    return;
  }
  const message = { shopId, event };
  const outcome = await applyShopEvent(message);
  await rescoreAfterShopEvent(message);
  if (event.type.startsWith('order.')) await trackDispatch(message);
  logger.info('shop event', { eventId: event.eventId, type: event.type, outcome });
});
