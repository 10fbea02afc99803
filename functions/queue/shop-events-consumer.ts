import { rescoreAfterShopEvent } from '#shared/churn/store.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { applyShopEvent } from '#shared/store/shop-events.ts';

export const handler = withSqs('shop-events-consumer', async (message) => {
  const outcome = await applyShopEvent(message);
  await rescoreAfterShopEvent(message);
  logger.info('shop event', { eventId: message.event.eventId, type: message.event.type, outcome });
});
