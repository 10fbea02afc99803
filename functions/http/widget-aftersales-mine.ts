import { requestForShopper } from '#shared/aftersales/api.ts';
import { checkEligibility } from '#shared/aftersales/eligibility.ts';
import { isTerminal, KINDS } from '#shared/aftersales/model.ts';
import { requireVerified } from '#shared/aftersales/service.ts';
import { listRequests, orderFacts, readRules } from '#shared/aftersales/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listRecentOrders } from '#shared/members/store.ts';

/** How many recent orders the widget offers for a request. */
const ORDERS = 10;

export const handler = withHttp('widget-aftersales-mine', {}, async ({ caller, now }) => {
  requireVerified(caller);
  const [requests, recent, rules] = await Promise.all([listRequests(caller.contactId), listRecentOrders(caller.contactId, ORDERS), readRules()]);
  const open = new Set(requests.filter((r) => !isTerminal(r.state)).map((r) => r.orderId));
  const orders = await Promise.all(
    recent.map(async (o) => {
      const orderId = String(o.orderId);
      const facts = await orderFacts(orderId);
      const kinds = Object.fromEntries(
        KINDS.map((kind) => {
          const verdict = checkEligibility(facts, { contactId: caller.contactId, kind, quantity: 1 }, rules, now);
          return [kind, verdict.ok ? { ok: true } : { ok: false, text: verdict.text }];
        }),
      );
      return {
        orderId,
        amount: Number(o.amount ?? 0),
        currency: String(o.currency ?? 'CNY'),
        quantity: Number(o.quantity ?? 1),
        status: String(o.status),
        placedAt: String(o.placedAt ?? ''),
        ...(facts?.deliveredAt ? { deliveredAt: facts.deliveredAt } : {}),
        openRequest: open.has(orderId),
        kinds,
      };
    }),
  );
  return ok({ requests: requests.map(requestForShopper), orders });
});
