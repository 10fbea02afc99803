import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ShopEventMessage } from '#shared/api/shop-events.ts';
import { createContact, findContactByShopUser } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { newId } from '#shared/ids.ts';

/** The contact of a shop customer, created (as verified: the shop vouches for it) on first sight. */
export async function contactForCustomer(shopId: string, customerId: string, at: string): Promise<string> {
  const existing = await findContactByShopUser(shopId, customerId);
  if (existing) return existing;
  const contactId = newId('con');
  const outcome = await createContact({
    contactId,
    shopId,
    verified: true,
    shopUserId: customerId,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  if (outcome === 'created') return contactId;
  const winner = await findContactByShopUser(shopId, customerId);
  if (!winner) throw new Error('contact uniqueness item without a contact');
  return winner;
}

/**
 * Applies one shop event. Each write is conditional on the event being newer than what is
 * stored (`occurredAt`), so an older update arriving late never overwrites a newer one.
 * Returns 'stale' when the event lost that race.
 */
export async function applyShopEvent({ shopId, event }: ShopEventMessage): Promise<'applied' | 'stale'> {
  try {
    if (event.type === 'member.upserted') {
      const contactId = await contactForCustomer(shopId, event.data.customerId, event.occurredAt);
      const { customerId: _id, ...fields } = event.data;
      const names = Object.keys(fields);
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.contact(contactId),
          UpdateExpression: `SET ${[...names.map((n) => `#${n} = :${n}`), 'profileAt = :at', 'updatedAt = :at'].join(', ')} ADD version :one`,
          ConditionExpression: 'attribute_not_exists(profileAt) OR profileAt < :at',
          ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n) => [`:${n}`, (fields as Record<string, unknown>)[n]])),
            ':at': event.occurredAt,
            ':one': 1,
          },
        }),
      );
      return 'applied';
    }
    const contactId = await contactForCustomer(shopId, event.data.customerId, event.occurredAt);
    const status = event.type.slice('order.'.length);
    const index = keys.orderOfContact(contactId, event.occurredAt, event.data.orderId);
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.order(event.data.orderId),
        UpdateExpression:
          'SET orderId = :id, contactId = :c, customerId = :cu, amount = :a, currency = :cur, quantity = :q, #s = :s, statusAt = :at, ' +
          'placedAt = if_not_exists(placedAt, :at), gsi1pk = :g1, gsi1sk = if_not_exists(gsi1sk, :g1s), #t = :at',
        ConditionExpression: 'attribute_not_exists(statusAt) OR statusAt < :at',
        ExpressionAttributeNames: { '#s': 'status', '#t': `${status}At` },
        ExpressionAttributeValues: {
          ':id': event.data.orderId,
          ':c': contactId,
          ':cu': event.data.customerId,
          ':a': event.data.amount,
          ':cur': event.data.currency,
          ':q': event.data.quantity ?? 1,
          ':s': status,
          ':at': event.occurredAt,
          ':g1': index.gsi1pk,
          ':g1s': index.gsi1sk,
        },
      }),
    );
    return 'applied';
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'stale';
    throw error;
  }
}
