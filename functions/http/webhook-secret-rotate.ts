import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { NoInput } from '#shared/shop/api.ts';
import { maskSecret } from '#shared/shop/settings.ts';
import { DEFAULT_SHOP_ID, rotateWebhookSecret } from '#shared/store/shops.ts';

/** The new secret is in this answer only (never in a GET, never logged). */
export const handler = withHttp('webhook-secret-rotate', { body: NoInput }, async ({ caller, now }) => {
  const { secret, rotatedAt } = await rotateWebhookSecret(DEFAULT_SHOP_ID, now);
  logger.info('webhook secret rotated', { shopId: DEFAULT_SHOP_ID, actor: caller.sub });
  return ok({ secret, hint: maskSecret(secret), rotatedAt }, { 'cache-control': 'no-store' });
});
