import type { Context, ScheduledEvent } from 'aws-lambda';
import { marketingNow } from '#shared/campaigns/clock.ts';
import { logger } from '#shared/log.ts';
import { runLogisticsNudges, type StallTicket } from '#shared/logistics/nudge.ts';
import { getContact } from '#shared/store/contacts.ts';
import { getShop } from '#shared/store/shops.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import { createTicket } from '#shared/tickets/service.ts';

const LOGISTICS_TEAM = 'logistics';

/** The logistics team's own ticket about the shopper (staff-only thread), in the agents' language. */
export async function openStallTicket(stall: StallTicket): Promise<string> {
  const ports = ticketPorts();
  const contact = await getContact(stall.contactId);
  const shopId = contact?.shopId ?? DEFAULT_SHOP_ID;
  const [cfg, shop] = await Promise.all([ports.store.config(shopId), getShop(shopId)]);
  const lang = (shop?.locales[0] ?? 'zh-CN').toLowerCase().startsWith('en') ? 'en' : 'zh';
  const state = await createTicket(
    ports,
    {
      shopId,
      channel: 'api',
      subject: stall.subject[lang],
      text: stall.text[lang],
      requester: { contactId: stall.contactId, ...(contact?.name ? { name: contact.name } : {}), ...(contact?.email ? { email: contact.email } : {}) },
      verified: contact?.verified ?? false,
      priority: 'high',
      category: 'DELIVERY',
      language: lang,
      tags: ['logistics-chase'],
      ...(cfg.teams.has(LOGISTICS_TEAM) ? { team: LOGISTICS_TEAM } : {}),
      staffOnly: true,
    },
    { kind: 'system' },
  );
  return state.ticket.ticketId;
}

/** Hourly: 催单 — one care message per quiet shipment or late dispatch, then one ticket past the second threshold. */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const counts = await runLogisticsNudges({ openTicket: openStallTicket }, marketingNow(), () => context?.getRemainingTimeInMillis?.() ?? 120_000);
  logger.info('logistics nudges', { scheduledFor: event.time, ...counts });
  return counts;
};
