import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactLookupQuery } from '#shared/members/api.ts';
import { findContactByShopUser, getContact } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** The contact an email is linked to (uniqueness item written with the member profile; no Scan). */
async function findContactByEmail(email: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contactByEmail(email), ConsistentRead: true }));
  return res.Item?.contactId as string | undefined;
}

export const handler = withHttp('contact-lookup', { query: ContactLookupQuery }, async ({ query }) => {
  const byEmail = query.email !== undefined;
  const byShopUser = query.shopId !== undefined || query.shopUserId !== undefined;
  if (byEmail === byShopUser)
    throw badRequest({
      en: 'look a contact up by ?email= or by ?shopId=&shopUserId= (one of the two)',
      zh: '请用 ?email= 或 ?shopId=&shopUserId= 二者之一查找联系人',
    });
  if (byShopUser && (!query.shopId || !query.shopUserId))
    throw badRequest({ en: '?shopId= and ?shopUserId= go together', zh: '?shopId= 和 ?shopUserId= 必须同时提供' });
  const contactId = byEmail ? await findContactByEmail(query.email as string) : await findContactByShopUser(query.shopId as string, query.shopUserId as string);
  const contact = contactId ? await getContact(contactId) : undefined;
  return ok({
    items: contact
      ? [
          {
            contactId: contact.contactId,
            shopId: contact.shopId,
            shopUserId: contact.shopUserId,
            name: contact.name,
            email: contact.email,
            verified: contact.verified,
          },
        ]
      : [],
  });
});
