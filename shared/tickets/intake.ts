/**
 * Who a staff-logged ticket is for: an existing contact by id, the contact an email already
 * belongs to, or a new contact for a caller the shop has not seen before.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest, notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { createContact, getContact } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { DEFAULT_SHOP_ID, getShop } from '#shared/store/shops.ts';
import { db, tableName } from '#shared/store/table.ts';

/** The shop a single-shop install serves (the seeded demo shop). */
export { DEFAULT_SHOP_ID };

export type RequesterInput = { contactId: string } | { name?: string; email?: string; phone?: string };

export interface ResolvedRequester {
  shopId: string;
  requester: { contactId: string; name?: string; email?: string; phone?: string };
}

/** Finds or creates the requester's contact (a new caller gets an unverified contact). */
export async function resolveRequester(input: RequesterInput, shopId: string | undefined, now: Date): Promise<ResolvedRequester> {
  if ('contactId' in input) {
    const contact = await getContact(input.contactId);
    if (!contact) throw notFound('contact');
    return {
      shopId: contact.shopId,
      requester: { contactId: contact.contactId, ...(contact.name ? { name: contact.name } : {}), ...(contact.email ? { email: contact.email } : {}) },
    };
  }
  if (!input.name && !input.email && !input.phone)
    throw badRequest({
      en: 'requester needs a contactId, or at least one of name, email, phone',
      zh: '请提供请求人的 contactId，或至少填写姓名、邮箱、电话中的一项',
    });
  const shop = await getShop(shopId ?? DEFAULT_SHOP_ID);
  if (!shop) throw badRequest({ en: `unknown shop ${shopId ?? DEFAULT_SHOP_ID}`, zh: `店铺 ${shopId ?? DEFAULT_SHOP_ID} 不存在` });
  const details = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
  };
  if (input.email) {
    const known = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contactByEmail(input.email), ConsistentRead: true }));
    const contactId = known.Item?.contactId as string | undefined;
    if (contactId) return { shopId: shop.shopId, requester: { contactId, ...details } };
  }
  const at = now.toISOString();
  const contactId = newId('con');
  await createContact({
    contactId,
    shopId: shop.shopId,
    verified: false,
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  return { shopId: shop.shopId, requester: { contactId, ...details } };
}
