/**
 * Admin actions on outbound webhooks: a test event sent through the ordinary outbox and queue
 * (so it shows what a real event would do), and a retry of a finished delivery.
 */
import { conflict, type ErrorText, notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { enqueue } from '#shared/queue/send.ts';
import { canRetry, type Delivery, type DeliveryState, retryAttempt } from '#shared/webhooks/dispatch.ts';
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

/** A delivery state as the delivery log names it in Chinese. */
const STATE_ZH: Record<DeliveryState, string> = {
  pending: '待发送',
  retrying: '重试中',
  delivered: '已送达',
  failed: '失败',
  no_target: '未配置 Webhook 地址',
};

/** Why a retry is refused, in both languages for API callers (the console shows its own text per `reason`). */
export type RetryRefusal = 'not_finished' | 'event_gone' | 'too_many' | 'changed';

/**
 * Sends a failed (or URL-less) delivery again: reopened under a condition on the state the
 * admin saw (a double click retries once), then queued with a fresh attempt number. 409s say why not.
 */
export async function retryDelivery(deliveryId: string, now: Date): Promise<Delivery> {
  const d = await readDelivery(deliveryId);
  if (!d) throw notFound('delivery');
  const refuse = (reason: RetryRefusal, message: ErrorText) => conflict(message, { reason, state: d.state });
  if (!canRetry(d))
    throw refuse('not_finished', {
      en: `delivery ${deliveryId} is ${d.state}: only failed deliveries and ones without a URL can be retried`,
      zh: `推送记录 ${deliveryId} 的状态是「${STATE_ZH[d.state]}」：只有失败或未配置地址的推送才能重试`,
    });
  if (!(await readEvent(d.eventId)))
    throw refuse('event_gone', {
      en: `the event of delivery ${deliveryId} is no longer kept, so it cannot be sent again`,
      zh: `推送记录 ${deliveryId} 对应的事件已不再保留，无法再次发送`,
    });
  const attempt = retryAttempt(d);
  if (attempt === undefined)
    throw refuse('too_many', {
      en: `delivery ${deliveryId} was retried too often; send a new test event instead`,
      zh: `推送记录 ${deliveryId} 重试次数过多，请改为发送一个新的测试事件`,
    });
  const at = now.toISOString();
  if (!(await reopenDelivery(d, attempt, at)))
    throw refuse('changed', {
      en: `delivery ${deliveryId} changed meanwhile (someone retried it); reload the log`,
      zh: `推送记录 ${deliveryId} 刚被他人重试过，请重新加载推送日志`,
    });
  try {
    await enqueue('webhooks', { eventId: d.eventId, attempt });
  } catch (error) {
    await saveDelivery(d);
    throw error;
  }
  return { ...d, state: 'retrying', queuedAttempt: attempt, nextAttemptAt: at, updatedAt: at };
}
