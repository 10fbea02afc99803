/**
 * The shop's time zone, where every quality day is cut: the zone of the shop's business-hours
 * calendar (`shop`, the same calendar the bot, the widget and the SLA clocks read: a saved `shop`
 * calendar, else the shop record's business hours), Asia/Shanghai when neither exists. Every
 * writer of a day counter (conversation fold, surveys, opt-outs, bot counters, SLA outcomes) and
 * every reader that picks a day (digest "yesterday", the console's periods) uses it, so they agree.
 */
import { SHOP_CALENDAR } from '#shared/sla/policy.ts';
import { DEFAULT_SHOP_ID } from '#shared/store/shops.ts';
import { loadTicketConfig } from '#shared/tickets/store.ts';
import { dayOf } from './metrics.ts';

/** The zone when the shop has no business hours at all. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The shop's IANA time zone (the ticket configuration's short per-container cache applies). */
export async function shopTimeZone(shopId = DEFAULT_SHOP_ID): Promise<string> {
  const { config } = await loadTicketConfig(shopId);
  return config.calendars.get(SHOP_CALENDAR)?.timeZone || DEFAULT_TIME_ZONE;
}

/** The shop's calendar day of an instant (`YYYY-MM-DD`). */
export async function shopDay(at: string | Date): Promise<string> {
  return dayOf(typeof at === 'string' ? at : at.toISOString(), await shopTimeZone());
}
