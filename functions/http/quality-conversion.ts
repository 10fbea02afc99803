import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { AgentsQuery, periodDays } from '#shared/quality/api.ts';
import { conversionByAgent, type QualityConversionResponse, readEnquiries, readOrdersFor } from '#shared/quality/conversion.ts';
import { readSettings } from '#shared/quality/inspection-store.ts';

/** Longest period of one request (an order Query per enquiry). */
const MAX_DAYS = 92;

/**
 * 询单转化率 per agent for a period: the pre-sales conversations started in it (one Query per day),
 * then each shopper's orders within the configured N hours (one gsi1 Query per enquiry, bounded).
 */
export const handler = withHttp('quality-conversion', { query: AgentsQuery }, async ({ query }) => {
  const days = periodDays(query.from, query.to, MAX_DAYS);
  if (typeof days === 'string') throw badRequest(days);
  const settings = await readSettings();
  const enquiries = await readEnquiries(query.from, query.to);
  const orders = await readOrdersFor(enquiries.items, settings.conversionHours);
  const body: QualityConversionResponse = {
    from: query.from,
    to: query.to,
    hours: settings.conversionHours,
    items: conversionByAgent(enquiries.items, orders.ordersOf, settings.conversionHours),
    truncated: enquiries.truncated,
    cost: { requests: 1 + enquiries.requests + orders.requests },
  };
  return ok(body);
});
