import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { getContact } from '#shared/store/contacts.ts';

export const handler = withHttp('widget-me', {}, async ({ caller }) => {
  const contact = await getContact(caller.contactId);
  // An anonymous visitor's contact is only written by their first message: until then, the session says it all.
  if (!contact && !caller.verified) return ok({ contactId: caller.contactId, verified: false, locale: caller.locale });
  if (!contact) throw notFound('contact');
  return ok({
    contactId: contact.contactId,
    verified: contact.verified,
    name: contact.verified ? contact.name : undefined,
    email: contact.email,
    locale: contact.locale,
  });
});
