import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { shipmentsView } from '#shared/logistics/view.ts';
import { ContactParams } from '#shared/members/api.ts';
import { getContact } from '#shared/store/contacts.ts';

/** The customer 360's shipments: carrier, tracking number, status and the redacted trace, newest first. */
export const handler = withHttp('contact-shipments', { params: ContactParams }, async ({ params }) => {
  const contact = await getContact(params.contactId);
  if (!contact) throw notFound('contact');
  return ok({ shipments: await shipmentsView(contact.contactId) }, { 'cache-control': 'no-store' });
});
