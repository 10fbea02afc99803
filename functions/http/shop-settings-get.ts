import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { settingsView } from '#shared/shop/settings.ts';
import { DEFAULT_SHOP_ID, readShop } from '#shared/store/shops.ts';

export const handler = withHttp('shop-settings-get', {}, async () => {
  const shop = await readShop(DEFAULT_SHOP_ID);
  if (!shop) throw notFound('shop');
  return ok(settingsView(shop), { 'cache-control': 'no-store' });
});
