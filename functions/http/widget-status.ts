import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { isOpenAt } from '#shared/sla/calendar.ts';
import { SHOP_CALENDAR } from '#shared/sla/policy.ts';
import { agentsOnline } from '#shared/store/presence.ts';
import { getShop } from '#shared/store/shops.ts';
import { calendarFor } from '#shared/tickets/service.ts';
import { loadTicketConfig } from '#shared/tickets/store.ts';

/**
 * What the widget shows before a chat: agents online, and whether the shop is open by the same
 * calendar (`shop`, holidays included) that the bot and the SLA clocks read.
 */
export const handler = withHttp('widget-status', {}, async ({ caller, now }) => {
  const shop = await getShop(caller.shopId);
  if (!shop) throw notFound('shop');
  const calendar = calendarFor((await loadTicketConfig(caller.shopId)).config, SHOP_CALENDAR);
  return ok({ agentsOnline: await agentsOnline(now), open: isOpenAt(calendar, now), businessHours: calendar, botEnabled: shop.botEnabled !== false });
});
