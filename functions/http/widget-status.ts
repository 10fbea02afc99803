import { withHttp, ok } from '#shared/http/with-http.ts';
import { notFound } from '#shared/http/errors.ts';
import { getShop } from '#shared/store/shops.ts';
import { agentsOnline } from '#shared/store/presence.ts';
import { isOpen } from '#shared/domain/business-hours.ts';

export const handler = withHttp('widget-status', {}, async ({ caller, now }) => {
  const shop = await getShop(caller.shopId);
  if (!shop) throw notFound('shop');
  return ok({ agentsOnline: await agentsOnline(now), open: isOpen(shop.businessHours, now), businessHours: shop.businessHours, botEnabled: shop.botEnabled !== false });
});
