import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { applyRefundCompleted } from '#shared/aftersales/refund-store.ts';
import { isCouponEvent, isRefundEvent, isShipmentEvent, ShopEventMessage } from '#shared/api/shop-events.ts';
import { redeemCode } from '#shared/coupons/store.ts';
import { logger } from '#shared/log.ts';
import { applyShipmentEvent, dispatchWatchItem, hasShipment, readLogisticsSettings } from '#shared/logistics/store.ts';
import type { DispatchWatchInput } from '#shared/members/order-event.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { applyShopEvent } from '#shared/store/shop-events.ts';

/**
 * Shipment, refund and coupon events go through the one SQS wrapper (Powertools batch + idempotency).
 * Order and member events are idempotent by their own state (the order's status times, the
 * points source guard, the profile's `profileAt`) and applied in one transaction each, so they
 * skip the idempotency record's two writes (issue 15: ≤ 6 DynamoDB calls per event).
 */
const wrapped = withSqs('shop-events-consumer', async ({ shopId, event }) => {
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
  if (isCouponEvent(event)) {
    // an unknown, never-given or already redeemed code is ignored (logged by its outcome, never the code): no redelivery
    const { code, ...order } = event.data;
    const result = await redeemCode(code, { eventId: event.eventId, occurredAt: event.occurredAt, ...order });
    logger.info('shop event', {
      eventId: event.eventId,
      type: event.type,
      outcome: result.outcome === 'redeemed' ? 'applied' : 'ignored',
      reason: result.outcome,
      ...(result.outcome === 'redeemed' && result.campaignId ? { campaignId: result.campaignId } : {}),
    });
    return;
  }
  await applyOne({ shopId, event });
});

const SETTINGS_MAX_AGE_MS = 30_000;
let settingsCache: { at: number; value: ReturnType<typeof readLogisticsSettings> } | undefined;

/** The 催单 watch of a paid order (logistics settings cached per container for 30 s). */
async function watchItem(watch: DispatchWatchInput): Promise<Record<string, unknown>> {
  if (!settingsCache || Date.now() - settingsCache.at >= SETTINGS_MAX_AGE_MS) settingsCache = { at: Date.now(), value: readLogisticsSettings() };
  const settings = await settingsCache.value.catch((error: unknown) => {
    settingsCache = undefined;
    throw error;
  });
  return dispatchWatchItem(watch, settings);
}

async function applyOne(message: ShopEventMessage): Promise<void> {
  const outcome = await applyShopEvent(message, { rescore: true, dispatch: { watchItem, hasShipment } });
  logger.info('shop event', { eventId: message.event.eventId, type: message.event.type, outcome });
}

/** Order and member events of the batch (parsed), the rest left to the wrapper. */
function direct(record: SQSRecord): ShopEventMessage | undefined {
  try {
    const parsed = ShopEventMessage.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const mine: { record: SQSRecord; message: ShopEventMessage }[] = [];
  const others: SQSRecord[] = [];
  for (const record of event.Records) {
    const message = direct(record);
    if (message) mine.push({ record, message });
    else others.push(record);
  }
  logger.addContext(context);
  const [rest, failed] = await Promise.all([
    others.length > 0
      ? // Powertools throws when every record of its part failed: all of them are then reported.
        wrapped({ Records: others }, context).catch(() => ({ batchItemFailures: others.map((r) => ({ itemIdentifier: r.messageId })) }))
      : { batchItemFailures: [] },
    Promise.all(
      mine.map(async ({ record, message }) => {
        try {
          await applyOne(message);
          return undefined;
        } catch (error) {
          logger.warn('record failed; it will be redelivered', { messageId: record.messageId, errorName: (error as Error).name });
          return { itemIdentifier: record.messageId };
        }
      }),
    ),
  ]);
  return { batchItemFailures: [...rest.batchItemFailures, ...failed.filter((f) => f !== undefined)] };
};
