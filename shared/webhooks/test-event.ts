/**
 * Admin actions on outbound webhooks: a test event sent through the ordinary outbox and queue
 * (so it shows what a real event would do), and a retry of a finished delivery.
 */
import { conflict, notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { enqueue } from '#shared/queue/send.ts';
import { canRetry, type Delivery, retryAttempt } from '#shared/webhooks/dispatch.ts';
import { addOutboxEvent, claimEvent, readDelivery, readEvent, reopenDelivery, saveDelivery } from '#shared/webhooks/store.ts';

/** The type of the test event (the shop's endpoint can recognise and ignore it). */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * Writes a `webhook.test` outbox event and dispatches it at once, as the every-minute dispatcher
 * would: the queue message first, then the move to the delivery log (a crash in between leaves
 * it pending for the dispatcher, never lost). The consumer signs and sends it.
 */
export async function sendTestEvent(shopId: string, now: Date): Promise<{ eventId: string }> {
  const at = now.toISOString();
  const eventId = newId('evt', now.getTime());
  await addOutboxEvent({
    eventId,
    type: TEST_EVENT_TYPE,
    shopId,
    at,
    message: 'Kefu 测试事件：收到即表示 Webhook 配置正确。 / Kefu test event: receiving it means the webhook is set up correctly.',
  });
  await enqueue('webhooks', { eventId, attempt: 0 });
  await claimEvent(eventId, TEST_EVENT_TYPE, shopId, at);
  return { eventId };
}

/** Why a retry is refused, in English for API callers (the console shows its own text per `reason`). */
export type RetryRefusal = 'not_finished' | 'event_gone' | 'too_many' | 'changed';

/**
 * Sends a failed (or URL-less) delivery again: reopened under a condition on the state the
 * admin saw (a double click retries once), then queued with a fresh attempt number. 409s say why not.
 */
export async function retryDelivery(deliveryId: string, now: Date): Promise<Delivery> {
  const d = await readDelivery(deliveryId);
  if (!d) throw notFound('delivery');
  const refuse = (reason: RetryRefusal, message: string) => conflict(message, { reason, state: d.state });
  if (!canRetry(d)) throw refuse('not_finished', `delivery ${deliveryId} is ${d.state}: only failed deliveries and ones without a URL can be retried`);
  if (!(await readEvent(d.eventId))) throw refuse('event_gone', `the event of delivery ${deliveryId} is no longer kept, so it cannot be sent again`);
  const attempt = retryAttempt(d);
  if (attempt === undefined) throw refuse('too_many', `delivery ${deliveryId} was retried too often; send a new test event instead`);
  const at = now.toISOString();
  if (!(await reopenDelivery(d, attempt, at))) throw refuse('changed', `delivery ${deliveryId} changed meanwhile (someone retried it); reload the log`);
  try {
    await enqueue('webhooks', { eventId: d.eventId, attempt });
  } catch (error) {
    await saveDelivery(d);
    throw error;
  }
  return { ...d, state: 'retrying', queuedAttempt: attempt, nextAttemptAt: at, updatedAt: at };
}
