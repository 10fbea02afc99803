import { recordConsent } from '#shared/campaigns/consent.ts';
import { ShopConsentBody } from '#shared/campaigns/model.ts';
import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { findContactByShopUser } from '#shared/store/contacts.ts';

export const handler = withHttp('campaigns-shop-consent', { body: ShopConsentBody }, async ({ body, caller }) => {
  const contactId = await findContactByShopUser(caller.shopId, body.customerId);
  if (!contactId) throw notFound('customer');
  const outcome = await recordConsent(contactId, [body.channel], body.granted, 'shop', new Date(body.at).toISOString());
  if (outcome === 'no_contact') throw notFound('customer');
  return ok({ customerId: body.customerId, channel: body.channel, granted: body.granted, stale: outcome === 'stale' });
});
