import { conflict } from '#shared/http/errors.ts';
import { accepted, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { NoInput } from '#shared/shop/api.ts';
import { DEFAULT_SHOP_ID, readShop } from '#shared/store/shops.ts';
import { sendTestEvent } from '#shared/webhooks/test-event.ts';

export const handler = withHttp('webhook-test', { body: NoInput }, async ({ caller, now }) => {
  if (!(await readShop(DEFAULT_SHOP_ID))?.webhookUrl)
    throw conflict(
      { en: 'no webhook URL is set: save one with PUT /shop-settings first', zh: '尚未设置 Webhook 地址，请先在店铺设置中保存（PUT /shop-settings）' },
      { reason: 'no_url' },
    );
  const { eventId } = await sendTestEvent(DEFAULT_SHOP_ID, now);
  logger.info('webhook test event queued', { eventId, actor: caller.sub });
  return accepted({ eventId, deliveryId: eventId });
});
